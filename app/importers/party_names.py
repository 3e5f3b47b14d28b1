"""The party-name crosswalk: names as sources write them -> a state or a kind of party.

The ``party_name`` table is the crosswalk the importers read; ``data/sipri_names.csv`` (our own
compilation: every party name in SIPRI's 2025 register) pre-fills it, adding only names the table
lacks, so rows the data team added or corrected are never overwritten. A name in neither is
classed by SIPRI's own marks: ``**`` an organisation, ``*`` a non-state party; anything else is
UNKNOWN and reported, its name kept on the transfer.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from app.importers.reference_states import ensure_states
from app.models import PartyKind, PartyName, State
from app.services.names import sync_dataset_aliases
from app.services.upsert import Counts, sync_rows

CROSSWALK_FILE = Path(__file__).with_name("data") / "sipri_names.csv"


@dataclass(frozen=True)
class Party:
    """What a name resolves to; ``state_id`` only for states."""

    kind: PartyKind
    state_id: int | None
    mapped: bool = True


@lru_cache(maxsize=1)
def _carried_crosswalk() -> tuple[tuple[str, PartyKind, str | None], ...]:
    with CROSSWALK_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple((row["name"], PartyKind(row["kind"]), row["iso3"] or None)
                     for row in csv.DictReader(handle))


class PartyNames:
    """The crosswalk as read from the database, after pre-filling it from the carried file."""

    def __init__(self, by_name: dict[str, Party], iso3_by_id: dict[int, str]) -> None:
        self.by_name = by_name
        self.iso3_by_id = iso3_by_id
        self.unmapped: dict[str, int] = {}

    def iso3(self, party: Party) -> str | None:
        """The ISO3 code of a party that is a state."""
        return self.iso3_by_id[party.state_id] if party.state_id is not None else None

    @classmethod
    def load(cls, connection: Connection) -> tuple[PartyNames, dict[str, Counts]]:
        """Pre-fill ``party_name`` with carried names it lacks, then read it whole."""
        table = PartyName.__table__
        present = set(connection.execute(sa.select(table.c.name)).scalars())
        missing = [entry for entry in _carried_crosswalk() if entry[0] not in present]
        counts: dict[str, Counts] = {}

        def add(name: str, found: Counts) -> None:
            counts.setdefault(name, Counts())
            counts[name] += found

        # Every state the carried crosswalk names, each time: the database then holds the same
        # states and statements whichever loader ran first.
        states, created = ensure_states(
            connection, [iso3 for _, _, iso3 in _carried_crosswalk() if iso3], add)
        add("state", created)
        if missing:
            rows = [{"name": name, "kind": kind,
                     "state_id": states[iso3].id if iso3 else None}
                    for name, kind, iso3 in missing]
            counts["party_name"] = sync_rows(connection, table, ("name",), rows).counts
        by_name = {name: Party(kind, state_id) for name, kind, state_id in connection.execute(
            sa.select(table.c.name, table.c.kind, table.c.state_id))}
        names: dict[int, list[str]] = {}
        for name, party in by_name.items():
            if party.state_id is not None:
                names.setdefault(party.state_id, []).append(name)
        add("state_alias", sync_dataset_aliases(connection, "sipri", names))
        state = State.__table__
        iso3_by_id = dict(connection.execute(sa.select(state.c.id, state.c.iso3)).all())
        return cls(by_name, iso3_by_id), counts

    def resolve(self, name: str) -> Party:
        """The party a name stands for; unmapped names are counted for the report."""
        found = self.by_name.get(name)
        if found is not None:
            return found
        if name.endswith("**"):
            return Party(PartyKind.ORGANIZATION, None)
        if name.endswith("*"):
            return Party(PartyKind.NON_STATE_ACTOR, None)
        self.unmapped[name] = self.unmapped.get(name, 0) + 1
        return Party(PartyKind.UNKNOWN, None, mapped=False)

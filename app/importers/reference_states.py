"""States the importers may create when a file names one the database does not hold yet.

``data/states.csv`` is our own compilation (ISO 3166-1 and ISO 3166-3 codes, UN M49 numbers,
Correlates of War codes, UN admission dates): the 193 UN members, the two observer states, the
former members whose codes sources still use (SUN, YUG, CSK, DDR, YMD) and a few other parties
(TWN, XKX, ESH, ABW). Yugoslavia's membership ends on 1992-09-22, when General Assembly
resolution 47/1 decided that the Federal Republic of Yugoslavia could not continue it (the FRY,
now Serbia, was admitted on 2000-11-01). It is a dataset of its own (``atlas-states``), last in precedence: the
seeds and ``atlas import country-codes`` win wherever they say otherwise.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from app.importers.provenance import file_source_key, record_source
from app.importers.reading import read_data_file
from app.models import State
from app.services.merge import Claim, claim_values, merge_claims
from app.services.names import sync_dataset_aliases
from app.services.upsert import Counts

DATASET = "atlas-states"

REFERENCE_FILE = Path(__file__).with_name("data") / "states.csv"


@dataclass(frozen=True)
class KnownState:
    """A state row id with the UN membership dates that decide who could vote when."""

    id: int
    un_member_from: dt.date | None
    un_member_until: dt.date | None

    def member_on(self, day: dt.date) -> bool | None:
        """True/False when the dates settle it, ``None`` when membership dates are unknown."""
        if self.un_member_from is None:
            return None
        return self.un_member_from <= day and (self.un_member_until is None
                                               or day <= self.un_member_until)


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _int(value: str) -> int | None:
    return int(value) if value else None


@lru_cache(maxsize=1)
def reference_states() -> dict[str, dict[str, Any]]:
    """The carried list as state rows keyed by ISO3."""
    with REFERENCE_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["iso3"]: {
                "iso3": row["iso3"],
                "iso2": row["iso2"] or None,
                "m49": _int(row["m49"]),
                "cow_code": _int(row["cow_code"]),
                "name": row["name"],
                "un_member_from": _date(row["un_member_from"]),
                "un_member_until": _date(row["un_member_until"]),
                "un_observer": row["un_observer"] == "1",
            }
            for row in csv.DictReader(handle)
        }


class UnknownStates(LookupError):
    """Codes that neither the database nor the carried list knows."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = codes
        super().__init__(", ".join(codes))


def ensure_states(
    connection: Connection, iso3_codes: Iterable[str],
    report: Callable[[str, Counts], None] | None = None,
) -> tuple[dict[str, KnownState], Counts]:
    """Ids (and membership dates) of the states with these codes, asserting the carried list's
    facts about them as the ``atlas-states`` dataset.

    Every code the carried list knows gets that dataset's statement, whether or not the state
    is already held (so the database is the same whichever loader ran first); where the seeds
    or the code list say otherwise they win by precedence. ``report`` (e.g.
    ``ImportReport.add``) is told what this wrote to ``source``, ``state_source`` and
    ``state_alias``. Raises ``UnknownStates`` naming the codes found in neither.
    """
    wanted = sorted(set(iso3_codes))
    table = State.__table__
    held = set(connection.execute(sa.select(table.c.iso3).where(table.c.iso3.in_(wanted)))
               .scalars())
    carried = reference_states()
    unknown = [code for code in wanted if code not in held and code not in carried]
    if unknown:
        raise UnknownStates(unknown)
    listed = [code for code in wanted if code in carried]
    counts = Counts()
    if listed:
        data = read_data_file(REFERENCE_FILE)
        _source_id, source_counts = record_source(
            connection, data, kind=DATASET, title="States list carried by the Alignment Atlas importers",
            publisher="Alignment Atlas",
            notes="Compiled from ISO 3166-1/-3, UN M49, Correlates of War codes and UN admission dates.",
        )
        key = file_source_key(connection, DATASET, data)
        result = merge_claims(connection, "state", DATASET, [
            Claim((code,), claim_values(carried[code], sources=[key])) for code in listed
        ], release_key=key)
        counts = result.counts
        alias_counts = sync_dataset_aliases(connection, DATASET, {
            result.ids[(code,)]: [carried[code]["name"]] for code in listed})
        if report is not None:
            report("source", source_counts)
            for name, link_counts in result.links.items():
                report(name, link_counts)
            report("state_alias", alias_counts)
    known: dict[str, KnownState] = {}
    query = sa.select(table.c.iso3, table.c.id, table.c.un_member_from, table.c.un_member_until)
    for row in connection.execute(query.where(table.c.iso3.in_(wanted))):
        known[row.iso3] = KnownState(row.id, row.un_member_from, row.un_member_until)
    return known, counts

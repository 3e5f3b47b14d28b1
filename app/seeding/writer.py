"""Writing a checked seed set with the idempotent upserts, parents before children."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.engine import Connection

from app.models import (
    SOURCE_LINKS,
    Alliance,
    AllianceMembership,
    ArmsTransfer,
    RegimeMeasure,
    Resolution,
    SanctionsRegime,
    Source,
    State,
    TransferDenial,
    TransferTransit,
    TransferViolation,
    Vote,
)
from app.seeding.plan import Fact, SeedSet
from app.services.upsert import Counts, sync_links, sync_rows


class _Writer:
    def __init__(self, connection: Connection, seeds: SeedSet) -> None:
        self.connection = connection
        self.seeds = seeds
        self.counts: dict[str, Counts] = {}
        self.source_ids: dict[str, int] = {}
        self.state_ids: dict[str, int] = {}
        self.regime_ids: dict[str, int] = {}

    def _add(self, table: str, counts: Counts) -> None:
        self.counts.setdefault(table, Counts())
        self.counts[table] += counts

    def rows(self, target: Any, key: tuple[str, ...], rows: Iterable[Mapping[str, Any]],
             **options: Any) -> dict[tuple[Any, ...], int]:
        result = sync_rows(self.connection, target, key, list(rows), **options)
        self._add(target.__tablename__, result.counts)
        return result.ids

    def links(self, target: Any, owner: str,
              links: Mapping[int, Iterable[Mapping[str, Any]]]) -> None:
        name = target.name if hasattr(target, "name") else target.__tablename__
        self._add(name, sync_links(self.connection, target, owner, links))

    def source_links(self, owner: str, facts: Mapping[Any, Fact], ids: Mapping[Any, int]) -> None:
        self.links(SOURCE_LINKS[owner], f"{owner}_id", {
            ids[natural]: [{"source_id": self.source_ids[key]}
                           for key in dict.fromkeys(fact.sources)]
            for natural, fact in facts.items()
        })

    def state_id(self, iso3: str | None) -> int | None:
        return self.state_ids[iso3] if iso3 else None


def write_seeds(connection: Connection, seeds: SeedSet) -> dict[str, Counts]:
    """Bring the database to the seed set; returns what changed per table."""
    w = _Writer(connection, seeds)
    ids = w.rows(Source, ("key",), seeds.sources.values())
    w.source_ids = {key[0]: value for key, value in ids.items()}
    ids = w.rows(State, ("iso3",), (fact.row for fact in seeds.states.values()))
    w.state_ids = {key[0]: value for key, value in ids.items()}
    w.source_links("state", seeds.states, w.state_ids)
    _write_votes(w, seeds)
    _write_regimes(w, seeds)
    _write_transfers(w, seeds)
    _write_alliances(w, seeds)
    return w.counts


def _single(ids: dict[tuple[Any, ...], int]) -> dict[Any, int]:
    return {key[0]: value for key, value in ids.items()}


def _write_votes(w: _Writer, seeds: SeedSet) -> None:
    ids = _single(w.rows(Resolution, ("symbol",), (f.row for f in seeds.resolutions.values())))
    w.source_links("resolution", seeds.resolutions, ids)
    rows = [
        {"resolution_id": ids[symbol], "state_id": w.state_ids[vote["iso3"]],
         "position": vote["position"], "notes": vote["notes"]}
        for symbol, votes in seeds.votes.items() for vote in votes
    ]
    if rows:
        w.rows(Vote, ("resolution_id", "state_id"), rows,
               existing_where=Vote.__table__.c.resolution_id.in_(
                   [ids[symbol] for symbol in seeds.votes]))


def _write_regimes(w: _Writer, seeds: SeedSet) -> None:
    rows = []
    for fact in seeds.regimes.values():
        row = {k: v for k, v in fact.row.items() if k not in ("authority_state", "target_state")}
        row["authority_state_id"] = w.state_id(fact.row["authority_state"])
        row["target_state_id"] = w.state_id(fact.row["target_state"])
        rows.append(row)
    ids = _single(w.rows(SanctionsRegime, ("code",), rows))
    w.regime_ids = ids
    w.source_links("sanctions_regime", seeds.regimes, ids)
    w.links(RegimeMeasure, "regime_id", {
        ids[code]: [{"measure": measure} for measure in measures]
        for code, measures in seeds.measures.items()
    })


def _write_transfers(w: _Writer, seeds: SeedSet) -> None:
    rows = []
    for fact in seeds.transfers.values():
        row = {k: v for k, v in fact.row.items() if k not in ("supplier_state", "recipient_state")}
        row["supplier_state_id"] = w.state_id(fact.row["supplier_state"])
        row["recipient_state_id"] = w.state_id(fact.row["recipient_state"])
        rows.append(row)
    ids = _single(w.rows(ArmsTransfer, ("external_id",), rows))
    w.source_links("arms_transfer", seeds.transfers, ids)
    source = w.source_ids
    w.links(TransferDenial, "transfer_id", {
        ids[ext]: [{"state_id": w.state_ids[d["state"]], "source_id": source[d["source"]],
                    "denied_on": d["denied_on"], "statement": d["statement"]} for d in items]
        for ext, items in seeds.denials.items()
    })
    w.links(TransferTransit, "transfer_id", {
        ids[ext]: [{"state_id": w.state_ids[t["state"]], "kind": t["kind"],
                    "source_id": source.get(t["source"]) if t["source"] else None} for t in items]
        for ext, items in seeds.transits.items()
    })
    regime_ids = w.regime_ids
    w.links(TransferViolation, "transfer_id", {
        ids[ext]: [{"regime_id": regime_ids[v["regime"]], "claimed_by": v["claimed_by"],
                    "source_id": source[v["source"]] if v["source"] else None} for v in items]
        for ext, items in seeds.violations.items()
    })


def _write_alliances(w: _Writer, seeds: SeedSet) -> None:
    ids = _single(w.rows(Alliance, ("key",), (f.row for f in seeds.alliances.values())))
    w.source_links("alliance", seeds.alliances, ids)
    facts: dict[tuple[Any, ...], Fact] = {}
    rows = []
    for key, members in seeds.memberships.items():
        for fact in members:
            row = {"alliance_id": ids[key], "state_id": w.state_ids[fact.row["state"]],
                   "joined_on": fact.row["joined_on"], "left_on": fact.row["left_on"],
                   "notes": fact.row["notes"]}
            facts[(row["alliance_id"], row["state_id"], row["joined_on"])] = fact
            rows.append(row)
    if rows:
        member_ids = w.rows(AllianceMembership, ("alliance_id", "state_id", "joined_on"), rows)
        w.source_links("alliance_membership", facts, member_ids)

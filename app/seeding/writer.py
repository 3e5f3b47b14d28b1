"""Writing a checked seed set: the seeds are one dataset, merged like every other.

Every fact of the seed files becomes a statement of the ``seeds`` dataset
(``app.services.merge``); the served rows are assembled from those and whatever the importers
asserted, so loading the seeds never undoes an import and an import never undoes the seeds.
Facts removed from the seed files are retired by the seed release that dropped them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from app.models import Source
from app.seeding.plan import Fact, SeedSet
from app.services.merge import Claim, MergeResult, claim_values, merge_claims
from app.services.names import sync_dataset_aliases
from app.services.sources import fold_described_files
from app.services.statements import encode, ensure_datasets, register_datasets
from app.services.upsert import Counts, sync_rows

DATASET = "seeds"


class _Writer:
    def __init__(self, connection: Connection, release_key: str) -> None:
        self.connection = connection
        self.release_key = release_key
        self.counts: dict[str, Counts] = {}

    def add(self, table: str, counts: Counts) -> None:
        self.counts.setdefault(table, Counts())
        self.counts[table] += counts

    def merge(self, entity: str, claims: Sequence[Claim]) -> MergeResult:
        result = merge_claims(self.connection, entity, DATASET, claims,
                              release_key=self.release_key, complete=True)
        self.add(entity, result.counts)
        for table, counts in result.links.items():
            self.add(table, counts)
        return result


def _claim(identity: tuple[Any, ...], fact: Fact, *skip: str, **extra: Any) -> Claim:
    """A seed fact as a claim; its statement cites the fact's first source."""
    return Claim(identity, _data(fact, *skip, **extra), source=fact.sources[0] if fact.sources else None)


def _data(fact: Fact, *skip: str, **extra: Any) -> dict[str, Any]:
    row = {k: v for k, v in fact.row.items() if k not in skip}
    return claim_values(row, sources=list(dict.fromkeys(fact.sources)), **extra)


def write_seeds(connection: Connection, seeds: SeedSet, release: Mapping[str, Any]) -> dict[str, Counts]:
    """Bring the seeds dataset's statements to the seed set; returns what changed per table.

    ``release`` is the source row describing this version of the seed files (its key names the
    release that retires facts the files no longer hold).
    """
    w = _Writer(connection, release["key"])
    w.add("dataset", register_datasets(connection))
    dataset_id = ensure_datasets(connection, [DATASET])[DATASET]
    # A file the seeds describe by checksum is one source, even if an import cited it first.
    folded = fold_described_files(connection, {key: row["sha256"] for key, row in
                                               seeds.sources.items() if row.get("sha256")})
    rows = [{**row, "dataset_id": dataset_id} for row in [*seeds.sources.values(), release]]
    w.add("source", sync_rows(connection, Source, ("key",), rows).counts)
    w.add("source", Counts(deleted=folded))
    states = w.merge("state", [_claim((iso3,), fact) for iso3, fact in seeds.states.items()])
    _write_aliases(w, seeds, states)
    w.merge("resolution", [_claim((fact.row["undl_record_id"],),
        fact, votes={v["iso3"]: encode(v["position"]) for v in seeds.votes.get(symbol, [])},
        vote_notes={v["iso3"]: v["notes"] for v in seeds.votes.get(symbol, []) if v["notes"]})
        for symbol, fact in seeds.resolutions.items()])
    w.merge("sanctions_regime", [_claim((code,),
        fact, measures=sorted(m.name for m in seeds.measures.get(code, [])))
        for code, fact in seeds.regimes.items()])
    w.merge("arms_transfer", [_claim((ext,),
        fact, denials=[claim_values(d) for d in seeds.denials.get(ext, [])],
        transits=[claim_values(t) for t in seeds.transits.get(ext, [])],
        violations=[claim_values(v) for v in seeds.violations.get(ext, [])])
        for ext, fact in seeds.transfers.items()])
    alliances = w.merge("alliance", [_claim((key,), fact)
                                     for key, fact in seeds.alliances.items()])
    state_ids = dict(connection.execute(sa.text("SELECT iso3, id FROM state")).all())
    claims = []
    for key, members in seeds.memberships.items():
        alliance_id = alliances.ids[(key,)]
        for fact in members:
            claims.append(_claim((alliance_id, state_ids[fact.row["state"]], fact.row["joined_on"]),
                                 fact, "state"))
    w.merge("alliance_membership", claims)
    return w.counts


def _write_aliases(w: _Writer, seeds: SeedSet, states: MergeResult) -> None:
    names = {states.ids[(iso3,)]: [n for n in (fact.row["name"], fact.row.get("official_name")) if n]
             for iso3, fact in seeds.states.items()}
    w.add("state_alias", sync_dataset_aliases(w.connection, DATASET, names))

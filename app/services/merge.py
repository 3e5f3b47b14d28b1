"""The one way every loader writes facts: statements per dataset, served rows merged from them.

A loader (the seed loader, each importer) describes what its dataset asserts as *claims*: the
identity of a row and the values it gives (``statements.encode`` form, states by ISO3, lists
for collections). ``merge_claims`` then

1. matches each claim to an existing row (``EntitySpec.match``: a SIPRI deal by its deal id, an
   alliance by its ATOP id, a membership by an overlapping period ...) or inserts a new row;
2. writes the dataset's statements: new, changed, unchanged; on a complete release, the
   dataset's statements about rows the release no longer holds are retired (never deleted);
3. recomputes the served row of every row whose statements changed, from all its statements
   (``statements.merge``: per field, the first dataset by precedence), including its link rows
   (sources, measures, denials, transits, violations, votes), and retires a row that no dataset
   asserts any more.

A loader therefore only ever changes its own statements; what another dataset asserted stays,
and the served database is a function of the statements alone, whatever order loaders ran in.
The caller's transaction makes it all or nothing (a dry run rolls it back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from app.models import (
    SOURCE_LINKS,
    STATEMENTS,
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
from app.services.statements import (
    Statement,
    discrepancies,
    dumps,
    encode,
    ensure_datasets,
    loads,
    merge,
    read_statements,
)
from app.services.upsert import Counts, insert_plain_rows, insert_then_read_ids

_CHUNK = 5000
_PLAIN = (str, int, float, bool)
Identity = tuple[Any, ...]


@dataclass
class Claim:
    """What one dataset says about one row: its identity and its values (encoded)."""

    identity: Identity
    data: dict[str, Any]
    source: str | None = None  # the statement's source key; default: the release


@dataclass
class MergeResult:
    """What a merge did to one entity table, and the row id of every claim by identity."""

    counts: Counts
    ids: dict[Identity, int] = field(default_factory=dict)
    links: dict[str, Counts] = field(default_factory=dict)


Matcher = Callable[[Connection, Sequence[Claim]], dict[Identity, int]]


@dataclass(frozen=True)
class EntitySpec:
    """How one served table maps to statements."""

    name: str
    table: sa.Table
    identity: tuple[str, ...]
    state_refs: Mapping[str, str]  # served column -> statement field holding an ISO3 code
    match: Matcher | None = None  # default: equal identity columns
    retires: bool = False  # the table has retired_by_source_id

    def columns(self) -> list[str]:
        """Served columns written from statements (not the id, not the retirement)."""
        return [c.name for c in self.table.columns
                if c.name not in ("id", "retired_by_source_id")]


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _exact(spec: EntitySpec) -> Matcher:
    def match(connection: Connection, claims: Sequence[Claim]) -> dict[Identity, int]:
        table = spec.table
        wanted = {claim.identity for claim in claims}
        found: dict[Identity, int] = {}
        query = sa.select(table.c.id, *(table.c[name] for name in spec.identity))
        for row in connection.execute(query):
            identity = tuple(row[1:])
            if identity in wanted:
                found[identity] = row[0]
        return found
    return match


def _match_alliances(connection: Connection, claims: Sequence[Claim]) -> dict[Identity, int]:
    """An alliance is the row with its ATOP id when it has one, else the row with its key."""
    table = Alliance.__table__
    by_atop: dict[int, int] = {}
    by_key: dict[str, int] = {}
    for row_id, key, atop_id in connection.execute(sa.select(table.c.id, table.c.key,
                                                             table.c.atop_id)):
        by_key[key] = row_id
        if atop_id is not None:
            by_atop.setdefault(atop_id, row_id)
    found = {}
    for claim in claims:
        atop_id = claim.data.get("atop_id")
        row_id = by_atop.get(atop_id) if atop_id is not None else None
        if row_id is None:
            row_id = by_key.get(claim.identity[0])
        if row_id is not None:
            found[claim.identity] = row_id
    return found


def _match_memberships(connection: Connection, claims: Sequence[Claim]) -> dict[Identity, int]:
    """A membership is the row of the same alliance and state whose period overlaps the claim's
    (ATOP and our seeds date the same accession a few days apart), the closest start first."""
    table = AllianceMembership.__table__
    rows: dict[tuple[int, int], list[tuple[int, Any, Any]]] = {}
    for row_id, alliance_id, state_id, joined, left in connection.execute(sa.select(
            table.c.id, table.c.alliance_id, table.c.state_id, table.c.joined_on, table.c.left_on)):
        rows.setdefault((alliance_id, state_id), []).append((row_id, joined, left))
    found: dict[Identity, int] = {}
    taken: set[int] = set()
    # Exact identities first, so an overlap never steals the row a claim names exactly.
    ordered = sorted(claims, key=lambda c: c.identity[2] is None)
    exact = {(a, s, j): row_id for (a, s), items in rows.items() for row_id, j, _ in items}
    for claim in ordered:
        row_id = exact.get(claim.identity)
        if row_id is not None and row_id not in taken:
            found[claim.identity] = row_id
            taken.add(row_id)
    for claim in ordered:
        if claim.identity in found:
            continue
        alliance_id, state_id, joined = claim.identity
        left = _date(claim.data.get("left_on"))
        best = None
        for row_id, row_joined, row_left in rows.get((alliance_id, state_id), []):
            if row_id in taken or not _overlap(joined, left, row_joined, row_left):
                continue
            distance = abs((row_joined - joined).days) if row_joined and joined else 0
            if best is None or (distance, row_id) < best:
                best = (distance, row_id)
        if best is not None:
            found[claim.identity] = best[1]
            taken.add(best[1])
    return found


def _date(value: Any) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _overlap(a_start: Any, a_end: Any, b_start: Any, b_end: Any) -> bool:
    starts_before_b_ends = a_start is None or b_end is None or a_start <= b_end
    b_starts_before_a_ends = b_start is None or a_end is None or b_start <= a_end
    return starts_before_b_ends and b_starts_before_a_ends


SPECS: dict[str, EntitySpec] = {spec.name: spec for spec in (
    EntitySpec("state", State.__table__, ("iso3",), {}),
    EntitySpec("resolution", Resolution.__table__, ("undl_record_id",), {}),
    EntitySpec("sanctions_regime", SanctionsRegime.__table__, ("code",),
               {"authority_state_id": "authority_state", "target_state_id": "target_state"},
               retires=True),
    EntitySpec("arms_transfer", ArmsTransfer.__table__, ("external_id",),
               {"supplier_state_id": "supplier_state", "recipient_state_id": "recipient_state"},
               retires=True),
    EntitySpec("alliance", Alliance.__table__, ("key",), {}, match=_match_alliances,
               retires=True),
    EntitySpec("alliance_membership", AllianceMembership.__table__,
               ("alliance_id", "state_id", "joined_on"), {}, match=_match_memberships,
               retires=True),
)}


# ---- served values ------------------------------------------------------------------------

class _Lookups:
    """Natural keys to row ids for the references statements make (states, sources, regimes),
    each table read once, and again only when a key is missing (a row inserted meanwhile)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._read: dict[str, dict[Any, int]] = {}

    def _id(self, table: sa.Table, column: str, key: Any) -> int:
        found = self._read.get(table.name)
        if found is None or key not in found:
            found = self._read[table.name] = dict(self.connection.execute(
                sa.select(table.c[column], table.c.id)).all())
        return found[key]

    def state(self, iso3: str | None) -> int | None:
        return None if iso3 is None else self._id(State.__table__, "iso3", iso3)

    def source(self, key: str | None) -> int | None:
        return None if key is None else self._id(Source.__table__, "key", key)

    def regime(self, code: str) -> int:
        return self._id(SanctionsRegime.__table__, "code", code)


@dataclass(frozen=True)
class _Plan:
    """How one table's served columns come from statement values."""

    plain: tuple[tuple[str, Any], ...]  # (column, default) taken as they are
    refs: tuple[tuple[str, str], ...]  # (column, statement field holding an ISO3 code)
    dates: tuple[tuple[str, Any], ...]  # (column, default) parsed from ISO text


_PLANS: dict[str, _Plan] = {}


def _plan(spec: EntitySpec) -> _Plan:
    plan = _PLANS.get(spec.name)
    if plan is None:
        plain, refs, dates = [], [], []
        for name in spec.columns():
            column = spec.table.c[name]
            default = column.default.arg if column.default is not None and \
                column.default.is_scalar else None
            if name in spec.state_refs:
                refs.append((name, spec.state_refs[name]))
            elif isinstance(column.type, sa.Date):
                dates.append((name, default))
            else:
                plain.append((name, default))
        plan = _PLANS[spec.name] = _Plan(tuple(plain), tuple(refs), tuple(dates))
    return plan


def served_row(spec: EntitySpec, merged: Mapping[str, Any], lookups: _Lookups) -> dict[str, Any]:
    """The served columns of a row from its merged statement values."""
    plan = _plan(spec)
    get = merged.get
    row = {name: get(name, default) for name, default in plan.plain}
    for name, field_name in plan.refs:
        row[name] = lookups.state(get(field_name))
    for name, default in plan.dates:
        value = get(name)
        row[name] = default if value is None else _date(value)
    return row


# ---- the merge -----------------------------------------------------------------------------

def merge_claims(
    connection: Connection,
    entity: str,
    dataset: str,
    claims: Sequence[Claim],
    *,
    release_key: str | None,
    complete: bool = False,
    keep_earlier_sources: bool = False,
) -> MergeResult:
    """Write ``dataset``'s claims about ``entity`` rows and bring the served rows up to date.

    ``release_key`` names the source of this release (a statement's ``source_id``; the release
    that retires what it no longer holds). ``complete``: the claims are everything the dataset
    asserts about this table, so its other current statements are retired.
    ``keep_earlier_sources``: an importer's statement keeps the
    earlier releases among its sources. Returns the counts of served rows (inserted, updated,
    unchanged, retired, discrepancies) and link rows, and each claim's row id.
    """
    spec = SPECS[entity]
    statement_table = STATEMENTS[entity]
    owner = statement_table.c[f"{entity}_id"]
    dataset_id = ensure_datasets(connection, [dataset])[dataset]
    lookups = _Lookups(connection)
    release_id = lookups.source(release_key)
    counts = Counts()
    result = MergeResult(counts)

    unique: dict[Identity, Claim] = {}
    for claim in claims:
        unique[claim.identity] = claim
    claims = list(unique.values())
    matcher = spec.match or _exact(spec)
    ids = matcher(connection, claims) if claims else {}

    # 1. New rows: served from this claim alone.
    new = [claim for claim in claims if claim.identity not in ids]
    if new:
        rows = []
        for claim in new:
            row = served_row(spec, claim.data, lookups)
            row.update(zip(spec.identity, claim.identity, strict=True))
            rows.append(row)
        ids.update(insert_then_read_ids(connection, spec.table, spec.identity, rows))
        counts.inserted = len(new)
    result.ids = {claim.identity: ids[claim.identity] for claim in claims}
    new_ids = {ids[claim.identity] for claim in new}

    # 2. This dataset's statements (a row no dataset asserts yet is first adopted as it stands).
    existing_ids = sorted({ids[claim.identity] for claim in claims} - new_ids)
    adopted = adopt_rows(connection, spec.name, existing_ids)
    mine: dict[int, tuple[str, int | None, int | None]] = {}
    mine_query = sa.select(owner, statement_table.c.data, statement_table.c.source_id,
                           statement_table.c.retired_by_source_id).where(
        statement_table.c.dataset_id == dataset_id)
    # Many rows: one read of the dataset's statements beats thousands of bound ids.
    chunks = [mine_query] if len(existing_ids) > _CHUNK else [
        mine_query.where(owner.in_(chunk)) for chunk in _chunks(existing_ids)]
    for query in chunks:
        for row_id, data, source_id, retired in connection.execute(query):
            mine[row_id] = (data, source_id, retired)
    inserts: list[tuple[Any, ...]] = []
    updates: list[dict[str, Any]] = []
    touched: set[int] = set(new_ids)
    for claim in claims:
        row_id = ids[claim.identity]
        data = dict(claim.data)
        before = mine.get(row_id)
        if keep_earlier_sources and before is not None:
            earlier = loads(before[0]).get("sources") or []
            data["sources"] = sorted(set(earlier) | set(data.get("sources") or []))
        text = dumps(data)
        source_id = lookups.source(claim.source) if claim.source else release_id
        if before is None:
            inserts.append((row_id, dataset_id, text, source_id))
            touched.add(row_id)
        elif before != (text, source_id, None):
            updates.append({"_owner": row_id, "data": text, "source_id": source_id})
            touched.add(row_id)
    insert_plain_rows(connection, statement_table,
                      (owner.name, "dataset_id", "data", "source_id"), inserts)
    if updates:
        connection.execute(
            sa.update(statement_table)
            .where(owner == sa.bindparam("_owner"), statement_table.c.dataset_id == dataset_id)
            .values(data=sa.bindparam("data"), source_id=sa.bindparam("source_id"),
                    retired_by_source_id=None), updates)

    statement_counts = Counts(inserted=len(inserts) + adopted, updated=len(updates),
                              unchanged=len(claims) - len(inserts) - len(updates))
    result.links[statement_table.name] = statement_counts

    # 3. A complete release retires what it no longer holds.
    if complete:
        current = set(connection.execute(sa.select(owner).where(
            statement_table.c.dataset_id == dataset_id,
            statement_table.c.retired_by_source_id.is_(None))).scalars())
        dropped = sorted(current - set(result.ids.values()))
        for chunk in _chunks(dropped):
            connection.execute(sa.update(statement_table).where(
                statement_table.c.dataset_id == dataset_id, owner.in_(chunk))
                .values(retired_by_source_id=release_id))
        touched.update(dropped)
        statement_counts.retired = len(dropped)

    # 4. Served rows and links of every row whose statements changed.
    fresh = {ids[claim.identity]: claim.data for claim in new}
    refresh(connection, spec, sorted(touched), fresh, lookups, result)
    counts.unchanged = len(claims) - counts.inserted - counts.updated
    counts.discrepancies = count_discrepancies(connection, entity, dataset_id, result.ids.values())
    return result


def refresh(connection: Connection, spec: EntitySpec, row_ids: Sequence[int],
            fresh: Mapping[int, dict[str, Any]], lookups: _Lookups, result: MergeResult) -> None:
    """Recompute the served columns and link rows of ``row_ids`` from their statements.

    ``fresh``: the rows just inserted, each served from its one statement (nothing to merge,
    no link rows to read back).
    """
    if not row_ids:
        return
    new_ids = set(fresh)
    statements = read_statements(connection, spec.name,
                                 [row_id for row_id in row_ids if row_id not in fresh])
    table = spec.table
    columns = spec.columns()
    current: dict[int, dict[str, Any]] = {}
    old = [row_id for row_id in row_ids if row_id not in new_ids]
    extra = ["retired_by_source_id"] if spec.retires else []
    for chunk in _chunks(old):
        query = sa.select(table.c.id, *(table.c[n] for n in [*columns, *extra])).where(
            table.c.id.in_(chunk))
        for record in connection.execute(query).mappings():
            current[record["id"]] = dict(record)
    merged_by_id: dict[int, dict[str, Any]] = {}
    updates = []
    for row_id in row_ids:
        if row_id in fresh:
            merged_by_id[row_id] = fresh[row_id]
            continue
        found = statements.get(row_id, [])
        merged = merge(spec.name, found)
        merged_by_id[row_id] = merged
        row = served_row(spec, merged, lookups)
        for name in spec.identity:  # an identity no statement restates stays as matched
            if row.get(name) is None:
                row.pop(name, None)
        if spec.retires:
            retired = [s.retired_by_source_id for s in found]
            row["retired_by_source_id"] = (max(r for r in retired if r is not None)
                                           if found and all(r is not None for r in retired)
                                           else None)
            if row["retired_by_source_id"] is not None and current[row_id].get(
                    "retired_by_source_id") is None:
                result.counts.retired += 1
        now = current[row_id]
        changes = {name: value for name, value in row.items() if now.get(name) != value}
        if changes:
            updates.append((row_id, changes))
    if updates:
        result.counts.updated = sum(1 for _row_id, changes in updates
                                    if any(n != "retired_by_source_id" for n in changes))
        by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row_id, changes in updates:
            by_shape.setdefault(tuple(sorted(changes)), []).append({"_id": row_id, **changes})
        for shape, rows in by_shape.items():
            statement = (sa.update(table).where(table.c.id == sa.bindparam("_id"))
                         .values({name: sa.bindparam(name) for name in shape}))
            for chunk in _chunks(rows):
                connection.execute(statement, list(chunk))
    for name, writer in LINK_WRITERS.get(spec.name, {}).items():
        counts = writer(connection, merged_by_id, new_ids, lookups)
        result.links.setdefault(name, Counts())
        result.links[name] += counts


def count_discrepancies(connection: Connection, entity: str, dataset_id: int,
                        row_ids: Iterable[int]) -> int:
    """How many of these rows have at least one field on which current statements disagree."""
    statement_table = STATEMENTS[entity]
    owner = statement_table.c[f"{entity}_id"]
    shared = set(connection.execute(sa.select(owner).where(
        statement_table.c.dataset_id != dataset_id)).scalars()) & set(row_ids)
    if not shared:
        return 0
    found = read_statements(connection, entity, shared)
    return sum(1 for items in found.values() if discrepancies(entity, items))


# ---- rows written before statements ------------------------------------------------------

LEGACY = "legacy"


def _iso3_by_id(connection: Connection) -> dict[int, str]:
    table = State.__table__
    return dict(connection.execute(sa.select(table.c.id, table.c.iso3)).all())


def current_values(connection: Connection, entity: str,
                   row_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The served values of rows as statement data (what the database holds now, links
    included): how a row written before statements, or by hand, is kept as a statement."""
    spec = SPECS[entity]
    table = spec.table
    iso3 = _iso3_by_id(connection)
    source = Source.__table__
    source_keys = dict(connection.execute(sa.select(source.c.id, source.c.key)).all())
    skip = {"alliance_id", "state_id"} if entity == "alliance_membership" else set()
    found: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(list(row_ids)):
        for record in connection.execute(sa.select(table).where(table.c.id.in_(chunk))).mappings():
            data: dict[str, Any] = {}
            for name in spec.columns():
                value = record[name]
                if value is None or name in skip:
                    continue
                if name in spec.state_refs:
                    data[spec.state_refs[name]] = iso3[value]
                else:
                    data[name] = encode(value)
            found[record["id"]] = data
        link = SOURCE_LINKS[entity]
        owner = link.c[f"{entity}_id"]
        for row_id, source_id in connection.execute(
                sa.select(owner, link.c.source_id).where(owner.in_(chunk))):
            found[row_id].setdefault("sources", []).append(source_keys[source_id])
        for name, read in _LINK_READERS.get(entity, {}).items():
            for row_id, value in read(connection, chunk, iso3, source_keys).items():
                if name == "votes":
                    found[row_id].update(value)
                else:
                    found[row_id][name] = value
    for data in found.values():
        if "sources" in data:
            data["sources"] = sorted(data["sources"])
    return found


def _read_votes(connection: Connection, ids: Sequence[int], iso3: Mapping[int, str],
                _sources: Mapping[int, str]) -> dict[int, Any]:
    table = Vote.__table__
    found: dict[int, dict[str, dict[str, str]]] = {}
    for row_id, state_id, position, note in connection.execute(sa.select(
            table.c.resolution_id, table.c.state_id, table.c.position, table.c.notes)
            .where(table.c.resolution_id.in_(ids))):
        values = found.setdefault(row_id, {"votes": {}})
        values["votes"][iso3[state_id]] = position.name
        if note:
            values.setdefault("vote_notes", {})[iso3[state_id]] = note
    return found


def _read_links(table: sa.Table, owner: str, shape: Callable[..., dict[str, Any]]) -> Callable[..., dict[int, Any]]:
    def read(connection: Connection, ids: Sequence[int], iso3: Mapping[int, str],
             sources: Mapping[int, str]) -> dict[int, Any]:
        found: dict[int, list[dict[str, Any]]] = {}
        regimes = dict(connection.execute(sa.select(SanctionsRegime.__table__.c.id,
                                                    SanctionsRegime.__table__.c.code)).all())
        for record in connection.execute(sa.select(table).where(table.c[owner].in_(ids))).mappings():
            item = shape(record, iso3, sources, regimes)
            found.setdefault(record[owner], []).append(
                {k: encode(v) for k, v in item.items() if v is not None})
        return {row_id: sorted(items, key=dumps) for row_id, items in found.items()}
    return read


_LINK_READERS: dict[str, dict[str, Callable[..., dict[int, Any]]]] = {
    "resolution": {"votes": _read_votes},
    "sanctions_regime": {"measures": lambda connection, ids, _iso3, _sources: {
        row_id: sorted(m.name for m in items) for row_id, items in _group(connection.execute(
            sa.select(RegimeMeasure.__table__.c.regime_id, RegimeMeasure.__table__.c.measure)
            .where(RegimeMeasure.__table__.c.regime_id.in_(ids)))).items()}},
    "arms_transfer": {
        "denials": _read_links(TransferDenial.__table__, "transfer_id", lambda r, iso3, src, _g: {
            "state": iso3[r["state_id"]], "source": src[r["source_id"]],
            "denied_on": r["denied_on"], "statement": r["statement"]}),
        "transits": _read_links(TransferTransit.__table__, "transfer_id", lambda r, iso3, src, _g: {
            "state": iso3[r["state_id"]], "kind": r["kind"],
            "source": src.get(r["source_id"])}),
        "violations": _read_links(TransferViolation.__table__, "transfer_id",
                                  lambda r, _iso3, src, regimes: {
            "regime": regimes[r["regime_id"]], "claimed_by": r["claimed_by"],
            "source": src.get(r["source_id"])}),
    },
}


def _group(rows: Iterable[tuple[int, Any]]) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for owner, value in rows:
        found.setdefault(owner, []).append(value)
    return found


def adopt_rows(connection: Connection, entity: str, row_ids: Sequence[int],
               dataset: str = LEGACY) -> int:
    """Give rows that no dataset asserts a statement of ``dataset`` holding their current
    values, so that merging a loader's statement never loses what they held (rows written by
    hand, or before statements existed). Returns how many rows were adopted."""
    if not row_ids:
        return 0
    statement_table = STATEMENTS[entity]
    owner = statement_table.c[f"{entity}_id"]
    table = SPECS[entity].table
    # NOT EXISTS, not NOT IN: PostgreSQL plans NOT IN over a sub-select row by row when the
    # table's statistics are fresh from an empty database (17 s on the full SIPRI register).
    unasserted = set(connection.execute(sa.select(table.c.id).where(
        ~sa.exists().where(owner == table.c.id))).scalars())
    orphans = [row_id for row_id in row_ids if row_id in unasserted]
    if not orphans:
        return 0
    dataset_id = ensure_datasets(connection, [dataset])[dataset]
    values = current_values(connection, entity, orphans)
    insert_plain_rows(connection, statement_table, (owner.name, "dataset_id", "data"),
                      [(row_id, dataset_id, dumps(data)) for row_id, data in values.items()])
    return len(orphans)


# ---- link rows ----------------------------------------------------------------------------

LinkRows = dict[int, set[tuple[Any, ...]]]


def _sync_link_rows(connection: Connection, table: sa.Table, owner: str, columns: Sequence[str],
                    wanted: LinkRows, new_ids: set[int]) -> Counts:
    """Make each owner's link rows (tuples in ``columns`` order, owner first) exactly ``wanted``."""
    counts = Counts()
    # A row just inserted has no link rows yet: nothing to compare when it wants none either.
    wanted = {row_id: rows for row_id, rows in wanted.items() if rows or row_id not in new_ids}
    current: LinkRows = {row_id: set() for row_id in wanted}
    old = sorted(row_id for row_id in wanted if row_id not in new_ids)
    for chunk in _chunks(old):
        query = sa.select(*(table.c[c] for c in columns)).where(table.c[owner].in_(chunk))
        for record in connection.execute(query):
            current[record[0]].add(tuple(record))
    inserts: list[tuple[Any, ...]] = []
    deletes: list[tuple[Any, ...]] = []
    for row_id, rows in wanted.items():
        counts.unchanged += len(rows & current[row_id])
        inserts.extend(rows - current[row_id])
        deletes.extend(current[row_id] - rows)
    if deletes:
        primary = [c.name for c in table.primary_key.columns]
        positions = [list(columns).index(name) for name in primary]
        connection.execute(
            sa.delete(table).where(*(table.c[name] == sa.bindparam(f"k_{name}")
                                     for name in primary)),
            [{f"k_{name}": row[i] for name, i in zip(primary, positions, strict=True)}
             for row in deletes])
    insert_plain_rows(connection, table, columns, inserts)
    counts.inserted, counts.deleted = len(inserts), len(deletes)
    return counts


def _source_writer(entity: str) -> Callable[..., Counts]:
    link = SOURCE_LINKS[entity]
    owner = f"{entity}_id"

    def write(connection: Connection, merged: Mapping[int, Mapping[str, Any]],
              new_ids: set[int], lookups: _Lookups) -> Counts:
        wanted = {row_id: {(row_id, lookups.source(key)) for key in values.get("sources") or []}
                  for row_id, values in merged.items()}
        return _sync_link_rows(connection, link, owner, (owner, "source_id"), wanted, new_ids)
    return write


def _measures(connection: Connection, merged: Mapping[int, Mapping[str, Any]],
              new_ids: set[int], lookups: _Lookups) -> Counts:
    from app.models import Measure

    wanted = {row_id: {(row_id, Measure[m]) for m in values.get("measures") or []}
              for row_id, values in merged.items()}
    return _sync_link_rows(connection, RegimeMeasure.__table__, "regime_id",
                           ("regime_id", "measure"), wanted, new_ids)


def _by_state(items: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """One item per state (the first by precedence: items come merged in dataset order)."""
    found: dict[str, Mapping[str, Any]] = {}
    for item in items:
        found.setdefault(item.get("state") or item.get("regime"), item)
    return found


def _denials(connection: Connection, merged: Mapping[int, Mapping[str, Any]],
             new_ids: set[int], lookups: _Lookups) -> Counts:
    wanted = {row_id: {(row_id, lookups.state(d["state"]), lookups.source(d["source"]),
                        _date(d.get("denied_on")), d.get("statement"))
                       for d in _by_state(values.get("denials") or []).values()}
              for row_id, values in merged.items() if values.get("denials") or row_id not in new_ids}
    return _sync_link_rows(connection, TransferDenial.__table__, "transfer_id",
                           ("transfer_id", "state_id", "source_id", "denied_on", "statement"),
                           wanted, new_ids)


def _transits(connection: Connection, merged: Mapping[int, Mapping[str, Any]],
              new_ids: set[int], lookups: _Lookups) -> Counts:
    from app.models import TransitKind

    wanted = {row_id: {(row_id, lookups.state(t["state"]), TransitKind[t["kind"]],
                        lookups.source(t.get("source")))
                       for t in _by_state(values.get("transits") or []).values()}
              for row_id, values in merged.items() if values.get("transits") or row_id not in new_ids}
    return _sync_link_rows(connection, TransferTransit.__table__, "transfer_id",
                           ("transfer_id", "state_id", "kind", "source_id"), wanted, new_ids)


def _violations(connection: Connection, merged: Mapping[int, Mapping[str, Any]],
                new_ids: set[int], lookups: _Lookups) -> Counts:
    wanted = {row_id: {(row_id, lookups.regime(v["regime"]), v.get("claimed_by"),
                        lookups.source(v.get("source")))
                       for v in _by_state(values.get("violations") or []).values()}
              for row_id, values in merged.items()
              if values.get("violations") or row_id not in new_ids}
    return _sync_link_rows(connection, TransferViolation.__table__, "transfer_id",
                           ("transfer_id", "regime_id", "claimed_by", "source_id"), wanted, new_ids)


def _votes(connection: Connection, merged: Mapping[int, Mapping[str, Any]],
           new_ids: set[int], lookups: _Lookups) -> Counts:
    """Votes of each roll call: per state, the position of the first dataset by precedence."""
    table = Vote.__table__
    counts = Counts()
    current: dict[tuple[int, int], tuple[int, str, str | None]] = {}
    old = sorted(row_id for row_id in merged if row_id not in new_ids)
    for chunk in _chunks(old, 500):
        query = sa.select(table.c.resolution_id, table.c.state_id, table.c.id, table.c.position,
                          table.c.notes).where(table.c.resolution_id.in_(chunk))
        for resolution_id, state_id, vote_id, position, notes in connection.execute(query):
            current[(resolution_id, state_id)] = (vote_id, position.name, notes)
    inserts: list[tuple[Any, ...]] = []
    updates: list[dict[str, Any]] = []
    for row_id, values in merged.items():
        notes = values.get("vote_notes") or {}
        for iso3, position in (values.get("votes") or {}).items():
            state_id = lookups.state(iso3)
            found = current.pop((row_id, state_id), None)
            note = notes.get(iso3)
            if found is None:
                inserts.append((row_id, state_id, position, note))
            elif (found[1], found[2]) != (position, note):
                updates.append({"_id": found[0], "position": position, "notes": note})
            else:
                counts.unchanged += 1
    gone = [vote_id for vote_id, _, _ in current.values()]
    for chunk in _chunks(gone):
        connection.execute(sa.delete(table).where(table.c.id.in_(chunk)))
    if updates:
        connection.execute(sa.update(table).where(table.c.id == sa.bindparam("_id"))
                           .values(position=sa.bindparam("position"),
                                   notes=sa.bindparam("notes")), updates)
    insert_plain_rows(connection, table, ("resolution_id", "state_id", "position", "notes"), inserts)
    counts.inserted, counts.updated, counts.deleted = len(inserts), len(updates), len(gone)
    return counts


LINK_WRITERS: dict[str, dict[str, Callable[..., Counts]]] = {
    "state": {"state_source": _source_writer("state")},
    "resolution": {"resolution_source": _source_writer("resolution"), "vote": _votes},
    "sanctions_regime": {"sanctions_regime_source": _source_writer("sanctions_regime"),
                         "regime_measure": _measures},
    "arms_transfer": {"arms_transfer_source": _source_writer("arms_transfer"),
                      "transfer_denial": _denials, "transfer_transit": _transits,
                      "transfer_violation": _violations},
    "alliance": {"alliance_source": _source_writer("alliance")},
    "alliance_membership": {"alliance_membership_source": _source_writer("alliance_membership")},
}


def claim_values(row: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """Encode a loader's row (served column names, state refs as ISO3 under the statement
    field name) as claim data, leaving out empty values."""
    # Enumerations (str subclasses) and dates stay as they are: orjson writes them as their
    # names and ISO dates, and the served columns accept both forms.
    data = {name: value for name, value in row.items() if value is not None}
    for name, value in extra.items():
        if value or value is False or value == 0:  # leave out None and empty collections
            data[name] = value
    return data


__all__ = ["SPECS", "Claim", "EntitySpec", "MergeResult", "Statement", "claim_values",
           "count_discrepancies", "merge_claims", "refresh"]

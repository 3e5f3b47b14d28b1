"""Idempotent bulk writes keyed by natural keys, reporting inserted / updated / unchanged.

The seed loader and the importers describe the rows they want; these functions bring a table to
that state in batches and say what changed, so a second run of the same input changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

BATCH = 5_000


@dataclass
class Counts:
    """What a sync did to one table."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.deleted += other.deleted
        return self

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)


@dataclass
class SyncResult:
    counts: Counts
    ids: dict[tuple[Any, ...], int] = field(default_factory=dict)


def _table(target: Any) -> sa.Table:
    return target if isinstance(target, sa.Table) else target.__table__


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def sync_rows(
    connection: Connection,
    target: Any,
    key: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    *,
    existing_where: sa.ColumnElement[bool] | None = None,
    dry_run: bool = False,
) -> SyncResult:
    """Insert rows whose natural key is new, update those that differ, leave the rest.

    ``rows`` must hold every column to compare (not ``id``). ``existing_where`` narrows the rows
    read back for comparison (e.g. the votes of the resolutions being loaded). Returns the counts
    and the primary key of every row by its natural key (``ids`` is empty on a dry run for rows
    that would be inserted).
    """
    table = _table(target)
    wanted: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        wanted[tuple(row[k] for k in key)] = dict(row)
    if not wanted:
        return SyncResult(Counts())
    columns = sorted({name for row in wanted.values() for name in row})
    query = sa.select(table.c.id, *(table.c[name] for name in columns))
    if existing_where is not None:
        query = query.where(existing_where)
    existing: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    for record in connection.execute(query).mappings():
        natural = tuple(record[k] for k in key)
        if natural in wanted:
            existing[natural] = (record["id"], {name: record[name] for name in columns})

    counts = Counts()
    ids: dict[tuple[Any, ...], int] = {}
    to_insert: list[dict[str, Any]] = []
    to_update: list[dict[str, Any]] = []
    for natural, row in wanted.items():
        found = existing.get(natural)
        if found is None:
            to_insert.append(row)
            continue
        row_id, current = found
        ids[natural] = row_id
        if all(current.get(name) == row.get(name) for name in row):
            counts.unchanged += 1
        else:
            to_update.append({"_id": row_id, **row})
    counts.inserted = len(to_insert)
    counts.updated = len(to_update)
    if dry_run:
        return SyncResult(counts, ids)

    for batch in _chunks(to_insert):
        # Rows may carry different column sets; group so each executemany has one shape.
        by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in batch:
            by_shape.setdefault(tuple(sorted(row)), []).append(row)
        for shape_rows in by_shape.values():
            result = connection.execute(
                sa.insert(table).returning(table.c.id, *(table.c[k] for k in key),
                                           sort_by_parameter_order=True),
                shape_rows,
            )
            for record in result:
                ids[tuple(record[1:])] = record[0]
    if to_update:
        by_shape_u: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in to_update:
            by_shape_u.setdefault(tuple(sorted(row)), []).append(row)
        for shape, shape_rows in by_shape_u.items():
            statement = (
                sa.update(table)
                .where(table.c.id == sa.bindparam("_id"))
                .values({name: sa.bindparam(name) for name in shape if name != "_id"})
            )
            for batch in _chunks(shape_rows):
                connection.execute(statement, list(batch))
    return SyncResult(counts, ids)


def sync_links(
    connection: Connection,
    target: Any,
    owner_column: str,
    links: Mapping[int, Iterable[Mapping[str, Any]]],
    *,
    dry_run: bool = False,
) -> Counts:
    """Make each owner's set of link rows exactly ``links[owner]`` (insert new, delete gone).

    Link rows are compared on every column they carry, so a changed attribute (say, a denial's
    source) counts as one deletion plus one insertion.
    """
    table = _table(target)
    counts = Counts()
    owners = list(links)
    if not owners:
        return counts
    wanted: dict[int, set[tuple[tuple[str, Any], ...]]] = {
        owner: {tuple(sorted(dict(row, **{owner_column: owner}).items())) for row in rows}
        for owner, rows in links.items()
    }
    columns = sorted({name for rows in wanted.values() for row in rows for name, _ in row})
    if not columns:
        columns = [owner_column]
    current: dict[int, set[tuple[tuple[str, Any], ...]]] = {owner: set() for owner in owners}
    for batch in _chunks(owners):
        query = sa.select(*(table.c[name] for name in columns)).where(
            table.c[owner_column].in_(batch)
        )
        for record in connection.execute(query).mappings():
            current[record[owner_column]].add(tuple(sorted(record.items())))
    to_insert: list[dict[str, Any]] = []
    to_delete: list[dict[str, Any]] = []
    for owner in owners:
        keep = wanted[owner] & current[owner]
        counts.unchanged += len(keep)
        to_insert.extend(dict(row) for row in wanted[owner] - current[owner])
        to_delete.extend(dict(row) for row in current[owner] - wanted[owner])
    counts.inserted = len(to_insert)
    counts.deleted = len(to_delete)
    if dry_run:
        return counts
    if to_delete:
        primary = [column.name for column in table.primary_key.columns]
        statement = sa.delete(table).where(
            *(table.c[name] == sa.bindparam(f"k_{name}") for name in primary)
        )
        connection.execute(
            statement, [{f"k_{name}": row[name] for name in primary} for row in to_delete]
        )
    for batch in _chunks(to_insert):
        connection.execute(sa.insert(table), list(batch))
    return counts

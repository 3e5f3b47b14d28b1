"""Idempotent bulk writes keyed by natural keys, reporting inserted / updated / unchanged.

The seed loader and the importers describe the rows they want; these functions bring a table to
that state in batches and say what changed, so a second run of the same input changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
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
    retired: int = 0  # rows a newer release no longer holds (kept, marked, not deleted)
    discrepancies: int = 0  # rows on which the datasets that assert them disagree

    def __iadd__(self, other: Counts) -> Counts:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.deleted += other.deleted
        self.retired += other.retired
        self.discrepancies += other.discrepancies
        return self

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted or self.retired)


@dataclass
class SyncResult:
    counts: Counts
    ids: dict[tuple[Any, ...], int] = field(default_factory=dict)


def _table(target: Any) -> sa.Table:
    return target if isinstance(target, sa.Table) else target.__table__


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _shapes(rows: Iterable[Mapping[str, Any]]) -> dict[tuple[str, ...], list[Mapping[str, Any]]]:
    """Rows grouped by their column set, so each bulk statement has one shape."""
    by_shape: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        by_shape.setdefault(tuple(sorted(row)), []).append(row)
    return by_shape


def _memoised(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A bind processor that converts each distinct value once (enums, flags, TIVs repeat)."""
    done: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return done[value]
        except KeyError:
            done[value] = result = process(value)
            return result
        except TypeError:  # unhashable: convert every time
            return process(value)

    return convert


def insert_plain_rows(
    connection: Connection, target: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Insert value tuples (in ``columns`` order) through the driver's own bulk path.

    SQLAlchemy's executemany (with RETURNING above all) spends most of its time building and
    parsing statements; ``sqlite3.executemany`` and PostgreSQL's COPY take the same rows several
    times faster. Values go through each column's bind processor first (enums to names, dates
    to text on SQLite), and a driver error surfaces as SQLAlchemy's ``DBAPIError`` subclass, as
    it would from ``connection.execute``. Returns how many rows were inserted.
    """
    if not rows:
        return 0
    table = _table(target)
    dialect = connection.dialect
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                  for name in columns]
    active = [(index, _memoised(process)) for index, process in enumerate(processors)
              if process is not None]
    if active:
        converted = []
        for row in rows:
            values = list(row)
            for index, process in active:
                values[index] = process(values[index])
            converted.append(values)
        rows = converted
    column_list = ", ".join(dialect.identifier_preparer.quote(name) for name in columns)
    name = dialect.identifier_preparer.format_table(table)
    driver = connection.connection.driver_connection
    if dialect.name == "postgresql":
        statement = f"COPY {name} ({column_list}) FROM STDIN"
    else:
        statement = f"INSERT INTO {name} ({column_list}) VALUES ({', '.join('?' for _ in columns)})"
    try:
        if dialect.name == "postgresql":
            with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
                for row in rows:
                    copy.write_row(row)
        else:
            cursor = driver.cursor()  # type: ignore[union-attr]
            try:
                cursor.executemany(statement, rows)
            finally:
                cursor.close()
    except dialect.loaded_dbapi.Error as exc:
        raise sa.exc.DBAPIError.instance(statement, None, exc, dialect.loaded_dbapi.Error) from exc
    return len(rows)


def _scalar_defaults(table: sa.Table, shape: Sequence[str]) -> dict[str, Any]:
    return {column.name: column.default.arg for column in table.columns
            if column.name not in shape and column.default is not None
            and column.default.is_scalar}


def _plain_insert_fits(table: sa.Table, rows: Sequence[Mapping[str, Any]], key: Sequence[str]) -> bool:
    """True when rows can go in without RETURNING: no NULL in a natural key (it could not be
    found again) and no Python-computed default that only SQLAlchemy's insert would run."""
    computed = any(column.default is not None and not column.default.is_scalar
                   for column in table.columns)
    return not computed and all(row[k] is not None for row in rows for k in key)


def insert_then_read_ids(connection: Connection, table: sa.Table, key: Sequence[str],
                          rows: Sequence[Mapping[str, Any]]) -> dict[tuple[Any, ...], int]:
    # Ids handed out after this point are above the current maximum, so one range scan finds
    # the new rows again, where a lookup by key would send every key back as a parameter.
    before = connection.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
    for shape, shape_rows in _shapes(rows).items():
        # The driver knows nothing of Python-side defaults: add them as SQLAlchemy would.
        defaults = _scalar_defaults(table, shape)
        columns = (*shape, *defaults)
        values = itemgetter(*shape)  # one C call per row instead of a generator
        extra = tuple(defaults.values())
        single = len(shape) == 1
        insert_plain_rows(connection, table, columns, [
            ((values(row),) if single else values(row)) + extra for row in shape_rows])
    key_columns = [table.c[k] for k in key]
    natural = itemgetter(*key)
    wanted = {(natural(row),) if len(key) == 1 else natural(row) for row in rows}
    ids: dict[tuple[Any, ...], int] = {}
    query = sa.select(table.c.id, *key_columns).where(table.c.id > before)
    for record in connection.execute(query):
        natural = tuple(record[1:])
        if natural in wanted:
            ids[natural] = record[0]
    return ids


def _insert_returning_ids(connection: Connection, table: sa.Table, key: Sequence[str],
                          rows: Sequence[Mapping[str, Any]]) -> dict[tuple[Any, ...], int]:
    ids: dict[tuple[Any, ...], int] = {}
    for batch in _chunks(rows):
        for shape_rows in _shapes(batch).values():
            result = connection.execute(
                sa.insert(table).returning(table.c.id, *(table.c[k] for k in key),
                                           sort_by_parameter_order=True),
                shape_rows,
            )
            for record in result:
                ids[tuple(record[1:])] = record[0]
    return ids


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

    if _plain_insert_fits(table, to_insert, key):
        ids.update(insert_then_read_ids(connection, table, key, to_insert))
    else:
        ids.update(_insert_returning_ids(connection, table, key, to_insert))
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

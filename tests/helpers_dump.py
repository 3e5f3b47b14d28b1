"""A canonical dump of a whole database, to compare its contents before and after a command.

``canonical_dump(url)`` reads every table the database holds (found by reflection, so a table
added by a later migration is included without touching this file) and returns, per table, all
its rows as tuples in a stable order. Two dumps are equal exactly when every table holds the same
rows, whatever order the database returns them in.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.db import create_sync_engine


def _order_key(row: tuple[Any, ...]) -> tuple[tuple[bool, str, str], ...]:
    # None first, then by type, then by text: rows of mixed and nullable columns always sort.
    return tuple([(value is not None, type(value).__name__, repr(value)) for value in row])


def table_count(url: str, table: str) -> int:
    """How many rows ``table`` holds in the database at ``url``."""
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))
    finally:
        engine.dispose()


def canonical_dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the database at ``url`` -> all its rows as tuples, sorted."""
    engine = create_sync_engine(url)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        dump: dict[str, list[tuple[Any, ...]]] = {}
        with engine.connect() as connection:
            for name, table in sorted(metadata.tables.items()):
                rows = connection.execute(sa.select(table)).all()
                dump[name] = sorted((tuple(row) for row in rows), key=_order_key)
        return dump
    finally:
        engine.dispose()


def row_counts(dump: dict[str, list[tuple[Any, ...]]]) -> dict[str, int]:
    """How many rows each table of a dump holds (handy in assertion messages)."""
    return {name: len(rows) for name, rows in dump.items()}


# Columns that point at a row without a foreign key (statements keep only their row's key, for
# import speed: app/models/datasets.py), resolved like foreign keys.
IMPLIED_REFERENCES = {"dataset_id": "dataset", "source_id": "source",
                      "retired_by_source_id": "source"}


def _natural_columns(table: sa.Table) -> list[str]:
    """The columns that name a row without its surrogate key: its first unique constraint or
    index, else its primary key when that is not a surrogate, else every other column."""
    for constraint in sorted(table.constraints, key=lambda c: c.name or ""):
        if isinstance(constraint, sa.UniqueConstraint) and constraint.columns:
            return [c.name for c in constraint.columns]
    for index in sorted(table.indexes, key=lambda i: i.name or ""):
        if index.unique:
            return [c.name for c in index.columns]
    primary = [c.name for c in table.primary_key.columns]
    if primary != ["id"]:
        return primary
    return [c.name for c in table.columns if c.name != "id"]


def logical_dump(url: str, *, leave_out: dict[str, set[str]] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows with surrogate keys left out: each ``id`` column dropped and each
    foreign key replaced by the natural key of the row it points at (recursively), rows sorted.

    Two databases with the same facts, loaded in any order, give equal dumps. ``leave_out``
    names further columns to drop per table (e.g. the day a file was imported).
    """
    leave_out = leave_out or {}
    engine = create_sync_engine(url)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        tables = {name: table for name, table in metadata.tables.items()
                  if name != "alembic_version"}
        with engine.connect() as connection:
            raw = {name: connection.execute(sa.select(table)).all()
                   for name, table in tables.items()}
        natural: dict[str, dict[Any, Any]] = {}

        def resolved(name: str, columns: list[str]) -> list[tuple[Any, ...]]:
            # Rows as tuples of ``columns``, a foreign key's value replaced by the natural key of
            # the row it points at (looked up only where the column holds a value).
            table, rows = tables[name], raw[name]
            positions = {column: n for n, column in enumerate(table.columns.keys())}
            cells: list[tuple[int, dict[Any, Any] | None]] = []
            for column in columns:
                n = positions[column]
                target = next((key.column.table.name for key in table.c[column].foreign_keys),
                              IMPLIED_REFERENCES.get(column))
                held = target is not None and any(row[n] is not None for row in rows)
                cells.append((n, key_of(target) if held else None))  # type: ignore[arg-type]
            return [tuple(row[n] if to is None or row[n] is None else to[row[n]]
                          for n, to in cells) for row in rows]

        def key_of(name: str) -> dict[Any, Any]:
            if name not in natural:
                natural[name] = {}
                if "id" in tables[name].c:
                    position = list(tables[name].columns.keys()).index("id")
                    ids = [row[position] for row in raw[name]]
                    keys = resolved(name, _natural_columns(tables[name]))
                    natural[name] = dict(zip(ids, keys, strict=True))
            return natural[name]

        dump: dict[str, list[tuple[Any, ...]]] = {}
        for name, table in sorted(tables.items()):
            dropped = {"id"} | leave_out.get(name, set())
            columns = [c.name for c in table.columns if c.name not in dropped]
            dump[name] = sorted(resolved(name, columns), key=_order_key)
        return dump
    finally:
        engine.dispose()

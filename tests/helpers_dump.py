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
    return tuple((value is not None, type(value).__name__, repr(value)) for value in row)


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

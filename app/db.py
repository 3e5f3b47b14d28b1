"""Engines for SQLite and PostgreSQL (async: the app; blocking: the CLI), one transaction helper."""

from __future__ import annotations

import base64
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.services.names import SQLITE_FOLD, fold_or_none
from app.settings import async_url, database_backend, sync_url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys and use write-ahead logging on every new SQLite connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
    # The compiled query path builds global ids and cursors in SQL; PostgreSQL has encode().
    dbapi_connection.create_function("atlas_b64", 1, _urlsafe_b64, deterministic=True)
    # The `name` filter folds state names (accents, case, apostrophes) as the aliases are.
    dbapi_connection.create_function(SQLITE_FOLD, 1, fold_or_none, deterministic=True)


def _urlsafe_b64(text: str | None) -> str | None:
    return None if text is None else base64.urlsafe_b64encode(text.encode()).decode()


def create_app_engine(
    url: str | URL, *, statement_timeout_seconds: float | None = None, **kwargs: Any
) -> AsyncEngine:
    """The async engine the API uses (aiosqlite or asyncpg).

    ``statement_timeout_seconds`` makes PostgreSQL itself cancel a statement that runs longer
    (its statement_timeout), and SQLite interrupt it (a progress handler), so a cancelled
    request does not leave its query running.
    """
    options: dict[str, Any] = {"pool_pre_ping": True}
    if database_backend(url) == "postgresql":
        options.update(pool_size=10, max_overflow=10)
        if statement_timeout_seconds:
            milliseconds = str(max(1, round(statement_timeout_seconds * 1000)))
            options["connect_args"] = {"server_settings": {"statement_timeout": milliseconds}}
    options.update(kwargs)
    engine = create_async_engine(async_url(url), **options)
    if database_backend(url) == "sqlite":
        sa.event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        if statement_timeout_seconds:
            _sqlite_statement_timeout(engine, statement_timeout_seconds)
    return engine


# SQLite calls the progress handler every this many virtual-machine instructions (about a
# millisecond of work); a non-zero answer stops the statement ("interrupted").
_PROGRESS_STEPS = 10_000


def _sqlite_statement_timeout(engine: AsyncEngine, seconds: float) -> None:
    """SQLite's counterpart of PostgreSQL's statement_timeout: a statement that runs longer than
    ``seconds`` is interrupted, so a request the app gave up on does not leave its query
    running in the driver's thread (SQLite has no server to cancel it)."""

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        deadline = record.info["atlas_deadline"] = [math.inf]
        handler = lambda: 1 if time.monotonic() > deadline[0] else 0
        dbapi_connection.run_async(lambda raw: raw.set_progress_handler(handler, _PROGRESS_STEPS))

    def before_execute(connection: Any, *_: Any) -> None:
        connection.connection.info["atlas_deadline"][0] = time.monotonic() + seconds

    sa.event.listen(engine.sync_engine, "connect", on_connect)
    sa.event.listen(engine.sync_engine, "before_cursor_execute", before_execute)


def create_sync_engine(url: str | URL, **kwargs: Any) -> Engine:
    """The blocking engine for migrations, seeding and imports (sqlite3 or psycopg)."""
    engine = sa.create_engine(sync_url(url), **kwargs)
    if database_backend(url) == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@contextmanager
def all_or_nothing(engine: Engine, *, dry_run: bool = False) -> Iterator[Connection]:
    """A connection inside one transaction: committed when the block ends, rolled back on any
    error (so a failed load writes nothing) and always rolled back on a dry run."""
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        except BaseException:
            transaction.rollback()
            raise
        if dry_run:
            transaction.rollback()
        else:
            transaction.commit()

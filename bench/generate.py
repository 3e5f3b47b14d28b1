"""Build (or reuse) the benchmark database for a scale and seed, on SQLite or PostgreSQL.

The schema comes from the project's own migrations (``app.migrations.upgrade``); rows from
``bench.dataset_facts.build`` go in by ``executemany`` (SQLite) or ``COPY`` (PostgreSQL). A build
happens under a temporary name and is renamed when complete, so an interrupted build is never
mistaken for a cached one.

    python -m bench generate --db sqlite --scale 0.1 [--seed 42] [--rebuild]
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import psycopg
from psycopg import sql

from app import migrations
from bench.dataset import Tables
from bench.dataset_facts import build

DATA_DIR = Path(__file__).resolve().parent / "data"
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
DEFAULT_SEED = 42


def database_name(scale: float, seed: int) -> str:
    """e.g. ``atlas_bench_1_0_s42`` for scale 1.0 and seed 42."""
    return f"atlas_bench_{str(scale).replace('.', '_')}_s{seed}"


def database_url(db: str, scale: float, seed: int = DEFAULT_SEED) -> str:
    """The URL the app and the floor use for this benchmark database."""
    name = database_name(scale, seed)
    if db == "sqlite":
        return f"sqlite:///{DATA_DIR / (name + '.db')}"
    return f"{POSTGRES_SERVER}/{name}"


def _sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def _insert_sqlite(path: Path, tables: Tables) -> None:
    connection = sqlite3.connect(path)
    try:
        # A throw-away build: no need to sync each write to disk.
        connection.execute("PRAGMA synchronous=OFF")
        with connection:
            for table, columns in tables.columns.items():
                marks = ", ".join("?" for _ in columns)
                connection.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                    tables.rows[table],
                )
        connection.execute("ANALYZE")
    finally:
        connection.close()


def _insert_postgres(url: str, tables: Tables) -> None:
    with psycopg.connect(url) as connection:
        with connection.cursor() as cursor:
            for table, columns in tables.columns.items():
                statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns)))
                with cursor.copy(statement) as copy:
                    for row in tables.rows[table]:
                        copy.write_row(row)
                if "id" in columns:
                    # Ids were assigned by the generator; move the sequence past them.
                    cursor.execute(sql.SQL(
                        "SELECT setval(pg_get_serial_sequence({t}, 'id'), max(id)) FROM {i}"
                    ).format(t=sql.Literal(table), i=sql.Identifier(table)))
        connection.commit()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def _postgres_exists(name: str) -> bool:
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        return row is not None


def _postgres_admin(*statements: sql.Composable) -> None:
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def generate(db: str, scale: float, seed: int = DEFAULT_SEED, rebuild: bool = False,
             log: bool = True) -> str:
    """Return the URL of a complete benchmark database, building it if needed."""
    url = database_url(db, scale, seed)
    name = database_name(scale, seed)
    if db == "sqlite":
        final = _sqlite_path(url)
        if final.exists() and not rebuild:
            return url
    elif _postgres_exists(name) and not rebuild:
        return url
    started = time.perf_counter()
    tables = build(scale, seed)
    built = time.perf_counter()
    if db == "sqlite":
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        partial = final.with_suffix(".partial.db")
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        migrations.upgrade(f"sqlite:///{partial}")
        _insert_sqlite(partial, tables)
        for leftover in (Path(f"{final}-wal"), Path(f"{final}-shm")):
            leftover.unlink(missing_ok=True)
        partial.replace(final)
    else:
        partial_name = f"{name}_partial"
        _postgres_admin(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(partial_name)),
                        sql.SQL("CREATE DATABASE {}").format(sql.Identifier(partial_name)))
        partial_url = f"{POSTGRES_SERVER}/{partial_name}"
        migrations.upgrade(partial_url)
        _insert_postgres(partial_url, tables)
        _postgres_admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
                        sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                            sql.Identifier(partial_name), sql.Identifier(name)))
    if log:
        counts = ", ".join(f"{t} {len(r)}" for t, r in tables.rows.items() if len(r) > 1000)
        print(f"built {url} in {time.perf_counter() - started:.1f}s "
              f"(rows generated in {built - started:.1f}s; {counts})", flush=True)
    return url

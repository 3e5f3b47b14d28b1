"""Import benchmark (run by hand): full-size UN votes and SIPRI imports against a bulk floor.

    python -m bench.imports [--backend sqlite|postgresql|both] [--rows 9500] [--repeat 3]

PostgreSQL runs need ATLAS_BENCH_POSTGRES_URL (or ATLAS_TEST_POSTGRES_URL), e.g.
postgresql://postgres@127.0.0.1:5432/postgres; a throw-away database is created and dropped.

The UN votes file is generated (no full file is public here): the real file's layout, one row
per roll call from 1946 on, one column per member state, empty cells for states not yet members,
tallies that match the cells; a seeded RNG makes it the same every run. It lives in a temp folder.

The floor inserts exactly the rows the import wrote (resolutions, votes and their source links;
arms transfers and theirs)
into a fresh migrated database with the driver's own bulk path, sqlite3 ``executemany`` or
psycopg ``COPY``, in one committed transaction, and nothing else: no parsing, no checks.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import os
import random
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app import migrations
from app.db import create_sync_engine
from app.importers.reference_states import reference_states
from app.importers.sipri import import_sipri
from app.importers.undl_votes import NAMED_COLUMNS, import_undl_votes

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SIPRI_FILE = SHARED / "sipri-trade-register" / "trade-register.csv"
DEFAULT_SEED = 20261126


def generate_votes_file(path: Path, rows: int, seed: int) -> int:
    """Write a full-size UNDL wide CSV; returns how many votes it holds."""
    rng = random.Random(seed)
    members = {code: row["un_member_from"] for code, row in reference_states().items()
               if row["un_member_from"] and row["un_member_until"] is None}
    codes = sorted(members)
    start, days = dt.date(1946, 1, 10), (dt.date(2025, 5, 30) - dt.date(1946, 1, 10)).days
    votes = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*NAMED_COLUMNS, *codes])
        for number in range(rows):
            day = start + dt.timedelta(days=days * number // rows)
            cells = []
            for code in codes:
                if members[code] > day:
                    cells.append("")
                    continue
                draw = rng.random()
                cells.append("YES" if draw < .72 else "NO" if draw < .80 else
                             "ABSTAIN" if draw < .92 else "")
            counted = {value: cells.count(value) for value in ("YES", "NO", "ABSTAIN")}
            members_then = sum(1 for code in codes if members[code] <= day)
            non_voting = members_then - sum(counted.values())
            votes += members_then
            record = 100_000 + number
            writer.writerow([
                number + 1, "General Assembly", day.isoformat(), f"Synthetic roll call {number}",
                f"A/RES/{day.year - 1945}/{number % 400}", "", "", "", "TAGS",
                f"{members_then}.0", f"{non_voting}.0" if non_voting else "",
                counted["ABSTAIN"] or "", f"{counted['NO']:03d}", counted["YES"],
                f"https://digitallibrary.un.org/record/{record}", record, day.year, *cells])
    return votes


@contextmanager
def fresh_database(backend: str, server: str | None, tmp: Path) -> Iterator[str]:
    """A new database at head (a SQLite file, or a PostgreSQL database dropped afterwards)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp / f'bench_{uuid.uuid4().hex[:8]}.db'}"
        migrations.upgrade(url)
        yield url
        return
    assert server is not None
    name = f"atlas_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(make_url(server).set(drivername="postgresql+psycopg"),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        migrations.upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _rows_of(url: str, table: str, keep_id: bool = True) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every row of ``table`` in its stored order; without the id when the database may assign it."""
    engine = create_sync_engine(url)
    with engine.connect() as connection:
        result = connection.execute(sa.text(f"SELECT * FROM {table}"))
        columns = list(result.keys())
        rows = [tuple(row) for row in result]
    engine.dispose()
    if not keep_id and "id" in columns:
        at = columns.index("id")
        columns = columns[:at] + columns[at + 1:]
        rows = [row[:at] + row[at + 1:] for row in rows]
    return columns, rows


def _copy_plain(source: str, target: str, tables: Sequence[str]) -> None:
    """Copy prerequisite rows (states, sources) untimed, so the floor's foreign keys hold."""
    _floor_insert(target, [(table, *_rows_of(source, table)) for table in tables])


def _floor_insert(url: str, tables: list[tuple[str, list[str], list[tuple[Any, ...]]]]) -> float:
    started = time.perf_counter()
    if url.startswith("sqlite"):
        connection = sqlite3.connect(make_url(url).database)  # type: ignore[arg-type]
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA journal_mode=WAL")
        with connection:
            for table, columns, rows in tables:
                marks = ", ".join("?" for _ in columns)
                connection.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        connection.close()
    else:
        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo) as connection, connection.cursor() as cursor:
            for table, columns, rows in tables:
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
    return time.perf_counter() - started


def _timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(backend: str, server: str | None, tmp: Path, label: str, path: Path,
            importer: Callable[..., Any], timed_tables: Sequence[str],
            untimed_tables: Sequence[str], repeat: int) -> dict[str, float]:
    """Best of ``repeat`` runs: a first import, a second (unchanged) one, and the floor."""
    firsts, seconds, floors = [], [], []
    for _ in range(repeat):
        with fresh_database(backend, server, tmp) as url:
            engine = create_sync_engine(url)
            run = functools.partial(importer, engine, path)
            firsts.append(_timed(run))
            seconds.append(_timed(run))
            engine.dispose()
            with fresh_database(backend, server, tmp) as floor_url:
                _copy_plain(url, floor_url, untimed_tables)
                # Nothing references a vote's id: there the database assigns them, as in the
                # import; other tables keep theirs so that the link rows' keys hold.
                floors.append(_floor_insert(floor_url, [
                    (table, *_rows_of(url, table, keep_id=table != "vote"))
                    for table in timed_tables]))
    first, second, floor = min(firsts), min(seconds), min(floors)
    print(f"{backend:<10} {label:<10} import {first:7.2f}s   floor {floor:6.2f}s   "
          f"ratio {first / floor:5.2f}x   second import (no change) {second:6.2f}s", flush=True)
    return {"import": first, "again": second, "floor": floor}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rows", type=int, default=9_500, help="roll calls in the votes file")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--only", choices=("votes", "sipri"), default=None)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best counts")
    args = parser.parse_args()
    server = os.environ.get("ATLAS_BENCH_POSTGRES_URL") or os.environ.get("ATLAS_TEST_POSTGRES_URL")
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if "postgresql" in backends and not server:
        parser.error("set ATLAS_BENCH_POSTGRES_URL to a PostgreSQL server for the PostgreSQL half")
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as folder:
        tmp = Path(folder)
        votes_file = tmp / "UN_VOTING_DATA_synthetic.csv"
        votes = generate_votes_file(votes_file, args.rows, args.seed)
        print(f"UN votes file: {args.rows} roll calls, {votes} votes, "
              f"{votes_file.stat().st_size / 1e6:.1f} MB (seed {args.seed})", flush=True)
        for backend in backends:
            if args.only in (None, "votes"):
                measure(backend, server, tmp, "UN votes", votes_file, import_undl_votes,
                        ("resolution", "vote", "resolution_source"), ("dataset", "state", "source"),
                        args.repeat)
            if args.only in (None, "sipri") and SIPRI_FILE.is_file():
                measure(backend, server, tmp, "SIPRI", SIPRI_FILE, import_sipri,
                        ("arms_transfer", "arms_transfer_source"),
                        ("dataset", "state", "party_name", "source"), args.repeat)


if __name__ == "__main__":
    main()

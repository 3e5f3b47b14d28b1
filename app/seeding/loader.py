"""`load_seeds`: read and check the whole seed folder, then write it in one transaction."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import sqlalchemy as sa
from rich.console import Console
from sqlalchemy.exc import DBAPIError

from app.db import all_or_nothing, create_sync_engine
from app.resources import resource_dir
from app.seeding.errors import SeedError
from app.seeding.parse_core import parse_resolutions, parse_sources, parse_states
from app.seeding.parse_facts import parse_alliances, parse_regimes, parse_transfers
from app.seeding.plan import SeedSet
from app.seeding.report import SeedReport
from app.seeding.writer import write_seeds

# The seed dataset this install ships: the package's copy (a wheel), or seeds/ in a checkout.
DEFAULT_SEEDS_DIR = resource_dir("seeds")


def read_seeds(seeds_dir: Path | None = None) -> SeedSet:
    """Parse and cross-check every seed file; raises SeedError on the first problem."""
    root = Path(seeds_dir) if seeds_dir is not None else DEFAULT_SEEDS_DIR
    if not root.is_dir():
        raise SeedError(root, None, "seed folder not found")
    seeds = SeedSet()
    # Order matters: later files refer to sources, states and regimes read before them.
    for parse in (parse_sources, parse_states, parse_resolutions, parse_regimes,
                  parse_transfers, parse_alliances):
        parse(root, seeds)
    return seeds


def seed_release(root: Path) -> dict[str, object]:
    """The source row of the seed files as loaded: one row (key ``seeds:release``) whose checksum
    and title follow the files, so retired facts name the seed files that dropped them."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in
                       (".yaml", ".yml", ".csv")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    sha = digest.hexdigest()
    return {"key": "seeds:release", "title": f"Alignment Atlas seed files (checksum {sha[:12]})",
            "publisher": "Alignment Atlas", "url": None, "published_on": None,
            "retrieved_on": None, "file_name": None, "sha256": sha,
            "notes": "The curated seed dataset as loaded by `atlas seed`."}


def load_seeds(database_url: str, seeds_dir: Path | None = None, dry_run: bool = False,
               console: Console | None = None) -> SeedReport:
    """Load the seed folder into the database: all of it or, on any error, nothing.

    Every file is checked before the database is touched; the writes then run in a single
    transaction (rolled back on a dry run), so a second run with the same files changes nothing.
    """
    started = time.perf_counter()
    root = Path(seeds_dir) if seeds_dir is not None else DEFAULT_SEEDS_DIR
    seeds = read_seeds(root)
    engine = create_sync_engine(database_url)
    try:
        if not sa.inspect(engine).has_table("state"):
            raise SeedError(None, None, "the database has no tables yet: run `atlas db upgrade` "
                                        "first")
        with all_or_nothing(engine, dry_run=dry_run) as connection:
            try:
                tables = write_seeds(connection, seeds, seed_release(root))
            except DBAPIError as exc:
                raise SeedError(None, None, f"the database refused the seeds, nothing was "
                                            f"written: {exc.orig}") from exc
    finally:
        engine.dispose()
    report = SeedReport(tables=tables, dry_run=dry_run, seconds=time.perf_counter() - started)
    if console is not None:
        report.render(console)
    return report

"""`atlas import <format> PATH`: one command per public dataset format."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from app.db import create_sync_engine
from app.importers.errors import ImportFailure
from app.importers.report import ImportReport, no_progress
from app.importers.report import Progress as ProgressCallback
from app.settings import SettingsError, load_settings

import_cli = typer.Typer(help="Load a public dataset (transactional, idempotent; see --dry-run).",
                         no_args_is_help=True)
console = Console(stderr=True)
if not console.is_terminal:  # piped or logged: room for every column of the load reports
    console.width = max(console.width, 120)

DryRun = Annotated[bool, typer.Option("--dry-run", help="Report what would change; write nothing.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")]
Importer = Callable[[Engine, ProgressCallback], ImportReport]


@contextmanager
def _progress_bar(label: str, quiet: bool) -> Iterator[ProgressCallback]:
    if quiet:
        yield no_progress
        return
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def run_import(label: str, importer: Importer, *, quiet: bool) -> ImportReport:
    """Run one importer against ATLAS_DATABASE_URL; on failure print why and exit 1."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    settings.ensure_data_dir()
    engine = create_sync_engine(settings.database_url)
    try:
        with _progress_bar(label, quiet) as progress:
            report = importer(engine, progress)
    except ImportFailure as exc:
        console.print(f"[red]Import failed, nothing written: {escape(str(exc))}[/red]",
                      highlight=False)
        raise typer.Exit(1) from None
    except DBAPIError as exc:
        # The file parsed but the database refused a row (or lacks a table): still all or nothing.
        console.print(f"[red]Import failed, nothing written: the database refused the {label} "
                      f"data: {escape(str(exc.orig).strip())}. Is the database at the latest "
                      "revision (atlas db upgrade)?[/red]", highlight=False)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    if not quiet:
        report.print(console)
    return report


@import_cli.command("undl-votes")
def undl_votes(
    path: Annotated[Path, typer.Argument(help="The UN Digital Library voting CSV (wide format).")],
    dry_run: DryRun = False,
    quiet: Quiet = False,
) -> None:
    """UN roll calls: one row per resolution, one ISO3 column per member state."""
    from app.importers.undl_votes import import_undl_votes

    run_import("UN votes", lambda engine, progress: import_undl_votes(
        engine, path, dry_run=dry_run, progress=progress), quiet=quiet)


@import_cli.command("sipri")
def sipri(
    path: Annotated[Path, typer.Argument(help="SIPRI's trade register CSV export.")],
    dry_run: DryRun = False,
    quiet: Quiet = False,
) -> None:
    """SIPRI arms transfers: one row per deal, parties mapped through party_name."""
    from app.importers.sipri import import_sipri

    run_import("SIPRI deals", lambda engine, progress: import_sipri(
        engine, path, dry_run=dry_run, progress=progress), quiet=quiet)


@import_cli.command("country-codes")
def country_codes(
    paths: Annotated[list[Path], typer.Argument(
        help="The folder holding codelist_without_cldr.csv and un_members.csv, or both files.")],
    dry_run: DryRun = False,
    quiet: Quiet = False,
) -> None:
    """States: ISO, M49 and COW codes, names, regions and UN admission dates."""
    from app.importers.country_codes import find_inputs, import_country_codes

    def importer(engine: Engine, progress: ProgressCallback) -> ImportReport:
        codelist, members = find_inputs(paths)
        return import_country_codes(engine, codelist, members, dry_run=dry_run, progress=progress)

    run_import("country codes", importer, quiet=quiet)


@import_cli.command("opensanctions-programs")
def opensanctions_programs(
    folder: Annotated[Path, typer.Argument(help="Folder holding programs/*.yml and issuers/*.yml.")],
    dry_run: DryRun = False,
    quiet: Quiet = False,
) -> None:
    """Sanctions regimes from OpenSanctions' programme metadata."""
    from app.importers.opensanctions import import_opensanctions_programs

    run_import("OpenSanctions programmes", lambda engine, progress: import_opensanctions_programs(
        engine, folder, dry_run=dry_run, progress=progress), quiet=quiet)


@import_cli.command("atop")
def atop(
    paths: Annotated[list[Path], typer.Argument(
        help="The folder holding the ATOP alliance-level and member-level CSVs, or both files.")],
    dry_run: DryRun = False,
    quiet: Quiet = False,
) -> None:
    """Alliances and memberships from ATOP v4 (COW codes mapped to states)."""
    from app.importers.atop import find_inputs, import_atop

    def importer(engine: Engine, progress: ProgressCallback) -> ImportReport:
        alliances, members = find_inputs(paths)
        return import_atop(engine, alliances, members, dry_run=dry_run, progress=progress)

    run_import("ATOP alliances", importer, quiet=quiet)

"""The `atlas` command line: serve, migrate, seed, import, export the schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from app.graphiql_assets import graphiql_assets
from app.settings import Settings, SettingsError, load_settings

cli = typer.Typer(help="Alignment Atlas: a GraphQL API over sanctions, UN votes, arms and alliances.",
                  no_args_is_help=True, add_completion=False)
db_cli = typer.Typer(help="Database migrations (Alembic).", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
console = Console(stderr=True)
if not console.is_terminal:  # piped or logged: room for every column of the load reports
    console.width = max(console.width, 120)


def _settings() -> Settings:
    try:
        settings = load_settings()
    except SettingsError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    settings.ensure_data_dir()
    return settings


def prepare_database(settings: Settings) -> None:
    """Migrate (and seed, when empty) an embedded SQLite database; check PostgreSQL's revision.

    PostgreSQL is production: its migrations are a deliberate step (`atlas db upgrade`).
    """
    from app import migrations

    if settings.backend == "sqlite":
        migrations.upgrade(settings.database_url)
        if settings.auto_seed and migrations.has_no_data(settings.database_url):
            from app.seeding import load_seeds

            console.print("Empty database: loading the seed dataset ...")
            load_seeds(settings.database_url, console=console)
        return
    current = migrations.current_revision(settings.database_url)
    head = migrations.head_revision(settings.database_url)
    if current != head:
        console.print(f"[yellow]Database is at revision {current}, code expects {head}: "
                      "run `atlas db upgrade`.[/yellow]")


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default ATLAS_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default ATLAS_PORT).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
) -> None:
    """Serve the API; an embedded SQLite database is migrated (and seeded when empty) first."""
    import uvicorn

    settings = _settings()
    prepare_database(settings)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=None if reload else workers,
        reload=reload,
        access_log=settings.access_log,
    )


@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Bring the database to REVISION (default: the latest)."""
    from app import migrations

    settings = _settings()
    migrations.upgrade(settings.database_url, revision)
    console.print(f"Database at revision {migrations.current_revision(settings.database_url)}.")


@db_cli.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. base.")]) -> None:
    """Take the database back to REVISION (`base` removes every table)."""
    from app import migrations

    settings = _settings()
    migrations.downgrade(settings.database_url, revision)
    console.print(f"Database at revision {migrations.current_revision(settings.database_url)}.")


@db_cli.command("current")
def db_current() -> None:
    """Print the database's revision and the code's head revision."""
    from app import migrations

    settings = _settings()
    current = migrations.current_revision(settings.database_url)
    head = migrations.head_revision(settings.database_url)
    typer.echo(f"current: {current or 'none (empty database)'}")
    typer.echo(f"head:    {head}")


@cli.command()
def seed(
    path: Annotated[Path | None, typer.Option(help="Seed folder (default: the dataset shipped with the app).")] = None,
    dry_run: Annotated[bool, typer.Option(help="Report what would change; write nothing.")] = False,
) -> None:
    """Load the curated seed dataset (idempotent; all or nothing)."""
    from app.seeding import SeedError, load_seeds

    settings = _settings()
    try:
        load_seeds(settings.database_url, seeds_dir=path, dry_run=dry_run, console=console)
    except SeedError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None


@cli.command("export-schema")
def export_schema(
    output: Annotated[Path, typer.Argument(help="Where to write the SDL.")] = Path("schema.graphql"),
) -> None:
    """Write the GraphQL schema (SDL) to a file."""
    from app.graphql.schema import schema

    output.write_text(schema.as_str() + "\n", encoding="utf-8")
    console.print(f"Wrote {output}.")


# Kept in its own module: it concerns the browser IDE's files, not the database.
cli.command("graphiql-assets")(graphiql_assets)


def _register_importers() -> None:
    try:
        from app.importers.cli import import_cli
    except ModuleNotFoundError as exc:
        if exc.name != "app.importers" and exc.name != "app.importers.cli":
            raise
        return
    cli.add_typer(import_cli, name="import")


_register_importers()


def main() -> None:
    cli()


if __name__ == "__main__":
    main()

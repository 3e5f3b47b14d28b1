"""The `atlas` command line as a new user meets it."""

from __future__ import annotations

import sqlalchemy as sa
from typer.testing import CliRunner

from app import migrations
from app.cli import cli, prepare_database
from app.db import create_sync_engine
from app.settings import load_settings

runner = CliRunner()


def _count(url: str, table: str) -> int:
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))
    finally:
        engine.dispose()


def test_serve_prepares_a_new_embedded_database(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'atlas.db'}"
    settings = load_settings(database_url=url)
    settings.ensure_data_dir()
    prepare_database(settings)
    assert migrations.current_revision(url) == migrations.head_revision(url)
    assert _count(url, "state") >= 195
    assert _count(url, "vote") > 1000


def test_serve_seeds_a_migrated_but_empty_database(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'atlas.db'}"
    migrations.upgrade(url)
    prepare_database(load_settings(database_url=url))
    assert _count(url, "state") >= 195


def test_db_commands(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    result = runner.invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["db", "current"])
    assert result.exit_code == 0
    head = migrations.head_revision(url)
    assert f"current: {head}" in result.output
    result = runner.invoke(cli, ["db", "downgrade", "base"])
    assert result.exit_code == 0
    assert migrations.current_revision(url) is None


def test_invalid_setting_is_reported_with_its_variable(monkeypatch) -> None:
    monkeypatch.setenv("ATLAS_DATABASE_URL", "mysql://x@y/z")
    result = runner.invoke(cli, ["db", "current"])
    assert result.exit_code == 2
    assert "ATLAS_DATABASE_URL" in result.output


def test_export_schema_writes_sdl(tmp_path) -> None:
    target = tmp_path / "schema.graphql"
    result = runner.invoke(cli, ["export-schema", str(target)])
    assert result.exit_code == 0, result.output
    assert "type Query" in target.read_text()

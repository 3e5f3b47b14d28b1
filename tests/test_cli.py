"""The `atlas` command line as a new user meets it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from helpers_dump import table_count
from typer.testing import CliRunner

from app import migrations
from app.cli import cli, prepare_database
from app.settings import load_settings

runner = CliRunner()


def test_serve_prepares_a_new_embedded_database(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'atlas.db'}"
    settings = load_settings(database_url=url)
    settings.ensure_data_dir()
    prepare_database(settings)
    assert migrations.current_revision(url) == migrations.head_revision(url)
    assert table_count(url, "state") >= 195
    assert table_count(url, "vote") > 1000


def test_serve_seeds_a_migrated_but_empty_database(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'atlas.db'}"
    migrations.upgrade(url)
    prepare_database(load_settings(database_url=url))
    assert table_count(url, "state") >= 195


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


def _serve_and_get(tmp_path, access_log: str) -> str:
    """Run `atlas serve` on a free port, GET /healthz once, stop it; return what it logged."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "ATLAS_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
           "ATLAS_ACCESS_LOG": access_log, "ATLAS_PORT": str(port)}
    log = tmp_path / f"serve-{access_log}.log"
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env,
                                  stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                        assert response.status == 200
                    break
                except (urllib.error.URLError, ConnectionError):
                    if time.monotonic() > deadline or server.poll() is not None:
                        pytest.fail(f"atlas serve did not start: {log.read_text()}")
                    time.sleep(0.2)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return log.read_text()


def test_access_log_can_be_switched_off(tmp_path) -> None:
    assert '"GET /healthz HTTP/1.1" 200' in _serve_and_get(tmp_path, "true")
    assert "GET /healthz" not in _serve_and_get(tmp_path, "false")

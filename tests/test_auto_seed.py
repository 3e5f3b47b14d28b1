"""`atlas serve` on a new embedded SQLite database: migrated always, seeded unless
ATLAS_AUTO_SEED=false. Each test starts the real server and asks it over HTTP."""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from app.seeding import DEFAULT_SEEDS_DIR

ROOT = Path(__file__).resolve().parents[1]


def _head_revision() -> str:
    """The newest migration, read by Alembic from the alembic/ folder itself."""
    return ScriptDirectory(str(ROOT / "alembic")).get_current_head()


def _seed_state_count() -> int:
    with (DEFAULT_SEEDS_DIR / "states.csv").open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def _get(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def _post(url: str, query: str) -> dict[str, Any]:
    request = urllib.request.Request(url, data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _serve(tmp_path: Path, auto_seed: str | None) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Run `atlas serve` on a new database file; return /healthz, a states query and the log."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {name: value for name, value in os.environ.items() if name != "ATLAS_AUTO_SEED"}
    env.update(ATLAS_DATABASE_URL=f"sqlite:///{tmp_path / 'new' / 'atlas.db'}",
               ATLAS_PORT=str(port), ATLAS_ACCESS_LOG="false")
    if auto_seed is not None:
        env["ATLAS_AUTO_SEED"] = auto_seed
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env, cwd=tmp_path,
                                  stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    health = _get(f"{base}/healthz")
                    break
                except (urllib.error.URLError, ConnectionError):
                    if time.monotonic() > deadline or server.poll() is not None:
                        pytest.fail(f"atlas serve did not start: {log.read_text()}")
                    time.sleep(0.2)
            answer = _post(f"{base}/graphql", "{ states(first: 1) { totalCount } }")
        finally:
            server.terminate()
            server.wait(timeout=30)
    return health, answer, log.read_text()


def _count(database: Path, table: str) -> int:
    engine = sa.create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))
    finally:
        engine.dispose()


def test_auto_seed_false_migrates_but_loads_no_seeds(tmp_path: Path) -> None:
    health, answer, log = _serve(tmp_path, "false")
    assert health == {"status": "ok", "database": "ok", "revision": _head_revision()}, log
    assert answer == {"data": {"states": {"totalCount": 0}}}, log
    for table in ("state", "source", "resolution", "vote", "sanctions_regime", "arms_transfer",
                  "alliance"):
        assert _count(tmp_path / "new" / "atlas.db", table) == 0, table
    assert "loading the seed dataset" not in log


@pytest.mark.parametrize("auto_seed", [None, "true"], ids=["default", "true"])
def test_auto_seed_loads_the_seeds_into_a_new_database(tmp_path: Path,
                                                        auto_seed: str | None) -> None:
    health, answer, log = _serve(tmp_path, auto_seed)
    assert health["revision"] == _head_revision(), log
    assert answer == {"data": {"states": {"totalCount": _seed_state_count()}}}, log
    assert _count(tmp_path / "new" / "atlas.db", "vote") > 1000
    assert "loading the seed dataset" in " ".join(log.split())

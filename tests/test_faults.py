"""PostgreSQL stopped and started again under a running app: 503 then 200, no restart.

Runs on a throw-away cluster of its own (the shared test server is never stopped); skips
when the PostgreSQL server binaries are not installed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient
from throwaway_postgres import ThrowawayPostgres, postgres_bin

from app import migrations
from app.main import create_app
from app.settings import load_settings

# A PostgreSQL test, though not through `databases`: `pytest -m "not postgresql"` leaves it out.
pytestmark = pytest.mark.postgresql

QUERY = {"query": "{ states(first: 5) { totalCount nodes { iso3 } } }"}


@pytest.fixture(scope="module")
def cluster() -> Iterator[ThrowawayPostgres]:
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed: "
                    "apt-get install postgresql to run the fault tests")
    server = ThrowawayPostgres(bin_dir)
    try:
        server.init()
        server.start()
        migrations.upgrade(server.url)
        yield server
    finally:
        server.remove()


def until(check: Any, seconds: float = 10.0) -> Any:
    """Poll ``check`` until it returns something truthy (recovery is not instant)."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


@pytest.mark.parametrize("env", ["development", "production"])
def test_outage_and_recovery_without_restart(cluster: ThrowawayPostgres, env: str) -> None:
    app = create_app(load_settings(database_url=cluster.url, env=env))
    with TestClient(app, raise_server_exceptions=True) as client:
        assert client.get("/healthz").status_code == 200
        assert client.post("/graphql", json=QUERY).json() == {
            "data": {"states": {"totalCount": 0, "nodes": []}}
        }

        cluster.stop()
        try:
            health = client.get("/healthz")
            assert health.status_code == 503
            assert health.json()["status"] == "unavailable"
            response = client.post("/graphql", json=QUERY)
            assert response.status_code == 200  # a GraphQL error, not a server error
            body = response.json()
            assert body["data"] is None
            error = body["errors"][0]
            assert error["extensions"]["code"] == "DATABASE_UNAVAILABLE"
            assert "unavailable" in error["message"] and "Retry" in error["message"]
            assert "127.0.0.1" not in error["message"]  # no driver internals, in any mode
        finally:
            cluster.start()

        # The same app, the same engine: pre-ping replaces the dead pooled connections.
        assert until(lambda: client.get("/healthz").status_code == 200)
        assert client.post("/graphql", json=QUERY).json() == {
            "data": {"states": {"totalCount": 0, "nodes": []}}
        }


def test_restart_while_connections_are_pooled(cluster: ThrowawayPostgres) -> None:
    app = create_app(load_settings(database_url=cluster.url))
    with TestClient(app) as client:
        for _ in range(3):  # fill the pool with live connections
            assert client.post("/graphql", json=QUERY).status_code == 200
        cluster.stop("immediate")  # as a crash would: no goodbye to the clients
        cluster.start()
        # Pooled connections are dead now; the first query after the restart must not fail.
        assert client.post("/graphql", json=QUERY).json() == {
            "data": {"states": {"totalCount": 0, "nodes": []}}
        }
        assert client.get("/healthz").status_code == 200

"""The API served through a read-only PostgreSQL role: it reads, and nothing can write.

docs/hardening.md gives the same SQL for a deployment.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from starlette.testclient import TestClient

from app.db import create_sync_engine
from app.main import create_app
from app.models import State
from app.settings import load_settings

pytestmark = pytest.mark.postgresql


def reader_grants(role: str, database: str) -> list[str]:
    """The statements of docs/hardening.md for a role that may only read."""
    return [
        f'CREATE ROLE "{role}" LOGIN',
        f'GRANT CONNECT ON DATABASE "{database}" TO "{role}"',
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'ALTER ROLE "{role}" SET default_transaction_read_only = on',
    ]


@pytest.fixture
def reader_url(_database_pools: dict[str, Any]) -> Iterator[str]:
    pool = _database_pools["postgresql"]
    if pool.server is None:
        pytest.skip("PostgreSQL: set ATLAS_TEST_POSTGRES_URL to run the PostgreSQL half")
    owner_url = pool.migrated()
    database = make_url(owner_url).database
    role = f"atlas_reader_{uuid.uuid4().hex[:8]}"
    owner = create_sync_engine(owner_url, isolation_level="AUTOCOMMIT")
    try:
        with owner.connect() as connection:
            connection.execute(sa.insert(State.__table__).values(
                iso3="UKR", name="Ukraine", un_observer=False))
            for statement in reader_grants(role, database):
                connection.execute(sa.text(statement))
        yield make_url(owner_url).set(username=role, password=None).render_as_string(False)
    finally:
        with owner.connect() as connection:
            connection.execute(sa.text(f'DROP OWNED BY "{role}"'))
            connection.execute(sa.text(f'DROP ROLE "{role}"'))
        owner.dispose()


WRITES = [
    "INSERT INTO state (iso3, name, un_observer) VALUES ('XXA', 'Nowhere', false)",
    "UPDATE state SET name = 'Renamed'",
    "DELETE FROM state",
    "CREATE TABLE scratch (id int)",
    "TRUNCATE state",
]


def test_the_app_reads_through_the_read_only_role(reader_url: str) -> None:
    app = create_app(load_settings(database_url=reader_url))
    with TestClient(app) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        body = client.post("/graphql", json={"query": "{ states { nodes { iso3 name } } }"})
        assert body.json() == {"data": {"states": {"nodes": [{"iso3": "UKR", "name": "Ukraine"}]}}}


@pytest.mark.parametrize("write", WRITES, ids=lambda s: s.split()[0])
def test_no_write_gets_through_the_apps_engine(reader_url: str, write: str) -> None:
    app = create_app(load_settings(database_url=reader_url))

    async def attempt(read_write: bool) -> str:
        async with app.state.engine.connect() as connection:
            if read_write:
                # Even a session that switches read-only mode off has no privilege to write.
                await connection.execute(sa.text("SET TRANSACTION READ WRITE"))
            try:
                await connection.execute(sa.text(write))
            except DBAPIError as exc:
                return str(exc.orig)
            return "written"

    with TestClient(app) as client:
        read_only = client.portal.call(attempt, False)
        no_privilege = client.portal.call(attempt, True)
    assert "read-only transaction" in read_only
    assert "permission denied" in no_privilege or "must be owner" in no_privilege

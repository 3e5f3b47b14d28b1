"""Fixtures for API tests: an HTTP client on the seeded database, and a direct SQL reader."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from app.db import create_sync_engine
from app.main import create_app
from app.settings import load_settings


class Api:
    """Posts GraphQL to the app and counts the SQL statements each request runs."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.statements = 0
        engine = client.app.state.engine  # type: ignore[attr-defined]
        sa.event.listen(engine.sync_engine, "before_cursor_execute", self._count)

    def _count(self, *_: Any) -> None:
        self.statements += 1

    def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.client.post("/graphql", json={"query": query, "variables": variables or {}})
        assert response.status_code in (200, 400), response.text
        return response.json()

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.post(query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.post(query, variables)
        assert body.get("errors"), body
        return body["errors"][0]

    def count_statements(self, query: str, variables: dict[str, Any] | None = None) -> int:
        before = self.statements
        self.data(query, variables)
        return self.statements - before


@pytest.fixture
def api(seeded_db: str) -> Iterator[Api]:
    app = create_app(load_settings(database_url=seeded_db))
    with TestClient(app) as client:
        yield Api(client)


@pytest.fixture
def resolver_api(seeded_db: str) -> Iterator[Api]:
    """The API with compiled execution off: every field runs through its resolver, batched."""
    app = create_app(load_settings(database_url=seeded_db, compiled_execution=False))
    with TestClient(app) as client:
        yield Api(client)


# The three execution paths, as settings: compiled (the default), the breadth-first batched
# resolvers only, graphql-core's field-by-field executor only (the reference).
PATHS: tuple[dict[str, Any], ...] = ({}, {"compiled_execution": False}, {"batched_execution": False})


@pytest.fixture
def every_path() -> Iterator[Callable[..., tuple[TestClient, ...]]]:
    """Opens the app on a database once per execution path, in the order of ``PATHS``."""
    with ExitStack() as stack:
        def open_clients(database_url: str, **settings: Any) -> tuple[TestClient, ...]:
            return tuple(
                stack.enter_context(TestClient(create_app(load_settings(
                    database_url=database_url, **settings, **path)))) for path in PATHS)

        yield open_clients


@pytest.fixture
def sql(seeded_db: str) -> Iterator[sa.Connection]:
    """A read-only connection for computing expected answers independently of the API."""
    engine = create_sync_engine(seeded_db)
    with engine.connect() as connection:
        yield connection
    engine.dispose()

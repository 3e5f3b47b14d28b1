"""Fixtures of the reference-model tests: the made-up dataset on each backend, built once per
test run, and the apps on it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from reference_app import Reference
from reference_dataset import build


@pytest.fixture(scope="session")
def _reference_stack() -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def reference(request: pytest.FixtureRequest, _database_pools: Any, _reference_stack: ExitStack,
              _reference_cache: dict[str, Reference]) -> Reference:
    """The reference dataset on one backend (built once per run; tests must not write to it)."""
    cache = _reference_cache
    backend = request.param
    if backend not in cache:
        pool = _database_pools[backend]
        if backend == "postgresql" and pool.server is None:
            pytest.skip("PostgreSQL: set ATLAS_TEST_POSTGRES_URL to run the PostgreSQL half")
        url = pool.migrated()
        build(url)
        cache[backend] = Reference(url, _reference_stack)
    return cache[backend]


@pytest.fixture(scope="session")
def _reference_cache() -> dict[str, Reference]:
    return {}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # `pytest -m postgresql` selects the PostgreSQL half of these tests too.
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("reference") == "postgresql":
            item.add_marker(pytest.mark.postgresql)

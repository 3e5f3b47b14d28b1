"""Test databases: every database test runs on SQLite (a temp file) and on PostgreSQL.

PostgreSQL tests run when ``ATLAS_TEST_POSTGRES_URL`` points at a server (any database on it,
e.g. ``postgresql://postgres@127.0.0.1:5432/postgres``); each test run creates its own databases
there and drops them at the end. With ``ATLAS_TEST_STRICT=1`` (as in .ci/run) a skipped test is a
failure, and a module that skips while it is collected is a collection error, so CI cannot pass
with the PostgreSQL half, the browser or the public data left out.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app import migrations

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BACKENDS = ("sqlite", "postgresql")
STRICT = os.environ.get("ATLAS_TEST_STRICT") == "1"


def _fail_if_skipped(report: pytest.TestReport | pytest.CollectReport, prefix: str) -> None:
    """Under STRICT, turn a skipped test or collection report into a failure with its reason."""
    if STRICT and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"{prefix}skipped under ATLAS_TEST_STRICT=1: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    _fail_if_skipped(outcome.get_result(), "")


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    # A module that skips while it is imported (`pytest.skip(..., allow_module_level=True)`,
    # `pytest.importorskip`) skips at collection, before any test report: under STRICT that is
    # a collection error too, so the run fails instead of quietly leaving the module out.
    outcome = yield
    _fail_if_skipped(outcome.get_result(), f"{collector.nodeid}: ")


class Databases:
    """Creates throw-away databases of one backend and drops them at the end of the run."""

    def __init__(self, backend: str, tmp: Path) -> None:
        self.backend = backend
        self.tmp = tmp
        self.created: list[str] = []
        self._template: str | None = None
        self._seeded: str | None = None
        server = os.environ.get("ATLAS_TEST_POSTGRES_URL")
        self.server = make_url(server) if server else None

    def _admin(self) -> sa.Engine:
        assert self.server is not None
        return sa.create_engine(self.server.set(drivername="postgresql+psycopg"),
                                isolation_level="AUTOCOMMIT")

    def empty(self, template: str | None = None) -> str:
        name = f"atlas_test_{uuid.uuid4().hex[:12]}"
        if self.backend == "sqlite":
            path = self.tmp / f"{name}.db"
            if template:
                shutil.copyfile(make_url(template).database, path)  # type: ignore[arg-type]
            return f"sqlite:///{path}"
        admin = self._admin()
        try:
            with admin.connect() as connection:
                source = make_url(template).database if template else "template0"
                connection.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
        finally:
            admin.dispose()
        self.created.append(name)
        assert self.server is not None
        return self.server.set(database=name).render_as_string(hide_password=False)

    def migrated(self) -> str:
        """A new database at the head revision (copied from a template migrated once)."""
        if self._template is None:
            self._template = self.empty()
            migrations.upgrade(self._template)
        return self.empty(template=self._template)

    def seeded(self) -> str:
        """One database per run holding the seed dataset; tests must not write to it."""
        if self._seeded is None:
            from app.seeding import load_seeds

            self._seeded = self.migrated()
            load_seeds(self._seeded)
        return self._seeded

    def drop_all(self) -> None:
        if self.backend != "postgresql" or not self.created:
            return
        admin = self._admin()
        try:
            with admin.connect() as connection:
                for name in self.created:
                    connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()


@pytest.fixture(scope="session")
def _database_pools(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Databases]]:
    pools = {backend: Databases(backend, tmp_path_factory.mktemp(backend)) for backend in BACKENDS}
    yield pools
    for pool in pools.values():
        pool.drop_all()


@pytest.fixture(params=BACKENDS, ids=BACKENDS)
def databases(request: pytest.FixtureRequest, _database_pools: dict[str, Databases]) -> Databases:
    """The database maker of one backend; PostgreSQL tests skip when no server is configured."""
    pool = _database_pools[request.param]
    if pool.backend == "postgresql" and pool.server is None:
        pytest.skip("PostgreSQL: set ATLAS_TEST_POSTGRES_URL to run the PostgreSQL half")
    return pool


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tag parametrised PostgreSQL tests so `pytest -m postgresql` selects that half.
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("databases") == "postgresql":
            item.add_marker(pytest.mark.postgresql)


@pytest.fixture
def empty_db(databases: Databases) -> str:
    """URL of a new, empty database."""
    return databases.empty()


@pytest.fixture
def migrated_db(databases: Databases) -> str:
    """URL of a new database at the head revision, with no rows."""
    return databases.migrated()


@pytest.fixture
def seeded_db(databases: Databases) -> str:
    """URL of the shared seeded database of this run (read-only for tests)."""
    return databases.seeded()


@pytest.fixture
def shared_data() -> Path:
    """The public data files in ../shared/data (skips with a reason where absent)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"public data folder {SHARED_DATA} is absent")
    return SHARED_DATA

"""Fixtures shared by the importer tests: an engine on a fresh migrated database."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from app.db import create_sync_engine


@pytest.fixture
def engine(migrated_db: str) -> Iterator[Engine]:
    """A blocking engine on a new database at head, disposed after the test."""
    engine = create_sync_engine(migrated_db)
    yield engine
    engine.dispose()


@pytest.fixture
def row_count(engine: Engine) -> Callable[[str], int]:
    """How many rows a table of the test database holds."""

    def count(table: str) -> int:
        with engine.connect() as connection:
            return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()

    return count

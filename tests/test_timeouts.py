"""The execution time-out cancels the work; PostgreSQL's statement_timeout backs it up."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from toy_schema import (
    SETTINGS,
    SLOW_OUTCOMES,
    STATEMENT_RUNNER,
    assert_ok,
    refusal,
    run,
    toy_schema,
)

from app.db import create_app_engine
from app.graphql.faults import CANCELLED, database_fault
from app.settings import load_settings

POSTGRES = os.environ.get("ATLAS_TEST_POSTGRES_URL")
needs_postgres = pytest.mark.skipif(
    not POSTGRES, reason="PostgreSQL: set ATLAS_TEST_POSTGRES_URL to run the PostgreSQL half"
)


def test_timeout_cancels_the_work_not_only_the_response() -> None:
    SLOW_OUTCOMES.clear()
    settings = load_settings(execution_timeout_seconds=0.2)
    started = time.perf_counter()
    error = refusal(run("{ slow(seconds: 3) }", settings), "TIMEOUT")
    assert time.perf_counter() - started < 2
    assert "0.2 s limit" in error.message
    # The resolver's task was cancelled where it was waiting, not left to finish.
    assert SLOW_OUTCOMES == ["cancelled"]


def test_query_within_the_timeout_completes() -> None:
    SLOW_OUTCOMES.clear()
    settings = load_settings(execution_timeout_seconds=2)
    assert_ok(run("{ slow(seconds: 0.01) }", settings))
    assert SLOW_OUTCOMES == ["finished"]


@pytest.mark.postgresql
@needs_postgres
def test_statement_timeout_is_set_on_the_app_connections() -> None:
    async def scenario() -> None:
        engine = create_app_engine(POSTGRES, statement_timeout_seconds=0.2)
        try:
            async with engine.connect() as connection:
                assert await connection.scalar(sa.text("SHOW statement_timeout")) == "200ms"
                with pytest.raises(DBAPIError) as caught:
                    await connection.execute(sa.text("SELECT pg_sleep(3)"))
            assert database_fault(caught.value) == CANCELLED
        finally:
            await engine.dispose()

    asyncio.run(scenario())


@pytest.mark.postgresql
@needs_postgres
def test_statement_timeout_inside_a_query_is_a_timeout_error() -> None:
    async def scenario() -> Any:
        engine = create_app_engine(POSTGRES, statement_timeout_seconds=0.2)

        async def statement() -> Any:
            async with engine.connect() as connection:
                return await connection.scalar(sa.text("SELECT pg_sleep(3)"))

        STATEMENT_RUNNER["run"] = statement
        try:
            return await toy_schema(SETTINGS).execute("{ query }")
        finally:
            await engine.dispose()

    result = asyncio.run(scenario())
    assert result.errors[0].extensions == {"code": "TIMEOUT"}
    assert "database cancelled a statement" in result.errors[0].message


@pytest.mark.postgresql
@needs_postgres
def test_timeout_cancels_the_statement_running_on_postgresql() -> None:
    name = f"atlas-test-{uuid.uuid4().hex[:8]}"
    running = sa.text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name "
                      "AND state = 'active' AND query LIKE '%pg_sleep%'")

    async def scenario() -> tuple[Any, int]:
        # No statement_timeout here: only the execution time-out can stop the statement.
        engine = create_app_engine(
            POSTGRES, connect_args={"server_settings": {"application_name": name}}
        )
        observer = create_app_engine(POSTGRES)

        async def statement() -> Any:
            async with engine.connect() as connection:
                return await connection.scalar(sa.text("SELECT pg_sleep(30)"))

        STATEMENT_RUNNER["run"] = statement
        try:
            result = await toy_schema(load_settings(execution_timeout_seconds=0.5)).execute(
                "{ query }"
            )
            left = 1
            for _ in range(20):  # the cancel request reaches the server within moments
                async with observer.connect() as connection:
                    left = await connection.scalar(running, {"name": name})
                if not left:
                    break
                await asyncio.sleep(0.1)
            return result, left
        finally:
            await engine.dispose()
            await observer.dispose()

    started = time.perf_counter()
    result, left = asyncio.run(scenario())
    assert result.errors[0].extensions["code"] == "TIMEOUT"
    assert left == 0, "pg_sleep still running on the server after the time-out"
    assert time.perf_counter() - started < 10

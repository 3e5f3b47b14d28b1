"""In-process measurement: GraphQL POSTs through httpx's ASGITransport against ``create_app``,
and the floor on its own engine, with the answers compared before anything is timed.

The app runs its real lifespan (engine created at start-up); SQL statements are counted with a
``before_cursor_execute`` listener on ``app.state.engine.sync_engine``, from outside the app.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from starlette.applications import Starlette

from app.db import create_app_engine
from app.main import create_app
from app.settings import load_settings
from bench.floor import floor_functions
from bench.http_load import EXECUTION_TIMEOUT_SECONDS
from bench.queries import IDS_QUERY, QUERIES, q5_variables
from bench.stats import summarize


class AnswersDiffer(AssertionError):
    """The GraphQL answer and the floor's answer are not the same document."""


@dataclass
class Budget:
    """How long to time one side of one query: at most ``requests`` runs or ``seconds``."""

    requests: int
    seconds: float
    warmup: int = 3
    minimum: int = 10


class StatementCounter:
    """Counts statements the app's engine sends to the database."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        sa.event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: Any) -> None:
        self.count += 1


def first_difference(left: Any, right: Any, path: str = "$") -> str | None:
    """Where two JSON values first differ, e.g. ``$.data.states.nodes[3].iso3: 'BLR' != 'BEL'``."""
    if isinstance(left, dict) and isinstance(right, dict):
        if left.keys() != right.keys():
            return f"{path}: keys {sorted(left)} != {sorted(right)}"
        for key in left:
            found = first_difference(left[key], right[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(left, list) and isinstance(right, list):
        for index, (a, b) in enumerate(zip(left, right)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None if len(left) == len(right) else f"{path}: length {len(left)} != {len(right)}"
    return None if left == right else f"{path}: {left!r} != {right!r}"


async def _timed(call: Callable[[], Awaitable[Any]], budget: Budget) -> list[float]:
    for _ in range(budget.warmup):
        await call()
    samples: list[float] = []
    deadline = time.perf_counter() + budget.seconds
    while len(samples) < budget.requests and (
            len(samples) < budget.minimum or time.perf_counter() < deadline):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return samples


async def _floor_call(engine: AsyncEngine, fn: Callable[[AsyncConnection], Awaitable[bytes]]) -> bytes:
    async with engine.connect() as connection:
        return await fn(connection)


async def measure(url: str, budget: Budget, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Per query: GraphQL and floor latencies, statements per request, and their ratio.

    Also returns the Q5 ``variables`` and each query's parsed ``answers`` (checked equal to the
    floor's), which the HTTP part compares its first response with.
    """
    settings = load_settings(database_url=url, execution_timeout_seconds=EXECUTION_TIMEOUT_SECONDS)
    app: Starlette = create_app(settings)
    results: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    async with app.router.lifespan_context(app):
        counter = StatementCounter(app.state.engine)
        floor_engine = create_app_engine(url)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            ids_answer = (await client.post("/graphql", json={"query": IDS_QUERY})).json()
            variables = q5_variables(ids_answer)
            floors = floor_functions(variables["ids"])
            for name, query in QUERIES.items():
                payload = {"query": query, "variables": variables if name == "Q5" else None}

                async def graphql(payload: dict[str, Any] = payload) -> bytes:
                    response = await client.post("/graphql", json=payload)
                    response.raise_for_status()
                    return response.content

                async def floor(fn: Any = floors[name]) -> bytes:
                    return await _floor_call(floor_engine, fn)

                before = counter.count
                answer = orjson.loads(await graphql())
                statements = counter.count - before
                expected = orjson.loads(await floor())
                if "errors" in answer or answer != expected:
                    where = first_difference(answer, expected) or f"errors: {answer.get('errors')}"
                    raise AnswersDiffer(f"{name}: GraphQL and floor answers differ at {where}")
                answers[name] = answer
                api = await _timed(graphql, budget)
                base = await _timed(floor, budget)
                results[name] = {
                    "graphql": summarize(api), "floor": summarize(base),
                    "ratio_p50": round(summarize(api)["p50_ms"] / summarize(base)["p50_ms"], 2),
                    "ratio_p99": round(summarize(api)["p99_ms"] / summarize(base)["p99_ms"], 2),
                    "statements_per_request": statements,
                    "response_bytes": len(await graphql()),
                }
                log(f"in-process {name}: graphql p50 {results[name]['graphql']['p50_ms']} ms, "
                    f"floor p50 {results[name]['floor']['p50_ms']} ms, "
                    f"ratio {results[name]['ratio_p50']}x, {statements} statements")
        await floor_engine.dispose()
    return {"queries": results, "variables": variables, "answers": answers}

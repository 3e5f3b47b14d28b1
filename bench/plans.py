"""`python -m bench.plans --db sqlite|postgresql [--scale S]`: what building a compiled plan costs.

The compiled path caches each request's plan (its SQL statement) by query text, variables
and day. The first request of a query, or one with new variable values, builds the plan; the
next ones reuse it. For Q1, Q2 and Q4 this prints the p50 of requests that build the plan
(the cache emptied before each) against requests that find it, in-process through
``httpx.ASGITransport``, after 3 warm-up requests.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import httpx

from app.graphql import compiled
from app.main import create_app
from app.settings import load_settings
from bench.generate import DEFAULT_SEED, generate
from bench.queries import QUERIES


async def measure(url: str, rounds: int) -> dict[str, dict[str, float]]:
    app = create_app(load_settings(database_url=url, execution_timeout_seconds=120))
    figures = {}
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        for name in ("Q1", "Q2", "Q4"):
            payload = {"query": QUERIES[name]}
            for _ in range(3):
                await client.post("/graphql", json=payload)
            built, cached = [], []
            for _ in range(rounds):
                compiled.PLANS.clear()
                for samples in (built, cached):
                    started = time.perf_counter()
                    response = await client.post("/graphql", json=payload)
                    samples.append(time.perf_counter() - started)
                    assert response.status_code == 200 and b'"errors"' not in response.content
            figures[name] = {"plan_built_p50_ms": round(statistics.median(built) * 1000, 1),
                             "plan_cached_p50_ms": round(statistics.median(cached) * 1000, 1)}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.plans", description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    url = generate(args.db, args.scale, DEFAULT_SEED)
    for name, figures in asyncio.run(measure(url, args.rounds)).items():
        print(f"{args.db} {args.scale} {name}: plan built p50 {figures['plan_built_p50_ms']} ms, "
              f"plan cached p50 {figures['plan_cached_p50_ms']} ms")


if __name__ == "__main__":
    main()

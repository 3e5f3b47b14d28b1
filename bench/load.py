"""Load run (issue 7): `atlas serve --workers 2`, 64 concurrent clients mixing Q1-Q5 for 60 s.

    python -m bench.load --db postgresql --scale 1.0 [--clients 64] [--seconds 60]

Every client loops over the five benchmark queries in its own rotation until the time is up,
on loopback only, and checks each answer against the one the server gave first (an answer
that differs, an HTTP error or a GraphQL error counts as an error). It prints, and writes to
bench/results/load-<db>-<scale>-<time>.json, the request count, errors, throughput and p50/p99
per query and overall. The run is bounded by ``--seconds`` and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.generate import DEFAULT_SEED, generate
from bench.http_load import Server
from bench.queries import IDS_QUERY, QUERIES, q5_variables
from bench.stats import summarize

RESULTS = Path(__file__).resolve().parent / "results"


def _payloads(base: str) -> dict[str, bytes]:
    answer = httpx.post(f"{base}/graphql", json={"query": IDS_QUERY}, timeout=60).json()
    variables = q5_variables(answer)
    return {name: orjson.dumps({"query": query, "variables": variables if name == "Q5" else None})
            for name, query in QUERIES.items()}


async def _run(base: str, clients: int, seconds: float) -> dict[str, Any]:
    payloads = _payloads(base)
    headers = {"content-type": "application/json"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    samples: dict[str, list[float]] = {name: [] for name in payloads}
    errors: dict[str, int] = {name: 0 for name in payloads}
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:
        expected = {}
        for name, body in payloads.items():
            response = await client.post("/graphql", content=body, headers=headers)
            expected[name] = response.content
            if response.status_code != 200 or b'"errors":' in response.content:
                raise RuntimeError(f"{name} fails before the load starts: {response.text[:300]}")
        started = time.perf_counter()
        deadline = started + seconds
        names = list(payloads)

        async def client_loop(offset: int) -> None:
            turn = offset
            while time.perf_counter() < deadline:
                name = names[turn % len(names)]
                turn += 1
                begin = time.perf_counter()
                try:
                    response = await client.post("/graphql", content=payloads[name], headers=headers)
                    ok = response.status_code == 200 and response.content == expected[name]
                except httpx.HTTPError:
                    ok = False
                if ok:
                    samples[name].append(time.perf_counter() - begin)
                else:
                    errors[name] += 1

        await asyncio.gather(*(client_loop(i) for i in range(clients)))
        elapsed = time.perf_counter() - started
    everything = [sample for values in samples.values() for sample in values]
    return {
        "seconds": round(elapsed, 1),
        "requests": len(everything) + sum(errors.values()),
        "errors": sum(errors.values()),
        "requests_per_second": round(len(everything) / elapsed, 1),
        "overall": summarize(everything) if everything else {},
        "per_query": {name: {**(summarize(values) if values else {}), "errors": errors[name]}
                      for name, values in samples.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    url = generate(args.db, args.scale, args.seed)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    with Server(url, args.workers, RESULTS / "logs" / f"load-serve-{stamp}.log") as server:
        result = asyncio.run(_run(server.base, args.clients, args.seconds))
    document = {"command": " ".join(["python -m bench.load", *argv]), "database": args.db,
                "scale": args.scale, "workers": args.workers, "clients": args.clients, **result}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"load-{args.db}-{args.scale}-{stamp}.json").write_text(json.dumps(document, indent=2))
    print(json.dumps(document, indent=2))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Over HTTP: `atlas serve` (uvicorn) in a subprocess, driven by a small httpx load generator.

The server gets its own process group, so stopping it stops its uvicorn workers too, and nothing
else. The load generator runs in this process on the same machine (loopback), so on a 2-core
machine it competes with the server for CPU; throughput figures are for this set-up only.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Self

import httpx
import orjson

from bench.queries import QUERIES
from bench.snapshot import app_root
from bench.stats import summarize

STARTUP_SECONDS = 60.0
# Queued behind other requests, a slow query can pass the default 10 s time-out; the benchmark
# measures speed, so it raises the limit rather than count time-outs as answers.
EXECUTION_TIMEOUT_SECONDS = 120.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`atlas serve --workers N` on a free loopback port, for the length of a ``with`` block."""

    def __init__(self, url: str, workers: int, log_path: Path) -> None:
        self.url, self.workers, self.log_path = url, workers, log_path
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Self:
        atlas = Path(sys.executable).parent / "atlas"
        env = {**os.environ, "ATLAS_DATABASE_URL": self.url, "ATLAS_AUTO_SEED": "false",
               "ATLAS_EXECUTION_TIMEOUT_SECONDS": str(EXECUTION_TIMEOUT_SECONDS),
               # Serve the same app this process measured (the repository's or a snapshot).
               "PYTHONPATH": os.pathsep.join(filter(None, [str(app_root()),
                                                           os.environ.get("PYTHONPATH")]))}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [str(atlas), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                 "--workers", str(self.workers)],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"atlas serve exited early; see {self.log_path}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"atlas serve did not answer /healthz in {STARTUP_SECONDS}s")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *_: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # our own group: the server and its workers
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


async def _load(base: str, payload: dict[str, Any], expected: Any, requests: int, seconds: float,
                concurrency: int) -> dict[str, Any]:
    """``concurrency`` clients send the query until ``requests`` are done or time is up."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    body = orjson.dumps(payload)
    headers = {"content-type": "application/json"}
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        first = await client.post("/graphql", content=body, headers=headers)
        if first.status_code != 200 or orjson.loads(first.content) != expected:
            raise AssertionError(f"HTTP answer differs from the in-process one ({first.status_code})")
        for _ in range(concurrency):  # warm every connection and worker
            await client.post("/graphql", content=body, headers=headers)
        samples: list[float] = []
        failures = 0
        started = time.perf_counter()
        deadline = started + seconds

        async def worker() -> None:
            nonlocal failures
            while len(samples) + failures < requests and (
                    len(samples) < concurrency or time.perf_counter() < deadline):
                begin = time.perf_counter()
                response = await client.post("/graphql", content=body, headers=headers)
                if response.status_code == 200 and b'"errors":' not in response.content:
                    samples.append(time.perf_counter() - begin)
                else:
                    failures += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {**summarize(samples), "failures": failures,
            "requests_per_second": round(len(samples) / elapsed, 2)}


def measure_http(url: str, workers: int, expected: dict[str, Any], variables: dict[str, Any],
                 requests: int, seconds: float, concurrency: int, log_dir: Path,
                 log: Any = print) -> dict[str, Any]:
    """Per query: latency percentiles and throughput against ``workers`` uvicorn workers."""
    results: dict[str, Any] = {}
    with Server(url, workers, log_dir / f"serve-{workers}.log") as server:
        for name, query in QUERIES.items():
            payload = {"query": query, "variables": variables if name == "Q5" else None}
            results[name] = asyncio.run(_load(server.base, payload, expected[name], requests,
                                              seconds, concurrency))
            log(f"http {workers} worker(s) {name}: p50 {results[name]['p50_ms']} ms, "
                f"p99 {results[name]['p99_ms']} ms, {results[name]['requests_per_second']} req/s")
    return results

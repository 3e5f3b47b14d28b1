"""`python -m bench run`: in-process and HTTP measurements, one JSON document, saved to results/.

Each query is timed until it reaches its request count or its time budget (whichever comes first,
with a minimum number of samples), so a full-scale run stays bounded even when a query is slow.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa

from app.db import create_sync_engine
from bench.generate import DATA_DIR
from bench.http_load import measure_http
from bench.inprocess import Budget, measure
from bench.paths import PATHS, select_path
from bench.snapshot import COMMIT_FILE, app_root

RESULTS_DIR = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parent.parent
WORKER_COUNTS = (1, 2)


def _command(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, cwd=REPO, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def app_fingerprint() -> str:
    """SHA-1 over the measured app/'s Python files as they are on disk: names the exact code."""
    digest = hashlib.sha1()
    package = app_root() / "app"
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _app_version() -> dict[str, Any]:
    root = app_root()
    if root != REPO:  # a snapshot from `python -m bench snapshot`: exactly one commit
        return {"git_commit": (root / COMMIT_FILE).read_text(encoding="utf-8").strip(),
                "app_from": str(root), "app_changes_not_committed": []}
    return {
        "git_commit": _command("git", "rev-parse", "--short", "HEAD"),
        "app_from": "working tree",
        # Changes to app/ not yet committed mean the figures are not those of the commit alone.
        "app_changes_not_committed": _command("git", "status", "--porcelain", "--", "app").splitlines(),
    }


def machine() -> dict[str, Any]:
    """What the figures were measured on, and which version of the app."""
    memory = _command("free", "-h").splitlines()
    return {
        "nproc": os.cpu_count(),
        "memory": memory[1].split()[1] if len(memory) > 1 else "unknown",
        "python": platform.python_version(),
        "platform": platform.platform(),
        **_app_version(),
        "app_sources_sha1": app_fingerprint(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _database_version(url: str) -> str:
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                return "SQLite " + str(connection.scalar(sa.text("SELECT sqlite_version()")))
            return str(connection.scalar(sa.text("SHOW server_version")))
    finally:
        engine.dispose()


def _budgets(scale: float, requests: int | None, http_requests: int | None) -> tuple[Budget, int, float]:
    """Request counts and time budgets: generous at small scale, bounded at full scale."""
    small = scale <= 0.2
    budget = Budget(requests=requests or (200 if small else 100), seconds=15 if small else 25)
    return budget, http_requests or (200 if small else 100), 15.0 if small else 25.0


def run(args: argparse.Namespace, url: str) -> int:
    """Measure, print the JSON document and write it to ``bench/results/``."""
    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = dt.datetime.now(dt.UTC)
    select_path(args.path)
    measured_on = machine()
    budget, http_requests, http_seconds = _budgets(args.scale, args.requests, args.http_requests)
    inprocess = asyncio.run(measure(url, budget, log=log))
    queries = inprocess["queries"]
    if not args.no_http:
        for workers in WORKER_COUNTS:
            http = measure_http(url, workers, inprocess["answers"], inprocess["variables"],
                                http_requests, http_seconds, args.concurrency,
                                DATA_DIR / "logs", log=log)
            for name, figures in http.items():
                floor_p50 = queries[name]["floor"]["p50_ms"]
                figures["ratio_p50_to_floor"] = round(figures["p50_ms"] / floor_p50, 2)
                queries[name][f"http_{workers}_worker{'s' if workers > 1 else ''}"] = figures
    document = {
        "command": "python -m bench run " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else "",
        "database": args.db,
        "database_version": _database_version(url),
        "scale": args.scale,
        "seed": args.seed,
        "execution_path": args.path,
        "settings": PATHS[args.path],
        "started_at": started.isoformat(timespec="seconds"),
        "machine": measured_on,
        # app/ is being optimised in parallel: a run whose code changed midway is not one state.
        "app_changed_during_run": app_fingerprint() != measured_on["app_sources_sha1"],
        "in_process_transport": "httpx.ASGITransport against app.main.create_app (lifespan run)",
        "http": None if args.no_http else {
            "server": "atlas serve (uvicorn, access log on), 127.0.0.1",
            "load_generator": f"httpx.AsyncClient, {args.concurrency} concurrent clients, same machine",
            "requests_per_query": http_requests, "seconds_per_query": http_seconds,
        },
        "budget": {"requests": budget.requests, "seconds": budget.seconds, "warmup": budget.warmup,
                   "minimum": budget.minimum},
        "queries": queries,
        "q5_ids": inprocess["variables"]["ids"],
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    text = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()
    print(text)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"{args.db}-{args.scale}-{args.path}-{stamp}.json"
    path.write_text(text + "\n", encoding="utf-8")
    if document["app_changed_during_run"]:
        log("warning: app/ changed during this run; its figures mix two versions of the code")
    log(f"written to {path}")
    return 0

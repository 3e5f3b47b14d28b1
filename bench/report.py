"""Markdown tables from result files: `python -m bench table bench/results/*.json`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson


def _http(figures: dict[str, Any], key: str) -> str:
    http = figures.get(key)
    if not http:
        return "-"
    return f"{http['p50_ms']:.0f} / {http['p99_ms']:.0f} ({http['requests_per_second']}/s)"


def table(paths: list[Path]) -> str:
    """One row per database, scale and query: in-process, floor, ratio, statements, HTTP."""
    lines = [
        ("| db | scale | path | query | GraphQL p50 / p99 ms | floor p50 / p99 ms | ratio p50 (p99) "
         "| statements | HTTP 1 worker p50 / p99 ms (req/s) | HTTP 2 workers p50 / p99 ms (req/s) "
         "| app commit (app/ sha1) |"),
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for path in paths:
        result = orjson.loads(path.read_bytes())
        if "machine" not in result or "queries" not in result:
            continue  # another benchmark's result file
        machine = result["machine"]
        app = f"{machine['git_commit']} ({machine.get('app_sources_sha1', '?')})"
        for name, figures in result["queries"].items():
            api, floor = figures["graphql"], figures["floor"]
            lines.append(
                f"| {result['database']} | {result['scale']} "
                f"| {result.get('execution_path', '-')} | {name} "
                f"| {api['p50_ms']:.1f} / {api['p99_ms']:.1f} "
                f"| {floor['p50_ms']:.1f} / {floor['p99_ms']:.1f} "
                f"| {figures['ratio_p50']}x ({figures['ratio_p99']}x) "
                f"| {figures['statements_per_request']} "
                f"| {_http(figures, 'http_1_worker')} | {_http(figures, 'http_2_workers')} | {app} |")
    return "\n".join(lines)

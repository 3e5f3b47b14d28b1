"""Latency summaries: nearest-rank percentiles in milliseconds."""

from __future__ import annotations

import math


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``samples``."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def summarize(samples: list[float]) -> dict[str, float | int]:
    """n, p50, p99 and mean of latencies given in seconds, reported in milliseconds."""
    return {
        "n": len(samples),
        "p50_ms": round(percentile(samples, 0.50) * 1000, 3),
        "p99_ms": round(percentile(samples, 0.99) * 1000, 3),
        "mean_ms": round(sum(samples) / len(samples) * 1000, 3),
    }

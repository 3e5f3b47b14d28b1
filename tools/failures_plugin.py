"""pytest plugin of tools/planted_bugs.py: writes the id of every failing test, and of every
file that fails to collect, to the file named by ``ATLAS_FAILURES_FILE`` (one per line)."""

from __future__ import annotations

import os

import pytest


def _write(kind: str, nodeid: str) -> None:
    path = os.environ.get("ATLAS_FAILURES_FILE")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{kind}\t{nodeid}\n")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed:
        _write("test", report.nodeid)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        _write("collect", report.nodeid)

"""Pin the code measured: extract ``app/`` and the migrations of one commit into bench/data.

The app is optimised while it is benchmarked; a run against the working tree can straddle two
versions. ``python -m bench snapshot HEAD`` writes ``bench/data/app-<commit>/`` (with
``git archive``, which changes nothing in the repository) and prints how to run against it:

    cd bench/data/app-<commit> && PYTHONPATH=../../.. python -m bench run --db sqlite --scale 1.0

Run from that folder, ``import app`` finds the snapshot first (``python -m`` puts the current
folder ahead of ``PYTHONPATH``), and the served app is started the same way.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

import app
from bench.generate import DATA_DIR

REPO = Path(__file__).resolve().parent.parent
COMMIT_FILE = "APP_COMMIT"


def app_root() -> Path:
    """The folder holding the ``app`` package this process imported (repository or snapshot)."""
    return Path(app.__file__).resolve().parent.parent


def snapshot(revision: str) -> Path:
    """Extract ``app/``, ``alembic/`` and ``alembic.ini`` of ``revision``; return the folder."""
    commit = subprocess.run(["git", "rev-parse", "--short", revision], cwd=REPO, check=True,
                            capture_output=True, text=True).stdout.strip()
    target = DATA_DIR / f"app-{commit}"
    if not (target / COMMIT_FILE).exists():
        archive = subprocess.run(["git", "archive", "--format=tar", commit, "app", "alembic",
                                  "alembic.ini"], cwd=REPO, check=True, capture_output=True).stdout
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
        (target / COMMIT_FILE).write_text(commit + "\n", encoding="utf-8")
    return target

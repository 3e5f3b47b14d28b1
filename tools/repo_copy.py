"""A throw-away copy of the repository for the mutation run and the planted-bug check.

Both tools change code, so they never work in the checkout itself: they copy it (the working
tree as it is, or a commit with ``--ref``) into a folder of their own and run the tests there,
with that copy's ``app`` first on the import path (the dev virtualenv's editable install points
at the checkout, so the copy must win, and :func:`verify_app_import` checks that it does).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Not copied from the working tree: git data, local databases, caches, build and tool output.
_IGNORED = shutil.ignore_patterns(
    ".git", "var", "mutants", ".mutmut-cache", ".hypothesis", "__pycache__", "*.pyc",
    "*.egg-info", ".pytest_cache", ".ruff_cache", ".venv", "node_modules", "build", "dist",
)


def git(*args: str, repo: Path = REPO) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def describe(ref: str | None, repo: Path = REPO) -> str:
    """The commit a copy is made of, and whether uncommitted changes are in it."""
    if ref is not None:
        return git("rev-parse", ref, repo=repo)
    head = git("rev-parse", "HEAD", repo=repo)
    dirty = git("status", "--porcelain", "--untracked-files=normal", "--", "app", "tests",
                "alembic", "seeds", repo=repo)
    return f"{head} + uncommitted changes in the working tree" if dirty else head


def make_copy(dest: Path, ref: str | None = None, repo: Path = REPO) -> None:
    """Fill ``dest`` (created, must not exist) with the working tree or with commit ``ref``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if ref is None:
        shutil.copytree(repo, dest, ignore=_IGNORED, symlinks=True)
    else:
        archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", ref],
                                 check=True, capture_output=True).stdout
        dest.mkdir()
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
    link_shared_data(dest, repo)


def link_shared_data(copy: Path, repo: Path = REPO) -> None:
    """The tests read the public files in ``<repo>/../shared/data`` (tests/conftest.py): a copy
    gets a ``shared`` link beside it and one inside it (mutmut runs the tests from
    ``<copy>/mutants/tests``, whose ``parents[2]`` is the copy itself)."""
    shared = repo.resolve().parent / "shared"
    if not shared.is_dir():
        return
    for link in (copy.parent / "shared", copy / "shared"):
        if not link.exists() and not link.is_symlink():
            link.symlink_to(shared, target_is_directory=True)


def test_env(copy: Path, *, postgres: bool) -> dict[str, str]:
    """The environment for pytest in a copy: its code first on the path, no strict mode."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(copy)
    env.pop("ATLAS_TEST_STRICT", None)
    env.pop("MUTANT_UNDER_TEST", None)
    if not postgres:
        env.pop("ATLAS_TEST_POSTGRES_URL", None)
    # pytest's tmp_path folders of the copy stay apart from those of other pytest runs.
    temproot = copy.parent / "pytest-tmp"
    temproot.mkdir(parents=True, exist_ok=True)
    env["PYTEST_DEBUG_TEMPROOT"] = str(temproot)
    return env


def verify_app_import(copy: Path, env: dict[str, str]) -> str:
    """Import ``app`` as the tests will and fail unless it is the copy's own."""
    found = subprocess.run([sys.executable, "-c", "import app; print(app.__file__)"], cwd=copy,
                           env=env, check=True, capture_output=True, text=True).stdout.strip()
    if not Path(found).resolve().is_relative_to(copy.resolve()):
        raise SystemExit(f"the copy at {copy} imports app from {found}, not its own code")
    return found

"""pytest plugin for mutation runs only (``-p tools.mutmut_plugin``, set by tools/mutation.py).

1. It stops the run unless ``app`` is imported from mutmut's ``mutants/`` folder: the dev
   virtualenv's editable install points at the checkout, and tests of unmutated code would
   "survive" every mutant.
2. It runs the tests of a mutant fastest first, so that ``-x`` stops at a failure sooner.
3. It saves the time of building the test databases in every pytest session. mutmut runs one
   pytest session per mutant (in a process forked from the one that ran the clean tests), and
   tests/conftest.py migrates a template database and loads the seed dataset once per session:
   about 1.5 s of every mutant. With ``ATLAS_MUTATION_DB_CACHE`` set to a folder, the first
   session with no mutant active (the statistics or clean run) saves the migrated SQLite
   template there, and with ``ATLAS_MUTATION_CACHE_SEEDED=1`` the seeded database too; later
   sessions copy those files instead of rebuilding them. tools/mutation.py sets
   ``ATLAS_MUTATION_CACHE_SEEDED`` only for modules the seed loader does not run (not for
   app/services/upsert.py), so no mutant can hide behind a database built without it.
   If tests/conftest.py no longer has ``Databases.migrated``/``seeded``, this does nothing.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

_CACHE = os.environ.get("ATLAS_MUTATION_DB_CACHE")
_CACHE_SEEDED = os.environ.get("ATLAS_MUTATION_CACHE_SEEDED") == "1"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Run a mutant's tests fastest first (durations from mutmut's statistics run): with -x the
    # first failing test ends the session, so a mutant is killed sooner.
    if _no_mutant_active():
        return
    stats = Path("mutmut-stats.json")
    try:
        durations = json.loads(stats.read_text(encoding="utf-8"))["duration_by_test"]
    except (OSError, ValueError, KeyError):
        return
    items.sort(key=lambda item: durations.get(item.nodeid, durations.get(
        item.nodeid.removeprefix("mutants/"), float("inf"))))


def pytest_sessionstart(session: pytest.Session) -> None:
    import app

    location = Path(app.__file__).resolve()
    if "mutants" not in location.parts:
        raise pytest.UsageError(f"mutation run: app is imported from {location}, not mutants/")


def _no_mutant_active() -> bool:
    return os.environ.get("MUTANT_UNDER_TEST", "") in ("", "stats")


def _path_of(url: str) -> Path:
    from sqlalchemy.engine import make_url

    return Path(make_url(url).database or "")


def _save(source: Path, target: Path) -> None:
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    shutil.copyfile(source, partial)
    partial.replace(target)


def _patch(cls: Any) -> None:
    assert _CACHE is not None
    cache = Path(_CACHE)
    cache.mkdir(parents=True, exist_ok=True)
    migrated_file = cache / "migrated.db"
    seeded_file = cache / "seeded.db"
    original_migrated = cls.migrated
    original_seeded = cls.seeded

    def migrated(self: Any) -> str:
        if not hasattr(self, "_template"):
            return original_migrated(self)
        if self.backend == "sqlite" and self._template is None and migrated_file.is_file():
            self._template = self.empty(template=f"sqlite:///{migrated_file}")
        url = original_migrated(self)
        if self.backend == "sqlite" and not migrated_file.is_file() and _no_mutant_active():
            _save(_path_of(self._template), migrated_file)
        return url

    def seeded(self: Any) -> str:
        if not _CACHE_SEEDED or self.backend != "sqlite" or not hasattr(self, "_seeded"):
            return original_seeded(self)
        if self._seeded is None and seeded_file.is_file():
            self._seeded = self.empty(template=f"sqlite:///{seeded_file}")
        url = original_seeded(self)
        if not seeded_file.is_file() and _no_mutant_active():
            _save(_path_of(url), seeded_file)
        return url

    cls.migrated = migrated
    cls.seeded = seeded
    cls._atlas_mutation_cache = True


def pytest_plugin_registered(plugin: object, manager: pytest.PytestPluginManager) -> None:
    # tests/conftest.py is registered as a plugin when it is collected: patch its Databases.
    if not _CACHE:
        return
    cls = getattr(plugin, "Databases", None)
    if (isinstance(cls, type) and callable(getattr(cls, "migrated", None))
            and callable(getattr(cls, "seeded", None)) and callable(getattr(cls, "empty", None))
            and not getattr(cls, "_atlas_mutation_cache", False)):
        _patch(cls)

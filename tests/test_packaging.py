"""The migrations and the seeds are found however the app is installed, and the wheel has them.

.ci/wheel-smoke goes further: it installs the wheel in an empty folder and serves from it.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from alembic.config import Config

from app import migrations, resources
from app.resources import resource_dir
from app.seeding import DEFAULT_SEEDS_DIR, read_seeds

REPO = Path(__file__).resolve().parents[1]


def _files(folder: Path) -> set[str]:
    """The files under ``folder`` that a build takes (no bytecode), relative to it."""
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts}


def test_the_checkout_folders_are_found() -> None:
    # The tests run from a checkout (editable install): no packaged copy, the top-level folders.
    assert resource_dir("alembic") == REPO / "alembic"
    assert resource_dir("seeds") == REPO / "seeds" == DEFAULT_SEEDS_DIR
    assert (migrations.migrations_dir() / "env.py").is_file()
    assert migrations.alembic_config("sqlite://").get_main_option("script_location") == str(
        REPO / "alembic")
    assert read_seeds().states


def test_a_packaged_copy_comes_first(tmp_path, monkeypatch) -> None:
    package = tmp_path / "app"
    (package / resources.PACKAGED_DIR / "seeds").mkdir(parents=True)
    monkeypatch.setattr(resources, "files", lambda name: package)
    assert resource_dir("seeds") == package / resources.PACKAGED_DIR / "seeds"
    assert resource_dir("alembic") == REPO / "alembic"  # no packaged copy of this one


def test_the_code_applies_alembic_ini_without_it() -> None:
    """alembic.ini's options apply where there is no ini (an installed wheel), and agree."""
    ini = Config(str(REPO / "alembic.ini"))
    from_code = migrations.alembic_config("sqlite://")
    options = set(ini.file_config.options("alembic")) - {"here"}
    # Only for the `alembic` command in the repository: where the scripts are, and app importable.
    command_line_only = {"script_location", "prepend_sys_path"}
    assert options - command_line_only == set(migrations.ALEMBIC_OPTIONS)
    for option in migrations.ALEMBIC_OPTIONS:
        assert from_code.get_main_option(option) == ini.get_main_option(option), option
    assert ini.get_main_option("script_location") == str(REPO / "alembic")


def test_the_wheel_ships_migrations_and_seeds(tmp_path) -> None:
    """Build the wheel as `pip install .` does (about 5 s) and list what it holds."""
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q",
         "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True, timeout=300, check=False)
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = tmp_path.glob("alignment_atlas-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    inside = {name.removeprefix("app/_resources/") for name in names
              if name.startswith("app/_resources/")}

    alembic_files = {f"alembic/{name}" for name in _files(REPO / "alembic")}
    assert "alembic/env.py" in alembic_files
    assert any(name.startswith("alembic/versions/") for name in alembic_files)
    seed_files = {f"seeds/{name}" for name in _files(REPO / "seeds")
                  if not name.startswith("tools/")}
    assert {"seeds/states.csv", "seeds/sources.yaml"} <= seed_files
    assert inside == alembic_files | seed_files

    package_files = {f"app/{name}" for name in _files(REPO / "app")
                     if not name.startswith("web/graphiql/")}  # fetched, git-ignored
    assert {"app/py.typed", "app/importers/data/states.csv"} <= package_files
    assert package_files <= names
    assert not any(name.startswith(("app/web/graphiql/", "seeds/", "alembic/", "tests/"))
                   or "__pycache__" in name for name in names)
    assert "app/cli.py" in names


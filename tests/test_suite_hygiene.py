"""The test suite keeps its own rules: PostgreSQL tests are marked, strict mode misses no skip.

- `pytest -m postgresql` must select the whole PostgreSQL half and `pytest -m "not postgresql"`
  must run without a server. Tests that take the `databases` fixture are marked by a hook in
  conftest.py; every other test that reaches PostgreSQL (through ATLAS_TEST_POSTGRES_URL, the
  throw-away cluster of throwaway_postgres.py, or the `_database_pools` behind `databases`) must
  carry `pytest.mark.postgresql` itself. A scan of the source finds those tests, and pytest's
  own collection of the SQLite half (`-m "not postgresql"`, no server configured) must hold
  none of them, nor any `[postgresql]` parameter of a backend-parametrised test.
- With ATLAS_TEST_STRICT=1 a module that skips while it is imported fails the run: pytest is
  run on a few throw-away test files with tests/conftest.py itself loaded as a plugin.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
CONFTEST = TESTS / "conftest.py"

SIGNAL = "<needs PostgreSQL>"
SIGNAL_STRINGS = {"ATLAS_TEST_POSTGRES_URL"}
SIGNAL_MODULES = {"throwaway_postgres"}


def _backend_fixture(statement: ast.stmt) -> bool:
    """A fixture parametrised over the backends (`databases`: params=BACKENDS): a hook marks
    its PostgreSQL half, which the collection check below verifies."""
    if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    for decorator in statement.decorator_list:
        for keyword in getattr(decorator, "keywords", []):
            if keyword.arg == "params" and any(
                    (isinstance(node, ast.Constant) and node.value == "postgresql")
                    or (isinstance(node, ast.Name) and node.id == "BACKENDS")
                    for node in ast.walk(keyword.value)):
                return True
    return False


def _defined(statement: ast.stmt) -> set[str]:
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {statement.name}
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return {(alias.asname or alias.name).split(".")[0] for alias in statement.names}
    targets = []
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, ast.AnnAssign | ast.AugAssign):
        targets = [statement.target]
    return {node.id for target in targets for node in ast.walk(target) if isinstance(node, ast.Name)}


def _references(statement: ast.stmt) -> set[str]:
    """Names a statement uses (fixture parameters included), plus SIGNAL for a direct need."""
    found = set()
    if isinstance(statement, ast.Import | ast.ImportFrom):
        modules = [statement.module or ""] if isinstance(statement, ast.ImportFrom) else \
            [alias.name for alias in statement.names]
        if any(module.split(".")[0] in SIGNAL_MODULES for module in modules):
            found.add(SIGNAL)
        return found
    pending: list[ast.AST] = [statement]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, ast.Constant) and node.value in SIGNAL_STRINGS:
            found.add(SIGNAL)
        for field, value in ast.iter_fields(node):
            if field in ("annotation", "returns"):
                continue  # type hints name classes, they do not use them
            children = value if isinstance(value, list) else [value]
            pending.extend(child for child in children if isinstance(child, ast.AST))
    return found


def _needing_postgres(tree: ast.Module, inherited: set[str]) -> set[str]:
    """Top-level names that reach PostgreSQL, directly or through other such names."""
    tainted = set(inherited)
    changed = True
    while changed:
        changed = False
        for statement in tree.body:
            if _backend_fixture(statement):
                continue
            new = _defined(statement) - tainted
            if new and _references(statement) & (tainted | {SIGNAL}):
                tainted |= new
                changed = True
    return tainted


def _conftest_names(module: Path) -> set[str]:
    """Names (fixtures) of the conftest.py files above ``module`` that reach PostgreSQL."""
    names: set[str] = set()
    for folder in reversed(module.parents):
        conftest = folder / "conftest.py"
        if folder.is_relative_to(TESTS) and conftest.is_file():
            names |= _needing_postgres(ast.parse(conftest.read_text(encoding="utf-8")), names)
    return names


def postgres_tests() -> set[str]:
    """Node ids (without parameters) of every test that needs PostgreSQL outside `databases`."""
    found = set()
    for module in sorted(TESTS.rglob("test_*.py")):
        if module == Path(__file__).resolve():
            continue  # this file names the signals it looks for
        tree = ast.parse(module.read_text(encoding="utf-8"))
        tainted = _needing_postgres(tree, _conftest_names(module))
        relative = module.relative_to(ROOT).as_posix()
        for statement in tree.body:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef) \
                    and statement.name.startswith("test") and statement.name in tainted:
                found.add(f"{relative}::{statement.name}")
            elif isinstance(statement, ast.ClassDef) and statement.name.startswith("Test") \
                    and statement.name in tainted:
                found |= {f"{relative}::{statement.name}::{item.name}" for item in statement.body
                          if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                          and item.name.startswith("test")}
    return found


def _environment(**changes: str | None) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if name not in ("ATLAS_TEST_POSTGRES_URL", "PYTEST_ADDOPTS")}
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def test_scan_finds_the_known_postgresql_tests() -> None:
    """The scan is not vacuous: it finds the tests we know reach PostgreSQL by themselves."""
    found = postgres_tests()
    assert {
        "tests/test_faults.py::test_outage_and_recovery_without_restart",
        "tests/test_faults.py::test_restart_while_connections_are_pooled",
        "tests/test_timeouts.py::test_statement_timeout_is_set_on_the_app_connections",
        "tests/test_timeouts.py::test_timeout_cancels_the_statement_running_on_postgresql",
    } <= found
    assert any(test.startswith("tests/test_readonly_role.py::") for test in found)
    # Neither the SQLite-only tests of those files nor the `databases` users are in it.
    assert "tests/test_timeouts.py::test_query_within_the_timeout_completes" not in found
    assert not any(test.startswith("tests/graphql/") for test in found)


def test_every_postgresql_test_is_marked() -> None:
    """Collected as CI's SQLite-only half would be (`-m "not postgresql"`, strict, no server
    configured), the suite holds no test that needs PostgreSQL: neither one the scan finds nor
    the PostgreSQL half of a backend-parametrised test."""
    needed = postgres_tests()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-m", "not postgresql"],
        cwd=ROOT, env=_environment(ATLAS_TEST_STRICT="1"), capture_output=True, text=True,
        timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    selected = [line for line in done.stdout.splitlines() if "::" in line]
    assert len(selected) > 100, done.stdout  # the suite was collected
    unmarked = sorted(
        test for test in selected
        if test.split("[")[0] in needed
        or "postgresql" in test.partition("[")[2].rstrip("]").split("-"))
    assert not unmarked, f"add @pytest.mark.postgresql (or pytestmark) to: {unmarked}"


SKIPS_AT_IMPORT = {
    "test_module_skip.py": 'import pytest\n\npytest.skip("no server", allow_module_level=True)\n\n\n'
                           "def test_never() -> None:\n    pass\n",
    "test_importorskip.py": 'import pytest\n\npytest.importorskip("atlas_no_such_module_3f9c")\n\n\n'
                            "def test_never() -> None:\n    pass\n",
    "test_fine.py": "def test_fine() -> None:\n    pass\n",
}


def _run_pytest_with_project_conftest(folder: Path, strict: bool) -> subprocess.CompletedProcess[str]:
    """pytest on ``folder`` with tests/conftest.py (the file itself, through a symlink under a
    unique module name) loaded as a plugin, and nothing else of the project's configuration."""
    plugins = folder / "plugins"
    plugins.mkdir(exist_ok=True)
    link = plugins / "atlas_project_conftest.py"
    if not link.exists():
        link.symlink_to(CONFTEST)
    env = _environment(ATLAS_TEST_STRICT="1" if strict else None,
                       PYTHONPATH=os.pathsep.join(filter(None, [str(plugins),
                                                                os.environ.get("PYTHONPATH")])))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "atlas_project_conftest",
         "-rA", "cases"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_strict_mode_fails_on_skips_at_collection(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    cases = tmp_path / "cases"
    cases.mkdir()
    for name, text in SKIPS_AT_IMPORT.items():
        (cases / name).write_text(text, encoding="utf-8")

    relaxed = _run_pytest_with_project_conftest(tmp_path, strict=False)
    output = relaxed.stdout + relaxed.stderr
    assert relaxed.returncode == 0, output
    assert "1 passed, 2 skipped" in output, output

    strict = _run_pytest_with_project_conftest(tmp_path, strict=True)
    output = strict.stdout + strict.stderr
    assert strict.returncode != 0, output
    assert "2 errors" in output, output
    for name in ("test_module_skip.py", "test_importorskip.py"):
        assert f"cases/{name}: skipped under ATLAS_TEST_STRICT=1" in output, output
    assert "cases/test_fine.py: skipped" not in output

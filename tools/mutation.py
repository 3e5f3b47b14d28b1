"""Mutation testing of the query, service and importer code with mutmut (run by hand, not in CI).

    python -m tools.mutation                       # every group, working tree as it is
    python -m tools.mutation --group graphql       # one group (repeatable)
    python -m tools.mutation --group importers --module 'app/importers/atop.py'
    python -m tools.mutation --ref HEAD            # a commit instead of the working tree
    python -m tools.mutation --report              # print the last results again

For each group it copies the repository to ``<workdir>/<group>/repo`` (never mutating the
checkout), writes the group's modules and tests into the copy's ``[tool.mutmut]`` section, runs
``mutmut run`` there on SQLite only (``-m "not postgresql"``; mutmut maps every test of the
group's selection to the functions it calls and runs, per mutant, only those tests), then prints
the score per module (killed / total) and every survivor as ``file:line`` with its mutation.
A group whose run was cut short continues where it stopped with ``--resume``. See tools/README.md.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tools.repo_copy import REPO, describe, make_copy, test_env, verify_app_import


@dataclass(frozen=True)
class Group:
    """Modules mutated together and the test files that exercise them (SQLite half only)."""

    modules: tuple[str, ...]
    tests: tuple[str, ...]
    # Reuse one seeded database for every mutant: only where the seed loader runs none of
    # the mutated code (the migrated template is always reused; migrations run none of it).
    cache_seeded: bool = True
    note: str = ""


# These compare the query paths with each other on hypothesis-generated queries: a mutant of
# code that every path shares gives the same wrong answer on each, so they seldom kill one, and
# they are the slowest part of tests/graphql (the hand-written cases of test_batched.py stay:
# they kill mutants of ordering.py that nothing else does).
SAME_ON_EVERY_PATH = (
    "--ignore=tests/graphql/test_random_selections.py",
    "--deselect=tests/graphql/test_batched.py::test_generated_queries_same_answers",
)

# Test selections are pytest arguments; paths missing in the copy are left out (new test
# files join when they land).
GROUPS: dict[str, Group] = {
    "graphql": Group(
        modules=("app/graphql/filters.py", "app/graphql/ordering.py", "app/graphql/pages.py",
                 "app/graphql/pagination.py"),
        tests=("tests/graphql/", *SAME_ON_EVERY_PATH, "tests/reference/"),
    ),
    "services": Group(
        modules=("app/services/alignment.py", "app/services/paging.py"),
        tests=("tests/graphql/", *SAME_ON_EVERY_PATH, "tests/reference/"),
    ),
    "upsert": Group(
        modules=("app/services/upsert.py",),
        tests=("tests/importers/", "tests/seeding/", "tests/test_cli_dry_run.py"),
        cache_seeded=False,
        note="the seed loader writes through upsert, so the seeded database is rebuilt per mutant",
    ),
    "importers": Group(
        modules=("app/importers/*.py",),
        tests=("tests/importers/", "tests/test_cli_dry_run.py"),
    ),
}

KILLED = {"killed", "timeout", "caught by type check"}


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def write_group_config(copy: Path, group: Group, modules: list[str], tests: list[str]) -> None:
    """Replace the copy's ``[tool.mutmut]`` with the checkout's, narrowed to one group.

    The base config comes from the checkout's pyproject.toml (the tool's own config, also when
    the copy is an older commit with ``--ref``)."""
    own = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    config = dict(own.get("tool", {}).get("mutmut", {}))
    pyproject = copy / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    if not config:
        raise SystemExit("pyproject.toml has no [tool.mutmut] section")
    config["only_mutate"] = modules
    config["pytest_add_cli_args_test_selection"] = tests
    # Drop the section (up to the next table header) and append the narrowed one.
    text = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text).rstrip() + "\n"
    text += "\n[tool.mutmut]\n" + "".join(f"{key} = {_toml_value(value)}\n"
                                           for key, value in config.items())
    pyproject.write_text(text, encoding="utf-8")


def _clean(output: str) -> str:
    """mutmut's log without its spinner frames."""
    lines = []
    for line in output.replace("\r", "\n").splitlines():
        if line.strip() and not re.match(r"^\s*[⠁-⣿]", line):
            lines.append(line)
    return "\n".join(lines) + "\n"


def run_group(name: str, group: Group, args: argparse.Namespace) -> dict[str, object]:
    base = args.workdir / name
    copy = base / "repo"
    if args.resume and copy.is_dir():
        meta = json.loads((base / "run.json").read_text(encoding="utf-8"))
        # The config as it is now: mutmut re-runs what a changed setting invalidates (e.g. a
        # longer timeout re-runs the mutants that timed out).
        write_group_config(copy, group, meta["modules"], meta["tests"])
        print(f"[{name}] resuming in {copy}", flush=True)
    else:
        if base.exists():
            shutil.rmtree(base)
        make_copy(copy, args.ref)
        # The tool's own files (its pytest plugin) as in the checkout, whatever the ref.
        shutil.copytree(REPO / "tools", copy / "tools", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
        modules = sorted({str(path.relative_to(copy)) for pattern in group.modules
                          for path in copy.glob(pattern) if path.name != "__init__.py"})
        if args.module:
            modules = [m for m in modules if any(fnmatch.fnmatch(m, p) for p in args.module)]
        tests = [test for test in group.tests if test.startswith("-") or (copy / test).exists()]
        if not modules or all(test.startswith("-") for test in tests):
            print(f"[{name}] nothing to run (modules: {modules}, tests: {tests})")
            return {}
        write_group_config(copy, group, modules, tests)
        meta = {"group": name, "commit": describe(args.ref), "modules": modules,
                "tests": tests, "command": " ".join(["python", "-m", "tools.mutation",
                                                     *sys.argv[1:]])}
        (base / "run.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    env = test_env(copy, postgres=False)
    env.pop("PYTHONPATH")  # mutmut puts mutants/ first on the path itself
    env["ATLAS_MUTATION_DB_CACHE"] = str(base / "db-cache")
    # The reference-model property test (tests/reference/) draws 30 examples per list field by
    # default: minutes per surviving mutant. Fewer examples per mutant keep a run feasible.
    env.setdefault("ATLAS_REFERENCE_EXAMPLES", str(args.reference_examples))
    if group.cache_seeded:
        env["ATLAS_MUTATION_CACHE_SEEDED"] = "1"
    verify_app_import(copy, {**env, "PYTHONPATH": str(copy)})
    print(f"[{name}] mutating {', '.join(meta['modules'])} (tests: {' '.join(meta['tests'])}) "
          f"in {copy}", flush=True)
    mutmut = Path(sys.executable).with_name("mutmut")
    command = [str(mutmut) if mutmut.exists() else "mutmut", "run",
               "--max-children", str(args.max_children)]
    started = time.monotonic()
    with open(base / "mutmut.log", "a", encoding="utf-8") as log:
        process = subprocess.run(command, check=False, cwd=copy, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True, errors="replace")
        log.write(_clean(process.stdout))
    elapsed = time.monotonic() - started
    meta["seconds"] = round(elapsed + float(meta.get("seconds", 0)) if args.resume else elapsed)
    (base / "run.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    if process.returncode != 0:
        print(_clean(process.stdout)[-4000:])
        print(f"[{name}] mutmut exited with {process.returncode}; log: {base / 'mutmut.log'}")
    print(f"[{name}] done in {elapsed / 60:.1f} min", flush=True)
    return meta


# --- reading mutmut's results -------------------------------------------------------------


@dataclass
class Mutant:
    module: str
    name: str
    status: str
    seconds: float
    line: int = 0
    change: str = ""


@dataclass
class ModuleResult:
    module: str
    mutants: list[Mutant] = field(default_factory=list)

    def count(self, *statuses: str) -> int:
        return sum(1 for mutant in self.mutants if mutant.status in statuses)


def _function_lines(source: str) -> dict[str, int]:
    """``x_name`` / ``xǁClassǁname`` (mutmut's mangled names) -> the line of the ``def``."""
    lines: dict[str, int] = {}
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines[f"x_{node.name}"] = node.lineno
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    lines[f"xǁ{node.name}ǁ{item.name}"] = item.lineno
    return lines


def _from_def(lines: list[str]) -> list[str]:
    """A function's lines from its ``def`` on (mutmut's spans start with blank lines)."""
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("def ", "async def ")):
            return lines[index:]
    return lines


def _describe_change(original: list[str], mutated: list[str]) -> tuple[int, str]:
    """(offset of the first changed line, "old → new") between two versions of a function."""
    original, mutated = _from_def(original), _from_def(mutated)
    matcher = difflib.SequenceMatcher(a=original[1:], b=mutated[1:], autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old = " ".join(line.strip() for line in original[1 + a1:1 + a2]) or "(nothing)"
        new = " ".join(line.strip() for line in mutated[1 + b1:1 + b2]) or "(line removed)"
        return 1 + a1, f"{old}  →  {new}"
    return 0, "(no textual change)"


def read_results(copy: Path) -> list[ModuleResult]:
    from mutmut.stats import status_by_exit_code

    results = []
    mutants_dir = copy / "mutants"
    for meta_path in sorted(mutants_dir.glob("app/**/*.py.meta")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if not meta.get("exit_code_by_key"):
            continue
        module = str(meta_path.relative_to(mutants_dir))[: -len(".meta")]
        spans_path = meta_path.with_name(meta_path.name[: -len(".meta")] + ".spans")
        spans = json.loads(spans_path.read_text(encoding="utf-8"))["spans"]
        mutated_lines = (mutants_dir / module).read_text(encoding="utf-8").splitlines()
        def_lines = _function_lines((copy / module).read_text(encoding="utf-8"))

        def text(function: str, spans: dict = spans, lines: list[str] = mutated_lines) -> list[str]:
            start, end = spans[function]
            return lines[start - 1:end]

        result = ModuleResult(module)
        for key, exit_code in meta["exit_code_by_key"].items():
            function = key.rsplit(".", 1)[1]
            mangled = function.rsplit("__mutmut_", 1)[0]
            mutant = Mutant(module, key, status_by_exit_code[exit_code],
                            float(meta.get("durations_by_key", {}).get(key, 0.0)))
            if f"{mangled}__mutmut_orig" in spans and function in spans:
                offset, mutant.change = _describe_change(text(f"{mangled}__mutmut_orig"),
                                                         text(function))
                mutant.line = def_lines.get(mangled, 0) + offset
            result.mutants.append(mutant)
        results.append(result)
    return results


def report(names: list[str], workdir: Path, show_all: bool) -> int:
    survivors: list[Mutant] = []
    rows = []
    for name in names:
        base = workdir / name
        if not (base / "run.json").is_file():
            continue
        meta = json.loads((base / "run.json").read_text(encoding="utf-8"))
        for result in read_results(base / "repo"):
            total = len(result.mutants)
            killed = result.count(*KILLED)
            survived = [m for m in result.mutants if m.status == "survived"]
            untested = result.count("no tests")
            unchecked = result.count("not checked")
            other = total - killed - len(survived) - untested - unchecked
            seconds = sum(m.seconds for m in result.mutants)
            rows.append((result.module, killed, total, len(survived), untested, unchecked,
                         other, seconds, name))
            survivors += survived
            if show_all:
                survivors += [m for m in result.mutants
                              if m.status not in KILLED and m.status != "survived"]
        print(f"# group {name}: {meta.get('commit')}, {meta.get('seconds', '?')} s wall, "
              f"tests {' '.join(meta.get('tests', []))}")
    if not rows:
        print(f"no results under {workdir}")
        return 1
    print()
    print(f"{'module':40} {'killed/total':>13} {'score':>7} {'surv':>5} {'untested':>8} "
          f"{'unrun':>6} {'other':>6} {'test-s':>7}")
    all_killed = all_total = 0
    for module, killed, total, surv, untested, unchecked, other, seconds, _ in rows:
        all_killed += killed
        all_total += total
        score = f"{100 * killed / total:.1f}%" if total else "-"
        print(f"{module:40} {f'{killed}/{total}':>13} {score:>7} {surv:>5} {untested:>8} "
              f"{unchecked:>6} {other:>6} {seconds:>7.0f}")
    if all_total:
        print(f"{'all':40} {f'{all_killed}/{all_total}':>13} "
              f"{100 * all_killed / all_total:>6.1f}%")
    print()
    print(f"Survivors ({len(survivors)}): file:line  mutant  original  →  mutated")
    for mutant in sorted(survivors, key=lambda m: (m.module, m.line, m.name)):
        tag = "" if mutant.status == "survived" else f"[{mutant.status}] "
        print(f"{mutant.module}:{mutant.line}  {tag}{mutant.name.rsplit('.', 1)[1]}  "
              f"{mutant.change}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.mutation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--group", action="append", choices=sorted(GROUPS),
                        help="group to run (repeatable; default: all, in the order listed)")
    parser.add_argument("--module", action="append", metavar="GLOB",
                        help="mutate only the group's modules matching GLOB, e.g. "
                             "'app/importers/atop.py' (repeatable)")
    parser.add_argument("--ref", help="mutate this commit (git archive) instead of the "
                                      "working tree")
    parser.add_argument("--workdir", type=Path,
                        default=Path(os.environ.get("ATLAS_MUTATION_WORKDIR",
                                                    "/tmp/atlas-mutation")),
                        help="where the copies and results live (default /tmp/atlas-mutation)")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2,
                        help="mutants tested at once (default: the number of CPUs)")
    parser.add_argument("--reference-examples", type=int, default=5, metavar="N",
                        help="examples per list field of the reference-model test in mutant "
                             "runs (ATLAS_REFERENCE_EXAMPLES; default 5, the suite's is 30)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the previous run of each group in its copy "
                             "(no new copy: code changed since then is not picked up)")
    parser.add_argument("--report", action="store_true",
                        help="only print the results of the last run of the groups")
    parser.add_argument("--all", action="store_true",
                        help="list untested and unchecked mutants along with the survivors")
    args = parser.parse_args(argv)
    names = args.group or list(GROUPS)
    if args.workdir.resolve().is_relative_to(REPO.resolve()):
        parser.error("--workdir must be outside the checkout")
    if not args.report:
        for name in names:
            run_group(name, GROUPS[name], args)
    return report(names, args.workdir, args.all)


if __name__ == "__main__":
    sys.exit(main())

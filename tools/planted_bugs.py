"""Planted-bug check: do the tests catch these known, realistic single-line bugs? (by hand)

    python -m tools.planted_bugs                     # every bug, on the working tree
    python -m tools.planted_bugs --only order-by-desc-ignored --only as-of-exclusive-start
    python -m tools.planted_bugs --list              # names, files, descriptions
    python -m tools.planted_bugs -- -k "not slow"    # extra pytest arguments after --
    python tools/planted_bugs.py ...                 # the same

Each bug is one line of the code replaced by another. The check copies the repository (the
working tree as it is, or ``--ref`` a commit) to a folder of its own -- the checkout is never
touched -- then plants each bug in turn in the copy, runs its test selection (``-x``) and puts
the line back. A bug is KILLED when a test fails that passes without the bug (a failing test is
re-run on the clean copy; one that fails there too is left out of the later runs and the bug is
run again), SURVIVED when all pass. Tests run on SQLite, and on PostgreSQL too when
``ATLAS_TEST_POSTGRES_URL`` is set (``--sqlite-only`` to skip it). A bug whose old line is not
in its file exactly once is REFUSED: the list must be kept true as the code changes. The exit
code is 0 only when every bug selected was KILLED. See tools/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python tools/planted_bugs.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.repo_copy import REPO, describe, make_copy, test_env, verify_app_import

# Test selections run in the order given, and -x stops at the first failure: the most direct
# tests come first.
GRAPHQL = ("tests/reference/", "tests/graphql/")
IMPORTERS = ("tests/importers/",)


@dataclass(frozen=True)
class Bug:
    name: str
    file: str
    old: str  # the whole line, indentation included, without its newline
    new: str
    description: str
    tests: tuple[str, ...] = ("tests/",)  # pytest arguments; missing paths are left out


BUGS: tuple[Bug, ...] = (
    Bug("order-by-desc-ignored", "app/graphql/ordering.py",
        "        clauses.append(column.desc() if direction == SortDirection.DESC else column.asc())",
        "        clauses.append(column.asc())",
        "orderBy sorts ascending whatever the direction (DESC ignored)", GRAPHQL),
    Bug("denied-by-transit-swapped", "app/graphql/filters.py",
        "        for where, link_table in ((self.denied_by, DENIAL), (self.transit_states, TRANSIT)):",
        "        for where, link_table in ((self.denied_by, TRANSIT), (self.transit_states, DENIAL)):",
        "ArmsTransferWhere: deniedBy reads the transit states and transitStates the denials",
        GRAPHQL),
    Bug("as-of-exclusive-start", "app/graphql/filters.py",
        "    return sa.and_(sa.or_(start.is_(None), start <= day), sa.or_(end.is_(None), end > day))",
        "    return sa.and_(sa.or_(start.is_(None), start < day), sa.or_(end.is_(None), end > day))",
        "active_on: what starts on the day does not count yet on that day", GRAPHQL),
    Bug("as-of-inclusive-end", "app/graphql/filters.py",
        "    return sa.and_(sa.or_(start.is_(None), start <= day), sa.or_(end.is_(None), end > day))",
        "    return sa.and_(sa.or_(start.is_(None), start <= day), sa.or_(end.is_(None), end >= day))",
        "active_on: what ends on the day still counts on that day", GRAPHQL),
    Bug("root-alliances-as-of-ignored", "app/graphql/pages.py",
        "    if args.get(\"as_of\") is not None:",
        "    if False:",
        "root alliances(asOf:) returns alliances of every time", GRAPHQL),
    Bug("root-sanctions-regimes-as-of-ignored", "app/graphql/types/sanctions.py",
        "        condition = sa.and_(condition, active_on(t.c.started_on, t.c.ended_on, as_of))",
        "        pass",
        "root sanctionsRegimes(asOf:) (regime_filter) returns regimes of every time", GRAPHQL),
    Bug("regime-in-force-on-ignored", "app/graphql/filters.py",
        "            own.append(active_on(t.c.started_on, t.c.ended_on, self.in_force_on))",
        "            pass",
        "SanctionsRegimeWhere.inForceOn is ignored", GRAPHQL),
    Bug("alliance-in-force-on-ignored", "app/graphql/filters.py",
        "            own.append(active_on(t.c.signed_on, t.c.ended_on, self.in_force_on))",
        "            pass",
        "AllianceWhere.inForceOn is ignored", GRAPHQL),
    Bug("has-member-ignored", "app/graphql/filters.py",
        "        if self.has_member is not None:",
        "        if False:",
        "AllianceWhere.hasMember is ignored", GRAPHQL),
    Bug("measures-include-ignored", "app/graphql/filters.py",
        "        for measure in self.measures_include or []:",
        "        for measure in []:",
        "SanctionsRegimeWhere.measuresInclude is ignored", GRAPHQL),
    Bug("allies-include-self", "app/graphql/types/state.py",
        "            .where(restrict(mine.c.state_id), theirs.c.state_id != mine.c.state_id,",
        "            .where(restrict(mine.c.state_id),",
        "State.allies lists the state itself (self-exclusion dropped)", GRAPHQL),
    Bug("allies-theirs-active-dropped", "app/graphql/types/state.py",
        "                   active_on(theirs.c.joined_on, theirs.c.left_on, day))",
        "                   )",
        "State.allies counts a member that had left, or not yet joined, on the day", GRAPHQL),
    Bug("aligned-with-min-compared-ignored", "app/services/alignment.py",
        "        .having(sa.func.count() >= min_compared)",
        "        .having(sa.func.count() >= 1)",
        "alignedWith ranks states compared on fewer roll calls than minCompared",
        ("tests/graphql/",)),
    Bug("denied-false-as-true", "app/graphql/filters.py",
        "            own.append(denied if self.denied else sa.not_(denied))",
        "            own.append(denied)",
        "ArmsTransferWhere denied: false returns the denied transfers", GRAPHQL),
    Bug("import-dry-run-ignored", "app/importers/cli.py",
        "        return import_atop(engine, alliances, members, dry_run=dry_run, progress=progress)",
        "        return import_atop(engine, alliances, members, dry_run=False, progress=progress)",
        "atlas import atop --dry-run writes the import",
        ("tests/test_cli_dry_run.py", "tests/importers/", "tests/test_cli.py")),
    Bug("seed-dry-run-ignored", "app/cli.py",
        "        load_seeds(settings.database_url, seeds_dir=path, dry_run=dry_run, console=console)",
        "        load_seeds(settings.database_url, seeds_dir=path, dry_run=False, console=console)",
        "atlas seed --dry-run writes the seeds",
        ("tests/test_cli_dry_run.py", "tests/seeding/", "tests/test_cli.py")),
    Bug("atop-source-not-linked", "app/importers/atop.py",
        '        Claim((row["key"],), claim_values(row, sources=[keys["alliance level"]]))',
        '        Claim((row["key"],), claim_values(row, sources=[]))',
        "the ATOP importer's statements cite no source: no alliance is linked to its file",
        IMPORTERS),
    Bug("country-codes-source-not-linked", "app/importers/country_codes.py",
        '        sources = keys if row.get("un_member_from") else keys[:1]',
        "        sources = []",
        "the country-code importer's statements cite no source: no state is linked to its files",
        IMPORTERS),
    Bug("opensanctions-source-not-linked", "app/importers/opensanctions.py",
        "        }, measures=sorted(measures), sources=[release])))",
        "        }, measures=sorted(measures), sources=[])))",
        "the OpenSanctions importer's statements cite no source: no regime is linked to it",
        IMPORTERS),
    Bug("opensanctions-first-of-several-targets", "app/importers/opensanctions.py",
        "        target = targets[0].upper() if len(targets) == 1 else \"\"",
        "        target = targets[0].upper() if targets else \"\"",
        "a programme with several target territories gets the first one as its target state",
        IMPORTERS),
    Bug("auto-seed-false-ignored", "app/cli.py",
        "        if settings.auto_seed and migrations.has_no_data(settings.database_url):",
        "        if migrations.has_no_data(settings.database_url):",
        "ATLAS_AUTO_SEED=false still seeds an empty SQLite database",
        ("tests/test_auto_seed.py", "tests/test_cli.py", "tests/test_settings.py")),
    Bug("statement-timeout-not-set", "app/db.py",
        "            options[\"connect_args\"] = {\"server_settings\": {\"statement_timeout\": milliseconds}}",
        "            pass",
        "the app's PostgreSQL connections get no statement_timeout (PostgreSQL only: "
        "SURVIVES without ATLAS_TEST_POSTGRES_URL)",
        ("tests/test_timeouts.py", "tests/test_timeouts_real_schema.py", "tests/test_production.py")),
)


def occurrences(copy: Path, bug: Bug) -> int:
    path = copy / bug.file
    if not path.is_file():
        return 0
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line == bug.old)


def plant(copy: Path, bug: Bug) -> str:
    """Replace the bug's line in the copy; returns the original text to put back."""
    path = copy / bug.file
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.rstrip("\r\n") == bug.old)
    ending = lines[index][len(bug.old):]
    lines[index] = bug.new + ending
    path.write_text("".join(lines), encoding="utf-8")
    return original


def existing(copy: Path, tests: tuple[str, ...]) -> list[str]:
    return [arg for arg in tests if arg.startswith("-") or (copy / arg.split("::")[0]).exists()]


def failures(report: Path) -> tuple[set[str], set[str]]:
    """(failed test ids, files that failed to collect) as tools/failures_plugin.py wrote them."""
    failed: set[str] = set()
    broken: set[str] = set()
    if report.is_file():
        for line in report.read_text(encoding="utf-8").splitlines():
            kind, _, nodeid = line.partition("\t")
            (broken if kind == "collect" else failed).add(nodeid)
    return failed, broken


class Runner:
    def __init__(self, copy: Path, args: argparse.Namespace) -> None:
        self.copy = copy
        self.postgres = bool(os.environ.get("ATLAS_TEST_POSTGRES_URL")) and not args.sqlite_only
        self.env = test_env(copy, postgres=self.postgres)
        self.extra = list(args.pytest_args)
        self.logs = copy.parent / "logs"
        self.logs.mkdir(exist_ok=True)
        self.left_out: list[str] = []  # tests failing without any bug

    def pytest(self, name: str, tests: list[str], *,
               stop_first: bool) -> tuple[int, Path, float]:
        report = self.logs / f"{name}.failures"
        report.unlink(missing_ok=True)
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "-p", "tools.failures_plugin", *tests]
        if stop_first:
            command.append("-x")
        if not self.postgres:
            command += ["-m", "not postgresql"]
        command += self.left_out + self.extra
        started = time.monotonic()
        with open(self.logs / f"{name}.log", "w", encoding="utf-8") as log:
            log.write(" ".join(command) + "\n\n")
            log.flush()
            code = subprocess.run(command, check=False, cwd=self.copy, env={**self.env,
                                  "ATLAS_FAILURES_FILE": str(report)}, stdout=log,
                                  stderr=subprocess.STDOUT).returncode
        return code, report, time.monotonic() - started


def check(runner: Runner, bug: Bug, tests: list[str]) -> tuple[str, float, str]:
    """Plant ``bug``, run its tests, put the line back: (verdict, seconds, detail).

    A failure counts only if the test passes without the bug: a test (or test file) that
    fails on the clean copy too is left out (``--deselect``/``--ignore``) and the bug re-run."""
    total = 0.0
    for _ in range(5):
        original = plant(runner.copy, bug)
        try:
            code, report, seconds = runner.pytest(bug.name, tests, stop_first=True)
        finally:
            (runner.copy / bug.file).write_text(original, encoding="utf-8")
        total += seconds
        failed, broken = failures(report)
        if code == 0:
            return "SURVIVED", total, "all selected tests passed"
        if code == 5:
            return "SURVIVED", total, "no test selected"
        if not failed and not broken:
            return "ERROR", total, f"pytest exit {code}; see {runner.logs / bug.name}.log"
        culprits = sorted(broken) + sorted(failed)
        code, report, seconds = runner.pytest(f"{bug.name}.clean", culprits, stop_first=False)
        total += seconds
        still_failed, still_broken = failures(report)
        if code == 0 or not (still_failed or still_broken):
            return "KILLED", total, culprits[0]
        for nodeid in sorted(still_broken):
            runner.left_out.append(f"--ignore={nodeid}")
            print(f"    left out, fails to collect without any bug: {nodeid}", flush=True)
        for nodeid in sorted(still_failed):
            runner.left_out.append(f"--deselect={nodeid}")
            print(f"    left out, fails without any bug: {nodeid}", flush=True)
    return "ERROR", total, "tests kept failing without the bug; see the logs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.planted_bugs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="check only this bug (repeatable; see --list)")
    parser.add_argument("--list", action="store_true", help="list the bugs and exit")
    parser.add_argument("--ref", help="check this commit (git archive) instead of the working tree")
    parser.add_argument("--workdir", type=Path, help="folder for the copy and the logs "
                        "(default: a new temporary folder, removed unless --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the copy and the logs")
    parser.add_argument("--sqlite-only", action="store_true",
                        help="skip the PostgreSQL half even when ATLAS_TEST_POSTGRES_URL is set")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)

    names = [bug.name for bug in BUGS]
    assert len(set(names)) == len(names), "bug names must be unique"
    if args.list:
        for bug in BUGS:
            print(f"{bug.name:40} {bug.file:32} {bug.description}\n{'':40} tests: "
                  f"{' '.join(bug.tests)}")
        return 0
    unknown = sorted(set(args.only or ()) - set(names))
    if unknown:
        parser.error(f"unknown bug(s) {', '.join(unknown)}; see --list")
    selected = [bug for bug in BUGS if not args.only or bug.name in args.only]

    base = args.workdir or Path(tempfile.mkdtemp(prefix="atlas-planted-"))
    if base.resolve().is_relative_to(REPO.resolve()):
        parser.error("--workdir must be outside the checkout")
    copy = base / "repo"
    if copy.exists():
        shutil.rmtree(copy)
    make_copy(copy, args.ref)
    # The tool's own files (its pytest plugin) as in the checkout, whatever the ref.
    shutil.copytree(REPO / "tools", copy / "tools", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    runner = Runner(copy, args)
    print(f"code: {describe(args.ref)}; copy: {copy} (app imported from "
          f"{verify_app_import(copy, runner.env)}); databases: "
          f"{'SQLite and PostgreSQL' if runner.postgres else 'SQLite only'}", flush=True)

    results: list[tuple[Bug, str, float, str]] = []
    plantable = []
    for bug in selected:
        count = occurrences(copy, bug)
        if count != 1:
            results.append((bug, "REFUSED", 0.0, f"old line found {count} times in {bug.file}"))
        else:
            plantable.append(bug)

    for bug in plantable:
        tests = existing(copy, bug.tests)
        if not any(not arg.startswith("-") for arg in tests):
            results.append((bug, "SURVIVED", 0.0, "none of its test paths exist: "
                            + " ".join(bug.tests)))
            continue
        verdict, seconds, detail = check(runner, bug, tests)
        results.append((bug, verdict, seconds, detail))
        print(f"{verdict:8} {bug.name:40} {seconds:6.0f} s  {detail}", flush=True)

    print()
    print(f"{'result':8} {'bug':40} {'time':>7}  caught by / note")
    for bug, verdict, seconds, detail in sorted(results, key=lambda r: names.index(r[0].name)):
        print(f"{verdict:8} {bug.name:40} {seconds:6.0f}s  {detail}")
    killed = sum(1 for _, verdict, _, _ in results if verdict == "KILLED")
    print(f"\n{killed}/{len(results)} planted bugs killed")
    if args.workdir is None and not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    else:
        print(f"copy and logs kept in {base}")
    return 0 if killed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())

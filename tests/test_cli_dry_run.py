"""`--dry-run` of `atlas import <kind>` and `atlas seed`: it reports the plan and writes nothing.

Each command runs as a user runs it (the `atlas` CLI, settings from ``ATLAS_DATABASE_URL``) on a
real database; a canonical dump of every table (all rows, sorted) taken before and after must be
identical, and the printed report must announce work (non-zero counts, checked against figures
read from the input files themselves). A real run afterwards then writes what the dry run
announced, counted by SQL.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers_dump import canonical_dump, row_counts, table_count
from typer.testing import CliRunner

from app.cli import cli
from app.db import create_sync_engine
from app.importers.cli import import_cli
from app.seeding import DEFAULT_SEEDS_DIR

runner = CliRunner()

UNDL_FILE = Path("unga-ukraine-votes") / "unga_ukraine_resolutions_extract.csv"


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _programme_files(data: Path) -> int:
    return len(list((data / "opensanctions-programs" / "programs").glob("*.yml")))


def _atop_alliances(data: Path) -> int:
    rows = _csv_rows(data / "atop-v4-alliances" / "atop-alliance-level.csv")
    return len({row["atopid"] for row in rows})


SIPRI_FILE = Path("sipri-trade-register") / "trade-register.csv"
SIPRI_RECIPIENTS = (b"Belarus", b"India", b"Iran", b"Russia")


def _sipri_extract(data: Path, folder: Path) -> tuple[list[Path], int]:
    """The register's preamble and header with the deals of a few recipients (whole lines of
    16 cells): the real layout at a fraction of the 29,500 deals, to keep the test quick."""
    lines = (data / SIPRI_FILE).read_bytes().splitlines(keepends=True)
    header = next(n for n, line in enumerate(lines) if line.startswith(b"Recipient,Supplier,"))
    deals = [line for line in lines[header + 1:]
             if line.split(b",", 1)[0] in SIPRI_RECIPIENTS
             and len(next(csv.reader([line.decode("cp1252")]))) == 16]
    path = folder / SIPRI_FILE.name
    path.write_bytes(b"".join(lines[:header + 1] + deals))
    return [path], len(deals)


def _counted(names: tuple[str | Path, ...], count: Callable[[Path], int]
             ) -> Callable[[Path, Path], tuple[list[Path], int]]:
    return lambda data, _folder: ([data / name for name in names], count(data))


# kind -> (the table it is about, its input files and the rows of that table they hold, read
# from the files themselves; None where the file alone does not say).
IMPORTS: dict[str, tuple[str, Callable[[Path, Path], tuple[list[Path], int | None]]]] = {
    # The members and the other states the importers know that the codelist holds: counted
    # exactly in tests/importers/test_country_codes.py.
    "country-codes": ("state", _counted(("country-codes",), lambda _data: None)),
    "undl-votes": ("resolution", _counted((UNDL_FILE,), lambda data: len(_csv_rows(data / UNDL_FILE)))),
    "sipri": ("arms_transfer", _sipri_extract),
    "opensanctions-programs": ("sanctions_regime",
                               _counted(("opensanctions-programs",), _programme_files)),
    "atop": ("alliance", _counted(("atop-v4-alliances",), _atop_alliances)),
}


def report_table(output: str) -> dict[str, dict[str, int]]:
    """The counts table the command printed: table name -> {inserted, updated, ...}."""
    header: list[str] | None = None
    rows: dict[str, dict[str, int]] = {}
    for line in output.splitlines():
        if "┃" in line and "table" in line and "inserted" in line:
            header = [cell.strip() for cell in line.strip().strip("┃").split("┃")]
        elif header and line.lstrip().startswith("│"):
            cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
            if len(cells) == len(header) and all(re.fullmatch(r"\d+", c) for c in cells[1:]):
                rows[cells[0]] = {name: int(value) for name, value in zip(header[1:], cells[1:],
                                                                           strict=True)}
    assert header is not None, f"no counts table in the output:\n{output}"
    return rows


def _filled(url: str) -> set[str]:
    """The tables holding rows, but for Alembic's own."""
    return {name for name, rows in canonical_dump(url).items()
            if rows and name != "alembic_version"}


def _atlas(monkeypatch: pytest.MonkeyPatch, url: str, *args: str) -> str:
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _flat(output: str) -> str:
    """The output with line breaks (rich wraps long titles) read as spaces."""
    return " ".join(output.split())


def _assert_unchanged(before: dict, url: str) -> None:
    after = canonical_dump(url)
    changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
    assert not changed, (f"the dry run wrote to {changed}: rows before {row_counts(before)}, "
                         f"after {row_counts(after)}")


@pytest.mark.shared_data
@pytest.mark.parametrize("kind", sorted(IMPORTS))
def test_import_dry_run_writes_nothing_and_reports_the_plan(
        kind: str, migrated_db: str, shared_data: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    table, inputs = IMPORTS[kind]
    files, expected = inputs(shared_data, tmp_path)
    paths = [str(path) for path in files]
    before = canonical_dump(migrated_db)

    output = _atlas(monkeypatch, migrated_db, "import", kind, *paths, "--dry-run")

    _assert_unchanged(before, migrated_db)
    assert "(dry run, nothing written)" in _flat(output)
    planned = report_table(output)
    assert planned[table]["inserted"] > 0, output
    if expected is not None:
        assert planned[table]["inserted"] == expected, output
    assert planned["source"]["inserted"] >= 1, output

    # What the dry run announced is what a real run writes (the database started empty).
    _atlas(monkeypatch, migrated_db, "import", kind, *paths, "--quiet")
    for name, counts in planned.items():
        assert table_count(migrated_db, name) == counts["inserted"], name
    assert _filled(migrated_db) == {name for name, c in planned.items() if c["inserted"]}


def test_every_import_kind_is_covered() -> None:
    """A new `atlas import` kind must be added to IMPORTS (and so to the dry-run test)."""
    assert {command.name for command in import_cli.registered_commands} == set(IMPORTS)


def _seed_states() -> int:
    return len(_csv_rows(DEFAULT_SEEDS_DIR / "states.csv"))


def test_seed_dry_run_on_a_migrated_database(migrated_db: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    before = canonical_dump(migrated_db)

    output = _atlas(monkeypatch, migrated_db, "seed", "--dry-run")

    _assert_unchanged(before, migrated_db)
    assert "Seed dataset (dry run: nothing written)" in _flat(output)
    planned = report_table(output)
    assert planned["state"]["inserted"] == _seed_states()
    assert planned["total"]["inserted"] > planned["state"]["inserted"]

    _atlas(monkeypatch, migrated_db, "seed")
    for name, counts in planned.items():
        if name != "total":
            assert table_count(migrated_db, name) == counts["inserted"], name
    assert _filled(migrated_db) == {name for name, c in planned.items()
                                    if c["inserted"] and name != "total"}


@pytest.mark.shared_data
def test_seed_dry_run_over_seeds_and_an_import(databases: object, shared_data: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeds then `atlas import country-codes`: the import adds its statements without undoing
    the seeds (our names stay served), so the seeds have nothing to put back."""
    url = databases.empty(template=databases.seeded())  # type: ignore[attr-defined]
    _atlas(monkeypatch, url, "import", "country-codes", str(shared_data / "country-codes"),
           "--quiet")
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            names = dict(connection.execute(sa.text(
                "SELECT iso3, name FROM state WHERE iso3 IN ('RUS', 'PRK', 'VAT', 'BHS')")).all())
    finally:
        engine.dispose()
    assert names == {"RUS": "Russia", "PRK": "North Korea", "VAT": "Holy See", "BHS": "Bahamas"}
    before = canonical_dump(url)

    output = _atlas(monkeypatch, url, "seed", "--dry-run")

    _assert_unchanged(before, url)
    planned = report_table(output)
    for column in ("inserted", "updated", "deleted", "retired"):
        assert planned["total"][column] == 0, output
    assert "Nothing to change" in _flat(output)

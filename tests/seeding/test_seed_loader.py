"""The loader's promises: idempotent, all-or-nothing, errors that name file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from app.cli import cli
from app.db import create_sync_engine
from app.models import metadata
from app.seeding import DEFAULT_SEEDS_DIR, SeedError, load_seeds

COUNTED = ("state", "source", "resolution", "vote", "sanctions_regime", "arms_transfer",
           "alliance", "alliance_membership", "transfer_denial", "transfer_violation",
           "regime_measure", "alliance_membership_source")


def snapshot(url: str) -> dict[str, object]:
    """Row counts per table plus a few values a broken load would change."""
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            counts: dict[str, object] = {
                name: connection.scalar(sa.select(sa.func.count()).select_from(
                    metadata.tables[name])) for name in COUNTED}
            counts["es-11-4 votes"] = sorted(connection.execute(sa.text(
                "SELECT s.iso3, v.position FROM vote v JOIN state s ON s.id = v.state_id "
                "JOIN resolution r ON r.id = v.resolution_id WHERE r.symbol = 'A/RES/ES-11/4'"
            )).all())
            return counts
    finally:
        engine.dispose()


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the seed folder that a test may break."""
    return Path(shutil.copytree(DEFAULT_SEEDS_DIR, tmp_path / "seeds"))


def replace_line(path: Path, old: str, new: str) -> int:
    """Replace the first line containing ``old``; return its 1-based number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        if old in line:
            lines[number - 1] = line.replace(old, new)
            path.write_text("".join(lines), encoding="utf-8")
            return number
    raise AssertionError(f"{old!r} not in {path}")


def test_a_second_run_changes_nothing_and_says_so(migrated_db: str) -> None:
    first = load_seeds(migrated_db)
    assert first.changed and first.tables["vote"].inserted == 7 * 193
    before = snapshot(migrated_db)
    second = load_seeds(migrated_db)
    assert not second.changed
    assert second.total().inserted == second.total().updated == second.total().deleted == 0
    assert snapshot(migrated_db) == before


def test_a_dry_run_reports_but_writes_nothing(migrated_db: str) -> None:
    report = load_seeds(migrated_db, dry_run=True)
    assert report.dry_run and report.tables["state"].inserted == 197
    assert snapshot(migrated_db)["state"] == 0


@pytest.mark.parametrize(("file", "old", "new", "reason"), [
    ("votes/a-res-es-11-4.csv", "NIC,NO", "NIX,NO", "unknown iso3 'NIX'"),
    ("votes/a-res-es-11-4.csv", "NIC,NO", "NIC,NAY", "unknown value 'NAY'"),
    ("alliances.yaml", "joined_on: 2024-03-07", "joined_on: 2024-02-30", "not a date"),
    ("arms_transfers.yaml", "evidence: REPORTED", "evidence: RUMOURED", "unknown value"),
    ("states.csv", "un-member-states;countrycode-codelist", "", "has no source"),
])
def test_a_bad_row_leaves_the_database_untouched_and_names_the_line(
        migrated_db: str, seeds_copy: Path, file: str, old: str, new: str, reason: str) -> None:
    load_seeds(migrated_db)
    before = snapshot(migrated_db)
    # Change a good value too, so a partial write would show in the snapshot.
    replace_line(seeds_copy / "votes/a-res-es-11-4.csv", "UKR,YES", "UKR,ABSTAIN")
    replace_line(seeds_copy / "votes/a-res-es-11-4.csv", "CHN,ABSTAIN", "CHN,YES")
    line = replace_line(seeds_copy / file, old, new)
    with pytest.raises(SeedError) as caught:
        load_seeds(migrated_db, seeds_dir=seeds_copy)
    assert caught.value.file == file
    assert caught.value.line == line
    assert reason in str(caught.value)
    assert f"line {line}" in str(caught.value)
    assert snapshot(migrated_db) == before


def test_votes_that_do_not_reproduce_the_tally_are_refused(migrated_db: str,
                                                           seeds_copy: Path) -> None:
    replace_line(seeds_copy / "votes/a-res-es-11-4.csv", "UKR,YES", "UKR,ABSTAIN")
    with pytest.raises(SeedError, match="tally says yes = 143") as caught:
        load_seeds(migrated_db, seeds_dir=seeds_copy)
    assert caught.value.file == "resolutions.yaml"
    assert snapshot(migrated_db)["vote"] == 0


def test_two_roll_calls_naming_one_record_are_refused(migrated_db: str,
                                                       seeds_copy: Path) -> None:
    # The record id is a roll call's identity: two would silently become one row.
    line = replace_line(seeds_copy / "resolutions.yaml", 'undl_record_id: "4003921"',
                        'undl_record_id: "3990400"')
    with pytest.raises(SeedError, match="record 3990400 is already A/RES/ES-11/4's") as caught:
        load_seeds(migrated_db, seeds_dir=seeds_copy)
    assert (caught.value.file, caught.value.line) == ("resolutions.yaml", line)
    assert snapshot(migrated_db)["state"] == 0


def _refuse_memberships(url: str) -> None:
    """A trigger that makes the database refuse the last rows the seeds write."""
    engine = create_sync_engine(url)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"))
            connection.execute(sa.text(
                "CREATE TRIGGER refuse BEFORE INSERT ON alliance_membership "
                "FOR EACH ROW EXECUTE FUNCTION refuse()"))
        else:
            connection.execute(sa.text(
                "CREATE TRIGGER refuse BEFORE INSERT ON alliance_membership "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"))
    engine.dispose()


def test_a_database_error_rolls_everything_back(migrated_db: str, seeds_copy: Path) -> None:
    # The files pass every check; the database refuses the memberships, written after
    # thousands of other rows: none of them stays.
    _refuse_memberships(migrated_db)
    with pytest.raises(SeedError, match="database refused.*refused by the test"):
        load_seeds(migrated_db, seeds_dir=seeds_copy)
    assert snapshot(migrated_db)["state"] == 0
    assert snapshot(migrated_db)["vote"] == 0


def test_atlas_seed_command(migrated_db: str, seeds_copy: Path,
                            monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ATLAS_DATABASE_URL", migrated_db)
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "var"))
    runner = CliRunner()
    first = runner.invoke(cli, ["seed"])
    assert first.exit_code == 0, first.output
    assert "inserted" in first.output
    second = runner.invoke(cli, ["seed"])
    assert second.exit_code == 0 and "Nothing to change" in second.output
    line = replace_line(seeds_copy / "states.csv", "RUS,RU,643", "RUS,RU,6x3")
    failed = runner.invoke(cli, ["seed", "--path", str(seeds_copy)])
    assert failed.exit_code == 1
    assert f"states.csv, line {line}" in " ".join(failed.output.split())


def test_an_edited_fact_is_updated_in_place(migrated_db: str, seeds_copy: Path) -> None:
    load_seeds(migrated_db)
    replace_line(seeds_copy / "arms_transfers.yaml", "comments: Used by Russia as the Geran-1.",
                 "comments: Flown by Russia as the Geran-1.")
    report = load_seeds(migrated_db, seeds_dir=seeds_copy)
    changed = {name: counts for name, counts in report.tables.items() if counts.changed}
    # The fact and its seeds statement, and the seed release's checksum (the source that
    # retires what the files drop).
    assert list(changed) == ["source", "arms_transfer", "arms_transfer_statement"]
    assert changed["source"].updated == 1
    assert changed["arms_transfer"].updated == 1

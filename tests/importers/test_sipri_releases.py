"""SIPRI releases: a deal keeps its id across releases, and what a release drops is retired.

The cases come from ``../shared/cases``: the October 2024 and March 2025 registers list the same
three HMMWV deals to Afghanistan (same recipient, supplier, year and designation) in opposite
orders and with revised details. The right outcome is read from the files themselves: a deal is
the row with the same number ordered.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from app.db import create_sync_engine
from app.importers.sipri import import_sipri
from app.models import ArmsTransfer, Source
from app.seeding import load_seeds

CASES = Path(__file__).parents[3] / "shared" / "cases"
OCTOBER, MARCH = CASES / "sipri_release_order_2024-10.csv", CASES / "sipri_release_order_2025-03.csv"


def _deals_in(path: Path) -> list[dict[str, str]]:
    """The file's deals as SIPRI writes them: number ordered -> its row (independent reading)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Recipient,"))
    return [dict(zip(("recipient", "supplier", "year", "_", "ordered", "__", "designation",
                      "description", "delivered", "delivered_mark"), row, strict=False))
            for row in csv.reader(lines[header + 1:]) if row]


def _held(engine: Engine) -> dict[int, tuple[int, str, str | None, bool, int | None]]:
    """number ordered -> (row id, external id, description, delivered estimate, retired by)."""
    table = ArmsTransfer.__table__
    with engine.connect() as connection:
        rows = connection.execute(sa.select(
            table.c.number_ordered, table.c.id, table.c.external_id, table.c.weapon_description,
            table.c.number_delivered_estimate, table.c.retired_by_source_id)).all()
    return {row[0]: tuple(row[1:]) for row in rows}


@pytest.fixture(autouse=True)
def _cases_present() -> None:
    assert OCTOBER.is_file() and MARCH.is_file(), f"the SIPRI release cases are missing in {CASES}"


def test_the_files_list_the_same_deals_in_another_order() -> None:
    # What the test rests on, read from the files: same deals, other order, revised details.
    october, march = _deals_in(OCTOBER), _deals_in(MARCH)
    assert [d["ordered"] for d in october] == ["237", "2566", "4002"]
    assert [d["ordered"] for d in march] == ["4002", "2566", "237"]
    assert {d["description"] for d in october} == {"APV"} and {d["description"] for d in march} == {"APC"}


def test_a_deal_keeps_its_row_and_id_in_a_newer_release(engine: Engine) -> None:
    import_sipri(engine, OCTOBER)
    before = _held(engine)
    report = import_sipri(engine, MARCH)
    after = _held(engine)
    assert set(after) == {237, 2566, 4002} and len(after) == 3  # no deal added, none lost
    for ordered in (237, 2566, 4002):
        assert after[ordered][:2] == before[ordered][:2], f"the {ordered}-unit deal moved"
        assert after[ordered][2] == "APC"  # the newer release's description is served
        assert after[ordered][4] is None  # still current
    # The 237-unit deal lost its '?' on the number delivered in March; the others had one.
    assert before[237][3] is True and after[237][3] is False
    assert report.counts["arms_transfer"].updated == 3
    assert report.counts["arms_transfer"].inserted == 0


def test_ids_do_not_depend_on_which_release_came_first(engine: Engine, tmp_path: Path) -> None:
    import_sipri(engine, MARCH)
    first = {ordered: values[1] for ordered, values in _held(engine).items()}
    other = tmp_path / "other.db"
    other_engine = create_sync_engine(f"sqlite:///{other}")
    try:
        from app.migrations import upgrade

        upgrade(f"sqlite:///{other}")
        import_sipri(other_engine, OCTOBER)
        import_sipri(other_engine, MARCH)
        second = {ordered: values[1] for ordered, values in _held(other_engine).items()}
    finally:
        other_engine.dispose()
    assert first == second
    assert len(set(first.values())) == 3


def _without(path: Path, tmp_path: Path, ordered: str, generated: str) -> Path:
    """A copy of a release without the deal of ``ordered`` units, generated on another day."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if f",{ordered},," not in line and f",{ordered}," not in line]
    assert len(kept) == len(lines) - 1
    kept[0] = f"Data generated: {generated}\n"
    target = tmp_path / f"sipri_{generated.replace(' ', '_')}.csv"
    target.write_text("".join(kept), encoding="utf-8")
    return target


def test_a_deal_a_newer_release_drops_is_retired_not_deleted(engine: Engine, tmp_path: Path) -> None:
    import_sipri(engine, MARCH)
    held = _held(engine)
    newer = _without(MARCH, tmp_path, "2566", "1 Jun 2025")
    report = import_sipri(engine, newer)
    assert report.counts["arms_transfer"].retired == 1
    after = _held(engine)
    assert set(after) == {237, 2566, 4002}  # kept
    with engine.connect() as connection:
        dropped_by = connection.scalar(sa.select(Source.__table__.c.file_name)
                                       .where(Source.__table__.c.id == after[2566][4]))
    assert dropped_by == newer.name
    assert after[237][4] is None and after[4002][4] is None
    assert after[2566][:2] == held[2566][:2]
    # The deal comes back when a release holds it again: current, same row.
    again = import_sipri(engine, MARCH)
    assert _held(engine)[2566][4] is None and _held(engine)[2566][:2] == held[2566][:2]
    assert again.counts["arms_transfer"].retired == 0


SHAHED = ("Russia,Iran,2022,,6600,?,Shahed-136,one-way attack drone,4600,,2022; 2023; 2024,New,"
          "Russian designation Geran-2,0.1,660,460")


def test_a_release_never_retires_what_the_seeds_assert(engine: Engine, migrated_db: str,
                                                       tmp_path: Path) -> None:
    load_seeds(migrated_db)
    header = MARCH.read_text(encoding="utf-8").splitlines()[:2]
    with_shahed = tmp_path / "with.csv"
    with_shahed.write_text("\n".join([*header, SHAHED]) + "\n", encoding="utf-8")
    import_sipri(engine, with_shahed)
    shutil.copy(MARCH, tmp_path / "without.csv")
    report = import_sipri(engine, tmp_path / "without.csv")  # no Shahed-136 in it
    assert report.counts["arms_transfer"].retired == 0  # the seeds still assert the deal
    table = ArmsTransfer.__table__
    with engine.connect() as connection:
        shahed = connection.execute(sa.select(table.c.retired_by_source_id, table.c.comments)
                                    .where(table.c.weapon_designation == "Shahed-136")).one()
    assert shahed.retired_by_source_id is None
    assert shahed.comments.startswith("Bought for the war against Ukraine")  # the seeds' words

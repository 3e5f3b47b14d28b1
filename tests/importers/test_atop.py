"""`atlas import atop` on ATOP v4's real alliance and member files, and broken copies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from app.importers import ImportFailure
from app.importers.atop import ALLIANCE_FILE, MEMBER_FILE, import_atop
from app.models import Alliance, AllianceKind, AllianceMembership, State

FOLDER = Path("atop-v4-alliances")


def members(engine: Engine, atop_id: int) -> list[tuple[str, dt.date, dt.date | None]]:
    query = (sa.select(State.iso3, AllianceMembership.joined_on, AllianceMembership.left_on)
             .join(AllianceMembership, AllianceMembership.state_id == State.id)
             .join(Alliance, Alliance.id == AllianceMembership.alliance_id)
             .where(Alliance.atop_id == atop_id)
             .order_by(AllianceMembership.joined_on, State.iso3))
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]  # type: ignore[misc]


@pytest.mark.shared_data
def test_real_files_give_nato_and_csto(engine: Engine, shared_data: Path) -> None:
    folder = shared_data / FOLDER
    report = import_atop(engine, folder / ALLIANCE_FILE, folder / MEMBER_FILE)
    assert report.counts["alliance"].inserted == 745
    nato = members(engine, 3180)
    assert ("USA", dt.date(1949, 4, 4), None) in nato  # two ATOP phases, one membership
    assert ("TUR", dt.date(1951, 10, 22), None) in nato
    csto = members(engine, 4220)
    assert [row for row in csto if row[0] == "UZB"] == [
        ("UZB", dt.date(1992, 5, 15), dt.date(1999, 4, 20)),
        ("UZB", dt.date(2006, 8, 17), dt.date(2012, 6, 28))]
    with engine.connect() as connection:
        kind = connection.execute(sa.select(Alliance.kind).where(Alliance.atop_id == 3180)).scalar()
    assert kind is AllianceKind.DEFENSE_PACT
    assert any("COW code 300" in warning for warning in report.warnings)  # Austria-Hungary
    again = import_atop(engine, folder / ALLIANCE_FILE, folder / MEMBER_FILE)
    assert (again.total("inserted"), again.total("updated")) == (0, 0)


@pytest.mark.shared_data
def test_alliance_already_held_keeps_its_names(engine: Engine, shared_data: Path) -> None:
    with engine.begin() as connection:
        connection.execute(sa.insert(Alliance).values(
            key="NATO", name="North Atlantic Treaty Organization", short_name="NATO",
            kind=AllianceKind.DEFENSE_PACT, atop_id=3180))
    folder = shared_data / FOLDER
    import_atop(engine, folder / ALLIANCE_FILE, folder / MEMBER_FILE)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(Alliance.key, Alliance.name)
                                  .where(Alliance.atop_id == 3180)).all()
    assert rows == [("NATO", "North Atlantic Treaty Organization")]
    assert len(members(engine, 3180)) > 20


def small_files(tmp_path: Path, member_rows: list[str]) -> tuple[Path, Path]:
    alliances = tmp_path / ALLIANCE_FILE
    alliances.write_text("atopid,begyr,begmo,begday,endyr,endmo,endday,defense,offense,neutral,"
                         "nonagg,consul\n4220,1992,5,15,0,0,0,1,0,0,0,1\n", encoding="utf-8")
    members_file = tmp_path / MEMBER_FILE
    members_file.write_text("atopid,member,yrent,moent,dayent,yrexit,moexit,dayexit\n"
                            + "\n".join(member_rows) + "\n", encoding="utf-8")
    return alliances, members_file


def test_cow_365_is_the_soviet_union_before_1992_and_russia_after(engine: Engine,
                                                                  tmp_path: Path) -> None:
    import_atop(engine, *small_files(tmp_path, ["4220,365,1992,5,15,0,0,0",
                                                "4220,365,1960,1,1,1970,1,1"]))
    assert members(engine, 4220) == [("SUN", dt.date(1960, 1, 1), dt.date(1970, 1, 1)),
                                     ("RUS", dt.date(1992, 5, 15), None)]


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        (["4220,365,1992,5,15,0,0,0", "4220,703,1992,13,15,0,0,0"], 3, "1992-13-15 is not a date"),
        (["4220,365,1992,5"], 2, "4 cells where the header has 8"),
        (["4220,365,1992,5,15,0,0,0", "4221,703,1992,5,15,0,0,0"], None, "atopid(s) [4221]"),
    ],
    ids=["bad-date", "too-few-cells", "unknown-alliance"],
)
def test_broken_member_file_writes_nothing(engine: Engine, tmp_path: Path, rows: list[str],
                                           line: int | None, reason: str,
                                           row_count: Callable[[str], int]) -> None:
    alliances, members_file = small_files(tmp_path, rows)
    with pytest.raises(ImportFailure) as failure:
        import_atop(engine, alliances, members_file)
    assert (failure.value.path, failure.value.line) == (members_file, line)
    assert reason in failure.value.reason
    assert row_count("alliance") == 0 and row_count("state") == 0

"""`atlas import sipri` on SIPRI's real trade register and on small broken files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from app.importers import ImportFailure
from app.importers.sipri import import_sipri
from app.importers.sipri_categories import weapon_category
from app.models import ArmsTransfer, PartyKind, PartyName, State, TransferStatus, WeaponCategory
from app.models.links import arms_transfer_source

REGISTER = Path("sipri-trade-register") / "trade-register.csv"
PREAMBLE = "Transfers of major conventional arms.\nA '?' in a column indicates uncertain data.\n" \
           "Source: SIPRI Arms Transfers Database (c) SIPRI.\nData generated: 13 Mar 2025 10:02:49 AM\n"
HEADER = ("Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon "
          "description,Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
          "SIPRI TIV for total order,SIPRI TIV of delivered weapons")
SHAHED = ("Russia,Iran,2022,,6600,?,Shahed-136,one-way attack drone,4600,,2022; 2023; 2024,New,"
          "Russian designation Geran-2,0.1,660,460")


def register(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "trade-register.csv"
    path.write_bytes(("\n".join([PREAMBLE + HEADER, *rows]) + "\n").encode("cp1252"))
    return path


def transfers(engine: Engine, supplier: str, recipient: str) -> list[sa.Row]:
    sup, rec = aliased(State), aliased(State)
    query = (sa.select(ArmsTransfer).join(sup, sup.id == ArmsTransfer.supplier_state_id)
             .join(rec, rec.id == ArmsTransfer.recipient_state_id)
             .where(sup.iso3 == supplier, rec.iso3 == recipient)
             .order_by(ArmsTransfer.weapon_designation))
    with engine.connect() as connection:
        return list(connection.execute(query).all())


@pytest.mark.shared_data
def test_real_register_lands_with_shahed_numbers(engine: Engine, shared_data: Path) -> None:
    report = import_sipri(engine, shared_data / REGISTER)
    assert report.counts["arms_transfer"].inserted == 29_515
    assert report.facts["rows split over two lines, joined"] == 4
    assert report.warnings == []
    deals = {row.weapon_designation: row for row in transfers(engine, "IRN", "RUS")}
    assert {"Shahed-136", "Shahed-131", "Shahed-238", "Mohajer-6"} <= set(deals)
    shahed = deals["Shahed-136"]
    assert (shahed.ordered_year, shahed.number_ordered, shahed.number_ordered_estimate,
            shahed.number_delivered, shahed.delivery_years, shahed.first_delivery_year,
            shahed.last_delivery_year) == (2022, 6600, True, 4600, "2022; 2023; 2024", 2022, 2024)
    assert shahed.category is WeaponCategory.UAV
    assert shahed.status is TransferStatus.DELIVERING
    assert shahed.sipri_tiv_total == 660
    assert {row.weapon_designation for row in transfers(engine, "PRK", "RUS")} >= {"Hwasong-11"}
    with engine.connect() as connection:
        kinds = dict(connection.execute(sa.union(
            sa.select(ArmsTransfer.supplier_name, ArmsTransfer.supplier_kind),
            sa.select(ArmsTransfer.recipient_name, ArmsTransfer.recipient_kind))).all())
        linked = connection.execute(sa.select(sa.func.count()).select_from(arms_transfer_source)).scalar()
    assert kinds["Soviet Union"] == PartyKind.STATE
    assert kinds["Hezbollah (Lebanon)*"] == PartyKind.NON_STATE_ACTOR
    assert kinds["unknown supplier(s)"] == PartyKind.UNKNOWN
    assert kinds["NATO**"] == PartyKind.ORGANIZATION
    assert linked == 29_515
    assert len(transfers(engine, "SUN", "AFG")) > 0


@pytest.mark.shared_data
def test_real_register_second_import_changes_nothing(engine: Engine, shared_data: Path) -> None:
    import_sipri(engine, shared_data / REGISTER)
    again = import_sipri(engine, shared_data / REGISTER)
    assert (again.total("inserted"), again.total("updated"), again.total("deleted")) == (0, 0, 0)


def test_unknown_name_lands_as_unknown_and_is_reported(engine: Engine, tmp_path: Path) -> None:
    path = register(tmp_path, SHAHED.replace("Russia,", "Atlantis,", 1),
                    SHAHED.replace("Russia,", "Free Atlantis Front*,", 1))
    report = import_sipri(engine, path)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(ArmsTransfer.recipient_name, ArmsTransfer.recipient_kind,
                                            ArmsTransfer.recipient_state_id)
                                  .order_by(ArmsTransfer.recipient_name)).all()
    assert rows == [("Atlantis", PartyKind.UNKNOWN, None),
                    ("Free Atlantis Front*", PartyKind.NON_STATE_ACTOR, None)]
    assert len(report.warnings) == 1 and "'Atlantis'" in report.warnings[0]


def test_crosswalk_edit_by_the_data_team_is_used_and_kept(engine: Engine, tmp_path: Path) -> None:
    path = register(tmp_path, SHAHED.replace("Russia,", "Atlantis,", 1))
    import_sipri(engine, path)
    with engine.begin() as connection:
        greece = connection.execute(sa.select(State.id).where(State.iso3 == "GRC")).scalar_one()
        connection.execute(sa.insert(PartyName).values(name="Atlantis", kind=PartyKind.STATE,
                                                       state_id=greece))
    again = import_sipri(engine, path)
    assert again.counts["arms_transfer"].updated == 1 and again.warnings == []
    assert [row.weapon_designation for row in transfers(engine, "IRN", "GRC")] == ["Shahed-136"]


def test_identical_rows_both_land_and_newer_numbers_update(engine: Engine, tmp_path: Path) -> None:
    import_sipri(engine, register(tmp_path, SHAHED, SHAHED))
    assert len(transfers(engine, "IRN", "RUS")) == 2
    newer = import_sipri(engine, register(tmp_path, SHAHED.replace(",4600,", ",5000,"), SHAHED))
    assert newer.counts["arms_transfer"].updated == 1
    assert sorted(row.number_delivered for row in transfers(engine, "IRN", "RUS")) == [4600, 5000]


def test_dry_run_writes_nothing(engine: Engine, tmp_path: Path,
                                row_count: Callable[[str], int]) -> None:
    report = import_sipri(engine, register(tmp_path, SHAHED), dry_run=True)
    assert report.counts["arms_transfer"].inserted == 1
    assert row_count("arms_transfer") == 0 and row_count("party_name") == 0


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        ((SHAHED, SHAHED.replace(",2022,,", ",22-10,,", 1)), 7, "Year of order '22-10'"),
        ((SHAHED, "Russia,Iran,2022,,6600"), 7, "5 cells where the header has 16"),
        ((SHAHED.replace(",6600,?,", ",6600,maybe,"), ), 6, "uncertainty mark after Number ordered"),
        ((SHAHED.replace("2022; 2023; 2024", "2022 to 2024"), ), 6, "Year(s) of delivery"),
        ((SHAHED.replace("Russia,", "Iran,", 1), ), 6, "map to the same state"),
    ],
    ids=["bad-year", "too-few-cells", "bad-flag", "bad-delivery-years", "same-state"],
)
def test_broken_rows_write_nothing_and_name_file_and_line(
    engine: Engine, tmp_path: Path, rows: tuple[str, ...], line: int, reason: str,
    row_count: Callable[[str], int],
) -> None:
    path = register(tmp_path, *rows)
    with pytest.raises(ImportFailure) as failure:
        import_sipri(engine, path)
    assert (failure.value.path, failure.value.line) == (path, line)
    assert reason in failure.value.reason
    assert row_count("arms_transfer") == 0 and row_count("party_name") == 0


def test_file_without_header_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("just notes\n", encoding="utf-8")
    with pytest.raises(ImportFailure, match="no header line"):
        import_sipri(engine, path)


@pytest.mark.parametrize(
    ("description", "category"),
    [("one-way attack drone", WeaponCategory.UAV), ("armed UAV", WeaponCategory.UAV),
     ("guided shell", WeaponCategory.AMMUNITION), ("aircraft engine", WeaponCategory.ENGINES),
     ("armoured engineer vehicle", WeaponCategory.ARMOURED_VEHICLES),
     ("anti-radar missile", WeaponCategory.MISSILES), ("naval SAM system", WeaponCategory.NAVAL_WEAPONS),
     ("mobile SAM system", WeaponCategory.AIR_DEFENCE_SYSTEMS), ("portable SAM", WeaponCategory.MISSILES),
     ("tank destroyer", WeaponCategory.ARMOURED_VEHICLES), ("missile boat", WeaponCategory.SHIPS),
     ("aircraft carrier", WeaponCategory.SHIPS), ("fire-control radar", WeaponCategory.SENSORS),
     ("towed gun", WeaponCategory.ARTILLERY), ("FGA aircraft", WeaponCategory.AIRCRAFT),
     ("something new", WeaponCategory.OTHER)],
)
def test_weapon_categories(description: str, category: WeaponCategory) -> None:
    assert weapon_category(description) is category


def test_long_delivery_year_lists_are_written_as_ranges(engine: Engine, tmp_path: Path) -> None:
    years = "; ".join(str(year) for year in [*range(1960, 2000), 2003])
    import_sipri(engine, register(tmp_path, SHAHED.replace("2022; 2023; 2024", years)))
    (deal,) = transfers(engine, "IRN", "RUS")
    assert (deal.delivery_years, deal.first_delivery_year, deal.last_delivery_year) == (
        "1960-1999; 2003", 1960, 2003)

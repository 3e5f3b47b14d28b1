"""SIPRI registers as other releases write them: header spellings and abbreviated descriptions.

Cases from ``../shared/cases`` (see its README.md): the 2026 export names column 9 "Deliveries in
the Year Range"; the October 2024 register abbreviates weapon descriptions (SSM, SRAAM, IFV ...).
The right category of an abbreviated deal is the one its spelled-out description in the March
2025 register (``../shared/data``) gets.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from app.importers import ImportFailure
from app.importers.sipri import import_sipri
from app.importers.sipri_categories import weapon_category
from app.models import ArmsTransfer, WeaponCategory

CASES = Path(__file__).parents[3] / "shared" / "cases"
HEADER_2026 = CASES / "sipri_2026_deliveries_in_year_range_header.csv"
OCTOBER_2024 = CASES / "sipri_oct2024_abbreviated_descriptions.csv"
REGISTER = Path("sipri-trade-register") / "trade-register.csv"


def _rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Recipient,"))
    return [row for row in csv.reader(lines[header + 1:]) if len(row) == 16]


def _delivered(engine: Engine) -> dict[str, int | None]:
    table = ArmsTransfer.__table__
    with engine.connect() as connection:
        return dict(connection.execute(sa.select(table.c.weapon_designation,
                                                 table.c.number_delivered)).all())


def test_the_2026_header_is_read_as_number_delivered(engine: Engine) -> None:
    expected = {row[6]: int(row[8]) for row in _rows(HEADER_2026)}
    assert expected  # the file holds deals
    import_sipri(engine, HEADER_2026)
    assert _delivered(engine) == expected


@pytest.mark.parametrize("spellings", [
    {"Deliveries in the Year Range": "Deliveries in the year(s)"},
    {"Number delivered": "NUMBER DELIVERED", "Year(s) of delivery": "Year(s) of deliveries"},
], ids=["deliveries-in-the-years", "upper-case-and-plural"])
def test_other_spellings_of_the_same_columns(engine: Engine, tmp_path: Path,
                                             spellings: dict[str, str]) -> None:
    text = HEADER_2026.read_text(encoding="utf-8").replace(
        "Deliveries in the Year Range", "Number delivered")
    for old, new in spellings.items():
        text = text.replace(old, new)
    path = tmp_path / "register.csv"
    path.write_text(text, encoding="utf-8")
    import_sipri(engine, path)
    assert _delivered(engine) == {row[6]: int(row[8]) for row in _rows(HEADER_2026)}


def test_a_header_naming_another_column_is_still_refused(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(HEADER_2026.read_text(encoding="utf-8").replace(
        "Deliveries in the Year Range", "Deliveries planned"), encoding="utf-8")
    with pytest.raises(ImportFailure, match="column 9 is 'Deliveries planned'"):
        import_sipri(engine, path)


@pytest.mark.shared_data
def test_abbreviated_descriptions_get_their_spelled_out_category(shared_data: Path) -> None:
    spelled = {(row[0], row[1], row[2], row[6]): row[7] for row in _rows(shared_data / REGISTER)}
    pairs = [(row[7], spelled[(row[0], row[1], row[2], row[6])]) for row in _rows(OCTOBER_2024)]
    assert [abbreviated for abbreviated, _ in pairs] == [
        "SSM", "SRAAM", "IFV", "reconnaissance AV", "self-propelled MRL", "APV"]
    for abbreviated, written_out in pairs:
        assert weapon_category(abbreviated) is weapon_category(written_out), (abbreviated,
                                                                             written_out)
    # The right outcome as ../shared/cases/README.md gives it.
    assert [weapon_category(a).name for a, _ in pairs] == [
        "MISSILES", "MISSILES", "ARMOURED_VEHICLES", "ARMOURED_VEHICLES", "ARTILLERY",
        "ARMOURED_VEHICLES"]


@pytest.mark.parametrize(("abbreviated", "category"), [
    ("BVRAAM", WeaponCategory.MISSILES),  # beyond-visual-range air-to-air missile
    ("AShM", WeaponCategory.MISSILES),  # anti-ship missile
    ("ARV", WeaponCategory.ARMOURED_VEHICLES),  # armoured recovery vehicle
    ("FAC", WeaponCategory.SHIPS),  # fast attack craft
    ("OPV", WeaponCategory.SHIPS),  # offshore patrol vessel
    ("SPG", WeaponCategory.ARTILLERY),  # self-propelled gun
])
def test_more_abbreviations_of_sipris_glossary(abbreviated: str, category: WeaponCategory) -> None:
    assert weapon_category(abbreviated) is category


def test_the_october_2024_file_imports_with_those_categories(engine: Engine) -> None:
    import_sipri(engine, OCTOBER_2024)
    table = ArmsTransfer.__table__
    with engine.connect() as connection:
        found = dict(connection.execute(sa.select(table.c.weapon_description,
                                                  table.c.category)).all())
    assert found["SSM"] is WeaponCategory.MISSILES
    assert found["self-propelled MRL"] is WeaponCategory.ARTILLERY
    assert WeaponCategory.OTHER not in found.values()

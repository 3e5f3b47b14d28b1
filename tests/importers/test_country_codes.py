"""`atlas import country-codes` on the real code list and UN members list, and broken copies."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from app.cli import cli
from app.importers import ImportFailure
from app.importers.country_codes import CODELIST, UN_MEMBERS, import_country_codes
from app.importers.reference_states import reference_states
from app.models import State

FOLDER = Path("country-codes")


def state(engine: Engine, iso3: str) -> sa.Row:
    with engine.connect() as connection:
        return connection.execute(sa.select(State).where(State.iso3 == iso3)).one()


@pytest.mark.shared_data
def test_real_lists_give_every_member_with_codes_and_admission(engine: Engine,
                                                               shared_data: Path) -> None:
    folder = shared_data / FOLDER
    report = import_country_codes(engine, folder / CODELIST, folder / UN_MEMBERS)
    with engine.connect() as connection:
        held = dict(connection.execute(sa.select(State.iso3, State.un_member_from)).all())
    # The 193 members with their admission dates, and the codes of the other states the
    # importers know (Taiwan, Kosovo ...) that the codelist holds, with none.
    members = {iso3 for iso3, admitted in held.items() if admitted is not None}
    assert len(members) == 193
    others = set(held) - members
    assert others and others <= set(reference_states()) and "TWN" in others
    assert report.counts["state"].inserted == len(held)
    russia, south_sudan = state(engine, "RUS"), state(engine, "SSD")
    assert (russia.iso2, russia.m49, russia.cow_code, russia.un_member_from) == (
        "RU", 643, 365, dt.date(1945, 10, 24))
    assert russia.subregion == "Eastern Europe"
    assert south_sudan.un_member_from == dt.date(2011, 7, 14)
    again = import_country_codes(engine, folder / CODELIST, folder / UN_MEMBERS)
    assert (again.total("inserted"), again.total("updated")) == (0, 0)


@pytest.mark.shared_data
def test_a_row_held_before_keeps_its_values(engine: Engine, shared_data: Path) -> None:
    # A state written by hand (no dataset asserts it) is kept as it stands: the code list
    # fills what it lacks and its own spelling becomes an alias, not the name.
    with engine.begin() as connection:
        connection.execute(sa.insert(State).values(iso3="RUS", name="Russia",
                                                   official_name="Russian Federation",
                                                   un_member_until=None))
    folder = shared_data / FOLDER
    import_country_codes(engine, folder / CODELIST, folder / UN_MEMBERS)
    russia = state(engine, "RUS")
    assert (russia.official_name, russia.name, russia.cow_code) == (
        "Russian Federation", "Russia", 365)


def copy_lists(shared_data: Path, tmp_path: Path,
               members: Callable[[str], str] | None = None) -> Path:
    shutil.copy(shared_data / FOLDER / CODELIST, tmp_path / CODELIST)
    text = (shared_data / FOLDER / UN_MEMBERS).read_text(encoding="utf-8")
    (tmp_path / UN_MEMBERS).write_text(members(text) if callable(members) else text,
                                       encoding="utf-8")
    return tmp_path


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("edit", "line", "reason"),
    [
        (lambda text: text.replace("14 July 2011", "14 Jully 2011"), 162, "'14 Jully 2011' is not a date"),
        (lambda text: text.replace("Zimbabwe,", "Ruritania,"), 193, "'Ruritania' matches no country"),
        (lambda text: text + "Lonely line\n", 194, "1 fields where"),
    ],
    ids=["bad-date", "unknown-name", "too-few-fields"],
)
def test_broken_members_list_writes_nothing(engine: Engine, shared_data: Path, tmp_path: Path,
                                            edit: Callable[[str], str], line: int, reason: str,
                                            row_count: Callable[[str], int]) -> None:
    folder = copy_lists(shared_data, tmp_path, edit)
    with pytest.raises(ImportFailure) as failure:
        import_country_codes(engine, folder / CODELIST, folder / UN_MEMBERS)
    assert failure.value.path == folder / UN_MEMBERS and failure.value.line == line
    assert reason in failure.value.reason
    assert row_count("state") == 0 and row_count("source") == 0


@pytest.mark.shared_data
def test_cli_takes_the_folder_or_both_files(migrated_db: str, shared_data: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLAS_DATABASE_URL", migrated_db)
    folder = shared_data / FOLDER
    runner = CliRunner()
    first = runner.invoke(cli, ["import", "country-codes", str(folder), "--quiet"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(cli, ["import", "country-codes", str(folder / UN_MEMBERS),
                                 str(folder / CODELIST)])
    assert second.exit_code == 0 and "Nothing changed" in second.output

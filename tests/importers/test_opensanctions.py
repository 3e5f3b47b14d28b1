"""`atlas import opensanctions-programs` on the real programme folder and broken copies."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from app.importers import ImportFailure
from app.importers.opensanctions import import_opensanctions_programs
from app.models import Measure, RegimeMeasure, SanctionsRegime, State

FOLDER = Path("opensanctions-programs")
PROGRAM = """key: XX-TEST
title: Test programme
url: https://example.org/
summary: A programme written for a test.
issuer: zz_unsc
aliases:
  - Resolution 9999
target_territories:
  - kp
measures:
  - Asset freeze
  - Arms embargo
"""


def regime(engine: Engine, code: str) -> tuple[sa.Row, set[Measure]]:
    target, authority = aliased(State), aliased(State)
    query = (sa.select(SanctionsRegime.code, SanctionsRegime.authority, SanctionsRegime.legal_basis,
                       target.iso3.label("target"), authority.iso3.label("authority_state"))
             .outerjoin(target, target.id == SanctionsRegime.target_state_id)
             .outerjoin(authority, authority.id == SanctionsRegime.authority_state_id)
             .where(SanctionsRegime.code == code))
    with engine.connect() as connection:
        row = connection.execute(query).one()
        measures = set(connection.execute(
            sa.select(RegimeMeasure.measure).join(SanctionsRegime,
                                                  SanctionsRegime.id == RegimeMeasure.regime_id)
            .where(SanctionsRegime.code == code)).scalars())
    return row, measures


@pytest.mark.shared_data
def test_real_programmes_land_with_targets_and_measures(engine: Engine, shared_data: Path) -> None:
    report = import_opensanctions_programs(engine, shared_data / FOLDER)
    assert report.counts["sanctions_regime"].inserted == 261
    eu_rus, measures = regime(engine, "EU-RUS")
    assert (eu_rus.target, eu_rus.authority, eu_rus.authority_state) == (
        "RUS", "Council of the European Union", None)
    assert "Regulation (EU) No 833/2014" in eu_rus.legal_basis
    assert {Measure.ARMS_EMBARGO, Measure.ASSET_FREEZE, Measure.TRAVEL_BAN} <= measures
    dprk, _ = regime(engine, "UN-SC1718")
    assert (dprk.target, dprk.authority) == ("PRK", "UN Security Council")
    again = import_opensanctions_programs(engine, shared_data / FOLDER)
    assert (again.total("inserted"), again.total("updated"), again.total("deleted")) == (0, 0, 0)


def small_folder(shared_data: Path, tmp_path: Path, program: str = PROGRAM) -> Path:
    folder = tmp_path / "meta"
    (folder / "programs").mkdir(parents=True)
    shutil.copytree(shared_data / FOLDER / "issuers", folder / "issuers")
    (folder / "programs" / "XX-TEST.yml").write_text(program, encoding="utf-8")
    return folder


@pytest.mark.shared_data
def test_unknown_measure_becomes_other_and_is_reported(engine: Engine, shared_data: Path,
                                                       tmp_path: Path) -> None:
    folder = small_folder(shared_data, tmp_path, PROGRAM + "  - Space embargo\n")
    report = import_opensanctions_programs(engine, folder)
    row, measures = regime(engine, "XX-TEST")
    assert measures == {Measure.ASSET_FREEZE, Measure.ARMS_EMBARGO, Measure.OTHER}
    assert row.target == "PRK" and row.legal_basis == "Resolution 9999"
    assert any("'Space embargo'" in warning for warning in report.warnings)


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("program", "line", "reason"),
    [
        (PROGRAM.replace("  - kp", "  - kp\n   bad: [indent"), 10, "not valid YAML"),
        (PROGRAM.replace("zz_unsc", "nobody"), 5, "issuer 'nobody' has no issuers/nobody.yml"),
        (PROGRAM.replace("key: XX-TEST\n", ""), 1, "field 'key' is missing"),
    ],
    ids=["bad-yaml", "unknown-issuer", "missing-key"],
)
def test_broken_programme_writes_nothing(engine: Engine, shared_data: Path, tmp_path: Path,
                                         program: str, line: int, reason: str,
                                         row_count: Callable[[str], int]) -> None:
    folder = small_folder(shared_data, tmp_path, program)
    with pytest.raises(ImportFailure) as failure:
        import_opensanctions_programs(engine, folder)
    assert failure.value.path == folder / "programs" / "XX-TEST.yml"
    assert failure.value.line == line and reason in failure.value.reason
    assert row_count("sanctions_regime") == 0 and row_count("state") == 0

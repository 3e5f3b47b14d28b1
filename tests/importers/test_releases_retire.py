"""A newer OpenSanctions folder or ATOP file that lacks a row retires it; the seeds' rows stay.

The newer releases are copies of the real files with one programme (or one alliance) taken out,
so what should be retired is known from the edit itself.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from app.importers.atop import import_atop
from app.importers.opensanctions import import_opensanctions_programs
from app.models import Alliance, AllianceMembership, SanctionsRegime
from app.seeding import load_seeds

ATOP = Path("atop-v4-alliances")


def _regimes(engine: Engine) -> dict[str, int | None]:
    table = SanctionsRegime.__table__
    with engine.connect() as connection:
        return dict(connection.execute(sa.select(table.c.code, table.c.retired_by_source_id)).all())


@pytest.mark.shared_data
def test_a_programme_a_newer_folder_lacks_is_retired(engine: Engine, migrated_db: str,
                                                     shared_data: Path, tmp_path: Path) -> None:
    load_seeds(migrated_db)
    folder = tmp_path / "meta"
    shutil.copytree(shared_data / "opensanctions-programs", folder)
    import_opensanctions_programs(engine, folder)
    before = _regimes(engine)
    # Two programmes leave the folder: one only OpenSanctions holds, one the seeds hold too.
    for code in ("AU-CYB", "UN-SC1718"):
        (folder / "programs" / f"{code}.yml").unlink()
    report = import_opensanctions_programs(engine, folder)
    after = _regimes(engine)
    assert set(after) == set(before)  # nothing deleted
    assert after["AU-CYB"] is not None  # retired by the newer folder
    assert after["UN-SC1718"] is None  # the seeds still assert it
    assert [code for code, retired in after.items() if retired is not None] == ["AU-CYB"]
    assert report.counts["sanctions_regime"].retired == 1


@pytest.mark.shared_data
def test_an_alliance_a_newer_atop_file_lacks_is_retired_with_its_memberships(
        engine: Engine, shared_data: Path, tmp_path: Path) -> None:
    folder = tmp_path / "atop"
    shutil.copytree(shared_data / ATOP, folder)
    import_atop(engine, folder / "atop-alliance-level.csv", folder / "atop-member-level.csv")
    # The first alliance of the file leaves both files (read from the file, not assumed).
    with (folder / "atop-alliance-level.csv").open(encoding="utf-8", newline="") as handle:
        dropped = next(csv.DictReader(handle))["atopid"]
    for name in ("atop-alliance-level.csv", "atop-member-level.csv"):
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(row for row in rows if row["atopid"] != dropped)
    report = import_atop(engine, folder / "atop-alliance-level.csv",
                         folder / "atop-member-level.csv")
    alliance, membership = Alliance.__table__, AllianceMembership.__table__
    with engine.connect() as connection:
        retired = connection.execute(sa.select(alliance.c.atop_id).where(
            alliance.c.retired_by_source_id.is_not(None))).scalars().all()
        members = connection.execute(
            sa.select(sa.func.count(), sa.func.count(membership.c.retired_by_source_id))
            .join(alliance, alliance.c.id == membership.c.alliance_id)
            .where(alliance.c.atop_id == int(dropped))).one()
    assert retired == [int(dropped)]
    assert members[0] > 0 and members[0] == members[1]  # every membership retired, none deleted
    assert report.counts["alliance"].retired == 1

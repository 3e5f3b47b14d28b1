"""Sources and bulk writes shared by the importers, and imports over the seed dataset."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from app.cli import cli
from app.db import create_sync_engine
from app.importers.provenance import release_date_from_name
from app.importers.undl_votes import import_undl_votes
from app.models import STATEMENTS, Position, Resolution, Source, State, Vote, metadata
from app.models.links import SOURCE_LINKS, resolution_source
from app.services.upsert import insert_plain_rows

SAMPLE = Path("unga-ukraine-votes") / "unga_ukraine_resolutions_extract.csv"
NAMED = ("id,Council,Date,Title,Resolution,country,subregion,continent,tags,TOTAL VOTES,"
         "NO-VOTE COUNT,ABSTAIN COUNT,NO COUNT,YES COUNT,Link,token,Scrape_Year,FRA,RUS")


def test_release_date_comes_from_the_file_name() -> None:
    assert release_date_from_name("UN_VOTING_DATA_RAW_WITH_TAGS_2025-06-01.csv").isoformat() == (
        "2025-06-01")
    assert release_date_from_name("votes.csv") is None


def test_newer_release_gets_its_own_source_and_keeps_the_old_link(engine: Engine,
                                                                   tmp_path: Path) -> None:
    row = ("1,General Assembly,2022-10-12,T,A/RES/77/1,,,,,2,,,,{yes},"
           "https://digitallibrary.un.org/record/5,5,2022,YES,{rus}")
    first = tmp_path / "votes_2025-06-01.csv"
    first.write_text(f"{NAMED}\n{row.format(yes=2, rus='YES')}\n", encoding="utf-8")
    second = tmp_path / "votes_2025-07-01.csv"
    second.write_text(f"{NAMED}\n{row.format(yes=1, rus='')}\n", encoding="utf-8")
    import_undl_votes(engine, first)
    report = import_undl_votes(engine, second)
    assert report.counts["source"].inserted == 1 and report.counts["vote"].updated == 1
    with engine.connect() as connection:
        sources = connection.execute(
            sa.select(Source.file_name, Source.published_on).join(
                resolution_source, resolution_source.c.source_id == Source.id)
            .order_by(Source.published_on)).all()
    assert [(name, day.isoformat()) for name, day in sources] == [
        ("votes_2025-06-01.csv", "2025-06-01"), ("votes_2025-07-01.csv", "2025-07-01")]


def test_driver_bulk_errors_surface_as_sqlalchemy_errors(engine: Engine) -> None:
    with engine.connect() as connection, pytest.raises(sa.exc.IntegrityError):
        insert_plain_rows(connection, State, ("iso3", "name", "un_observer"),
                          [("ABC", None, False)])  # name is NOT NULL


@pytest.mark.shared_data
def test_sample_over_the_seeds_keeps_es_11_4_and_the_seed_sources(databases: object,
                                                                   shared_data: Path) -> None:
    url = databases.empty(template=databases.seeded())  # type: ignore[attr-defined]
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            seed_links = connection.execute(
                sa.select(sa.func.count()).select_from(resolution_source)).scalar()
        report = import_undl_votes(engine, shared_data / SAMPLE)
        assert report.counts["resolution"].inserted == 0  # matched by record id, not duplicated
        query = (sa.select(State.iso3).join(Vote, Vote.state_id == State.id)
                 .join(Resolution, Resolution.id == Vote.resolution_id)
                 .where(Resolution.symbol == "A/RES/ES-11/4", Vote.position == Position.NO))
        with engine.connect() as connection:
            assert sorted(connection.execute(query).scalars()) == ["BLR", "NIC", "PRK", "RUS",
                                                                   "SYR"]
            links = connection.execute(
                sa.select(sa.func.count()).select_from(resolution_source)).scalar()
        assert links == seed_links + 7
    finally:
        engine.dispose()


# --- Every importer links every row it writes to its source ------------------------------------
#
# Each importer runs through `atlas import` on a new database with the real public files. Every
# table it then holds rows in must be accounted for: a fact table with a link table (SOURCE_LINKS)
# has each of its rows linked to the source of the file that row came from (that source's key is
# rebuilt here from the file's own bytes); votes and regime measures are covered by their roll
# call and regime; the party-name crosswalk is a lookup table, not a fact. A table written that
# fits none of these fails the test, so a new kind of row cannot go without provenance unseen.

CARRIED_STATES = Path(__file__).resolve().parents[2] / "app" / "importers" / "data" / "states.csv"
COVERED_BY_PARENT = {"vote": ("resolution_id", "resolution"),
                     "regime_measure": ("regime_id", "sanctions_regime")}
# Who asserted what (datasets, their statements, the names they use) is provenance itself.
NOT_FACTS = {"party_name", "source", "alembic_version", "dataset", "state_alias",
             *(t.name for t in SOURCE_LINKS.values()), *(t.name for t in STATEMENTS.values())}


def _file_key(kind: str, path: Path) -> str:
    return f"import:{kind}:{hashlib.sha256(path.read_bytes()).hexdigest()}"


CARRIED = _file_key("atlas-states", CARRIED_STATES)
OPENSANCTIONS = "import:opensanctions-programs:"  # one source for the folder: a key prefix

# kind -> (its inputs under ../shared/data, {table: the source keys each of its rows must have}).
LINKED: dict[str, tuple[tuple[str, ...], Callable[[Path], dict[str, set[str]]]]] = {
    # Every state rests on the codelist; the UN members list vouches only for members.
    "country-codes": (("country-codes",), lambda data: {"state": {
        _file_key("country-codes", data / "country-codes" / "codelist_without_cldr.csv")}}),
    "undl-votes": ((str(SAMPLE),), lambda data: {
        "resolution": {_file_key("undl-votes", data / SAMPLE)}, "state": {CARRIED}}),
    "sipri": (("sipri-trade-register/trade-register.csv",), lambda data: {
        "arms_transfer": {_file_key("sipri", data / "sipri-trade-register" / "trade-register.csv")},
        "state": {CARRIED}}),
    "opensanctions-programs": (("opensanctions-programs",), lambda _data: {
        "sanctions_regime": {OPENSANCTIONS}, "state": {CARRIED}}),
    "atop": (("atop-v4-alliances",), lambda data: {
        "alliance": {_file_key("atop", data / "atop-v4-alliances" / "atop-alliance-level.csv")},
        "alliance_membership": {
            _file_key("atop", data / "atop-v4-alliances" / "atop-member-level.csv")},
        "state": {CARRIED}}),
}


def _key_matches(key: str) -> sa.ColumnElement[bool]:
    source = Source.__table__
    return source.c.key.startswith(key) if key.endswith(":") else source.c.key == key


def _unlinked(connection: sa.Connection, table: str, key: str) -> int:
    """Rows of ``table`` with no link to the source whose key is (or starts with) ``key``."""
    owner = metadata.tables[table]
    link = SOURCE_LINKS[table]
    linked = (sa.select(link.c[f"{table}_id"])
              .join(Source.__table__, Source.__table__.c.id == link.c.source_id)
              .where(_key_matches(key)))
    return connection.scalar(sa.select(sa.func.count()).select_from(owner)
                             .where(owner.c.id.not_in(linked)))


@pytest.mark.shared_data
@pytest.mark.parametrize("kind", sorted(LINKED))
def test_every_row_an_import_writes_is_linked_to_its_source(
        kind: str, migrated_db: str, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs, expected_for = LINKED[kind]
    monkeypatch.setenv("ATLAS_DATABASE_URL", migrated_db)
    result = CliRunner().invoke(cli, ["import", kind, *(str(shared_data / i) for i in inputs),
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    expected = expected_for(shared_data)

    engine = create_sync_engine(migrated_db)
    try:
        with engine.connect() as connection:
            written = {name for name in sa.inspect(connection).get_table_names()
                       if connection.scalar(sa.text(f"SELECT count(*) FROM {name}"))}
            facts = written - NOT_FACTS
            # Every fact table written is accounted for, and every one expected was written.
            assert facts == set(expected) | (facts & set(COVERED_BY_PARENT)), facts
            assert set(expected) <= facts
            for key in {key for keys in expected.values() for key in keys}:
                assert connection.scalar(sa.select(sa.func.count()).select_from(
                    Source.__table__).where(_key_matches(key))) == 1, f"no single source {key}"
            for table, keys in expected.items():
                for key in keys:
                    assert _unlinked(connection, table, key) == 0, (
                        f"{kind}: rows of {table} without a link to source {key}")
            for table in facts & set(COVERED_BY_PARENT):
                column, parent = COVERED_BY_PARENT[table]
                assert parent in expected, f"{table} is written but its {parent} is not"
                child = metadata.tables[table]
                parents = metadata.tables[parent]
                # Each covering parent is itself linked (checked above) and every child has one.
                orphans = connection.scalar(sa.select(sa.func.count()).select_from(child).where(
                    child.c[column].not_in(sa.select(parents.c.id))))
                assert orphans == 0
    finally:
        engine.dispose()

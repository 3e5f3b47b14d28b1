"""Sources and bulk writes shared by the importers, and imports over the seed dataset."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from app.db import create_sync_engine
from app.importers.provenance import release_date_from_name
from app.importers.undl_votes import import_undl_votes
from app.models import Position, Resolution, Source, State, Vote
from app.models.links import resolution_source
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

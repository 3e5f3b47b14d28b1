"""The seed dataset as loaded: the acceptance checks of issue 3, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from app.db import create_sync_engine
from app.models import (
    SOURCE_LINKS,
    Alliance,
    AllianceMembership,
    Position,
    Resolution,
    Source,
    State,
    Vote,
)


@contextmanager
def connect(url: str) -> Iterator[Connection]:
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def test_es_11_4_has_the_five_no_votes_and_the_published_tally(seeded_db: str) -> None:
    resolution = Resolution.__table__
    vote, state = Vote.__table__, State.__table__
    with connect(seeded_db) as connection:
        row = connection.execute(
            sa.select(resolution).where(resolution.c.symbol == "A/RES/ES-11/4")
        ).mappings().one()
        against = connection.scalars(
            sa.select(state.c.iso3).join(vote, vote.c.state_id == state.c.id)
            .where(vote.c.resolution_id == row["id"], vote.c.position == Position.NO)
            .order_by(state.c.iso3)
        ).all()
    assert against == ["BLR", "NIC", "PRK", "RUS", "SYR"]
    assert (row["yes_count"], row["no_count"], row["abstain_count"], row["non_voting_count"]) == (
        143, 5, 35, 10)
    assert row["voted_on"] == dt.date(2022, 10, 12)
    assert row["undl_record_id"] == "3990400"


def test_every_seeded_resolution_reproduces_its_tally(seeded_db: str) -> None:
    resolution, vote = Resolution.__table__, Vote.__table__
    with connect(seeded_db) as connection:
        rows = connection.execute(sa.select(resolution)).mappings().all()
        counted = {
            (resolution_id, position): n
            for resolution_id, position, n in connection.execute(
                sa.select(vote.c.resolution_id, vote.c.position, sa.func.count())
                .group_by(vote.c.resolution_id, vote.c.position))
        }
    assert {row["symbol"] for row in rows} == {
        "A/RES/68/262", *(f"A/RES/ES-11/{n}" for n in range(1, 7))}
    for row in rows:
        for column, position in (("yes_count", Position.YES), ("no_count", Position.NO),
                                 ("abstain_count", Position.ABSTAIN),
                                 ("non_voting_count", Position.NON_VOTING)):
            assert counted.get((row["id"], position), 0) == row[column], (row["symbol"], column)


def test_every_fact_row_links_a_source(seeded_db: str) -> None:
    with connect(seeded_db) as connection:
        for owner, link in SOURCE_LINKS.items():
            table = sa.table(owner, sa.column("id"))
            total = connection.scalar(sa.select(sa.func.count()).select_from(table))
            unsourced = connection.scalar(
                sa.select(sa.func.count()).select_from(table).where(
                    ~sa.exists().where(link.c[f"{owner}_id"] == table.c.id)))
            assert total, f"no {owner} rows were seeded"
            assert unsourced == 0, f"{unsourced} {owner} row(s) have no source"


def test_all_193_un_members_have_admission_dates(seeded_db: str) -> None:
    state = State.__table__
    with connect(seeded_db) as connection:
        members = connection.execute(
            sa.select(state.c.iso3, state.c.un_member_from)
            .where(state.c.un_member_from.is_not(None))).all()
        observers = connection.scalars(
            sa.select(state.c.iso3).where(state.c.un_observer).order_by(state.c.iso3)).all()
    assert len(members) == 193
    assert dict(members)["SSD"] == dt.date(2011, 7, 14)
    assert dict(members)["RUS"] == dt.date(1945, 10, 24)
    assert observers == ["PSE", "VAT"]


def nato_members_on(connection: Connection, day: dt.date) -> list[str]:
    alliance, member = Alliance.__table__, AllianceMembership.__table__
    state = State.__table__
    return connection.scalars(
        sa.select(state.c.iso3)
        .join(member, member.c.state_id == state.c.id)
        .join(alliance, alliance.c.id == member.c.alliance_id)
        .where(alliance.c.key == "NATO", member.c.joined_on <= day,
               sa.or_(member.c.left_on.is_(None), member.c.left_on > day))
        .order_by(state.c.iso3)
    ).all()


def test_nato_has_32_members_in_june_2024_and_30_at_the_start_of_2023(seeded_db: str) -> None:
    with connect(seeded_db) as connection:
        mid_2024 = nato_members_on(connection, dt.date(2024, 6, 1))
        start_2023 = nato_members_on(connection, dt.date(2023, 1, 1))
    assert len(mid_2024) == 32
    assert len(start_2023) == 30
    assert set(mid_2024) - set(start_2023) == {"FIN", "SWE"}


def test_the_prompting_news_report_is_a_source(seeded_db: str) -> None:
    source = Source.__table__
    with connect(seeded_db) as connection:
        published = connection.scalar(sa.select(source.c.published_on).where(
            source.c.title == "Russia turns to fellow outcasts North Korea and Iran for help "
                              "with faltering war effort"))
    assert published == dt.date(2022, 11, 2)

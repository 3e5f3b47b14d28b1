"""The database itself refuses facts that cannot be true."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, StatementError

from app.db import create_sync_engine
from app.models import AllianceMembership, ArmsTransfer, Resolution, State, Vote


@pytest.fixture
def connection(migrated_db: str) -> Iterator[Connection]:
    engine = create_sync_engine(migrated_db)
    with engine.connect() as conn:
        conn.execute(sa.insert(State.__table__), [
            {"iso3": "RUS", "name": "Russia", "un_observer": False},
            {"iso3": "PRK", "name": "North Korea", "un_observer": False},
        ])
        conn.execute(sa.insert(Resolution.__table__).values(
            symbol="A/RES/ES-11/4", body="GENERAL_ASSEMBLY", voted_on=dt.date(2022, 10, 12),
            title="Territorial integrity of Ukraine"))
        conn.commit()
        yield conn
    engine.dispose()


def _ids(conn: Connection) -> tuple[int, int, int]:
    rus = conn.scalar(sa.select(State.id).where(State.iso3 == "RUS"))
    prk = conn.scalar(sa.select(State.id).where(State.iso3 == "PRK"))
    res = conn.scalar(sa.select(Resolution.id))
    return rus, prk, res


def test_duplicate_vote_is_rejected(connection: Connection) -> None:
    rus, _, res = _ids(connection)
    connection.execute(sa.insert(Vote.__table__).values(resolution_id=res, state_id=rus, position="NO"))
    with pytest.raises(IntegrityError):
        connection.execute(
            sa.insert(Vote.__table__).values(resolution_id=res, state_id=rus, position="YES"))


def test_unknown_vote_position_is_rejected_by_the_database(connection: Connection) -> None:
    rus, _, res = _ids(connection)
    # Raw SQL, so that only the database's CHECK constraint stands in the way.
    with pytest.raises(IntegrityError):
        connection.execute(
            sa.text("INSERT INTO vote (resolution_id, state_id, position) VALUES (:r, :s, 'MAYBE')"),
            {"r": res, "s": rus},
        )


def test_unknown_vote_position_is_rejected_by_the_model(connection: Connection) -> None:
    rus, _, res = _ids(connection)
    with pytest.raises(StatementError):
        connection.execute(
            sa.insert(Vote.__table__).values(resolution_id=res, state_id=rus, position="MAYBE"))


def test_vote_for_unknown_state_is_rejected(connection: Connection) -> None:
    _, _, res = _ids(connection)
    with pytest.raises(IntegrityError):
        connection.execute(
            sa.insert(Vote.__table__).values(resolution_id=res, state_id=99_999, position="NO"))


def _transfer(supplier: int | None, recipient: int | None, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "external_id": "t1", "supplier_state_id": supplier, "supplier_name": "North Korea",
        "supplier_kind": "STATE", "recipient_state_id": recipient, "recipient_name": "Russia",
        "recipient_kind": "STATE", "weapon_designation": "Hwasong-11", "category": "MISSILES",
        "status": "DELIVERED", "evidence": "CONFIRMED",
    }
    row.update(extra)
    return row


def test_transfer_from_a_state_to_itself_is_rejected(connection: Connection) -> None:
    rus, _, _ = _ids(connection)
    with pytest.raises(IntegrityError):
        connection.execute(sa.insert(ArmsTransfer.__table__).values(_transfer(rus, rus)))


def test_transfer_to_a_non_state_party_is_accepted(connection: Connection) -> None:
    _, prk, _ = _ids(connection)
    connection.execute(sa.insert(ArmsTransfer.__table__).values(
        _transfer(prk, None, recipient_name="unknown recipient(s)", recipient_kind="UNKNOWN")))
    assert connection.scalar(sa.select(sa.func.count()).select_from(ArmsTransfer)) == 1


def test_state_kind_needs_a_state(connection: Connection) -> None:
    _, prk, _ = _ids(connection)
    with pytest.raises(IntegrityError):
        connection.execute(sa.insert(ArmsTransfer.__table__).values(_transfer(prk, None)))


def test_negative_count_is_rejected(connection: Connection) -> None:
    rus, prk, _ = _ids(connection)
    with pytest.raises(IntegrityError):
        connection.execute(
            sa.insert(ArmsTransfer.__table__).values(_transfer(prk, rus, number_ordered=-1)))


def test_end_date_before_start_is_rejected(connection: Connection) -> None:
    rus, _, _ = _ids(connection)
    alliance_id = connection.execute(sa.text(
        "INSERT INTO alliance (key, name, kind) VALUES ('CSTO', 'CSTO', 'DEFENSE_PACT') RETURNING id"
    )).scalar_one()
    with pytest.raises(IntegrityError):
        connection.execute(sa.insert(AllianceMembership.__table__).values(
            alliance_id=alliance_id, state_id=rus,
            joined_on=dt.date(2000, 1, 1), left_on=dt.date(1999, 1, 1)))

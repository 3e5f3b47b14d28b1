"""Voting agreement between states, computed in SQL.

Definition: over the roll calls selected, ``compared`` counts those on which both states cast
YES, NO or ABSTAIN (a member that did not vote, or was not a member, is left out); ``agreed``
counts those on which both cast the same position; ``ratio = agreed / compared``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.models import Position, Resolution, State, Vote

VOTE = Vote.__table__
RESOLUTION = Resolution.__table__
STATE = State.__table__
CAST = (Position.YES, Position.NO, Position.ABSTAIN)


@dataclass(frozen=True)
class AgreementCount:
    state_id: int
    compared: int
    agreed: int

    @property
    def ratio(self) -> float | None:
        return self.agreed / self.compared if self.compared else None


def _pairs(resolution_condition: sa.ColumnElement[bool] | None) -> tuple[Any, Any, sa.Select[Any]]:
    mine, theirs = VOTE.alias("mine"), VOTE.alias("theirs")
    agreed = sa.func.sum(sa.case((mine.c.position == theirs.c.position, 1), else_=0))
    # Grouping by an expression rather than the bare column keeps SQLite from scanning every
    # vote in (state, roll call) index order to save a sort; it then starts from the one
    # state's votes and looks up the others by roll call (5 s -> 1 s at full scale).
    other_state = (theirs.c.state_id + sa.literal_column("0")).label("state_id")
    query = (
        sa.select(other_state, sa.func.count().label("compared"), agreed.label("agreed"))
        .select_from(mine)
        .join(theirs, theirs.c.resolution_id == mine.c.resolution_id)
        .where(mine.c.position.in_(CAST), theirs.c.position.in_(CAST))
        .group_by(other_state)
    )
    if resolution_condition is not None:  # over all roll calls, the join would only cost
        query = query.join(RESOLUTION, RESOLUTION.c.id == mine.c.resolution_id).where(
            resolution_condition)
    return mine, theirs, query


def agreement_query(
    a: int, b: int, resolution_condition: sa.ColumnElement[bool] | None
) -> sa.Select[Any]:
    mine, theirs, query = _pairs(resolution_condition)
    return query.where(mine.c.state_id == a, theirs.c.state_id == b)


def aligned_query(
    a: int, resolution_condition: sa.ColumnElement[bool] | None, limit: int, min_compared: int
) -> sa.Select[Any]:
    """Other states ranked by agreement with ``a``: ratio descending, then ISO3."""
    mine, theirs, query = _pairs(resolution_condition)
    ranked = (
        query.where(mine.c.state_id == a, theirs.c.state_id != a)
        .having(sa.func.count() >= min_compared)
        .subquery()
    )
    ratio = sa.cast(ranked.c.agreed, sa.Float) / ranked.c.compared
    return (
        sa.select(ranked.c.state_id, ranked.c.compared, ranked.c.agreed)
        .join(STATE, STATE.c.id == ranked.c.state_id)
        .order_by(ratio.desc(), STATE.c.iso3)
        .limit(limit)
    )

"""UN roll calls and the position of each member state."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import enum_column
from app.models.enums import Body, Outcome, Position


class Resolution(SQLModel, table=True):
    """A recorded vote (roll call) of the General Assembly or the Security Council."""

    __tablename__ = "resolution"
    __table_args__ = (
        sa.CheckConstraint(
            "(yes_count IS NULL OR yes_count >= 0) AND (no_count IS NULL OR no_count >= 0)"
            " AND (abstain_count IS NULL OR abstain_count >= 0)"
            " AND (non_voting_count IS NULL OR non_voting_count >= 0)",
            name="counts_non_negative",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    symbol: str = Field(index=True, max_length=100, description="As published, e.g. A/RES/ES-11/4.")
    undl_record_id: str | None = Field(
        default=None, unique=True, max_length=20, description="UN Digital Library record id."
    )
    body: Body = enum_column(Body, "body")
    session: str | None = Field(default=None, max_length=20)
    voted_on: dt.date = Field(index=True)
    title: str = Field(sa_type=sa.Text)
    tags: str | None = Field(default=None, sa_type=sa.Text, description="Subject tags, '; '-separated.")
    yes_count: int | None = None
    no_count: int | None = None
    abstain_count: int | None = None
    non_voting_count: int | None = None
    outcome: Outcome | None = enum_column(Outcome, "outcome", default=None, nullable=True)
    notes: str | None = Field(default=None, sa_type=sa.Text)


class Vote(SQLModel, table=True):
    """One member state's position on one roll call. Non-members are not stored."""

    __tablename__ = "vote"
    __table_args__ = (
        sa.UniqueConstraint("resolution_id", "state_id"),
        sa.Index("ix_vote_state_id_resolution_id", "state_id", "resolution_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    resolution_id: int = Field(foreign_key="resolution.id", ondelete="CASCADE")
    state_id: int = Field(foreign_key="state.id", ondelete="RESTRICT")
    position: Position = enum_column(Position, "position")
    notes: str | None = Field(
        default=None, sa_type=sa.Text, description="Doubts or disagreements between sources."
    )

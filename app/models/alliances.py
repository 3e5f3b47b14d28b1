"""Alliances and the states that belong to them over time."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import enum_column
from app.models.enums import AllianceKind


class Alliance(SQLModel, table=True):
    """A treaty or organisation binding states (defence pact, union, partnership ...)."""

    __tablename__ = "alliance"
    __table_args__ = (
        sa.CheckConstraint("ended_on IS NULL OR signed_on IS NULL OR ended_on >= signed_on",
                           name="dates_order"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=80, description="Natural key, e.g. NATO.")
    name: str = Field(max_length=300)
    short_name: str | None = Field(default=None, max_length=40, index=True)
    kind: AllianceKind = enum_column(AllianceKind, "alliance_kind")
    signed_on: dt.date | None = None
    ended_on: dt.date | None = None
    atop_id: int | None = Field(default=None, index=True)
    notes: str | None = Field(default=None, sa_type=sa.Text)
    retired_by_source_id: int | None = Field(
        default=None, foreign_key="source.id", ondelete="RESTRICT", index=True,
        description="The release that dropped this row (no current dataset asserts it).")


class AllianceMembership(SQLModel, table=True):
    """A period during which a state belonged to an alliance."""

    __tablename__ = "alliance_membership"
    __table_args__ = (
        sa.UniqueConstraint("alliance_id", "state_id", "joined_on"),
        sa.CheckConstraint("left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on",
                           name="dates_order"),
    )

    id: int | None = Field(default=None, primary_key=True)
    alliance_id: int = Field(foreign_key="alliance.id", ondelete="CASCADE", index=True)
    state_id: int = Field(foreign_key="state.id", ondelete="RESTRICT", index=True)
    joined_on: dt.date | None = None
    left_on: dt.date | None = None
    notes: str | None = Field(default=None, sa_type=sa.Text)
    retired_by_source_id: int | None = Field(
        default=None, foreign_key="source.id", ondelete="RESTRICT", index=True,
        description="The release that dropped this row (no current dataset asserts it).")

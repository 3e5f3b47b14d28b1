"""Sanctions regimes and the measures they impose."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import enum_column
from app.models.enums import Measure


class SanctionsRegime(SQLModel, table=True):
    """A sanctions programme of one authority, usually aimed at one state."""

    __tablename__ = "sanctions_regime"
    __table_args__ = (
        sa.CheckConstraint("ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on",
                           name="dates_order"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=60, description="e.g. UN-SC1718, EU-RUS.")
    name: str = Field(max_length=500)
    authority: str = Field(max_length=200, description="e.g. UN Security Council, European Union.")
    authority_state_id: int | None = Field(
        default=None, foreign_key="state.id", ondelete="RESTRICT", index=True
    )
    target_state_id: int | None = Field(
        default=None, foreign_key="state.id", ondelete="RESTRICT", index=True
    )
    legal_basis: str | None = Field(default=None, sa_type=sa.Text)
    started_on: dt.date | None = Field(default=None, index=True)
    ended_on: dt.date | None = None
    summary: str | None = Field(default=None, sa_type=sa.Text)
    url: str | None = Field(default=None, max_length=1000)
    retired_by_source_id: int | None = Field(
        default=None, foreign_key="source.id", ondelete="RESTRICT", index=True,
        description="The release that dropped this row (no current dataset asserts it).")


class RegimeMeasure(SQLModel, table=True):
    """One kind of measure a regime imposes."""

    __tablename__ = "regime_measure"

    regime_id: int = Field(foreign_key="sanctions_regime.id", ondelete="CASCADE", primary_key=True)
    measure: Measure = enum_column(Measure, "measure", primary_key=True)

"""States: UN members, observers, and former or unrecognised states that facts need."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class State(SQLModel, table=True):
    """A state, identified by its ISO 3166 alpha-3 code (ISO 3166-3 for former states)."""

    __tablename__ = "state"
    __table_args__ = (
        sa.CheckConstraint("length(iso3) = 3", name="iso3_length"),
        sa.CheckConstraint(
            "un_member_until IS NULL OR un_member_from IS NULL OR un_member_until >= un_member_from",
            name="membership_order",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    iso3: str = Field(unique=True, index=True, max_length=3)
    iso2: str | None = Field(default=None, max_length=2)
    m49: int | None = None
    cow_code: int | None = Field(default=None, index=True)
    name: str = Field(max_length=200)
    official_name: str | None = Field(default=None, max_length=300)
    region: str | None = Field(default=None, max_length=100)
    subregion: str | None = Field(default=None, max_length=100)
    un_member_from: dt.date | None = None
    un_member_until: dt.date | None = None
    un_observer: bool = Field(default=False, description="A UN General Assembly observer state.")
    wikidata_id: str | None = Field(default=None, max_length=20)

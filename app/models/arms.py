"""Arms transfers, with the parties that deny them, transit states and breached regimes."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import enum_column
from app.models.enums import Evidence, PartyKind, TransferStatus, TransitKind, WeaponCategory


class PartyName(SQLModel, table=True):
    """Crosswalk from a party name as a source writes it to a state or a kind of non-state party.

    The data team extends it so that importers map names such as "Soviet Union" or
    "Hezbollah (Lebanon)*" without code changes.
    """

    __tablename__ = "party_name"
    __table_args__ = (
        sa.CheckConstraint("state_id IS NULL OR kind = 'STATE'", name="state_only_for_states"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True, max_length=200)
    kind: PartyKind = enum_column(PartyKind, "party_kind")
    state_id: int | None = Field(default=None, foreign_key="state.id", ondelete="CASCADE", index=True)


class ArmsTransfer(SQLModel, table=True):
    """A deal or documented delivery of weapons from a supplier to a recipient.

    Each side is a state (``*_state_id``) or a party that is not one (rebel group, organisation,
    unknown), always named as the source writes it in ``*_name``.
    """

    __tablename__ = "arms_transfer"
    __table_args__ = (
        sa.CheckConstraint(
            "supplier_state_id IS NULL OR recipient_state_id IS NULL"
            " OR supplier_state_id <> recipient_state_id",
            name="supplier_not_recipient",
        ),
        sa.CheckConstraint(
            "(supplier_state_id IS NULL) = (supplier_kind <> 'STATE')", name="supplier_state_kind"
        ),
        sa.CheckConstraint(
            "(recipient_state_id IS NULL) = (recipient_kind <> 'STATE')", name="recipient_state_kind"
        ),
        sa.CheckConstraint(
            "(number_ordered IS NULL OR number_ordered >= 0)"
            " AND (number_delivered IS NULL OR number_delivered >= 0)",
            name="numbers_non_negative",
        ),
        sa.CheckConstraint(
            "first_delivery_year IS NULL OR last_delivery_year IS NULL"
            " OR last_delivery_year >= first_delivery_year",
            name="delivery_years_order",
        ),
        sa.Index("ix_arms_transfer_ordered_year", "ordered_year"),
        # Each party with the other: "what did X supply to Y" is one index lookup, and the
        # first column alone serves "what did X supply" (revision 0002).
        sa.Index("ix_arms_transfer_supplier_state_id_recipient_state_id",
                 "supplier_state_id", "recipient_state_id"),
        sa.Index("ix_arms_transfer_recipient_state_id_supplier_state_id",
                 "recipient_state_id", "supplier_state_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(
        unique=True, index=True, max_length=120,
        description="Natural key from the source (e.g. 'seed:irn-rus-shahed-136').",
    )
    supplier_state_id: int | None = Field(default=None, foreign_key="state.id", ondelete="RESTRICT")
    supplier_name: str = Field(max_length=200)
    supplier_kind: PartyKind = enum_column(PartyKind, "supplier_kind")
    recipient_state_id: int | None = Field(default=None, foreign_key="state.id", ondelete="RESTRICT")
    recipient_name: str = Field(max_length=200)
    recipient_kind: PartyKind = enum_column(PartyKind, "recipient_kind")
    weapon_designation: str = Field(max_length=200, index=True)
    weapon_description: str | None = Field(default=None, max_length=300)
    category: WeaponCategory = enum_column(WeaponCategory, "category")
    ordered_year: int | None = None
    ordered_year_estimate: bool = False
    number_ordered: int | None = None
    number_ordered_estimate: bool = False
    delivery_years: str | None = Field(default=None, max_length=200, description="e.g. '2022; 2023'.")
    first_delivery_year: int | None = None
    last_delivery_year: int | None = None
    number_delivered: int | None = None
    number_delivered_estimate: bool = False
    status: TransferStatus = enum_column(TransferStatus, "transfer_status")
    evidence: Evidence = enum_column(Evidence, "evidence")
    sipri_status: str | None = Field(default=None, max_length=40, description="New, Second hand ...")
    sipri_tiv_per_unit: float | None = None
    sipri_tiv_total: float | None = None
    sipri_tiv_delivered: float | None = None
    comments: str | None = Field(default=None, sa_type=sa.Text)
    retired_by_source_id: int | None = Field(
        default=None, foreign_key="source.id", ondelete="RESTRICT", index=True,
        description="The release that dropped this row (no current dataset asserts it).")


class TransferDenial(SQLModel, table=True):
    """A state's public denial that a transfer took place, with the source of the denial."""

    __tablename__ = "transfer_denial"

    transfer_id: int = Field(foreign_key="arms_transfer.id", ondelete="CASCADE", primary_key=True)
    state_id: int = Field(foreign_key="state.id", ondelete="RESTRICT", primary_key=True, index=True)
    source_id: int = Field(foreign_key="source.id", ondelete="RESTRICT", index=True)
    denied_on: dt.date | None = None
    statement: str | None = Field(default=None, sa_type=sa.Text)


class TransferTransit(SQLModel, table=True):
    """A declared or suspected stop-over state on a transfer's route."""

    __tablename__ = "transfer_transit"

    transfer_id: int = Field(foreign_key="arms_transfer.id", ondelete="CASCADE", primary_key=True)
    state_id: int = Field(foreign_key="state.id", ondelete="RESTRICT", primary_key=True, index=True)
    kind: TransitKind = enum_column(TransitKind, "transit_kind")
    source_id: int | None = Field(default=None, foreign_key="source.id", ondelete="RESTRICT", index=True)


class TransferViolation(SQLModel, table=True):
    """A sanctions regime a transfer is reported to breach, with who says so."""

    __tablename__ = "transfer_violation"

    transfer_id: int = Field(foreign_key="arms_transfer.id", ondelete="CASCADE", primary_key=True)
    regime_id: int = Field(
        foreign_key="sanctions_regime.id", ondelete="RESTRICT", primary_key=True, index=True
    )
    claimed_by: str | None = Field(default=None, max_length=300)
    source_id: int | None = Field(default=None, foreign_key="source.id", ondelete="RESTRICT", index=True)

"""Who asserted what: datasets, their statements about each fact row, and state name aliases.

A *dataset* is one loader's body of facts (our seeds, the UN Digital Library votes, a SIPRI
register, OpenSanctions' programmes, ATOP, a code list). Each fact row of the served tables has
one *statement* per dataset that asserts it: the values that dataset gives, as JSON, with the
release (source) that last asserted them and, once a newer release drops the row, the release
that retired it. The served row is assembled from its statements by one precedence rule
(``app.services.merge``); the statements keep what the rule did not pick. The design follows
OpenSanctions' nomenklatura statements, grouped per (row, dataset) instead of per property so
that a 30,000-deal release writes 30,000 statements, not 600,000.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.base import metadata


class Dataset(SQLModel, table=True):
    """A body of facts loaded by one command; ``precedence`` orders them (lower wins)."""

    __tablename__ = "dataset"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=60,
                     description="e.g. seeds, sipri, undl-votes, opensanctions-programs.")
    title: str = Field(max_length=300)
    publisher: str = Field(max_length=200)
    precedence: int = Field(description="Rank when datasets disagree on a value: lower wins.")


def _statements(owner: str) -> sa.Table:
    """``<owner>_statement``: one row per (fact row, dataset) with the values it asserts."""
    return sa.Table(
        f"{owner}_statement",
        metadata,
        sa.Column(f"{owner}_id", sa.Integer, sa.ForeignKey(f"{owner}.id", ondelete="CASCADE"),
                  primary_key=True),
        # dataset.id, without a foreign key for the same reason as the source columns below:
        # datasets are registered by the loaders before they write, and never deleted.
        sa.Column("dataset_id", sa.Integer, primary_key=True, index=True,
                  comment="dataset.id of the dataset that asserts these values."),
        sa.Column("data", sa.Text, nullable=False,
                  comment="JSON object: field -> value as this dataset asserts it."),
        # The two source columns carry no foreign key and no index. A SIPRI release writes
        # 30,000 statements, and PostgreSQL checks each foreign key with a trigger per row
        # (measured with COPY of one release: 145 ms with no key, 500 ms with the row and
        # dataset keys, 665 ms with all four). Only the row's key, which cascades, is kept.
        # Sources are never deleted, except by app.services.sources.fold_source, which moves
        # these references first; nothing reads statements by source.
        sa.Column("source_id", sa.Integer, nullable=True,
                  comment="source.id of the release that last asserted it."),
        sa.Column("retired_by_source_id", sa.Integer, nullable=True,
                  comment="source.id of the newer release that no longer holds the row."),
    )


state_statement = _statements("state")
resolution_statement = _statements("resolution")
sanctions_regime_statement = _statements("sanctions_regime")
arms_transfer_statement = _statements("arms_transfer")
alliance_statement = _statements("alliance")
alliance_membership_statement = _statements("alliance_membership")

STATEMENTS: dict[str, sa.Table] = {
    "state": state_statement,
    "resolution": resolution_statement,
    "sanctions_regime": sanctions_regime_statement,
    "arms_transfer": arms_transfer_statement,
    "alliance": alliance_statement,
    "alliance_membership": alliance_membership_statement,
}


class StateAlias(SQLModel, table=True):
    """A name a dataset uses for a state, with its folded form for matching."""

    __tablename__ = "state_alias"
    __table_args__ = (sa.UniqueConstraint("state_id", "name", "dataset_id"),)

    id: int | None = Field(default=None, primary_key=True)
    state_id: int = Field(foreign_key="state.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=300, description="As the dataset writes it.")
    folded: str = Field(max_length=300, index=True,
                        description="Lower case, accents and apostrophes removed (name matching).")
    dataset_id: int = Field(foreign_key="dataset.id", ondelete="RESTRICT", index=True)

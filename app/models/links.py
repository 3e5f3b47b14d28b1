"""Link tables tying each fact to the sources it rests on.

Votes are covered by their roll call's sources: one record of the UN Digital Library holds every
position of a roll call, and a million link rows would repeat it a million times.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.models.base import metadata


def _source_link(owner: str) -> sa.Table:
    """``<owner>_source(<owner>_id, source_id)`` with both foreign keys and a reverse index."""
    return sa.Table(
        f"{owner}_source",
        metadata,
        sa.Column(f"{owner}_id", sa.Integer, sa.ForeignKey(f"{owner}.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("source.id", ondelete="RESTRICT"),
                  primary_key=True, index=True),
    )


state_source = _source_link("state")
resolution_source = _source_link("resolution")
sanctions_regime_source = _source_link("sanctions_regime")
arms_transfer_source = _source_link("arms_transfer")
alliance_source = _source_link("alliance")
alliance_membership_source = _source_link("alliance_membership")

SOURCE_LINKS: dict[str, sa.Table] = {
    "state": state_source,
    "resolution": resolution_source,
    "sanctions_regime": sanctions_regime_source,
    "arms_transfer": arms_transfer_source,
    "alliance": alliance_source,
    "alliance_membership": alliance_membership_source,
}

"""transfer party indexes: (supplier, recipient) and (recipient, supplier)

Replaces the single-column indexes on arms_transfer.supplier_state_id and recipient_state_id
with composite ones: a filter such as "supplied arms to Russia", checked for each supplier,
becomes one index lookup instead of a scan of the supplier's transfers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 20:55:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("arms_transfer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_arms_transfer_supplier_state_id"))
        batch_op.drop_index(batch_op.f("ix_arms_transfer_recipient_state_id"))
        batch_op.create_index("ix_arms_transfer_supplier_state_id_recipient_state_id",
                              ["supplier_state_id", "recipient_state_id"], unique=False)
        batch_op.create_index("ix_arms_transfer_recipient_state_id_supplier_state_id",
                              ["recipient_state_id", "supplier_state_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("arms_transfer", schema=None) as batch_op:
        batch_op.drop_index("ix_arms_transfer_recipient_state_id_supplier_state_id")
        batch_op.drop_index("ix_arms_transfer_supplier_state_id_recipient_state_id")
        batch_op.create_index(batch_op.f("ix_arms_transfer_recipient_state_id"),
                              ["recipient_state_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_arms_transfer_supplier_state_id"),
                              ["supplier_state_id"], unique=False)

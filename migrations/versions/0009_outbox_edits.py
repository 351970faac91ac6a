"""outbox edits: a row may edit the message an earlier row delivered

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 01:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edit_of", sa.String(length=160), nullable=True))
        batch_op.create_index(
            "ux_outbox_pending_edit",
            ["edit_of"],
            unique=True,
            sqlite_where=PENDING,
            postgresql_where=PENDING,
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ux_outbox_pending_edit")
        batch_op.drop_column("edit_of")

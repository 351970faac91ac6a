"""surveys: invitations sent a page at a time (the last user id invited, when all were)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-08 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("invite_after_user_id", ID, nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("invited_all_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
    # Surveys opened before this revision invited everyone at once.
    op.execute(
        "UPDATE surveys SET invited_all_at = COALESCE(opens_at, created_at)"
        " WHERE status IN ('open', 'closed')"
    )


def downgrade() -> None:
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.drop_column("invited_all_at")
        batch_op.drop_column("invite_after_user_id")

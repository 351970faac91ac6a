"""newsletters: copies enqueued in pages (the last user id given a copy, how many, when done)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-08 00:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("newsletters", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("fanout_after_user_id", ID, nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("enqueued", ID, nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("fanned_out_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
    # Newsletters started before this revision were given every copy at once.
    op.execute(
        "UPDATE newsletters SET fanned_out_at = started_at, enqueued = recipients"
        " WHERE status IN ('sending', 'done', 'cancelled')"
    )


def downgrade() -> None:
    with op.batch_alter_table("newsletters", schema=None) as batch_op:
        batch_op.drop_column("fanned_out_at")
        batch_op.drop_column("enqueued")
        batch_op.drop_column("fanout_after_user_id")

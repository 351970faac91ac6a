"""activity events: an index for the activity layer's reads

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 10:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_activity_events_scope",
        "activity_events",
        ["association_id", "kind", "at", "user_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_activity_events_scope", table_name="activity_events")

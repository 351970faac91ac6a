"""the activity rollup: who took part in each association per academic year

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 13:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activity_rollup",
        sa.Column(
            "academic_year", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "association_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["associations.id"],
            name=op.f("fk_activity_rollup_association_id_associations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_activity_rollup_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "academic_year", "association_id", "user_id", name=op.f("pk_activity_rollup")
        ),
    )
    op.create_index(op.f("ix_activity_rollup_user_id"), "activity_rollup", ["user_id"])
    op.create_table(
        "activity_rollup_marks",
        sa.Column(
            "academic_year", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("start", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("end", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("through", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("built_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("academic_year", name=op.f("pk_activity_rollup_marks")),
    )


def downgrade() -> None:
    op.drop_table("activity_rollup_marks")
    op.drop_index("ix_activity_rollup_user_id", table_name="activity_rollup")
    op.drop_table("activity_rollup")

"""the annual report: the leader's assessment of each goal and the conclusions

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _fulfilment() -> sa.Enum:
    return sa.Enum("fully", "partly", "not_done", name="fulfilment", native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        "report_goal_assessments",
        sa.Column("id", ID, nullable=False),
        sa.Column("association_id", ID, nullable=False),
        sa.Column("academic_year", ID, nullable=False),
        sa.Column("position", ID, nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("proposed", _fulfilment(), nullable=False),
        sa.Column("confirmed", _fulfilment(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("assessed_by_user_id", ID, nullable=True),
        sa.Column("assessed_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["associations.id"],
            name=op.f("fk_report_goal_assessments_association_id_associations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assessed_by_user_id"],
            ["users.id"],
            name=op.f("fk_report_goal_assessments_assessed_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_goal_assessments")),
        sa.UniqueConstraint(
            "association_id",
            "academic_year",
            "position",
            name=op.f("uq_report_goal_assessments_association_id_academic_year_position"),
        ),
    )
    with op.batch_alter_table("report_goal_assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_goal_assessments_association_id"),
            ["association_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_report_goal_assessments_assessed_by_user_id"),
            ["assessed_by_user_id"],
            unique=False,
        )
    op.create_table(
        "report_conclusions",
        sa.Column("id", ID, nullable=False),
        sa.Column("association_id", ID, nullable=False),
        sa.Column("academic_year", ID, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by_user_id", ID, nullable=True),
        sa.Column("written_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["associations.id"],
            name=op.f("fk_report_conclusions_association_id_associations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["written_by_user_id"],
            ["users.id"],
            name=op.f("fk_report_conclusions_written_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_conclusions")),
        sa.UniqueConstraint(
            "association_id",
            "academic_year",
            name=op.f("uq_report_conclusions_association_id_academic_year"),
        ),
    )
    with op.batch_alter_table("report_conclusions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_conclusions_association_id"), ["association_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_conclusions_written_by_user_id"),
            ["written_by_user_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("report_conclusions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_conclusions_written_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_report_conclusions_association_id"))
    op.drop_table("report_conclusions")
    with op.batch_alter_table("report_goal_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_goal_assessments_assessed_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_report_goal_assessments_association_id"))
    op.drop_table("report_goal_assessments")

"""consultations: questions, answers, files, FAQ, mentors

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 01:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consultation_settings",
        sa.Column(
            "association_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "remind_after_hours",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "escalate_after_hours",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["associations.id"],
            name=op.f("fk_consultation_settings_association_id_associations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("association_id", name=op.f("pk_consultation_settings")),
    )
    op.create_table(
        "consultations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("asker_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "association_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("parent_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "assignee_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "assigned",
                "answered",
                "closed",
                name="consultationstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("rating", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("in_faq", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("taken_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["asker_id"],
            ["users.id"],
            name=op.f("fk_consultations_asker_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["users.id"],
            name=op.f("fk_consultations_assignee_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["associations.id"],
            name=op.f("fk_consultations_association_id_associations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["consultations.id"],
            name=op.f("fk_consultations_parent_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
    )
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultations_asker_id"), ["asker_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_consultations_assignee_id"), ["assignee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_consultations_association_id"), ["association_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_consultations_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_consultations_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_consultations_status"), ["status"], unique=False)

    op.create_table(
        "mentorships",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "association_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "mentee_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "mentor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("assigned_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["associations.id"],
            name=op.f("fk_mentorships_association_id_associations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["users.id"],
            name=op.f("fk_mentorships_mentee_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["users.id"],
            name=op.f("fk_mentorships_mentor_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentorships")),
        sa.UniqueConstraint(
            "association_id", "mentee_id", name=op.f("uq_mentorships_association_id_mentee_id")
        ),
    )
    with op.batch_alter_table("mentorships", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentorships_association_id"), ["association_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mentorships_mentee_id"), ["mentee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentorships_mentor_id"), ["mentor_id"], unique=False)

    op.create_table(
        "consultation_files",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "consultation_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "part",
            sa.Enum("question", "answer", name="filepart", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("is_photo", sa.Boolean(), nullable=False),
        sa.Column("telegram_file_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_files_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_files")),
    )
    with op.batch_alter_table("consultation_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_files_consultation_id"), ["consultation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("consultation_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_files_consultation_id"))

    op.drop_table("consultation_files")
    with op.batch_alter_table("mentorships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentorships_mentor_id"))
        batch_op.drop_index(batch_op.f("ix_mentorships_mentee_id"))
        batch_op.drop_index(batch_op.f("ix_mentorships_association_id"))

    op.drop_table("mentorships")
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultations_status"))
        batch_op.drop_index(batch_op.f("ix_consultations_parent_id"))
        batch_op.drop_index(batch_op.f("ix_consultations_created_at"))
        batch_op.drop_index(batch_op.f("ix_consultations_association_id"))
        batch_op.drop_index(batch_op.f("ix_consultations_assignee_id"))
        batch_op.drop_index(batch_op.f("ix_consultations_asker_id"))

    op.drop_table("consultations")
    op.drop_table("consultation_settings")

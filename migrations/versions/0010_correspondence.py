"""messages between members: the relayed texts (erased after 30 days) and refusals

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 01:42:21.649882
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "member_message_blocks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "blocker_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "blocked_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["blocked_id"],
            ["users.id"],
            name=op.f("fk_member_message_blocks_blocked_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["blocker_id"],
            ["users.id"],
            name=op.f("fk_member_message_blocks_blocker_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_message_blocks")),
        sa.UniqueConstraint(
            "blocker_id", "blocked_id", name=op.f("uq_member_message_blocks_blocker_id_blocked_id")
        ),
    )
    with op.batch_alter_table("member_message_blocks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_message_blocks_blocked_id"), ["blocked_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_member_message_blocks_blocker_id"), ["blocker_id"], unique=False
        )

    op.create_table(
        "member_messages",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "association_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "sender_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "recipient_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "reply_to_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sent_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reported_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["associations.id"],
            name=op.f("fk_member_messages_association_id_associations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["users.id"],
            name=op.f("fk_member_messages_recipient_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reply_to_id"],
            ["member_messages.id"],
            name=op.f("fk_member_messages_reply_to_id_member_messages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["users.id"],
            name=op.f("fk_member_messages_sender_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_messages")),
    )
    with op.batch_alter_table("member_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_messages_association_id"), ["association_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_member_messages_recipient_id"), ["recipient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_member_messages_sender_id"), ["sender_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_member_messages_sent_at"), ["sent_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("member_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_messages_sent_at"))
        batch_op.drop_index(batch_op.f("ix_member_messages_sender_id"))
        batch_op.drop_index(batch_op.f("ix_member_messages_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_member_messages_association_id"))

    op.drop_table("member_messages")
    with op.batch_alter_table("member_message_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_message_blocks_blocker_id"))
        batch_op.drop_index(batch_op.f("ix_member_message_blocks_blocked_id"))

    op.drop_table("member_message_blocks")

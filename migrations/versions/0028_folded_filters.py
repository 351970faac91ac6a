"""users: organisation and municipality folded, so newsletter filters run in SQL

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-08 01:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 5_000


def _fold(text: str | None) -> str | None:  # services.users.fold, as it is today
    return text.casefold() if text else None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_folded", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("municipality_folded", sa.String(length=200), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT id, organisation, municipality FROM users"
            " WHERE organisation IS NOT NULL OR municipality IS NOT NULL"
        )
    ).all()
    fill = sa.text(
        "UPDATE users SET organisation_folded = :organisation, municipality_folded = :municipality"
        " WHERE id = :id"
    )
    for start in range(0, len(rows), CHUNK):
        connection.execute(
            fill,
            [
                {"id": id_, "organisation": _fold(org), "municipality": _fold(muni)}
                for id_, org, muni in rows[start : start + CHUNK]
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("municipality_folded")
        batch_op.drop_column("organisation_folded")

"""Column mappings an editor confirmed, per header shape, so next month's office file of the same shape loads in
one click.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "column_mappings",
        sa.Column("shape", sa.String(64), primary_key=True),
        sa.Column("headers", sa.JSON, nullable=False),
        sa.Column("mapping", sa.JSON, nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("column_mappings")

"""Column mappings an editor confirmed, per header shape, so next month's office file of the same shape loads in
one click; and what a version's file needed besides its bytes to load (a month given, a column mapping), so it is
read back as it was checked.

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
    with op.batch_alter_table("dataset_versions") as table:
        table.add_column(sa.Column("load_options", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dataset_versions") as table:
        table.drop_column("load_options")
    op.drop_table("column_mappings")

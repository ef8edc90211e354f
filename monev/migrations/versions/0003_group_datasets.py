"""Target-group data (issue 16) kept as versions like the coverage data: each upload's original file and what it
needed to load, and the pointer to the version in use.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "group_dataset_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("period_first", sa.String(7), nullable=False),
        sa.Column("period_last", sa.String(7), nullable=False),
        sa.Column("period_count", sa.Integer, nullable=False),
        sa.Column("is_demo", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        # The uploaded file as it was, so a version reloads exactly as it was checked (and keeps its checksum).
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("load_options", sa.JSON, nullable=True),
    )
    op.create_table(
        "active_group_dataset",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("group_dataset_versions.id"), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("active_group_dataset")
    op.drop_table("group_dataset_versions")

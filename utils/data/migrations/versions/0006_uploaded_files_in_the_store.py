"""Uploaded files kept in the store for audit: the bytes of every uploaded or imported file beside its
``uploads`` row, so any app server can hand the file back from Riwayat (before, only its SHA-256 and the row
images were kept, and nothing of an import's file). Uploads recorded earlier keep no file.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "upload_files",
        sa.Column("upload_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["upload_id"], ["uploads.upload_id"]),
        sa.PrimaryKeyConstraint("upload_id"),
    )


def downgrade() -> None:
    op.drop_table("upload_files")

"""Boundary imports as layers in the store (issue 17).

An import no longer overwrites files: its geometry (WKB, one row per region) and what it was applied with
live in the store, so every app server serves the same boundaries and an import can be undone from
Riwayat. New tables only; no existing row is touched.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('boundary_imports',
    sa.Column('upload_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('source_label', sa.String(length=300), nullable=False),
    sa.Column('source_crs', sa.String(length=200), nullable=False),
    sa.Column('code_column', sa.String(length=100), nullable=True),
    sa.Column('code_system', sa.String(length=20), nullable=False),
    sa.Column('options', sa.Text(), server_default='{}', nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['upload_id'], ['uploads.upload_id'], ),
    sa.PrimaryKeyConstraint('upload_id')
    )
    op.create_table('boundary_features',
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('feature', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=32), nullable=False),
    sa.Column('overlap', sa.Float(), nullable=True),
    sa.Column('geometry', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['upload_id'], ['boundary_imports.upload_id'], ),
    sa.PrimaryKeyConstraint('upload_id', 'code')
    )


def downgrade() -> None:
    op.drop_table('boundary_features')
    op.drop_table('boundary_imports')

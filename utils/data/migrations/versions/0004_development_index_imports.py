"""Development index imports in the store: IDM workbooks of other years and Indeks Desa rounds.

Imports used to be Parquet files under data/imports/, seen only by the app server that wrote them. Each
import is now one ``uploads`` row (kind "idm" or "indeks_desa") with its rows in these tables, undoable from
Riwayat. Earlier file imports are not converted: import the workbook again (docs/imports-quality.md).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('index_imports',
    sa.Column('upload_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('index_name', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('desa', sa.Integer(), nullable=False),
    sa.Column('dims_source', sa.String(length=12), nullable=True),
    sa.Column('total_source', sa.String(length=12), nullable=True),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['upload_id'], ['uploads.upload_id'], ),
    sa.PrimaryKeyConstraint('upload_id')
    )
    with op.batch_alter_table('index_imports', schema=None) as batch_op:
        batch_op.create_index('ix_index_imports_year', ['index_name', 'year'], unique=False)

    op.create_table('idm_import_desa',
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('village_code', sa.String(length=32), nullable=False),
    sa.Column('iks', sa.Float(), nullable=True),
    sa.Column('ike', sa.Float(), nullable=True),
    sa.Column('ikl', sa.Float(), nullable=True),
    sa.Column('nilai', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=True),
    sa.Column('target_status', sa.String(length=32), nullable=True),
    sa.Column('signal', sa.String(length=16), nullable=True),
    sa.Column('internet_kantor', sa.Boolean(), nullable=True),
    sa.Column('n_recommendations', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['upload_id'], ['index_imports.upload_id'], ),
    sa.PrimaryKeyConstraint('upload_id', 'village_code')
    )
    op.create_table('idm_import_recommendations',
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('village_code', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.Text(), nullable=True),
    sa.Column('activity', sa.Text(), nullable=True),
    sa.Column('score_gain', sa.Float(), nullable=True),
    sa.Column('pusat', sa.String(length=200), nullable=True),
    sa.Column('provinsi', sa.String(length=200), nullable=True),
    sa.Column('kabupaten', sa.String(length=200), nullable=True),
    sa.Column('desa', sa.String(length=200), nullable=True),
    sa.Column('swasta', sa.String(length=200), nullable=True),
    sa.Column('masyarakat', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['upload_id'], ['index_imports.upload_id'], ),
    sa.PrimaryKeyConstraint('upload_id', 'village_code', 'seq')
    )
    op.create_table('indeks_desa_desa',
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('village_code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=True),
    sa.Column('status_source', sa.String(length=12), nullable=True),
    sa.Column('band_status', sa.String(length=32), nullable=True),
    sa.Column('total', sa.Float(), nullable=True),
    sa.Column('dim_layanan_dasar', sa.Float(), nullable=True),
    sa.Column('dim_sosial', sa.Float(), nullable=True),
    sa.Column('dim_ekonomi', sa.Float(), nullable=True),
    sa.Column('dim_lingkungan', sa.Float(), nullable=True),
    sa.Column('dim_aksesibilitas', sa.Float(), nullable=True),
    sa.Column('dim_tata_kelola', sa.Float(), nullable=True),
    sa.Column('items_scored', sa.Integer(), nullable=False),
    sa.Column('file_row', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['upload_id'], ['index_imports.upload_id'], ),
    sa.PrimaryKeyConstraint('upload_id', 'village_code')
    )
    op.create_table('indeks_desa_items',
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('village_code', sa.String(length=32), nullable=False),
    sa.Column('item_no', sa.SmallInteger(), nullable=False),
    sa.Column('score', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['upload_id'], ['index_imports.upload_id'], ),
    sa.PrimaryKeyConstraint('upload_id', 'village_code', 'item_no')
    )


def downgrade() -> None:
    op.drop_table('indeks_desa_items')
    op.drop_table('indeks_desa_desa')
    op.drop_table('idm_import_recommendations')
    op.drop_table('idm_import_desa')
    with op.batch_alter_table('index_imports', schema=None) as batch_op:
        batch_op.drop_index('ix_index_imports_year')

    op.drop_table('index_imports')

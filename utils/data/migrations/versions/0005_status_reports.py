"""Kabupaten status reports (issue 16): the report, its rows per pekon and its pillar flags; the operators'
mapping profiles; and on ``uploads`` the date an upload describes (``as_of``) and what its check found
(``details``, JSON). Only new tables and nullable columns: no existing row changes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mapping_profiles',
    sa.Column('kab_code', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('spec', sa.Text(), nullable=False),
    sa.Column('saved_by', sa.String(length=100), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('kab_code', 'kind', 'name')
    )
    op.create_table('status_reports',
    sa.Column('kab_code', sa.String(length=32), nullable=False),
    sa.Column('report_date', sa.Date(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=200), server_default='manual', nullable=False),
    sa.PrimaryKeyConstraint('kab_code', 'report_date')
    )
    op.create_table('status_report_rows',
    sa.Column('kab_code', sa.String(length=32), nullable=False),
    sa.Column('report_date', sa.Date(), nullable=False),
    sa.Column('village_code', sa.String(length=32), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('stage', sa.String(length=32), nullable=True),
    sa.Column('operators_trained', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('file_row', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=200), server_default='manual', nullable=False),
    sa.ForeignKeyConstraint(['kab_code', 'report_date'], ['status_reports.kab_code', 'status_reports.report_date'], ),
    sa.PrimaryKeyConstraint('kab_code', 'report_date', 'village_code')
    )
    with op.batch_alter_table('status_report_rows', schema=None) as batch_op:
        batch_op.create_index('ix_status_report_rows_village', ['village_code'], unique=False)

    op.create_table('status_report_services',
    sa.Column('kab_code', sa.String(length=32), nullable=False),
    sa.Column('report_date', sa.Date(), nullable=False),
    sa.Column('village_code', sa.String(length=32), nullable=False),
    sa.Column('pillar', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=200), server_default='manual', nullable=False),
    sa.ForeignKeyConstraint(['kab_code', 'report_date', 'village_code'], ['status_report_rows.kab_code', 'status_report_rows.report_date', 'status_report_rows.village_code'], ),
    sa.PrimaryKeyConstraint('kab_code', 'report_date', 'village_code', 'pillar')
    )
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('as_of', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('details', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_column('details')
        batch_op.drop_column('as_of')

    op.drop_table('status_report_services')
    with op.batch_alter_table('status_report_rows', schema=None) as batch_op:
        batch_op.drop_index('ix_status_report_rows_village')

    op.drop_table('status_report_rows')
    op.drop_table('status_reports')
    op.drop_table('mapping_profiles')

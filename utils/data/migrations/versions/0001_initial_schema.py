"""Initial schema: the programme store as ``metadata.create_all`` wrote it before migrations existed.

A store from that time has exactly these tables and no ``alembic_version``; ``utils.data.migrate`` stamps
it with this revision and upgrades it from here, so no row is touched.

Revision ID: 0001
Revises: -
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('adoption',
    sa.Column('village_code', sa.String(length=32), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('reached_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=200), server_default='manual', nullable=False),
    sa.PrimaryKeyConstraint('village_code', 'stage')
    )
    op.create_index('ix_adoption_village', 'adoption', ['village_code'], unique=False)

    op.create_table('bimtek_events',
    sa.Column('event_id', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('organiser', sa.String(length=200), nullable=False),
    sa.Column('kab_codes', sa.Text(), nullable=False),
    sa.Column('reported_participants', sa.Integer(), nullable=True),
    sa.Column('reported_villages', sa.Integer(), nullable=True),
    sa.Column('reported_scope', sa.String(length=32), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=200), server_default='manual', nullable=False),
    sa.PrimaryKeyConstraint('event_id')
    )
    op.create_table('meetings',
    sa.Column('meeting_id', sa.String(length=40), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=True),
    sa.Column('organiser', sa.String(length=200), nullable=True),
    sa.Column('source', sa.String(length=200), server_default='manual', nullable=False),
    sa.PrimaryKeyConstraint('meeting_id')
    )
    op.create_table('meta',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('officers',
    sa.Column('officer_id', sa.String(length=40), nullable=False),
    sa.Column('village_code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=100), nullable=False),
    sa.Column('appointed_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=200), server_default='manual', nullable=False),
    sa.PrimaryKeyConstraint('officer_id')
    )
    op.create_index('ix_officers_village', 'officers', ['village_code'], unique=False)

    op.create_table('services',
    sa.Column('village_code', sa.String(length=32), nullable=False),
    sa.Column('pillar', sa.String(length=32), nullable=False),
    sa.Column('service', sa.String(length=200), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=200), server_default='manual', nullable=False),
    sa.PrimaryKeyConstraint('village_code', 'service', 'started_on')
    )
    op.create_index('ix_services_village', 'services', ['village_code'], unique=False)

    op.create_table('targets',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=32), nullable=False),
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), server_default='manual', nullable=False),
    sa.PrimaryKeyConstraint('year', 'region_code', 'indicator')
    )
    op.create_table('uploads',
    sa.Column('upload_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('kab_code', sa.String(length=32), nullable=True),
    sa.Column('uploader', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('rows_added', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rows_changed', sa.Integer(), server_default='0', nullable=False),
    sa.Column('approved_by', sa.String(length=100), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('rolled_back_by', sa.String(length=100), nullable=True),
    sa.Column('rolled_back_at', sa.DateTime(), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('upload_id')
    )
    op.create_index('ix_uploads_sha', 'uploads', ['sha256'], unique=False)

    op.create_table('bimtek_participants',
    sa.Column('participant_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('event_id', sa.String(length=40), nullable=False),
    sa.Column('village_code', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('source', sa.String(length=200), server_default='manual', nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['bimtek_events.event_id'], ),
    sa.PrimaryKeyConstraint('participant_id')
    )
    op.create_index('ix_bimtek_participants_event', 'bimtek_participants', ['event_id'], unique=False)
    op.create_index('ix_bimtek_participants_village', 'bimtek_participants', ['village_code'], unique=False)

    op.create_table('bimtek_venues',
    sa.Column('event_id', sa.String(length=40), nullable=False),
    sa.Column('venue', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['bimtek_events.event_id'], ),
    sa.PrimaryKeyConstraint('event_id', 'venue')
    )
    op.create_table('meeting_attendance',
    sa.Column('meeting_id', sa.String(length=40), nullable=False),
    sa.Column('officer_id', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.meeting_id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.officer_id'], ),
    sa.PrimaryKeyConstraint('meeting_id', 'officer_id')
    )
    op.create_table('upload_rows',
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('image', sa.String(length=8), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_json', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['upload_id'], ['uploads.upload_id'], ),
    sa.PrimaryKeyConstraint('upload_id', 'seq')
    )


def downgrade() -> None:
    for name in ("upload_rows", "meeting_attendance", "bimtek_venues", "bimtek_participants", "uploads", "targets",
                 "services", "officers", "meta", "meetings", "bimtek_events", "adoption"):
        op.drop_table(name)

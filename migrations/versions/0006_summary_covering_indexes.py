"""the monthly summary's counts read from the indexes alone

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 18:40:00

The summary counts a location's reviews per site and rating, and its scans per printed QR code,
month by month. With the site, rating and reply time (and the printed code) in the index on
(location_id, time), those counts never visit the table rows. The wider index serves every query
the narrower one did, so it replaces it.
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_review_location_posted', table_name='review')
    op.create_index('ix_review_location_posted', 'review',
                    ['location_id', 'posted_at', 'platform', 'rating', 'replied_at'], unique=False)
    op.drop_index('ix_scan_location_scanned_at', table_name='scan')
    op.create_index('ix_scan_location_scanned_at', 'scan',
                    ['location_id', 'scanned_at', 'batch_destination_id'], unique=False)


def downgrade():
    op.drop_index('ix_scan_location_scanned_at', table_name='scan')
    op.create_index('ix_scan_location_scanned_at', 'scan', ['location_id', 'scanned_at'], unique=False)
    op.drop_index('ix_review_location_posted', table_name='review')
    op.create_index('ix_review_location_posted', 'review', ['location_id', 'posted_at'], unique=False)

"""a print offset per location, for printers that place the page off

Revision ID: 0008_print_offset
Revises: 0007_private_feedback
Create Date: 2026-11-27 20:45:00

Every location starts with no offset: its sheets print exactly as before.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_print_offset'
down_revision = '0007_private_feedback'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.add_column(sa.Column('print_offset_x_mm', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('print_offset_y_mm', sa.Float(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.drop_column('print_offset_y_mm')
        batch_op.drop_column('print_offset_x_mm')

"""private feedback written from a card's feedback page

Revision ID: 0007_private_feedback
Revises: 0006
Create Date: 2026-11-27 20:50:00

A new table only: no existing row changes.
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_private_feedback'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'private_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('location_id', sa.Integer(), nullable=False),
        sa.Column('card_id', sa.Integer(), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('contact', sa.String(length=200), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['card_id'], ['card.id'], name=op.f('fk_private_feedback_card_id_card'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_private_feedback_location_id_location'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_private_feedback')),
    )
    op.create_index('ix_private_feedback_location_created_at', 'private_feedback', ['location_id', 'created_at'], unique=False)
    op.create_index('ix_private_feedback_card_created_at', 'private_feedback', ['card_id', 'created_at'], unique=False)


def downgrade():
    op.drop_index('ix_private_feedback_card_created_at', table_name='private_feedback')
    op.drop_index('ix_private_feedback_location_created_at', table_name='private_feedback')
    op.drop_table('private_feedback')

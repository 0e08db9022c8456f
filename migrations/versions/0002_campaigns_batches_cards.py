"""campaigns, print batches and cards

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 14:33:36.408095

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('headline', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('presence_line', sa.String(length=200), nullable=False),
    sa.Column('offer_kind', sa.String(length=20), nullable=False),
    sa.Column('offer_text', sa.String(length=200), nullable=False),
    sa.Column('offer_validity_days', sa.Integer(), nullable=True),
    sa.Column('link_mode', sa.String(length=10), nullable=False),
    sa.Column('distribution', sa.String(length=20), nullable=False),
    sa.Column('every_nth', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("distribution IN ('every_customer', 'every_nth')", name=op.f('ck_campaign_distribution')),
    sa.CheckConstraint("link_mode IN ('direct', 'tracked')", name=op.f('ck_campaign_link_mode')),
    sa.CheckConstraint("offer_kind IN ('none', 'thank_you', 'private_feedback')", name=op.f('ck_campaign_offer_kind')),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_campaign_location_id_location'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign'))
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_location_id'), ['location_id'], unique=False)

    op.create_table('campaign_destination',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('destination_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_destination_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['destination_id'], ['review_destination.id'], name=op.f('fk_campaign_destination_destination_id_review_destination'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'destination_id', name=op.f('pk_campaign_destination'))
    )
    with op.batch_alter_table('campaign_destination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_destination_destination_id'), ['destination_id'], unique=False)

    op.create_table('card_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('layout', sa.String(length=64), nullable=False),
    sa.Column('link_mode', sa.String(length=10), nullable=False),
    sa.Column('card_count', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('printed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('printed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_card_batch_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_card_batch_location_id_location'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['printed_by_id'], ['user_account.id'], name=op.f('fk_card_batch_printed_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_batch'))
    )
    with op.batch_alter_table('card_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_batch_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_batch_location_id'), ['location_id'], unique=False)

    op.create_table('card',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('printed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['card_batch.id'], name=op.f('fk_card_batch_id_card_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_card_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_card_location_id_location'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card')),
    sa.UniqueConstraint('code', name=op.f('uq_card_code'))
    )
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.create_index('ix_card_batch_position', ['batch_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_location_id'), ['location_id'], unique=False)



def downgrade():
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_location_id'))
        batch_op.drop_index(batch_op.f('ix_card_campaign_id'))
        batch_op.drop_index('ix_card_batch_position')

    op.drop_table('card')
    with op.batch_alter_table('card_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_batch_location_id'))
        batch_op.drop_index(batch_op.f('ix_card_batch_campaign_id'))

    op.drop_table('card_batch')
    with op.batch_alter_table('campaign_destination', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_destination_destination_id'))

    op.drop_table('campaign_destination')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_location_id'))

    op.drop_table('campaign')

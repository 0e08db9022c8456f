"""posted reviews, their imports, monthly counts and matches to cards

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 17:46:45.373471

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('platform', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('already_there', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.CheckConstraint("source IN ('gbp', 'csv')", name=op.f('ck_review_import_source')),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_review_import_location_id_location'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_review_import_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_import'))
    )
    with op.batch_alter_table('review_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_import_location_id'), ['location_id'], unique=False)

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('destination_id', sa.Integer(), nullable=True),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('site_name', sa.String(length=80), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('author_name', sa.String(length=120), nullable=False),
    sa.Column('is_anonymous', sa.Boolean(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reply_text', sa.Text(), nullable=False),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('gbp', 'csv', 'manual')", name=op.f('ck_review_source')),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_review_rating')),
    sa.ForeignKeyConstraint(['destination_id'], ['review_destination.id'], name=op.f('fk_review_destination_id_review_destination'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['import_id'], ['review_import.id'], name=op.f('fk_review_import_id_review_import'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_review_location_id_location'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('location_id', 'platform', 'fingerprint', name='uq_review_location_platform_fingerprint')
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_destination_id'), ['destination_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_import_id'), ['import_id'], unique=False)
        batch_op.create_index('ix_review_location_posted', ['location_id', 'posted_at'], unique=False)

    op.create_table('review_month_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('destination_id', sa.Integer(), nullable=True),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('site_name', sa.String(length=80), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('review_count', sa.Integer(), nullable=False),
    sa.Column('average_rating', sa.Float(), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('average_rating IS NULL OR (average_rating >= 1 AND average_rating <= 5)', name=op.f('ck_review_month_count_average_rating')),
    sa.CheckConstraint('review_count >= 0', name=op.f('ck_review_month_count_review_count')),
    sa.ForeignKeyConstraint(['destination_id'], ['review_destination.id'], name=op.f('fk_review_month_count_destination_id_review_destination'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_review_month_count_entered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_review_month_count_location_id_location'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_month_count')),
    sa.UniqueConstraint('location_id', 'platform', 'site_name', 'month', name='uq_review_month_count')
    )
    with op.batch_alter_table('review_month_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_month_count_location_id'), ['location_id'], unique=False)

    op.create_table('review_match',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('suggested', 'confirmed', 'rejected')", name=op.f('ck_review_match_status')),
    sa.ForeignKeyConstraint(['card_id'], ['card.id'], name=op.f('fk_review_match_card_id_card'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_review_match_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_review_match_location_id_location'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_match_review_id_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_match')),
    sa.UniqueConstraint('review_id', 'card_id', name='uq_review_match_review_card')
    )
    with op.batch_alter_table('review_match', schema=None) as batch_op:
        batch_op.create_index('ix_review_match_card', ['card_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_match_location_id'), ['location_id'], unique=False)



def downgrade():
    with op.batch_alter_table('review_match', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_match_location_id'))
        batch_op.drop_index('ix_review_match_card')

    op.drop_table('review_match')
    with op.batch_alter_table('review_month_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_month_count_location_id'))

    op.drop_table('review_month_count')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index('ix_review_location_posted')
        batch_op.drop_index(batch_op.f('ix_review_import_id'))
        batch_op.drop_index(batch_op.f('ix_review_destination_id'))

    op.drop_table('review')
    with op.batch_alter_table('review_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_import_location_id'))

    op.drop_table('review_import')

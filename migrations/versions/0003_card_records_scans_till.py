"""printed cards as records: batch facts as columns, printed destinations, redemption, scans, till

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 17:40:00

Existing batches are migrated from their ``content`` JSON: the offer, its last day (read back from
the printed sentence), and one ``batch_destination`` row per printed QR code. Their tracked links
keep the older ``/r/<code>/<platform>`` form, which is recorded so that a reprint stays identical.

No table that others reference is rebuilt: SQLite rebuilds a table by dropping it, and with
foreign keys on, dropping ``location`` or ``card_batch`` would delete their children. ``card`` is
rebuilt only while no table references it (before ``scan`` exists, and after it is gone).
"""
import json
import logging
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from alembic import op
from babel.core import UnknownLocaleError
from babel.dates import format_date


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

REDEMPTION_RESULTS = ("redeemed", "already_redeemed", "typo", "malformed", "unknown", "expired",
                      "not_started", "ended", "other_location", "no_offer", "paused")
DEVICE_CLASSES = ("phone", "tablet", "desktop", "other")
LONGEST_VALIDITY_DAYS = 730  # the campaign form's limit


def _in(column, values):
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    op.add_column('card_batch', sa.Column('offer_kind', sa.String(length=20), server_default='none', nullable=False))
    op.add_column('card_batch', sa.Column('offer_text', sa.String(length=200), server_default='', nullable=False))
    op.add_column('card_batch', sa.Column('offer_expires_on', sa.Date(), nullable=True))

    op.create_table('batch_destination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('destination_id', sa.Integer(), nullable=True),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('display_url', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['card_batch.id'], name=op.f('fk_batch_destination_batch_id_card_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['destination_id'], ['review_destination.id'], name=op.f('fk_batch_destination_destination_id_review_destination'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batch_destination')),
    sa.UniqueConstraint('batch_id', 'position', name='uq_batch_destination_batch_position')
    )
    op.create_index(op.f('ix_batch_destination_destination_id'), 'batch_destination', ['destination_id'], unique=False)

    # No table references `card` yet, so SQLite may rebuild it: the rebuild gives the new foreign
    # key a name and an ON DELETE that reflection reads back (an inline REFERENCES shows neither).
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.add_column(sa.Column('redeemed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('redeemed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('redeemed_device', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_card_redeemed_by_id_user_account'), 'user_account',
                                    ['redeemed_by_id'], ['id'], ondelete='SET NULL')
    op.create_index('ix_card_printed_at', 'card', ['printed_at'], unique=False)
    op.create_index('ix_card_location_printed_at', 'card', ['location_id', 'printed_at'], unique=False)
    op.create_index('ix_card_location_redeemed_at', 'card', ['location_id', 'redeemed_at'], unique=False)
    # The (location, printed_at) index serves every lookup by location alone too.
    op.drop_index('ix_card_location_id', table_name='card')

    op.create_table('scan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('batch_destination_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('scanned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('device_class', sa.String(length=10), nullable=False),
    sa.CheckConstraint(_in('device_class', DEVICE_CLASSES), name=op.f('ck_scan_device_class')),
    sa.ForeignKeyConstraint(['batch_destination_id'], ['batch_destination.id'], name=op.f('fk_scan_batch_destination_id_batch_destination'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['card_id'], ['card.id'], name=op.f('fk_scan_card_id_card'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_scan_location_id_location'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scan'))
    )
    op.create_index('ix_scan_card_destination_scanned_at', 'scan', ['card_id', 'batch_destination_id', 'scanned_at'], unique=False)
    op.create_index('ix_scan_location_scanned_at', 'scan', ['location_id', 'scanned_at'], unique=False)

    op.create_table('preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('destination_id', sa.Integer(), nullable=True),
    sa.Column('table_or_bill', sa.String(length=40), nullable=False),
    sa.Column('card_code', sa.String(length=32), nullable=False),
    sa.Column('customer_name', sa.String(length=120), nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['destination_id'], ['review_destination.id'], name=op.f('fk_preference_destination_id_review_destination'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_preference_location_id_location'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_preference_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_preference')),
    sa.UniqueConstraint('client_key', name=op.f('uq_preference_client_key'))
    )
    op.create_index('ix_preference_location_created_at', 'preference', ['location_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_preference_user_id'), 'preference', ['user_id'], unique=False)

    op.create_table('redemption_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=True),
    sa.CheckConstraint(_in('result', REDEMPTION_RESULTS), name=op.f('ck_redemption_attempt_result')),
    sa.ForeignKeyConstraint(['card_id'], ['card.id'], name=op.f('fk_redemption_attempt_card_id_card'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_redemption_attempt_location_id_location'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_redemption_attempt_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemption_attempt')),
    sa.UniqueConstraint('client_key', name=op.f('uq_redemption_attempt_client_key'))
    )
    op.create_index('ix_redemption_attempt_location_created_at', 'redemption_attempt', ['location_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_redemption_attempt_card_id'), 'redemption_attempt', ['card_id'], unique=False)
    op.create_index(op.f('ix_redemption_attempt_user_id'), 'redemption_attempt', ['user_id'], unique=False)

    op.create_table('till_setting',
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('redemption_paused_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_till_setting_campaign_id_campaign'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_till_setting_location_id_location'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('location_id', name=op.f('pk_till_setting'))
    )
    op.create_index(op.f('ix_till_setting_campaign_id'), 'till_setting', ['campaign_id'], unique=False)

    _batches_to_records()


def downgrade():
    _records_to_batches()

    op.drop_index(op.f('ix_till_setting_campaign_id'), table_name='till_setting')
    op.drop_table('till_setting')
    op.drop_index(op.f('ix_redemption_attempt_user_id'), table_name='redemption_attempt')
    op.drop_index(op.f('ix_redemption_attempt_card_id'), table_name='redemption_attempt')
    op.drop_index('ix_redemption_attempt_location_created_at', table_name='redemption_attempt')
    op.drop_table('redemption_attempt')
    op.drop_index(op.f('ix_preference_user_id'), table_name='preference')
    op.drop_index('ix_preference_location_created_at', table_name='preference')
    op.drop_table('preference')
    op.drop_index('ix_scan_location_scanned_at', table_name='scan')
    op.drop_index('ix_scan_card_destination_scanned_at', table_name='scan')
    op.drop_table('scan')

    op.create_index(op.f('ix_card_location_id'), 'card', ['location_id'], unique=False)
    op.drop_index('ix_card_location_redeemed_at', table_name='card')
    op.drop_index('ix_card_location_printed_at', table_name='card')
    op.drop_index('ix_card_printed_at', table_name='card')
    # SQLite drops a column with a foreign key only by rebuilding the table; nothing references
    # `card` any more at this point, so the rebuild deletes nothing.
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.drop_column('redeemed_device')
        batch_op.drop_column('redeemed_by_id')
        batch_op.drop_column('redeemed_at')

    op.drop_index(op.f('ix_batch_destination_destination_id'), table_name='batch_destination')
    op.drop_table('batch_destination')
    # Plain columns: SQLite drops them in place (3.35+), so `card_batch` is not rebuilt.
    op.drop_column('card_batch', 'offer_expires_on')
    op.drop_column('card_batch', 'offer_text')
    op.drop_column('card_batch', 'offer_kind')


# The data steps use their own light table definitions, frozen as of this revision, so that later
# changes to the models cannot change what this migration does.
card_batch = sa.table(
    'card_batch',
    sa.column('id', sa.Integer), sa.column('campaign_id', sa.Integer), sa.column('location_id', sa.Integer),
    sa.column('link_mode', sa.String), sa.column('content', sa.Text), sa.column('printed_at', sa.DateTime(timezone=True)),
    sa.column('offer_kind', sa.String), sa.column('offer_text', sa.String), sa.column('offer_expires_on', sa.Date),
)
batch_destination = sa.table(
    'batch_destination',
    sa.column('batch_id', sa.Integer), sa.column('position', sa.Integer), sa.column('destination_id', sa.Integer),
    sa.column('platform', sa.String), sa.column('label', sa.String), sa.column('url', sa.String),
    sa.column('display_url', sa.String),
)
campaign = sa.table(
    'campaign',
    sa.column('id', sa.Integer), sa.column('offer_kind', sa.String), sa.column('offer_validity_days', sa.Integer),
    sa.column('ends_on', sa.Date),
)
location = sa.table('location', sa.column('id', sa.Integer), sa.column('timezone', sa.String))
review_destination = sa.table(
    'review_destination', sa.column('id', sa.Integer), sa.column('location_id', sa.Integer), sa.column('url', sa.String),
)


def _batches_to_records():
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            card_batch.c.id, card_batch.c.location_id, card_batch.c.content, card_batch.c.printed_at,
            location.c.timezone, campaign.c.offer_kind, campaign.c.offer_validity_days, campaign.c.ends_on,
        )
        .join(location, location.c.id == card_batch.c.location_id)
        .join(campaign, campaign.c.id == card_batch.c.campaign_id)
        .order_by(card_batch.c.id)
    ).all()
    for row in rows:
        content = json.loads(row.content)
        variables = content.get("variables", {})
        offer_text = variables.pop("offer", "") or ""
        printed = content.pop("destinations", [])
        content.pop("link_mode", None)
        content["link_slot"] = "platform"
        bind.execute(
            card_batch.update().where(card_batch.c.id == row.id).values(
                offer_kind=_offer_kind(offer_text, row.offer_kind),
                offer_text=offer_text,
                offer_expires_on=_printed_expiry(row, variables.get("validity", ""), content.get("language", "fr")),
                content=json.dumps(content, ensure_ascii=False, sort_keys=True),
            )
        )
        known = dict(bind.execute(
            sa.select(review_destination.c.url, review_destination.c.id)
            .where(review_destination.c.location_id == row.location_id)
        ).all())
        if printed:
            bind.execute(batch_destination.insert(), [
                {"batch_id": row.id, "position": position, "destination_id": known.get(item["url"]),
                 "platform": item["platform"], "label": item["label"], "url": item["url"],
                 "display_url": item["display_url"]}
                for position, item in enumerate(printed, start=1)
            ])


def _offer_kind(offer_text, campaign_offer_kind):
    """Batches did not record the offer's kind: no text means no offer; otherwise the campaign's
    kind when it still has one, else a thank-you (both are redeemed the same way)."""
    if not offer_text:
        return "none"
    return campaign_offer_kind if campaign_offer_kind in ("thank_you", "private_feedback") else "thank_you"


def _printed_expiry(row, sentence, language):
    """The day printed on the cards, read back from their validity sentence.

    The printed day is what customers were promised, whatever the campaign says now. When the
    sentence cannot be read (an unknown language), the day is worked out again from the print day
    at the location and the campaign's validity; with no sentence at all, the offer had no limit.
    """
    if not sentence:
        return None
    printed_at = row.printed_at if row.printed_at.tzinfo else row.printed_at.replace(tzinfo=timezone.utc)
    try:
        printed_day = printed_at.astimezone(ZoneInfo(row.timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        printed_day = printed_at.date()
    # The old code counted from the server's day, at most a day away from the location's.
    for offset in range(-2, LONGEST_VALIDITY_DAYS + 2):
        candidate = printed_day + timedelta(days=offset)
        try:
            written = format_date(candidate, format="long", locale=language)
        except (UnknownLocaleError, ValueError):  # fall back to the campaign below
            break
        before = sentence[: len(sentence) - len(written)]
        if sentence.endswith(written) and not before[-1:].isdigit():
            return candidate
    if row.offer_validity_days:
        until = printed_day + timedelta(days=row.offer_validity_days)
        if row.ends_on is not None and row.ends_on < until:
            until = row.ends_on
        log.warning("batch %s: offer's last day worked out from its campaign (%s)", row.id, until)
        return until
    log.warning("batch %s: offer's last day unknown, left empty (it is honoured without a limit)", row.id)
    return None


def _records_to_batches():
    bind = op.get_bind()
    batches = bind.execute(
        sa.select(card_batch.c.id, card_batch.c.link_mode, card_batch.c.offer_text, card_batch.c.content)
    ).all()
    for batch in batches:
        content = json.loads(batch.content)
        content.pop("link_slot", None)
        content["link_mode"] = batch.link_mode
        content.setdefault("variables", {})["offer"] = batch.offer_text
        content["destinations"] = [
            {"platform": d.platform, "label": d.label, "url": d.url, "display_url": d.display_url}
            for d in bind.execute(
                sa.select(batch_destination).where(batch_destination.c.batch_id == batch.id)
                .order_by(batch_destination.c.position)
            )
        ]
        bind.execute(card_batch.update().where(card_batch.c.id == batch.id).values(
            content=json.dumps(content, ensure_ascii=False, sort_keys=True)))

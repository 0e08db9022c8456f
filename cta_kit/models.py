"""Typed SQLAlchemy models: columns, relationships and tiny properties. Services commit."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from .domain.cards import REDEMPTION_RESULTS
from .domain.scans import DEVICE_CLASSES
from .extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every database (SQLite drops the offset on its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


ROLE_OWNER = "owner"
ROLE_STAFF = "staff"
ROLES = (ROLE_OWNER, ROLE_STAFF)

user_locations = Table(
    "user_location",
    db.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("location_id", ForeignKey("location.id", ondelete="CASCADE"), primary_key=True),
)


class Business(db.Model):
    __tablename__ = "business"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    locations: Mapped[list[Location]] = relationship(
        back_populates="business", order_by="Location.name"
    )
    users: Mapped[list[User]] = relationship(back_populates="business", order_by="User.name")


class Location(db.Model):
    __tablename__ = "location"

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(300), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    language: Mapped[str] = mapped_column(String(8), default="fr")
    # mm added to where every sheet printed here puts its content (see domain/print_offset.py)
    print_offset_x_mm: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    print_offset_y_mm: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    business: Mapped[Business] = relationship(back_populates="locations")
    destinations: Mapped[list[ReviewDestination]] = relationship(
        back_populates="location",
        order_by="ReviewDestination.position, ReviewDestination.id",
        cascade="all, delete-orphan",
    )
    users: Mapped[list[User]] = relationship(secondary=user_locations, back_populates="locations")


class User(db.Model):
    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint("role IN ('owner', 'staff')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # An email address for owners, or a short staff login typed on a shared tablet; stored lowercased.
    login: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=ROLE_STAFF)
    language: Mapped[str] = mapped_column(String(8), default="fr")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the id kept in the session cookie: bumping it ends every session of this user.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    business: Mapped[Business] = relationship(back_populates="users")
    locations: Mapped[list[Location]] = relationship(
        secondary=user_locations, back_populates="users", order_by="Location.name"
    )

    # Flask-Login protocol
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_owner(self) -> bool:
        return self.role == ROLE_OWNER


class LoginFailure(db.Model):
    """Failed logins, kept in the database so that limits hold across server processes."""

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_login_created", "login", "created_at"),
        Index("ix_login_failure_address_created", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewDestination(db.Model):
    """A review site where a location's customers can post, as a validated link."""

    __tablename__ = "review_destination"
    __table_args__ = (UniqueConstraint("location_id", "url", name="uq_review_destination_location_url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(80), default="")
    # What the owner typed, kept so that the form can show it again.
    entered: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(2000))
    display_url: Mapped[str] = mapped_column(String(120))
    presence_only: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    location: Mapped[Location] = relationship(back_populates="destinations")


class InstanceSetting(db.Model):
    """Install-wide facts. The key is the primary key, so a second first-run setup cannot slip in."""

    __tablename__ = "instance_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


OFFER_KINDS = ("none", "thank_you", "private_feedback")
LINK_MODES = ("direct", "tracked")
DISTRIBUTIONS = ("every_customer", "every_nth")


class Campaign(db.Model):
    """What a location's cards say and which review sites they feature."""

    __tablename__ = "campaign"
    __table_args__ = (
        CheckConstraint("offer_kind IN ('none', 'thank_you', 'private_feedback')", name="offer_kind"),
        CheckConstraint("link_mode IN ('direct', 'tracked')", name="link_mode"),
        CheckConstraint("distribution IN ('every_customer', 'every_nth')", name="distribution"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    language: Mapped[str] = mapped_column(String(8))
    headline: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    presence_line: Mapped[str] = mapped_column(String(200), default="")
    offer_kind: Mapped[str] = mapped_column(String(20), default="none")
    offer_text: Mapped[str] = mapped_column(String(200), default="")
    offer_validity_days: Mapped[int | None] = mapped_column(Integer)
    link_mode: Mapped[str] = mapped_column(String(10), default="direct")
    distribution: Mapped[str] = mapped_column(String(20), default="every_customer")
    every_nth: Mapped[int | None] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    location: Mapped[Location] = relationship()
    featured: Mapped[list[CampaignDestination]] = relationship(
        back_populates="campaign", order_by="CampaignDestination.position", cascade="all, delete-orphan"
    )

    @property
    def destinations(self) -> list[ReviewDestination]:
        return [link.destination for link in self.featured]


class CampaignDestination(db.Model):
    """A review site featured on a campaign's cards, in print order (1 to 3)."""

    __tablename__ = "campaign_destination"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True)
    destination_id: Mapped[int] = mapped_column(
        ForeignKey("review_destination.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)

    campaign: Mapped[Campaign] = relationship(back_populates="featured")
    destination: Mapped[ReviewDestination] = relationship()


class CardBatch(db.Model):
    """One print run. Its facts are columns; ``content`` keeps only what a byte-identical reprint
    needs besides them (the printed wording, document metadata and link base)."""

    __tablename__ = "card_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    layout: Mapped[str] = mapped_column(String(64))
    link_mode: Mapped[str] = mapped_column(String(10))
    offer_kind: Mapped[str] = mapped_column(String(20), default="none", server_default="none")
    offer_text: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The last day the offer is honoured (print day at the location + validity, capped at the
    # campaign's end); None when the card states no limit.
    offer_expires_on: Mapped[date | None] = mapped_column(Date)
    card_count: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    printed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    campaign: Mapped[Campaign] = relationship()
    printed_by: Mapped[User | None] = relationship()
    destinations: Mapped[list[BatchDestination]] = relationship(
        back_populates="batch", order_by="BatchDestination.position", cascade="all, delete-orphan"
    )


class BatchDestination(db.Model):
    """A QR code as printed on every card of a batch. Tracked links lead to this URL, so editing,
    reordering or deleting the review destination never changes where a printed card leads."""

    __tablename__ = "batch_destination"
    __table_args__ = (UniqueConstraint("batch_id", "position", name="uq_batch_destination_batch_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("card_batch.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 1-based, in print order
    destination_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_destination.id", ondelete="SET NULL"), index=True
    )
    platform: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(80))
    url: Mapped[str] = mapped_column(String(2000))
    display_url: Mapped[str] = mapped_column(String(120))

    batch: Mapped[CardBatch] = relationship(back_populates="destinations")
    destination: Mapped[ReviewDestination | None] = relationship()


class Card(db.Model):
    """A printed card and its single-use redemption code (Crockford base32 with a Damm check)."""

    __tablename__ = "card"
    __table_args__ = (
        Index("ix_card_batch_position", "batch_id", "position"),
        Index("ix_card_printed_at", "printed_at"),
        # The summary counts cards printed per batch from the index alone.
        Index("ix_card_location_printed_at", "location_id", "printed_at", "batch_id"),
        Index("ix_card_location_redeemed_at", "location_id", "redeemed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("card_batch.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set once, by one conditional UPDATE ... WHERE redeemed_at IS NULL.
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    redeemed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    redeemed_device: Mapped[str | None] = mapped_column(String(64))  # the till's device key

    batch: Mapped[CardBatch] = relationship()
    redeemed_by: Mapped[User | None] = relationship()


class Scan(db.Model):
    """A customer opened a tracked QR code. Never the IP address: only a coarse device class."""

    __tablename__ = "scan"
    __table_args__ = (
        CheckConstraint(
            "device_class IN (" + ", ".join(f"'{name}'" for name in DEVICE_CLASSES) + ")", name="device_class"
        ),
        Index("ix_scan_card_destination_scanned_at", "card_id", "batch_destination_id", "scanned_at"),
        # The summary counts scans per printed code from the index alone.
        Index("ix_scan_location_scanned_at", "location_id", "scanned_at", "batch_destination_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"))
    batch_destination_id: Mapped[int] = mapped_column(ForeignKey("batch_destination.id", ondelete="CASCADE"))
    # Copied from the card so that a location's summary reads one table.
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    device_class: Mapped[str] = mapped_column(String(10), default="other")


class Preference(db.Model):
    """The review site a customer said they use, logged by staff at the till (or none, or unsaid)."""

    __tablename__ = "preference"
    __table_args__ = (Index("ix_preference_location_created_at", "location_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A platform key, or "none" (doesn't leave reviews) or "unsaid" (didn't say).
    platform: Mapped[str] = mapped_column(String(32))
    destination_id: Mapped[int | None] = mapped_column(ForeignKey("review_destination.id", ondelete="SET NULL"))
    table_or_bill: Mapped[str] = mapped_column(String(40), default="")
    card_code: Mapped[str] = mapped_column(String(32), default="")
    customer_name: Mapped[str] = mapped_column(String(120), default="")
    # Chosen by the till's browser: the same tap sent twice (offline queue, retry) is stored once.
    client_key: Mapped[str] = mapped_column(String(64), unique=True)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()
    destination: Mapped[ReviewDestination | None] = relationship()


class RedemptionAttempt(db.Model):
    """Every code typed at the till and the answer given: the same client key gets the same answer,
    and failures counted here pause redemption at a location across server processes."""

    __tablename__ = "redemption_attempt"
    __table_args__ = (
        CheckConstraint(
            "result IN (" + ", ".join(f"'{result}'" for result in REDEMPTION_RESULTS) + ")", name="result"
        ),
        Index("ix_redemption_attempt_location_created_at", "location_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    result: Mapped[str] = mapped_column(String(20))
    client_key: Mapped[str] = mapped_column(String(64), unique=True)
    code: Mapped[str] = mapped_column(String(64))  # as typed
    card_id: Mapped[int | None] = mapped_column(ForeignKey("card.id", ondelete="SET NULL"), index=True)

    user: Mapped[User | None] = relationship()
    card: Mapped[Card | None] = relationship()


class TillSetting(db.Model):
    """A location's till: the campaign its slips are printed from, and a pause after many failed
    codes. A table of its own, so the location table is never rebuilt to add till settings."""

    __tablename__ = "till_setting"

    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), primary_key=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"), index=True)
    redemption_paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    location: Mapped[Location] = relationship()
    campaign: Mapped[Campaign | None] = relationship()


PRINT_JOB_STATUSES = ("queued", "running", "done", "failed")


class PrintJob(db.Model):
    """A print run handed to the background worker, with its progress for the job page."""

    __tablename__ = "print_job"
    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    layout: Mapped[str] = mapped_column(String(64))
    card_count: Mapped[int] = mapped_column(Integer)
    link_mode: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    cards_done: Mapped[int] = mapped_column(Integer, default=0)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("card_batch.id", ondelete="SET NULL"))
    # Why it failed, as a JSON list of {"text", "params"} messages, translated when shown.
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moved on by every progress report: a running job that stops moving was interrupted.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    campaign: Mapped[Campaign] = relationship()




REVIEW_SOURCES = ("gbp", "csv", "manual")
MATCH_STATUSES = ("suggested", "confirmed", "rejected")


class ReviewImport(db.Model):
    """An uploaded export, kept until the owner has checked the columns and imported it."""

    __tablename__ = "review_import"
    __table_args__ = (CheckConstraint("source IN ('gbp', 'csv')", name="source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(10))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)  # dropped once imported
    platform: Mapped[str | None] = mapped_column(String(32))  # the site, when the file does not say
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    added: Mapped[int] = mapped_column(Integer, default=0)
    already_there: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)


class Review(db.Model):
    """A review posted on a site, as imported or typed by the owner. Its text is untrusted."""

    __tablename__ = "review"
    __table_args__ = (
        # NOT NULL on purpose: a unique index over a nullable external id lets duplicates through.
        UniqueConstraint("location_id", "platform", "fingerprint", name="uq_review_location_platform_fingerprint"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"),
        CheckConstraint("source IN ('gbp', 'csv', 'manual')", name="source"),
        # The summary counts reviews per site, rating and attribution, and reads reply times, from the index alone.
        Index("ix_review_location_posted", "location_id", "posted_at", "platform", "rating", "attribution", "reply_micros"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))
    destination_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_destination.id", ondelete="SET NULL"), index=True
    )
    platform: Mapped[str] = mapped_column(String(32))
    site_name: Mapped[str] = mapped_column(String(80), default="")
    external_id: Mapped[str | None] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    author_name: Mapped[str] = mapped_column(String(120), default="")
    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    rating: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reply_text: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(10))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("review_import.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Kept by database triggers on review_match: "confirmed" if one of its matches is, else
    # "suggested" if one is, else None. Never written by the app.
    attribution: Mapped[str | None] = mapped_column(String(10))
    # Kept by a database trigger: microseconds from posting to reply (0 if stamped before), None
    # without a reply; the summary's median reads these integers from the index.
    reply_micros: Mapped[int | None] = mapped_column(BigInteger)

    destination: Mapped[ReviewDestination | None] = relationship()


class ReviewMonthCount(db.Model):
    """A month's count for a site with no export ("October: 7 TheFork reviews, average 4.4"),
    kept apart from individual reviews: it has no stars per review."""

    __tablename__ = "review_month_count"
    __table_args__ = (
        UniqueConstraint("location_id", "platform", "site_name", "month", name="uq_review_month_count"),
        CheckConstraint("review_count >= 0", name="review_count"),
        CheckConstraint("average_rating IS NULL OR (average_rating >= 1 AND average_rating <= 5)", name="average_rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    destination_id: Mapped[int | None] = mapped_column(ForeignKey("review_destination.id", ondelete="SET NULL"))
    platform: Mapped[str] = mapped_column(String(32))
    site_name: Mapped[str] = mapped_column(String(80), default="")
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM in the location's time zone
    review_count: Mapped[int] = mapped_column(Integer)
    average_rating: Mapped[float | None] = mapped_column(Float)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ReviewTally(db.Model):
    """How many reviews a location has per site, rating (0: none), attribution ("": none) and
    UTC calendar month.

    The tallies are kept by database triggers (migration 0009), so every way a row is added,
    changed or deleted counts, in the same transaction; the app only reads them. The summary
    reads a month in the location's zone as these UTC months plus the few hours between the
    two month edges, counted from the rows.
    """

    __tablename__ = "review_tally"

    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), primary_key=True)
    utc_month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM in UTC
    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    rating: Mapped[int] = mapped_column(Integer, primary_key=True)
    attribution: Mapped[str] = mapped_column(String(10), primary_key=True)
    reviews: Mapped[int] = mapped_column(Integer)
    replied: Mapped[int] = mapped_column(Integer)


class ScanTally(db.Model):
    """How many scans a location has per site and UTC calendar month, kept by triggers on ``scan``."""

    __tablename__ = "scan_tally"

    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), primary_key=True)
    utc_month: Mapped[str] = mapped_column(String(7), primary_key=True)
    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    scans: Mapped[int] = mapped_column(Integer)


class PreferenceTally(db.Model):
    """How many preferences (not undone) a location logged per key and UTC month, kept by triggers."""

    __tablename__ = "preference_tally"

    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), primary_key=True)
    utc_month: Mapped[str] = mapped_column(String(7), primary_key=True)
    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    preferences: Mapped[int] = mapped_column(Integer)


class ReviewMatch(db.Model):
    """A review attributed to a card: suggested by the matcher, confirmed or rejected by the owner.

    Measurement only: nothing a customer receives depends on it.
    """

    __tablename__ = "review_match"
    __table_args__ = (
        UniqueConstraint("review_id", "card_id", name="uq_review_match_review_card"),
        CheckConstraint("status IN ('suggested', 'confirmed', 'rejected')", name="status"),
        Index("ix_review_match_card", "card_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"))
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="suggested")
    score: Mapped[float | None] = mapped_column(Float)  # None when the owner linked them by hand
    evidence: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of {kind, at, detail}
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    review: Mapped[Review] = relationship()
    card: Mapped[Card] = relationship()


class PrivateFeedback(db.Model):
    """A message a customer wrote to the restaurant from a card's private feedback page. Never the
    IP address; the name and contact are what the customer chose to give, often nothing."""

    __tablename__ = "private_feedback"
    __table_args__ = (
        # The owner's list, newest first, and the hourly count per location.
        Index("ix_private_feedback_location_created_at", "location_id", "created_at"),
        Index("ix_private_feedback_card_created_at", "card_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(120), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    card: Mapped[Card] = relationship()

"""Posted reviews in: uploads kept until the owner has checked the columns, imports in one
transaction that add each review once, reviews and monthly counts typed by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..domain.i18n import N_, Message
from ..domain.platforms import load_registry
from ..domain.reviews import FileRefused, ImportedReview, MAX_IMPORT_BYTES, ReadResult, RowProblem, read_gbp
from ..domain.reviews.table import FIELDS, Table, fold, guess_mapping, open_table, read_table
from ..extensions import db
from ..models import Location, Review, ReviewImport, ReviewMonthCount, User, utcnow
from .database import lock_location, write_transaction
from .errors import NotFound, ServiceError
from .locations import location_for

SOURCES = ("gbp", "csv")


@dataclass(frozen=True)
class UploadInput:
    filename: str
    data: bytes
    source: str | None = None  # "gbp", "csv", or None to tell from the file
    platform: str | None = None  # the site of every review, for files that do not say


@dataclass(frozen=True)
class ImportPreview:
    upload: ReviewImport
    headers: tuple[str, ...]
    sample: tuple[tuple[str, ...], ...]
    mapping: dict[str, int]
    rows: int


@dataclass
class ImportOutcome:
    added: int = 0
    already_there: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len({problem.row for problem in self.problems})


@dataclass(frozen=True)
class ManualReviewInput:
    destination_id: int
    posted_on: date
    rating: int | None
    author_name: str = ""
    text: str = ""


@dataclass(frozen=True)
class MonthCountInput:
    destination_id: int
    month: str  # YYYY-MM
    review_count: int
    average_rating: float | None = None


def upload_reviews(user: User, location_id: int, data: UploadInput) -> ReviewImport:
    """Keep an upload after checking that it can be read at all; nothing is imported yet."""
    location = location_for(user, location_id)
    source = data.source or _guess_source(data)
    _check_platform(data.platform)
    try:
        if source == "gbp":
            read_gbp(data.data, location.timezone)
        else:
            open_table(data.data)
    except FileRefused as refused:
        raise ServiceError({"file": refused.message}) from None
    upload = ReviewImport(
        location_id=location.id, user_id=user.id, filename=data.filename[:200], source=source,
        data=data.data, platform=data.platform or None,
    )
    with write_transaction():
        db.session.add(upload)
    return upload


def preview_import(user: User, location_id: int, import_id: int) -> ImportPreview:
    upload = _pending_upload(user, location_id, import_id)
    if upload.source != "csv":
        return ImportPreview(upload, (), (), {}, 0)
    table = _table(upload)
    return ImportPreview(upload, table.headers, table.rows[:5], guess_mapping(table.headers), len(table.rows))


def confirm_import(user: User, location_id: int, import_id: int, mapping: dict[str, int] | None = None,
                   platform: str | None = None) -> ImportOutcome:
    """Import a kept upload with the column choice the owner confirmed."""
    upload = _pending_upload(user, location_id, import_id)
    _check_platform(platform)
    location = db.session.get(Location, upload.location_id)
    read = _read(upload.source, upload.data, location.timezone, platform or upload.platform, mapping)
    return _store(location, read, upload.source, upload)


def import_reviews(location_id: int, data: bytes, source: str | None = None, platform: str | None = None) -> ImportOutcome:
    """The command line's one-step import: read, then store, with the guessed columns."""
    location = db.session.get(Location, location_id)
    if location is None:
        raise NotFound()
    _check_platform(platform)
    upload_source = source or _guess_source(UploadInput("", data))
    read = _read(upload_source, data, location.timezone, platform, None)
    return _store(location, read, upload_source, None)


def add_manual_review(user: User, location_id: int, data: ManualReviewInput) -> Review:
    location = location_for(user, location_id)
    destination = _destination(location, data.destination_id)
    errors = {}
    if data.rating is not None and not 1 <= data.rating <= 5:
        errors["rating"] = Message(N_("Choose from 1 to 5 stars, or none."))
    if data.posted_on > datetime.now(ZoneInfo(location.timezone)).date():
        errors["posted_on"] = Message(N_("This date is in the future."))
    if errors:
        raise ServiceError(errors)
    posted_at = datetime.combine(data.posted_on, time(12, 0), ZoneInfo(location.timezone))
    review = ImportedReview(posted_at=posted_at, platform=destination.platform, site_name=destination.label,
                            author_name=data.author_name.strip(), is_anonymous=not data.author_name.strip(),
                            rating=data.rating, text=data.text.strip())
    outcome = _store(location, ReadResult(reviews=[review], rows_read=1), "manual", None, destination)
    if not outcome.added:
        raise ServiceError({"": Message(N_("This review is already recorded."))})
    return db.session.scalar(
        select(Review).where(Review.location_id == location.id, Review.fingerprint == review.fingerprint())
    )


def set_month_count(user: User, location_id: int, data: MonthCountInput) -> ReviewMonthCount:
    """Record or correct a month's count for a site the owner counts by hand."""
    location = location_for(user, location_id)
    destination = _destination(location, data.destination_id)
    errors = {}
    if not _is_month(data.month):
        errors["month"] = Message(N_("Give the month as YYYY-MM, e.g. 2026-10."))
    if not 0 <= data.review_count <= 100_000:
        errors["review_count"] = Message(N_("Give a number of reviews from 0 to 100,000."))
    if data.average_rating is not None and not 1 <= data.average_rating <= 5:
        errors["average_rating"] = Message(N_("An average rating is between 1 and 5."))
    if errors:
        raise ServiceError(errors)
    location_id, platform, site_name, destination_id = location.id, destination.platform, destination.label, destination.id
    with write_transaction():
        count = db.session.scalar(
            select(ReviewMonthCount).where(
                ReviewMonthCount.location_id == location_id, ReviewMonthCount.platform == platform,
                ReviewMonthCount.site_name == site_name, ReviewMonthCount.month == data.month,
            )
        )
        if count is None:
            count = ReviewMonthCount(location_id=location_id, platform=platform, site_name=site_name, month=data.month)
            db.session.add(count)
        count.destination_id = destination_id
        count.review_count = data.review_count
        count.average_rating = None if data.average_rating is None else round(data.average_rating, 2)
        count.entered_by_id = user.id
    return count


def reviews_of(user: User, location_id: int, limit: int = 500) -> list[Review]:
    location = location_for(user, location_id)
    return list(db.session.scalars(
        select(Review).where(Review.location_id == location.id).order_by(Review.posted_at.desc()).limit(limit)
    ))


def month_counts_of(user: User, location_id: int) -> list[ReviewMonthCount]:
    location = location_for(user, location_id)
    return list(db.session.scalars(
        select(ReviewMonthCount).where(ReviewMonthCount.location_id == location.id)
        .order_by(ReviewMonthCount.month.desc(), ReviewMonthCount.platform)
    ))


def _guess_source(data: UploadInput) -> str:
    name = data.filename.lower()
    if name.endswith((".json", ".jsonl", ".ndjson")):
        return "gbp"
    if name.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    return "gbp" if data.data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[") else "csv"


def _check_platform(platform: str | None) -> None:
    if platform and platform not in load_registry():
        raise ServiceError({"platform": Message(N_("Choose a site from the list."))})


def _pending_upload(user: User, location_id: int, import_id: int) -> ReviewImport:
    location = location_for(user, location_id)
    upload = db.session.get(ReviewImport, import_id)
    if upload is None or upload.location_id != location.id:
        raise NotFound()
    if upload.imported_at is not None or upload.data is None:
        raise ServiceError({"": Message(N_("This file was imported already."))})
    return upload


def _table(upload: ReviewImport) -> Table:
    try:
        return open_table(upload.data)
    except FileRefused as refused:
        raise ServiceError({"file": refused.message}) from None


def _read(source: str, data: bytes, zone: str, platform: str | None, mapping: dict[str, int] | None) -> ReadResult:
    if len(data) > MAX_IMPORT_BYTES:
        raise ServiceError({"file": Message(N_("The file is larger than 5 MB: export a shorter period."))})
    try:
        if source == "gbp":
            return read_gbp(data, zone)
        table = open_table(data)
        chosen = guess_mapping(table.headers) if mapping is None else {k: v for k, v in mapping.items() if k in FIELDS}
        return read_table(table, chosen, zone, platform)
    except FileRefused as refused:
        raise ServiceError({"file": refused.message}) from None


def _store(location: Location, read: ReadResult, source: str, upload: ReviewImport | None,
           destination=None) -> ImportOutcome:
    """Every readable review added once, in one transaction: a failure or a killed process
    leaves nothing half imported, and a review already there (same id or same content) is
    counted, not added again, even when two imports run at once."""
    outcome = ImportOutcome(problems=list(read.problems))
    rows, seen = [], set()
    for review in read.reviews:
        platform = review.platform or "other"
        fingerprint = review.fingerprint()
        if (platform, fingerprint) in seen:
            outcome.already_there += 1
            continue
        seen.add((platform, fingerprint))
        target = destination or _destination_for(location, platform, review.site_name)
        rows.append({
            "location_id": location.id, "destination_id": target.id if target else None, "platform": platform,
            "site_name": review.site_name[:80], "external_id": review.external_id, "fingerprint": fingerprint,
            "author_name": review.author_name, "is_anonymous": review.is_anonymous, "rating": review.rating,
            "text": review.text, "posted_at": review.posted_at, "reply_text": review.reply_text,
            "replied_at": review.replied_at, "source": source, "import_id": upload.id if upload else None,
            "created_at": utcnow(),
        })
    with write_transaction():
        lock_location(location.id)
        dialect_insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        for row in rows:
            statement = (
                dialect_insert(Review).values(**row)
                .on_conflict_do_nothing(index_elements=["location_id", "platform", "fingerprint"])
                .returning(Review.id)
            )
            if db.session.execute(statement).first() is None:
                outcome.already_there += 1
            else:
                outcome.added += 1
        if upload is not None:
            upload.imported_at = utcnow()
            upload.data = None
            upload.added, upload.already_there, upload.rejected = outcome.added, outcome.already_there, outcome.rejected
    return outcome


def _destination_for(location: Location, platform: str, site_name: str):
    """The location's site a review belongs to: the only one of that platform, or the one whose
    name the file gives (two "other" sites); None when the location has none or it is unclear."""
    candidates = [d for d in location.destinations if d.platform == platform]
    if len(candidates) == 1:
        return candidates[0]
    wanted = fold(site_name)
    named = [d for d in candidates if wanted and wanted in (fold(d.label), fold(d.display_url))]
    return named[0] if len(named) == 1 else None


def _destination(location: Location, destination_id: int):
    for destination in location.destinations:
        if destination.id == destination_id:
            return destination
    raise ServiceError({"destination_id": Message(N_("Choose one of this location's review sites."))})


def _is_month(value: str) -> bool:
    try:
        year, month = value.split("-")
        return len(year) == 4 and len(month) == 2 and 2000 <= int(year) <= 2100 and 1 <= int(month) <= 12
    except ValueError:
        return False


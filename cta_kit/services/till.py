"""The till: which review site each customer uses, logged in one tap; the day's counts; settings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..domain.cards import NO_REVIEW_SITE, UNSAID, local_day
from ..domain.i18n import Message, N_
from ..domain.redemption import MAX_FAILED_PER_WINDOW
from ..domain.till import NO_SITE_CHOICES, can_undo, day_bounds
from ..extensions import db
from ..models import Campaign, Location, Preference, ReviewDestination, TillSetting, User, utcnow
from .database import write_transaction
from .errors import ServiceError
from .locations import location_for


@dataclass(frozen=True)
class PreferenceInput:
    platform: str  # a platform key of the location's review sites, or "none" / "unsaid"
    key: str  # chosen by the till's browser: the same tap sent twice is stored once
    destination_id: int | None = None  # which site, when a location has two of one platform
    tapped_at: datetime | None = None
    table: str = ""
    code: str = ""
    name: str = ""


@dataclass(frozen=True)
class LoggedPreference:
    id: int
    platform: str
    tally: dict[str, int]


def log_preference(user: User, location_id: int, data: PreferenceInput) -> LoggedPreference:
    location = location_for(user, location_id)
    try:
        with write_transaction():
            existing = _by_key(data.key)
            if existing is not None:
                return _logged(existing, location)
            destination = _destination(location, data)
            preference = Preference(
                location_id=location.id,
                user_id=user.id,
                created_at=data.tapped_at or utcnow(),
                platform=destination.platform if destination else data.platform,
                destination_id=destination.id if destination else None,
                table_or_bill=data.table,
                card_code=data.code,
                customer_name=data.name,
                client_key=data.key,
            )
            db.session.add(preference)
    except IntegrityError:
        # The same tap arrived twice at once (a retry racing the first send).
        existing = _by_key(data.key)
        if existing is None:
            raise
        return _logged(existing, location)
    return _logged(preference, location)


def undo_preference(user: User, location_id: int, key: str) -> dict[str, int]:
    """Take back the tap with this key, within the undo window; undoing twice is harmless."""
    location = location_for(user, location_id)
    with write_transaction():
        preference = _by_key(key)
        if preference is None or preference.location_id != location.id:
            raise ServiceError({"key": Message(N_("There is no such entry to undo."))})
        if preference.undone_at is None:
            now = utcnow()
            if not can_undo(preference.created_at, now):
                raise ServiceError({"key": Message(N_("Too late to undo: an entry can be undone for 30 seconds."))})
            db.session.execute(
                update(Preference).where(Preference.id == preference.id, Preference.undone_at.is_(None))
                .values(undone_at=now).execution_options(synchronize_session=False)
            )
    return today_tally(location)


def today_tally(location: Location) -> dict[str, int]:
    """Taps per platform key since midnight at the location, undone ones left out."""
    start, end = day_bounds(local_day(utcnow(), location.timezone), location.timezone)
    rows = db.session.execute(
        select(Preference.platform, func.count())
        .where(Preference.location_id == location.id, Preference.created_at >= start, Preference.created_at < end,
               Preference.undone_at.is_(None))
        .group_by(Preference.platform)
    ).all()
    return dict(Counter({platform: count for platform, count in rows}))


@dataclass(frozen=True)
class TillOverview:
    """The till as its location's page shows it."""

    campaign: Campaign | None
    campaigns: list[Campaign]
    paused_until: datetime | None
    max_failures: int = MAX_FAILED_PER_WINDOW


def till_overview(user: User, location_id: int) -> TillOverview:
    location = location_for(user, location_id)
    setting = db.session.get(TillSetting, location.id)
    paused = setting.redemption_paused_until if setting else None
    campaigns = list(db.session.scalars(
        select(Campaign).where(Campaign.location_id == location.id).order_by(Campaign.starts_on.desc())))
    return TillOverview(setting.campaign if setting else None, campaigns,
                        paused if paused and paused > utcnow() else None)


def till_campaign(location: Location) -> Campaign | None:
    setting = db.session.get(TillSetting, location.id)
    return setting.campaign if setting is not None else None


def set_till_campaign(owner: User, location_id: int, campaign_id: int | None) -> None:
    location = location_for(owner, location_id)
    if campaign_id is not None:
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is None or campaign.location_id != location.id:
            raise ServiceError({"campaign_id": Message(N_("Choose one of this location's campaigns."))})
    with write_transaction():
        setting = db.session.get(TillSetting, location.id)
        if setting is None:
            setting = TillSetting(location_id=location.id)
            db.session.add(setting)
        setting.campaign_id = campaign_id


def _by_key(key: str) -> Preference | None:
    return db.session.scalar(select(Preference).where(Preference.client_key == key))


def _logged(preference: Preference, location: Location) -> LoggedPreference:
    if preference.location_id != location.id:
        raise ServiceError({"key": Message(N_("This entry was already sent from another location's till."))})
    return LoggedPreference(preference.id, preference.platform, today_tally(location))


def _destination(location: Location, data: PreferenceInput) -> ReviewDestination | None:
    if data.platform in NO_SITE_CHOICES and data.destination_id is None:
        return None
    for destination in location.destinations:
        if data.destination_id is not None and destination.id != data.destination_id:
            continue
        if data.destination_id is not None or destination.platform == data.platform:
            return destination
    raise ServiceError({"platform": Message(N_("Choose one of this location's review sites, “%(none)s” or “%(unsaid)s”."),
                                            {"none": NO_REVIEW_SITE, "unsaid": UNSAID})})

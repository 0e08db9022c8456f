"""The till: which review site each customer uses, logged in one tap; the day's counts; settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..domain.cards import NO_REVIEW_SITE, UNSAID, local_day
from ..domain.i18n import Message, N_
from ..domain.redemption import MAX_FAILED_PER_WINDOW
from ..domain.till import NO_SITE_CHOICES, can_undo, day_bounds
from ..extensions import db
from ..models import (ROLE_OWNER, ROLE_STAFF, Campaign, Location, Preference, ReviewDestination, TillSetting, User,
                      UTCDateTime, user_locations, utcnow)
from .accounts import SessionClaim
from .database import write_transaction
from .errors import NotFound, NotSignedIn, ServiceError
from .locations import location_for
from .statements import committed, in_session


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


def log_preference(claim: SessionClaim, location_id: int, data: PreferenceInput) -> LoggedPreference:
    """Store one tap (once per client key) and answer it with the day's tally.

    The till's busiest request, kept to three statements built once at import: one read checks
    the session's user (as ``load_user`` would) and that they work at the location, and finds the
    tapped site; one insert stores the tap unless its key is already stored; one aggregate counts
    the day. The read is made under the write lock, so that access still holds when the tap is stored.
    """
    with write_transaction():
        target = _tap_target(claim, location_id, data)
        stored = _store_preference(claim.user_id, location_id, target, data)
    if stored.location_id != location_id:
        raise ServiceError({"key": Message(N_("This entry was already sent from another location's till."))})
    return LoggedPreference(stored.id, stored.platform, _tally(location_id, target.timezone))


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
    return _tally(location.id, location.timezone)


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


_LOCATION_ID = bindparam("location_id", type_=Integer)
# Nothing when the claim fails load_user's rules; no timezone when the user does not work there.
_SIGNED_IN = (
    select(Location.timezone)
    .select_from(User)
    .outerjoin(user_locations, (user_locations.c.user_id == User.id) & (user_locations.c.location_id == _LOCATION_ID))
    .outerjoin(Location, Location.id == user_locations.c.location_id)
    .where(
        User.id == bindparam("user_id", type_=Integer),
        User.session_version == bindparam("session_version", type_=Integer),
        User.is_active,
        or_(and_(User.role == ROLE_OWNER, bindparam("owner_ok", type_=Boolean)),
            and_(User.role == ROLE_STAFF, bindparam("staff_ok", type_=Boolean))),
    )
)
# ... and the location's first site of the tapped platform, or the site the till named.
_SITE_TAPPED = (
    _SIGNED_IN.add_columns(ReviewDestination.id, ReviewDestination.platform)
    .outerjoin(ReviewDestination, (ReviewDestination.location_id == Location.id)
               & (ReviewDestination.platform == bindparam("platform", type_=String)))
    .order_by(ReviewDestination.position, ReviewDestination.id)
    .limit(1)
)
_SITE_NAMED = (
    _SIGNED_IN.add_columns(ReviewDestination.id, ReviewDestination.platform)
    .outerjoin(ReviewDestination, (ReviewDestination.location_id == Location.id)
               & (ReviewDestination.id == bindparam("destination_id", type_=Integer)))
)
_STORED = ("id", "location_id", "platform")
_BY_KEY = select(*(Preference.__table__.c[name] for name in _STORED)).where(
    Preference.client_key == bindparam("key", type_=String))
_TAP_COLUMNS = ("location_id", "user_id", "created_at", "platform", "destination_id", "table_or_bill", "card_code",
                "customer_name", "client_key")
# Nothing is inserted, and no id returned, when the key is already stored.
_INSERT_ONCE = {
    dialect: insert(Preference.__table__)
    .values({Preference.__table__.c[name]: bindparam(name, type_=Preference.__table__.c[name].type)
             for name in _TAP_COLUMNS})
    .on_conflict_do_nothing(index_elements=["client_key"])
    .returning(Preference.__table__.c.id)
    for dialect, insert in (("sqlite", sqlite_insert), ("postgresql", postgresql_insert))
}
_COUNT_TODAY = (
    select(Preference.platform, func.count())
    .where(Preference.location_id == _LOCATION_ID,
           Preference.created_at >= bindparam("start", type_=UTCDateTime()),
           Preference.created_at < bindparam("end", type_=UTCDateTime()),
           Preference.undone_at.is_(None))
    .group_by(Preference.platform)
)


@dataclass(frozen=True)
class _TapTarget:
    timezone: str
    destination_id: int | None
    platform: str | None


@dataclass(frozen=True)
class _Stored:
    id: int
    location_id: int
    platform: str


def _tap_target(claim: SessionClaim, location_id: int, data: PreferenceInput) -> _TapTarget:
    """Where the tap goes, in one read; a 404 unless the user works at the location."""
    if data.destination_id is not None:
        statement, site = _SITE_NAMED, {"destination_id": data.destination_id}
    else:
        statement, site = _SITE_TAPPED, {"platform": data.platform}
    rows = in_session(statement, {
        "user_id": claim.user_id, "session_version": claim.session_version, "location_id": location_id,
        "owner_ok": claim.owner_within_lifetime, "staff_ok": claim.staff_within_lifetime, **site,
    })
    if not rows:
        raise NotSignedIn()
    zone, destination_id, platform = rows[0]
    if zone is None:
        raise NotFound()
    if data.platform in NO_SITE_CHOICES and data.destination_id is None:
        return _TapTarget(zone, None, data.platform)
    return _TapTarget(zone, destination_id, platform)


def _store_preference(user_id: int, location_id: int, target: _TapTarget, data: PreferenceInput) -> _Stored:
    """Inside the write transaction: the new entry, or the one already stored under this key
    (a retry, or the same tap arriving twice at once: the unique key lets one insert through)."""
    if target.platform is None:
        # Not one of the location's sites. A tap resent after its site was deleted keeps its first answer.
        stored = _already_stored(data.key)
        if stored is None:
            raise ServiceError({"platform": Message(
                N_("Choose one of this location's review sites, “%(none)s” or “%(unsaid)s”."),
                {"none": NO_REVIEW_SITE, "unsaid": UNSAID})})
        return stored
    values = {
        "location_id": location_id, "user_id": user_id, "created_at": data.tapped_at or utcnow(),
        "platform": target.platform, "destination_id": target.destination_id, "table_or_bill": data.table,
        "card_code": data.code, "customer_name": data.name, "client_key": data.key,
    }
    inserted = in_session(_INSERT_ONCE[db.engine.dialect.name], values)
    if inserted:
        return _Stored(inserted[0][0], location_id, target.platform)
    return _already_stored(data.key)


def _already_stored(key: str) -> _Stored | None:
    rows = in_session(_BY_KEY, {"key": key})
    return _Stored(*rows[0]) if rows else None


def _tally(location_id: int, timezone_name: str) -> dict[str, int]:
    start, end = day_bounds(local_day(utcnow(), timezone_name), timezone_name)
    return dict(committed(_COUNT_TODAY, {"location_id": location_id, "start": start, "end": end}))

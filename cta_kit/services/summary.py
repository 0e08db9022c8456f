"""The owner's monthly summary, counted by the database with a few grouped queries.

Month boundaries are computed in Python from the location's zone (``domain.summary.months``) and
handed to the database as UTC instants: one statement per table, made of a grouped SELECT per month
over that month's range of the index on (location_id, time). Nothing groups by a date expression
computed per row, which would ignore the location's zone and scan the whole table.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime, timezone
from fractions import Fraction

from sqlalchemy import Integer, bindparam, func, literal_column, select, union_all

from ..domain.summary import (
    CONFIRMED,
    NO_REVIEWS,
    TREND_MONTHS,
    UNSAID,
    Month,
    MonthFigures,
    MonthSummary,
    SiteFigures,
    combine_summaries,
    month_of,
    months_ending,
    parse_month,
    summary_from_figures,
)
from ..domain.summary.figures import exact
from ..domain.summary.months import month_start_utc, zone_named
from ..extensions import db
from ..models import (
    BatchDestination,
    Card,
    CardBatch,
    Location,
    Preference,
    Review,
    ReviewMatch,
    ReviewMonthCount,
    Scan,
    User,
    UTCDateTime,
)
from .errors import NotFound
from .locations import location_for

REJECTED = "rejected"


@dataclass(frozen=True)
class SummaryPage:
    """What the summary page shows: one location (or all of the owner's), one month."""

    summary: MonthSummary
    location: Location | None  # None for "all my locations"
    locations: list[Location]  # every location the owner can switch to
    months: tuple[Month, ...]  # the months the owner can switch to, newest first
    names: dict[str, str] = field(default_factory=dict)  # a site's name as the owner wrote it


def owner_locations(user: User) -> list[Location]:
    return list(user.locations) if user.is_owner else []


def summary_page(user: User, location_id: int | None, month_text: str | None, now: datetime | None = None) -> SummaryPage:
    """A location's summary (or all the owner's locations when `location_id` is None).

    Raises NotFound for a location the owner does not work at, InvalidMonthError for a bad month.
    """
    locations = owner_locations(user)
    if not user.is_owner:
        raise NotFound()
    if location_id is not None:
        location = location_for(user, location_id)
        chosen = [location]
    else:
        location = None
        chosen = locations
    if not chosen:
        raise NotFound()
    zone = chosen[0].timezone
    this_month = month_of(now or datetime.now(timezone.utc), zone)
    month = parse_month(month_text) if month_text else this_month
    summary = combine_summaries([location_summary(item, month) for item in chosen])
    return SummaryPage(
        summary=summary,
        location=location,
        locations=locations,
        months=tuple(reversed(months_ending(max(this_month, month), 24))),
        names=site_names(chosen),
    )


def summary_for(location_id: int, month: Month | str | None, now: datetime | None = None) -> MonthSummary:
    """A location's summary by its id, for the command line (no user: whoever runs the server).

    `month` as a Month, as text (YYYY-MM) or None for the current month in the location's zone.
    """
    location = db.session.get(Location, location_id)
    if location is None:
        raise NotFound()
    if not isinstance(month, Month):
        month = parse_month(month) if month else month_of(now or datetime.now(timezone.utc), location.timezone)
    return location_summary(location, month)


def site_names(locations: list[Location]) -> dict[str, str]:
    """The owner's own name for a site ("TheFork Lyon"), where a location has given one."""
    names: dict[str, str] = {}
    for location in locations:
        for destination in location.destinations:
            if destination.label.strip():
                names.setdefault(destination.platform, destination.label.strip())
    return names


def location_summary(location: Location, month: Month, trend_months: int = TREND_MONTHS) -> MonthSummary:
    months = months_ending(month, max(trend_months, 2))
    zone = zone_named(location.timezone)
    bounds = [month_start_utc(item, zone) for item in months] + [month_start_utc(month.next(), zone)]
    params = {"location_id": location.id, **{f"bound{index}": bound for index, bound in enumerate(bounds)}}
    tally = _Tally(months)
    for count in (_count_reviews, _count_reply_delays, _count_scans, _count_preferences, _count_cards, _count_matches):
        count(tally, params)
    _count_manual(tally, location.id, months)
    platforms = list(dict.fromkeys(destination.platform for destination in location.destinations))
    return summary_from_figures(location.id, location.timezone, month, tally.figures(), platforms, trend_months)


LOCATION = bindparam("location_id", type_=Integer())


def _bound(index: int):
    return bindparam(f"bound{index}", type_=UTCDateTime())


def _per_month(months: int, month_select):
    """One statement made of a SELECT per month, each over its own [start, end) of an index.

    Measured on SQLite, twelve indexed ranges joined by UNION ALL run about twice as fast as one
    range over the year with a CASE putting each row in its month; PostgreSQL plans both alike.
    `month_select(slot, start, end)` gives one month's SELECT, its first column the slot; the
    statements are built once per process (building them took longer than running them).
    """
    return union_all(*(
        month_select(literal_column(str(slot), Integer()).label("slot"), _bound(slot), _bound(slot + 1))
        for slot in range(months)
    ))


class _Tally:
    """Per month slot: per-site counters and the month's own counters, frozen into figures at the end."""

    SITE_FIELDS = ("imported", "manual", "manual_rated", "replied", "scans", "preferences", "confirmed", "suggested")

    def __init__(self, months: tuple[Month, ...]) -> None:
        self.months = months
        self.sites: list[dict[str, dict]] = [defaultdict(self._site) for _ in months]
        self.totals: list[dict[str, int]] = [defaultdict(int) for _ in months]

    @staticmethod
    def _site() -> dict:
        return {"stars": [0, 0, 0, 0, 0], "manual_rating_total": Fraction(0), "reply_seconds": [],
                **dict.fromkeys(_Tally.SITE_FIELDS, 0)}

    def figures(self) -> dict[Month, MonthFigures]:
        result = {}
        for month, sites, totals in zip(self.months, self.sites, self.totals):
            result[month] = MonthFigures(
                month=month,
                sites=tuple(
                    SiteFigures(platform=platform, **{**site, "stars": tuple(site["stars"]),
                                                      "reply_seconds": tuple(site["reply_seconds"])})
                    for platform, site in sorted(sites.items())
                ),
                **totals,
            )
        return result


@lru_cache(maxsize=8)
def _reviews_statement(months: int):
    return _per_month(months, lambda slot, start, end: (
        select(slot, Review.platform, Review.rating, func.count(), func.count(Review.replied_at))
        .where(Review.location_id == LOCATION, Review.posted_at >= start, Review.posted_at < end)
        .group_by(Review.platform, Review.rating)
    ))


def _count_reviews(tally: _Tally, params: dict) -> None:
    for index, platform, rating, count, replied in db.session.execute(_reviews_statement(len(tally.months)), params):
        site = tally.sites[index][platform]
        site["imported"] += count
        site["replied"] += replied
        if rating is not None:
            site["stars"][rating - 1] += count


@lru_cache(maxsize=8)
def _reply_delays_statement(months: int):
    return (
        select(Review.platform, Review.posted_at, Review.replied_at)
        .where(Review.location_id == LOCATION, Review.posted_at >= _bound(months - 2), Review.posted_at < _bound(months),
               Review.replied_at.is_not(None))
    )


def _count_reply_delays(tally: _Tally, params: dict) -> None:
    """Each answered review's delay, for the median: the month and the one before only."""
    last = len(tally.months) - 1
    for platform, posted_at, replied_at in db.session.execute(_reply_delays_statement(len(tally.months)), params):
        index = last if posted_at >= params[f"bound{last}"] else last - 1
        # A reply stamped before its review (clock skew between exports) took no time.
        tally.sites[index][platform]["reply_seconds"].append(max(0.0, (replied_at - posted_at).total_seconds()))


def _count_manual(tally: _Tally, location_id: int, months: tuple[Month, ...]) -> None:
    slots = {str(month): index for index, month in enumerate(months)}
    rows = db.session.execute(
        select(ReviewMonthCount.month, ReviewMonthCount.platform, ReviewMonthCount.review_count,
               ReviewMonthCount.average_rating)
        .where(ReviewMonthCount.location_id == location_id, ReviewMonthCount.month.in_(list(slots)))
    )
    for month, platform, count, average in rows:
        site = tally.sites[slots[month]][platform]
        site["manual"] += count
        if average is not None:
            site["manual_rated"] += count
            site["manual_rating_total"] += exact(average) * count


@lru_cache(maxsize=8)
def _scans_statement(months: int):
    per_code = _per_month(months, lambda slot, start, end: (
        select(slot, Scan.batch_destination_id, func.count().label("scans"))
        .where(Scan.location_id == LOCATION, Scan.scanned_at >= start, Scan.scanned_at < end)
        .group_by(Scan.batch_destination_id)
    )).subquery()
    return (
        select(per_code.c.slot, BatchDestination.platform, func.sum(per_code.c.scans))
        .join(BatchDestination, BatchDestination.id == per_code.c.batch_destination_id)
        .group_by(per_code.c.slot, BatchDestination.platform)
    )


def _count_scans(tally: _Tally, params: dict) -> None:
    for index, platform, count in db.session.execute(_scans_statement(len(tally.months)), params):
        tally.sites[index][platform]["scans"] += int(count)


@lru_cache(maxsize=8)
def _preferences_statement(months: int):
    return _per_month(months, lambda slot, start, end: (
        select(slot, Preference.platform, func.count())
        .where(Preference.location_id == LOCATION, Preference.created_at >= start, Preference.created_at < end,
               Preference.undone_at.is_(None))
        .group_by(Preference.platform)
    ))


def _count_preferences(tally: _Tally, params: dict) -> None:
    for index, platform, count in db.session.execute(_preferences_statement(len(tally.months)), params):
        if platform == NO_REVIEWS:
            tally.totals[index]["no_reviews"] += count
        elif platform == UNSAID:
            tally.totals[index]["unsaid"] += count
        else:
            tally.sites[index][platform]["preferences"] += count


@lru_cache(maxsize=8)
def _cards_statements(months: int):
    per_batch = _per_month(months, lambda slot, start, end: (
        select(slot, Card.batch_id, func.count().label("cards"))
        .where(Card.location_id == LOCATION, Card.printed_at >= start, Card.printed_at < end)
        .group_by(Card.batch_id)
    )).subquery()
    till_slip = CardBatch.card_count == 1  # one expression, so PostgreSQL sees the same one grouped
    printed = (
        select(per_batch.c.slot, till_slip, func.sum(per_batch.c.cards))
        .join(CardBatch, CardBatch.id == per_batch.c.batch_id)
        .group_by(per_batch.c.slot, till_slip)
    )
    redeemed = _per_month(months, lambda slot, start, end: (
        select(slot, func.count())
        .where(Card.location_id == LOCATION, Card.redeemed_at >= start, Card.redeemed_at < end)
    ))
    return printed, redeemed


def _count_cards(tally: _Tally, params: dict) -> None:
    """Cards printed (a batch of one is a slip printed at the till) and offers redeemed."""
    printed, redeemed = _cards_statements(len(tally.months))
    for index, is_slip, count in db.session.execute(printed, params):
        tally.totals[index]["till_slips" if is_slip else "cards_printed"] += int(count)
    for index, count in db.session.execute(redeemed, params):
        tally.totals[index]["redemptions"] += count


@lru_cache(maxsize=8)
def _matches_statement(months: int):
    per_review = _per_month(months, lambda slot, start, end: (
        select(slot, Review.platform.label("platform"),
               func.min(ReviewMatch.status).label("status"))  # "confirmed" sorts before "suggested"
        .join(ReviewMatch, ReviewMatch.review_id == Review.id)
        .where(Review.location_id == LOCATION, Review.posted_at >= start, Review.posted_at < end,
               ReviewMatch.status != REJECTED)
        .group_by(Review.id, Review.platform)
    )).subquery()
    return (
        select(per_review.c.slot, per_review.c.platform, per_review.c.status, func.count())
        .group_by(per_review.c.slot, per_review.c.platform, per_review.c.status)
    )


def _count_matches(tally: _Tally, params: dict) -> None:
    """Reviews attributed to a card, in the month the review was posted; a review counts once,
    as confirmed when the owner confirmed one of its cards."""
    for index, platform, status, count in db.session.execute(_matches_statement(len(tally.months)), params):
        tally.sites[index][platform]["confirmed" if status == CONFIRMED else "suggested"] += count

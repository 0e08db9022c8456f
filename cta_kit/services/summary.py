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
    PreferenceTally,
    ReviewMonthCount,
    ReviewTally,
    Scan,
    ScanTally,
    User,
    UTCDateTime,
)
from .errors import NotFound
from .locations import location_for

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
    params = {"location_id": location.id, **{f"bound{index}": bound for index, bound in enumerate(bounds)},
              **_edge_params(months, bounds)}
    tally = _Tally(months)
    for count in (_count_reviews, _count_reply_delays, _count_scans, _count_preferences, _count_cards):
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


def _per_edge(months: int, edge_select):
    """One SELECT per month edge over the rows between the UTC and the local start of a month
    (`edge0` to `edge{months}`, each a [start, end) in UTC, empty where the two coincide)."""
    return union_all(*(
        edge_select(literal_column(str(edge), Integer()).label("edge"),
                    bindparam(f"edge{edge}_start", type_=UTCDateTime()), bindparam(f"edge{edge}_end", type_=UTCDateTime()))
        for edge in range(months + 1)
    ))


def _edge_params(months: tuple[Month, ...], bounds: list[datetime]) -> dict:
    """The UTC months the tallies are kept in, and the hours each local month takes from or gives
    to its neighbour: in a zone ahead of UTC a local month starts before the UTC one."""
    starts = [datetime(month.year, month.month, 1, tzinfo=timezone.utc) for month in (*months, months[-1].next())]
    params: dict = {"utc_months": [str(month) for month in months]}
    for edge, (local, utc) in enumerate(zip(bounds, starts)):
        params[f"edge{edge}_start"], params[f"edge{edge}_end"] = min(local, utc), max(local, utc)
        params[f"edge{edge}_local_first"] = local < utc
    return params


def _edge_moves(tally: "_Tally", params: dict, edge: int) -> list[tuple[int, int]]:
    """Where the rows at an edge go: counted in one month's UTC tally, they belong to the other.

    Rows just before a UTC month start that is later than the local one belong to the local month
    starting at that edge (slot `edge`) but were tallied in the one before (slot `edge - 1`).
    """
    gain, loss = (edge, edge - 1) if params[f"edge{edge}_local_first"] else (edge - 1, edge)
    return [(index, sign) for index, sign in ((gain, 1), (loss, -1)) if 0 <= index < len(tally.months)]


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
def _reviews_statements(months: int):
    counted = (
        select(ReviewTally.utc_month, ReviewTally.platform, ReviewTally.rating, ReviewTally.attribution,
               ReviewTally.reviews, ReviewTally.replied)
        .where(ReviewTally.location_id == LOCATION, ReviewTally.utc_month.in_(bindparam("utc_months", expanding=True)))
    )
    at_edges = _per_edge(months, lambda edge, start, end: (
        select(edge, Review.platform, func.coalesce(Review.rating, 0), func.coalesce(Review.attribution, ""),
               func.count(), func.count(Review.replied_at))
        .where(Review.location_id == LOCATION, Review.posted_at >= start, Review.posted_at < end)
        .group_by(Review.platform, Review.rating, Review.attribution)
    ))
    return counted, at_edges


def _add_reviews(site: dict, rating: int, attribution: str, count: int, replied: int) -> None:
    """Reviews of one rating (0: none) and attribution ("": none) posted that month; a review
    attributed to a card counts once, as confirmed if the owner confirmed one of its cards."""
    site["imported"] += count
    site["replied"] += replied
    if rating:
        site["stars"][rating - 1] += count
    if attribution:
        site["confirmed" if attribution == CONFIRMED else "suggested"] += count


def _count_reviews(tally: _Tally, params: dict) -> None:
    """Reviews per UTC month from the tally, moved to local months by the rows between the edges."""
    counted, at_edges = _reviews_statements(len(tally.months))
    slots = {month: index for index, month in enumerate(params["utc_months"])}
    for month, platform, rating, attribution, count, replied in db.session.execute(counted, params):
        _add_reviews(tally.sites[slots[month]][platform], rating, attribution, count, replied)
    for edge, platform, rating, attribution, count, replied in db.session.execute(at_edges, params):
        for index, sign in _edge_moves(tally, params, edge):
            _add_reviews(tally.sites[index][platform], rating, attribution, sign * count, sign * replied)


@lru_cache(maxsize=8)
def _reply_delays_statement(months: int):
    return union_all(*(
        select(literal_column(str(slot), Integer()).label("slot"), Review.platform, Review.reply_micros)
        .where(Review.location_id == LOCATION, Review.posted_at >= _bound(slot), Review.posted_at < _bound(slot + 1),
               Review.reply_micros.is_not(None))
        for slot in (months - 2, months - 1)
    ))


def _count_reply_delays(tally: _Tally, params: dict) -> None:
    """Each answered review's delay, for the median: the month and the one before only.

    Whole microseconds over 10**6, as ``timedelta.total_seconds()`` counts them, and 0 for a reply
    stamped before its review (clock skew between exports): the same floats as the stamps give.
    """
    for index, platform, micros in db.session.execute(_reply_delays_statement(len(tally.months)), params):
        tally.sites[index][platform]["reply_seconds"].append(micros / 10**6)


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
def _scans_statements(months: int):
    counted = (
        select(ScanTally.utc_month, ScanTally.platform, ScanTally.scans)
        .where(ScanTally.location_id == LOCATION, ScanTally.utc_month.in_(bindparam("utc_months", expanding=True)))
    )
    per_code = _per_edge(months, lambda edge, start, end: (
        select(edge, Scan.batch_destination_id, func.count().label("scans"))
        .where(Scan.location_id == LOCATION, Scan.scanned_at >= start, Scan.scanned_at < end)
        .group_by(Scan.batch_destination_id)
    )).subquery()
    at_edges = (
        select(per_code.c.edge, BatchDestination.platform, func.sum(per_code.c.scans))
        .join(BatchDestination, BatchDestination.id == per_code.c.batch_destination_id)
        .group_by(per_code.c.edge, BatchDestination.platform)
    )
    return counted, at_edges


def _count_scans(tally: _Tally, params: dict) -> None:
    counted, at_edges = _scans_statements(len(tally.months))
    slots = {month: index for index, month in enumerate(params["utc_months"])}
    for month, platform, count in db.session.execute(counted, params):
        tally.sites[slots[month]][platform]["scans"] += count
    for edge, platform, count in db.session.execute(at_edges, params):
        for index, sign in _edge_moves(tally, params, edge):
            tally.sites[index][platform]["scans"] += sign * int(count)


@lru_cache(maxsize=8)
def _preferences_statements(months: int):
    counted = (
        select(PreferenceTally.utc_month, PreferenceTally.platform, PreferenceTally.preferences)
        .where(PreferenceTally.location_id == LOCATION,
               PreferenceTally.utc_month.in_(bindparam("utc_months", expanding=True)))
    )
    at_edges = _per_edge(months, lambda edge, start, end: (
        select(edge, Preference.platform, func.count())
        .where(Preference.location_id == LOCATION, Preference.created_at >= start, Preference.created_at < end,
               Preference.undone_at.is_(None))
        .group_by(Preference.platform)
    ))
    return counted, at_edges


def _add_preferences(tally: _Tally, index: int, platform: str, count: int) -> None:
    if platform == NO_REVIEWS:
        tally.totals[index]["no_reviews"] += count
    elif platform == UNSAID:
        tally.totals[index]["unsaid"] += count
    else:
        tally.sites[index][platform]["preferences"] += count


def _count_preferences(tally: _Tally, params: dict) -> None:
    counted, at_edges = _preferences_statements(len(tally.months))
    slots = {month: index for index, month in enumerate(params["utc_months"])}
    for month, platform, count in db.session.execute(counted, params):
        _add_preferences(tally, slots[month], platform, count)
    for edge, platform, count in db.session.execute(at_edges, params):
        for index, sign in _edge_moves(tally, params, edge):
            _add_preferences(tally, index, platform, sign * count)


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

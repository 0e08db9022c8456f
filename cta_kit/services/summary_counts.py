"""A location's figures for a run of months, counted by the database in five statements.

Reviews, scans and preferences are read from tallies per UTC month that database triggers keep as
rows are written (migration 0009). A month in the location's zone starts a few hours before or
after the UTC month: the rows in between, found through the index on (location_id, time), are
moved from one month's tally to its neighbour's. Cards, redemptions and hand counts are few and
counted from their rows; the month's reply times are read as integers from the reviews' index, for
its medians.
Nothing groups by a date expression computed per row, which would ignore the location's zone and
scan the whole table.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone
from fractions import Fraction
from functools import lru_cache

from sqlalchemy import Integer, String, bindparam, case, func, literal_column, select, union_all

from ..domain.summary import CONFIRMED, NO_REVIEWS, UNSAID, Month, MonthFigures, SiteFigures
from ..domain.summary.figures import exact
from ..domain.summary.months import month_start_utc, zone_named
from ..extensions import db
from ..models import (
    BatchDestination,
    Card,
    CardBatch,
    Preference,
    PreferenceTally,
    Review,
    ReviewMonthCount,
    ReviewTally,
    Scan,
    ScanTally,
    UTCDateTime,
)

LOCATION = bindparam("location_id", type_=Integer())
REVIEWS, SCANS, PREFERENCES = "r", "s", "p"
PRINTED, REDEEMED = "p", "r"


def month_figures(location_id: int, zone_name: str, months: tuple[Month, ...]) -> dict[Month, MonthFigures]:
    """Each month's figures, months taken in the zone; `months` consecutive, oldest first."""
    zone = zone_named(zone_name)
    bounds = [month_start_utc(item, zone) for item in months] + [month_start_utc(months[-1].next(), zone)]
    params = {"location_id": location_id, **{f"bound{index}": bound for index, bound in enumerate(bounds)},
              **_edge_params(months, bounds)}
    tally = _Tally(months, params)
    # The session's connection: the ORM's work per statement cost more than these statements.
    connection = db.session.connection()
    count = len(months)
    tally.add_tallied(connection.execute(_tallies_statement(), params))
    tally.add_edges(connection.execute(_edges_statement(count), params))
    tally.add_cards(connection.execute(_cards_statement(count), params))
    tally.add_reply_times(connection.execute(_reply_times_statement(count), params))
    tally.add_manual(connection.execute(_manual_statement(), params))  # hand counts are kept by local month
    return tally.figures()


def _bound(index: int):
    return bindparam(f"bound{index}", type_=UTCDateTime())


def _label(value: str):
    return literal_column(f"'{value}'", String())


def _number(value: int, name: str):
    return literal_column(str(value), Integer()).label(name)


def _edge_params(months: tuple[Month, ...], bounds: list[datetime]) -> dict:
    """The UTC months the tallies are kept in, and the hours between each UTC and local month start:
    in a zone ahead of UTC the local month starts first, behind it the UTC one does."""
    starts = [datetime(month.year, month.month, 1, tzinfo=timezone.utc) for month in (*months, months[-1].next())]
    params: dict = {"utc_months": [str(month) for month in months]}
    for edge, (local, utc) in enumerate(zip(bounds, starts)):
        params[f"edge{edge}_start"], params[f"edge{edge}_end"] = min(local, utc), max(local, utc)
        params[f"edge{edge}_local_first"] = local < utc
    return params


@lru_cache(maxsize=1)
def _tallies_statement():
    """Every tally row of the months: kind, UTC month, site, rating, attribution, count, replied."""
    months = bindparam("utc_months", expanding=True)
    return union_all(
        select(_label(REVIEWS), ReviewTally.utc_month, ReviewTally.platform, ReviewTally.rating,
               ReviewTally.attribution, ReviewTally.reviews, ReviewTally.replied)
        .where(ReviewTally.location_id == LOCATION, ReviewTally.utc_month.in_(months)),
        select(_label(SCANS), ScanTally.utc_month, ScanTally.platform, _number(0, "rating"), _label(""),
               ScanTally.scans, _number(0, "replied"))
        .where(ScanTally.location_id == LOCATION, ScanTally.utc_month.in_(months)),
        select(_label(PREFERENCES), PreferenceTally.utc_month, PreferenceTally.platform, _number(0, "rating"),
               _label(""), PreferenceTally.preferences, _number(0, "replied"))
        .where(PreferenceTally.location_id == LOCATION, PreferenceTally.utc_month.in_(months)),
    )


@lru_cache(maxsize=8)
def _edges_statement(months: int):
    """The rows between each UTC and local month start (`edge0` to `edge{months}`, each a [start,
    end) in UTC, empty where the two coincide), in the tallies' columns with the edge for the month.
    The statements are built once per process: building them took longer than running them."""
    selects = []
    for edge in range(months + 1):
        number = _number(edge, "edge")
        start = bindparam(f"edge{edge}_start", type_=UTCDateTime())
        end = bindparam(f"edge{edge}_end", type_=UTCDateTime())
        selects += [
            select(_label(REVIEWS), number, Review.platform, func.coalesce(Review.rating, 0),
                   func.coalesce(Review.attribution, ""), func.count(), func.count(Review.replied_at))
            .where(Review.location_id == LOCATION, Review.posted_at >= start, Review.posted_at < end)
            .group_by(Review.platform, Review.rating, Review.attribution),
            select(_label(SCANS), number, BatchDestination.platform, _number(0, "rating"), _label(""), func.count(),
                   _number(0, "replied"))
            .select_from(Scan).join(BatchDestination, BatchDestination.id == Scan.batch_destination_id)
            .where(Scan.location_id == LOCATION, Scan.scanned_at >= start, Scan.scanned_at < end)
            .group_by(BatchDestination.platform),
            select(_label(PREFERENCES), number, Preference.platform, _number(0, "rating"), _label(""), func.count(),
                   _number(0, "replied"))
            .where(Preference.location_id == LOCATION, Preference.created_at >= start, Preference.created_at < end,
                   Preference.undone_at.is_(None))
            .group_by(Preference.platform),
        ]
    return union_all(*selects)


@lru_cache(maxsize=8)
def _cards_statement(months: int):
    """Cards printed per month (a batch of one is a slip printed at the till) and offers redeemed,
    each month over its own range of an index (measured on SQLite: twice as fast as one range over
    the year with a CASE putting each row in its month)."""
    per_batch = union_all(*(
        select(_number(slot, "slot"), Card.batch_id, func.count().label("cards"))
        .where(Card.location_id == LOCATION, Card.printed_at >= _bound(slot), Card.printed_at < _bound(slot + 1))
        .group_by(Card.batch_id)
        for slot in range(months)
    )).subquery()
    till_slip = case((CardBatch.card_count == 1, 1), else_=0)  # one expression, grouped as selected
    printed = (
        select(_label(PRINTED), per_batch.c.slot, till_slip, func.sum(per_batch.c.cards))
        .join(CardBatch, CardBatch.id == per_batch.c.batch_id)
        .group_by(per_batch.c.slot, till_slip)
    )
    redeemed = [
        select(_label(REDEEMED), _number(slot, "slot"), _number(0, "till_slip"), func.count())
        .where(Card.location_id == LOCATION, Card.redeemed_at >= _bound(slot), Card.redeemed_at < _bound(slot + 1))
        for slot in range(months)
    ]
    return union_all(printed, *redeemed)


@lru_cache(maxsize=8)
def _reply_times_statement(months: int):
    """Each answered review's time to reply, for the medians: of the month shown only, the one
    figure that needs every value (a median of all sites, or of all locations, is no sum)."""
    return (
        select(Review.platform, Review.reply_micros)
        .where(Review.location_id == LOCATION, Review.posted_at >= _bound(months - 1), Review.posted_at < _bound(months),
               Review.reply_micros.is_not(None))
    )


@lru_cache(maxsize=1)
def _manual_statement():
    return (
        select(ReviewMonthCount.month, ReviewMonthCount.platform, ReviewMonthCount.review_count,
               ReviewMonthCount.average_rating)
        .where(ReviewMonthCount.location_id == LOCATION,
               ReviewMonthCount.month.in_(bindparam("utc_months", expanding=True)))
    )


class _Tally:
    """Per month slot: per-site counters and the month's own counters, frozen into figures at the end."""

    SITE_FIELDS = ("imported", "manual", "manual_rated", "replied", "scans", "preferences", "confirmed", "suggested")

    def __init__(self, months: tuple[Month, ...], params: dict) -> None:
        self.months = months
        self.params = params
        self.slots = {month: index for index, month in enumerate(params["utc_months"])}
        self.sites: list[dict[str, dict]] = [defaultdict(self._site) for _ in months]
        self.totals: list[dict[str, int]] = [defaultdict(int) for _ in months]

    @staticmethod
    def _site() -> dict:
        return {"stars": [0, 0, 0, 0, 0], "manual_rating_total": Fraction(0), "reply_seconds": [],
                **dict.fromkeys(_Tally.SITE_FIELDS, 0)}

    def add_tallied(self, rows) -> None:
        for kind, month, platform, rating, attribution, count, replied in rows:
            self._add(kind, self.slots[month], platform, rating, attribution, count, replied)

    def add_edges(self, rows) -> None:
        """Rows at an edge were tallied in one UTC month and belong to the neighbouring local month.

        Where the local month starts first (a zone ahead of UTC), the rows between the two starts
        belong to the local month starting at the edge (slot `edge`) and were tallied in the one
        before (slot `edge - 1`); behind UTC it is the other way round.
        """
        for kind, edge, platform, rating, attribution, count, replied in rows:
            gain, loss = (edge, edge - 1) if self.params[f"edge{edge}_local_first"] else (edge - 1, edge)
            for index, sign in ((gain, 1), (loss, -1)):
                if 0 <= index < len(self.months):
                    self._add(kind, index, platform, rating, attribution, sign * count, sign * replied)

    def _add(self, kind: str, index: int, platform: str, rating: int, attribution: str, count: int, replied: int) -> None:
        if kind == REVIEWS:
            # A review attributed to cards counts once, as confirmed if the owner confirmed one.
            site = self.sites[index][platform]
            site["imported"] += count
            site["replied"] += replied
            if rating:
                site["stars"][rating - 1] += count
            if attribution:
                site["confirmed" if attribution == CONFIRMED else "suggested"] += count
        elif kind == SCANS:
            self.sites[index][platform]["scans"] += count
        elif platform == NO_REVIEWS:
            self.totals[index]["no_reviews"] += count
        elif platform == UNSAID:
            self.totals[index]["unsaid"] += count
        else:
            self.sites[index][platform]["preferences"] += count

    def add_cards(self, rows) -> None:
        for kind, index, till_slip, count in rows:
            name = "redemptions" if kind == REDEEMED else "till_slips" if till_slip else "cards_printed"
            self.totals[index][name] += int(count)

    def add_reply_times(self, rows) -> None:
        # Whole microseconds over 10**6 is how timedelta.total_seconds() counts: the same floats.
        sites = self.sites[-1]
        for platform, micros in rows:
            sites[platform]["reply_seconds"].append(micros / 10**6)

    def add_manual(self, rows) -> None:
        for month, platform, count, average in rows:
            site = self.sites[self.slots[month]][platform]
            site["manual"] += count
            if average is not None:
                site["manual_rated"] += count
                site["manual_rating_total"] += exact(average) * count

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

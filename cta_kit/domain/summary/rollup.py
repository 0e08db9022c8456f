"""Rows to month figures, months being the location's own (see ``months``).

Each row is placed by bisecting the UTC month boundaries, the same ``start <= t < end`` test a
query over an indexed timestamp makes, so the Python and SQL paths cannot disagree at a boundary.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from .figures import MonthFigures, SiteFigures, exact
from .months import Month, month_start_utc, months_ending, zone_named
from .records import (
    CONFIRMED,
    NO_REVIEWS,
    UNSAID,
    ManualCount,
    MatchRow,
    PreferenceRow,
    PrintRow,
    RedemptionRow,
    ReviewRow,
    ScanRow,
)

TREND_MONTHS = 12


@dataclass(frozen=True)
class LocationRows:
    """One location's records covering at least the months asked for (extra rows are ignored)."""

    location_id: int
    timezone: str
    platforms: tuple[str, ...] = ()  # the location's review sites, in its order; shown even when empty
    reviews: Sequence[ReviewRow] = ()
    manual_counts: Sequence[ManualCount] = ()
    scans: Sequence[ScanRow] = ()
    preferences: Sequence[PreferenceRow] = ()
    redemptions: Sequence[RedemptionRow] = ()
    prints: Sequence[PrintRow] = ()
    matches: Sequence[MatchRow] = ()


class _Site:
    """A mutable tally, frozen into SiteFigures at the end."""

    __slots__ = ("imported", "manual", "stars", "manual_rated", "manual_total", "replied", "delays",
                 "scans", "preferences", "confirmed", "suggested")

    def __init__(self) -> None:
        self.imported = self.manual = self.manual_rated = self.replied = 0
        self.scans = self.preferences = self.confirmed = self.suggested = 0
        self.stars = [0, 0, 0, 0, 0]
        self.manual_total = Fraction(0)
        self.delays: list[float] = []

    def frozen(self, platform: str) -> SiteFigures:
        return SiteFigures(
            platform=platform,
            imported=self.imported,
            manual=self.manual,
            stars=tuple(self.stars),
            manual_rated=self.manual_rated,
            manual_rating_total=self.manual_total,
            replied=self.replied,
            reply_seconds=tuple(self.delays),
            scans=self.scans,
            preferences=self.preferences,
            confirmed=self.confirmed,
            suggested=self.suggested,
        )


class _Month:
    __slots__ = ("sites", "cards_printed", "till_slips", "redemptions", "no_reviews", "unsaid")

    def __init__(self) -> None:
        self.sites: dict[str, _Site] = defaultdict(_Site)
        self.cards_printed = self.till_slips = self.redemptions = self.no_reviews = self.unsaid = 0

    def frozen(self, month: Month) -> MonthFigures:
        return MonthFigures(
            month=month,
            sites=tuple(site.frozen(platform) for platform, site in sorted(self.sites.items())),
            cards_printed=self.cards_printed,
            till_slips=self.till_slips,
            redemptions=self.redemptions,
            no_reviews=self.no_reviews,
            unsaid=self.unsaid,
        )


def figures_by_month(rows: LocationRows, first: Month, last: Month) -> dict[Month, MonthFigures]:
    """Figures for every month from `first` to `last` included, empty months included."""
    months = [Month.from_index(index) for index in range(first.index, last.index + 1)]
    zone = zone_named(rows.timezone)
    bounds = [month_start_utc(month, zone) for month in months] + [month_start_utc(last.next(), zone)]
    tallies = [_Month() for _ in months]

    def tally(instant: datetime) -> _Month | None:
        slot = bisect_right(bounds, instant) - 1
        return tallies[slot] if 0 <= slot < len(months) else None

    for review in rows.reviews:
        if (month := tally(review.posted_at)) is not None:
            site = month.sites[review.platform]
            site.imported += 1
            if review.rating is not None:
                site.stars[review.rating - 1] += 1
            if review.replied_at is not None:
                site.replied += 1
                # A reply stamped before its review (clock skew between exports) took no time.
                site.delays.append(max(0.0, (review.replied_at - review.posted_at).total_seconds()))
    wanted = {month: tallies[slot] for slot, month in enumerate(months)}
    for count in rows.manual_counts:
        if (month := wanted.get(count.month)) is not None:
            site = month.sites[count.platform]
            site.manual += count.count
            if count.average is not None:
                site.manual_rated += count.count
                site.manual_total += exact(count.average) * count.count
    for scan in rows.scans:
        if (month := tally(scan.scanned_at)) is not None:
            month.sites[scan.platform].scans += 1
    for preference in rows.preferences:
        if (month := tally(preference.logged_at)) is not None:
            if preference.platform == NO_REVIEWS:
                month.no_reviews += 1
            elif preference.platform == UNSAID:
                month.unsaid += 1
            else:
                month.sites[preference.platform].preferences += 1
    for redemption in rows.redemptions:
        if (month := tally(redemption.redeemed_at)) is not None:
            month.redemptions += 1
    for batch in rows.prints:
        if (month := tally(batch.printed_at)) is not None:
            if batch.till_slip:
                month.till_slips += batch.cards
            else:
                month.cards_printed += batch.cards
    for match in rows.matches:
        if (month := tally(match.review_posted_at)) is not None:
            site = month.sites[match.platform]
            if match.status == CONFIRMED:
                site.confirmed += 1
            else:
                site.suggested += 1
    return {month: tally_.frozen(month) for month, tally_ in zip(months, tallies)}


def trend_figures(rows: LocationRows, month: Month, count: int = TREND_MONTHS) -> list[MonthFigures]:
    """The `count` months ending with `month`, oldest first (the last two are the month and the one before)."""
    months = months_ending(month, max(count, 2))
    by_month = figures_by_month(rows, months[0], months[-1])
    return [by_month[item] for item in months]

"""The monthly summary an owner reads: the month, the one before, and twelve months of trend."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .figures import MonthFigures, SiteFigures, add_months
from .months import Month, months_ending
from .records import NO_REVIEWS, UNSAID
from .rollup import TREND_MONTHS, LocationRows, trend_figures


@dataclass(frozen=True)
class MonthSummary:
    location_ids: tuple[int, ...]  # one location, or several added together
    timezone: str | None  # None when the locations added together are in different zones
    months: tuple[MonthFigures, ...]  # consecutive, oldest first, ending with the month summarised
    platforms: tuple[str, ...]  # the order sites are shown in

    def __post_init__(self) -> None:
        if len(self.months) < 2:
            raise ValueError("a summary needs its month and the one before")
        indexes = [figures.month.index for figures in self.months]
        if indexes != list(range(indexes[0], indexes[0] + len(indexes))):
            raise ValueError("a summary's months must be consecutive, oldest first")

    @property
    def month(self) -> Month:
        return self.current.month

    @property
    def current(self) -> MonthFigures:
        return self.months[-1]

    @property
    def previous(self) -> MonthFigures:
        return self.months[-2]

    @property
    def location_id(self) -> int | None:
        return self.location_ids[0] if len(self.location_ids) == 1 else None

    def sites(self, figures: MonthFigures | None = None) -> list[SiteFigures]:
        figures = figures or self.current
        return [figures.site(platform) for platform in self.platforms]

    def preference_mix(self, figures: MonthFigures | None = None) -> dict[str, int]:
        """Customers per site they say they use, in the sites' order, then "none" and "unsaid"."""
        figures = figures or self.current
        mix = figures.preference_mix
        return {key: mix[key] for key in self.platforms if key in mix} | {NO_REVIEWS: mix[NO_REVIEWS], UNSAID: mix[UNSAID]}

    def to_json(self) -> dict:
        current, previous = self.current, self.previous
        return {
            "location_id": self.location_id,
            "location_ids": list(self.location_ids),
            "month": str(self.month),
            "previous_month": str(previous.month),
            "timezone": self.timezone,
            "totals": month_totals(current),
            "change": _changes(month_totals(current), month_totals(previous)),
            "preferences": self.preference_mix(),
            "platforms": [
                {**_site(site), "change": _changes(_site(site), _site(previous.site(site.platform)))}
                for site in self.sites()
            ],
            "trend": [
                {
                    "month": str(figures.month),
                    "reviews": {site.platform: site.reviews for site in self.sites(figures)},
                    "total_reviews": figures.reviews,
                    "average_rating": figures.all_sites.average_rating,
                    "average_rating_by_platform": {site.platform: site.average_rating for site in self.sites(figures)},
                }
                for figures in self.months
            ],
        }


def _site(site: SiteFigures) -> dict:
    return {
        "platform": site.platform,
        "reviews": site.reviews,
        "manual_reviews": site.manual,
        "average_rating": site.average_rating,
        "ratings": site.ratings,
        "unrated": site.unrated,
        "replied": site.replied,
        "reply_share": site.reply_share,
        "median_reply_hours": site.median_reply_hours,
        "scans": site.scans,
        "preferences": site.preferences,
        "reviews_attributed": site.confirmed,
        "reviews_attributed_suggested": site.suggested,
    }


def month_totals(figures: MonthFigures) -> dict:
    everything = figures.all_sites
    return {
        "reviews": figures.reviews,
        "average_rating": everything.average_rating,
        "ratings": everything.ratings,
        "unrated": everything.unrated,
        "replied": everything.replied,
        "reply_share": everything.reply_share,
        "median_reply_hours": everything.median_reply_hours,
        "cards_printed": figures.cards_printed,
        "till_slips": figures.till_slips,
        "scans": figures.scans,
        "preferences": figures.preferences,
        "redemptions": figures.redemptions,
        "reviews_attributed": figures.confirmed,
        "reviews_attributed_suggested": figures.suggested,
    }


CHANGED = (
    "reviews", "average_rating", "unrated", "reply_share", "cards_printed", "till_slips", "scans",
    "preferences", "redemptions", "reviews_attributed", "reviews_attributed_suggested",
)


def _changes(now: dict, before: dict) -> dict:
    """This month minus the one before, for the figures present in both; None when either is unknown."""
    changes = {}
    for key in CHANGED:
        if key not in now:
            continue
        a, b = now[key], before[key]
        if a is None or b is None:
            changes[key] = None
        elif isinstance(a, float) or isinstance(b, float):
            # From the rounded figures shown, so 4.50 against 4.25 reads +0.25, not +0.2499...
            changes[key] = float(Decimal(str(a)) - Decimal(str(b)))
        else:
            changes[key] = a - b
    return changes


def _order(platforms: Sequence[str], months: Iterable[MonthFigures]) -> tuple[str, ...]:
    """The location's sites in its order, then any other site the months have figures for."""
    seen = {site.platform for figures in months for site in figures.sites}
    return tuple(platforms) + tuple(sorted(seen - set(platforms)))


def summarise(rows: LocationRows, month: Month, trend_months: int = TREND_MONTHS) -> MonthSummary:
    """A location's summary for `month` from its rows."""
    months = trend_figures(rows, month, trend_months)
    return MonthSummary((rows.location_id,), rows.timezone, tuple(months), _order(rows.platforms, months))


def summary_from_figures(
    location_id: int,
    timezone: str,
    month: Month,
    figures: Mapping[Month, MonthFigures],
    platforms: Sequence[str] = (),
    trend_months: int = TREND_MONTHS,
) -> MonthSummary:
    """A summary from figures a service counted itself; a month missing from `figures` counts zero."""
    months = tuple(figures.get(item, MonthFigures(item)) for item in months_ending(month, max(trend_months, 2)))
    return MonthSummary((location_id,), timezone, months, _order(platforms, months))


def combine_summaries(summaries: Sequence[MonthSummary]) -> MonthSummary:
    """"All my locations": each location's own months (in its own zone) added together."""
    if not summaries:
        raise ValueError("nothing to combine")
    labels = [[figures.month for figures in summary.months] for summary in summaries]
    if any(item != labels[0] for item in labels):
        raise ValueError("combine summaries of the same months")
    months = tuple(
        add_months((summary.months[slot] for summary in summaries), month) for slot, month in enumerate(labels[0])
    )
    platforms: list[str] = []
    for summary in summaries:
        platforms += [platform for platform in summary.platforms if platform not in platforms]
    zones = {summary.timezone for summary in summaries}
    return MonthSummary(
        location_ids=tuple(location for summary in summaries for location in summary.location_ids),
        timezone=zones.pop() if len(zones) == 1 else None,
        months=months,
        platforms=tuple(platforms),
    )

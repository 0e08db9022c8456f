"""A month's figures for one location (or several added together), kept additive.

Counts and sums are stored rather than averages and shares, so that "all my locations" can add
months together and round only once, when a figure is shown. A service can fill these from
grouped queries as well as from rows (see ``rollup``).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .months import Month
from .records import NO_REVIEWS, UNSAID

STARS = (1, 2, 3, 4, 5)
NO_STARS = (0, 0, 0, 0, 0)


def rounded(value: Fraction | None, places: int) -> float | None:
    """Half up, as people round by hand (4.125 -> 4.13), from the exact value."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def exact(value: float | Decimal | int) -> Fraction:
    """4.4 typed by an owner is 22/5, not the binary float nearest to it."""
    return Fraction(Decimal(str(value)))


@dataclass(frozen=True)
class SiteFigures:
    platform: str
    imported: int = 0  # individual reviews
    manual: int = 0  # reviews counted by hand, with no rating of their own
    stars: tuple[int, int, int, int, int] = NO_STARS  # imported reviews with 1..5 stars
    manual_rated: int = 0  # manual reviews covered by an average the owner gave
    manual_rating_total: Fraction = Fraction(0)  # the sum of their ratings (average x count)
    replied: int = 0  # imported reviews with an owner reply
    reply_seconds: tuple[float, ...] = field(default=(), repr=False)  # delay of each reply
    scans: int = 0
    preferences: int = 0
    confirmed: int = 0  # reviews attributed to a card, confirmed by the owner
    suggested: int = 0  # reviews the matcher attributed, not yet confirmed

    @property
    def reviews(self) -> int:
        return self.imported + self.manual

    @property
    def unrated(self) -> int:
        """Reviews without a star count: unrated imports and every hand count."""
        return self.reviews - sum(self.stars)

    @property
    def rated(self) -> int:
        return sum(self.stars) + self.manual_rated

    @property
    def rating_total(self) -> Fraction:
        return sum((star * count for star, count in zip(STARS, self.stars)), Fraction(0)) + self.manual_rating_total

    @property
    def exact_average(self) -> Fraction | None:
        return self.rating_total / self.rated if self.rated else None

    @property
    def average_rating(self) -> float | None:
        return rounded(self.exact_average, 2)

    @property
    def ratings(self) -> dict[str, int]:
        return {str(star): count for star, count in zip(STARS, self.stars)}

    @property
    def reply_share(self) -> float | None:
        """Share of the individually known reviews that have an owner reply (hand counts have none)."""
        return rounded(Fraction(self.replied, self.imported), 3) if self.imported else None

    @property
    def median_reply_hours(self) -> float | None:
        if not self.reply_seconds:
            return None
        return rounded(exact(statistics.median(self.reply_seconds)) / 3600, 1)

    @property
    def attributed(self) -> int:
        return self.confirmed + self.suggested

    def __add__(self, other: SiteFigures) -> SiteFigures:
        if other.platform != self.platform:
            raise ValueError("only the same site's figures add up")
        return SiteFigures(
            platform=self.platform,
            imported=self.imported + other.imported,
            manual=self.manual + other.manual,
            stars=tuple(a + b for a, b in zip(self.stars, other.stars)),
            manual_rated=self.manual_rated + other.manual_rated,
            manual_rating_total=self.manual_rating_total + other.manual_rating_total,
            replied=self.replied + other.replied,
            reply_seconds=self.reply_seconds + other.reply_seconds,
            scans=self.scans + other.scans,
            preferences=self.preferences + other.preferences,
            confirmed=self.confirmed + other.confirmed,
            suggested=self.suggested + other.suggested,
        )


@dataclass(frozen=True)
class MonthFigures:
    month: Month
    sites: tuple[SiteFigures, ...] = ()
    cards_printed: int = 0
    till_slips: int = 0
    redemptions: int = 0
    no_reviews: int = 0  # preferences logged as "doesn't leave reviews"
    unsaid: int = 0  # preferences logged as "didn't say"

    def __post_init__(self) -> None:
        platforms = [site.platform for site in self.sites]
        if len(set(platforms)) != len(platforms):
            raise ValueError("one SiteFigures per platform")

    def site(self, platform: str) -> SiteFigures:
        for site in self.sites:
            if site.platform == platform:
                return site
        return SiteFigures(platform)

    @property
    def all_sites(self) -> SiteFigures:
        """Every site added together, as if they were one."""
        total = SiteFigures("")
        for site in self.sites:
            total = total + replace(site, platform="")
        return total

    @property
    def reviews(self) -> int:
        return sum(site.reviews for site in self.sites)

    @property
    def scans(self) -> int:
        return sum(site.scans for site in self.sites)

    @property
    def preferences(self) -> int:
        """Every preference logged at the till, "doesn't review" and "didn't say" included."""
        return sum(site.preferences for site in self.sites) + self.no_reviews + self.unsaid

    @property
    def preference_mix(self) -> dict[str, int]:
        mix = {site.platform: site.preferences for site in self.sites if site.preferences}
        return {**mix, NO_REVIEWS: self.no_reviews, UNSAID: self.unsaid}

    @property
    def confirmed(self) -> int:
        return sum(site.confirmed for site in self.sites)

    @property
    def suggested(self) -> int:
        return sum(site.suggested for site in self.sites)

    def __add__(self, other: MonthFigures) -> MonthFigures:
        if other.month != self.month:
            raise ValueError("only the same month's figures add up")
        sites = {site.platform: site for site in self.sites}
        for site in other.sites:
            sites[site.platform] = sites[site.platform] + site if site.platform in sites else site
        return MonthFigures(
            month=self.month,
            sites=tuple(sites.values()),
            cards_printed=self.cards_printed + other.cards_printed,
            till_slips=self.till_slips + other.till_slips,
            redemptions=self.redemptions + other.redemptions,
            no_reviews=self.no_reviews + other.no_reviews,
            unsaid=self.unsaid + other.unsaid,
        )


def add_months(figures: Iterable[MonthFigures], month: Month) -> MonthFigures:
    total = MonthFigures(month)
    for item in figures:
        total = total + item
    return total

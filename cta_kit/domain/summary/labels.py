"""The words a summary is shown with, in English until the caller translates them.

The web layer passes ``gettext`` to ``SummaryLabels().translated``; the CLI uses them as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields

from ..i18n import N_
from ..platforms import load_registry
from .records import NO_REVIEWS, UNSAID


@dataclass(frozen=True)
class SummaryLabels:
    title: str = N_("Monthly summary")
    month: str = N_("Month")
    previous_month: str = N_("Previous month")
    change: str = N_("Change")
    time_zone: str = N_("Time zone")
    all_locations: str = N_("All my locations")
    site: str = N_("Review site")
    all_sites: str = N_("All sites")
    reviews: str = N_("Reviews")
    reviews_change: str = N_("Change in reviews")
    average_rating: str = N_("Average rating")
    average_change: str = N_("Change in average rating")
    unrated: str = N_("No star rating")
    reply_share: str = N_("Share answered")
    median_reply_hours: str = N_("Median time to answer (hours)")
    scans: str = N_("Scans")
    preferences: str = N_("Preferences logged")
    attributed_confirmed: str = N_("Reviews from cards (confirmed)")
    attributed_suggested: str = N_("Reviews from cards (suggested)")
    card_funnel: str = N_("Cards and till")
    cards_printed: str = N_("Cards printed")
    till_slips: str = N_("Till slips")
    redemptions: str = N_("Offers redeemed")
    preference_mix: str = N_("Sites customers say they use")
    no_reviews: str = N_("Doesn't leave reviews")
    unsaid: str = N_("Didn't say")
    customers: str = N_("Customers")
    trend: str = N_("Reviews per month")
    rating_trend: str = N_("Average rating per month")
    total: str = N_("Total")
    stars: str = N_("%(count)s★")
    manual_note: str = N_("Reviews counted by hand have no star breakdown: they are counted as having no star rating.")
    figures: str = N_("Figures")

    def translated(self, translate: Callable[[str], str]) -> SummaryLabels:
        return SummaryLabels(**{item.name: translate(getattr(self, item.name)) for item in fields(self)})

    def star_heading(self, count: int) -> str:
        return self.stars % {"count": count}


def site_label(platform: str, labels: SummaryLabels, names: Mapping[str, str] | None = None) -> str:
    """A site's name as shown: the caller's name for it, else the registry's, else its key."""
    if platform == NO_REVIEWS:
        return labels.no_reviews
    if platform == UNSAID:
        return labels.unsaid
    if names and platform in names:
        return names[platform]
    known = load_registry().get(platform)
    return known.label if known else platform

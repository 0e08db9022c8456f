"""The owner's monthly summary: which locations and months an owner sees, and each location's
summary from the figures ``summary_counts`` has the database count."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..domain.summary import (
    TREND_MONTHS,
    Month,
    MonthSummary,
    combine_summaries,
    month_of,
    months_ending,
    parse_month,
    summary_from_figures,
)
from ..extensions import db
from ..models import Location, User
from .errors import NotFound
from .locations import location_for
from .summary_counts import month_figures


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
    figures = month_figures(location.id, location.timezone, months)
    platforms = list(dict.fromkeys(destination.platform for destination in location.destinations))
    return summary_from_figures(location.id, location.timezone, month, figures, platforms, trend_months)

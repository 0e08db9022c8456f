"""The till's rules: what a tap may say, how long it can be undone, and the day's counts."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .cards import NO_REVIEW_SITE, UNSAID
from .errors import DomainError
from .i18n import N_, Message

NO_SITE_CHOICES = (NO_REVIEW_SITE, UNSAID)
# The till shows "Undo" for 30 seconds; the server allows a little more for a slow network.
UNDO_SECONDS = 30
UNDO_GRACE = timedelta(seconds=UNDO_SECONDS + 15)
# A tap queued while the Wi-Fi was down keeps the time it was made, within reason.
OLDEST_QUEUED_TAP = timedelta(days=2)
SLIP_LAYOUTS = ("thermal-80mm", "thermal-58mm")

_CLIENT_KEY = re.compile(r"[A-Za-z0-9-]{8,64}")
FIELD_LIMITS = {"table": 40, "code": 32, "name": 120, "device": 64}


class TillInputError(DomainError):
    pass


def check_client_key(key: object) -> str:
    if not isinstance(key, str) or not _CLIENT_KEY.fullmatch(key):
        raise TillInputError(Message(N_("Each entry needs a key of 8 to 64 letters, digits or hyphens.")))
    return key


def optional_text(value: object, field: str) -> str:
    """An optional free-text field: absent is empty, too long is cut, never refused."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TillInputError(Message(N_("%(field)s must be text."), {"field": field}))
    return " ".join(value.split())[: FIELD_LIMITS[field]]


def tap_time(tapped_at: object, now: datetime) -> datetime:
    """When the tap was made: the browser's clock for a queued tap, else now.

    >>> now = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
    >>> tap_time("2026-11-27T11:58:00Z", now).isoformat()
    '2026-11-27T11:58:00+00:00'
    >>> tap_time("2026-11-28T11:58:00Z", now) == now  # from the future: the browser's clock is wrong
    True
    """
    if not isinstance(tapped_at, str):
        return now
    try:
        moment = datetime.fromisoformat(tapped_at.replace("Z", "+00:00"))
    except ValueError:
        return now
    if moment.tzinfo is None or not now - OLDEST_QUEUED_TAP <= moment <= now:
        return now
    return moment.astimezone(timezone.utc)


def can_undo(created_at: datetime, now: datetime) -> bool:
    return now - created_at <= UNDO_GRACE


def day_bounds(day: date, timezone_name: str) -> tuple[datetime, datetime]:
    """The UTC instants where the location's calendar day starts and the next one starts."""
    try:
        zone = ZoneInfo(timezone_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


@dataclass(frozen=True)
class DayActivity:
    """One day of one staff member at one location, for the owner's view."""

    day: date
    staff: str
    preferences: Counter  # platform key (or none/unsaid) -> taps
    slips: int = 0
    cards_handed_out: int = 0
    redeemed: int = 0

    @property
    def total_preferences(self) -> int:
        return sum(self.preferences.values())


def roll_up(preference_rows, slip_rows, card_rows, redeemed_rows) -> list[DayActivity]:
    """Merge (day, staff, [platform,] count) rows of separate grouped queries into one line per
    day and staff member, newest day first.

    >>> d = date(2026, 11, 2)
    >>> [(a.staff, dict(a.preferences), a.redeemed) for a in roll_up([(d, "Sam", "google", 3)], [], [], [(d, "Sam", 1)])]
    [('Sam', {'google': 3}, 1)]
    """
    lines: dict[tuple[date, str], dict] = {}

    def line(day, staff):
        return lines.setdefault((day, staff), {"preferences": Counter(), "slips": 0, "cards_handed_out": 0, "redeemed": 0})

    for day, staff, platform, count in preference_rows:
        line(day, staff)["preferences"][platform] += count
    for key, rows in (("slips", slip_rows), ("cards_handed_out", card_rows), ("redeemed", redeemed_rows)):
        for day, staff, count in rows:
            line(day, staff)[key] += count
    return [
        DayActivity(day, staff, **values)
        for (day, staff), values in sorted(lines.items(), key=lambda item: (-item[0][0].toordinal(), item[0][1]))
    ]

"""What a printed card is: its offer's last day, where its tracked links point, what it shows.

Printing, the `/r/` route, redemption and the migration of older batches all apply these rules,
so they live here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date

from .wording import default_wording

# Every answer the till can give to a typed code; the first is the only success.
REDEMPTION_RESULTS = (
    "redeemed",
    "already_redeemed",
    "typo",
    "malformed",
    "unknown",
    "expired",
    "not_started",
    "ended",
    "other_location",
    "no_offer",
    "paused",
)
# What staff log when a customer names no review site.
NO_REVIEW_SITE = "none"
UNSAID = "unsaid"

# The path of a tracked QR code. New cards name the printed QR by its position (1, 2, 3); cards
# printed before positions were recorded name a platform key, and keep working.
TRACKED_RULE = "/r/<code>/<slot>"
TRACKED_PREFIX = TRACKED_RULE.split("<", 1)[0]
SLOT_POSITION = "position"
SLOT_PLATFORM = "platform"
# The private feedback page a `private_feedback` campaign prints beside its review sites: one per
# card, on the public address, never through `/r/` (it is the app's own page, not a review site).
FEEDBACK_PLATFORM = "private_feedback"
FEEDBACK_RULE = "/f/<code>"
FEEDBACK_PREFIX = FEEDBACK_RULE.split("<", 1)[0]
_POSITION = re.compile(r"[1-9][0-9]?")
_PLATFORM = re.compile(r"[a-z][a-z0-9_]{0,31}")


def tracked_path(code: str, slot: int | str) -> str:
    """`/r/<code>/<position>`, or `/r/<code>/<platform>` for a card printed the older way."""
    return f"/r/{code}/{slot}"


def feedback_path(code: str) -> str:
    return f"{FEEDBACK_PREFIX}{code}"


def feedback_destination(position: int, base_url: str, caption: str) -> PrintedDestination:
    """The feedback page as one more printed QR code; its URL ends with each card's code."""
    return PrintedDestination(position, FEEDBACK_PLATFORM, caption, f"{base_url}{FEEDBACK_PREFIX}",
                              f"{urlsplit(base_url).netloc}{FEEDBACK_PREFIX}")


def read_slot(slot: str) -> int | str | None:
    """A printed position (int), an older card's platform key (str), or None for anything else."""
    if _POSITION.fullmatch(slot):
        return int(slot)
    if _PLATFORM.fullmatch(slot):
        return slot
    return None


@dataclass(frozen=True)
class PrintedDestination:
    """A QR code as printed on every card of a batch; the URL and names do not follow later edits."""

    position: int  # 1-based, in print order
    platform: str
    label: str
    url: str
    display_url: str


@dataclass(frozen=True)
class PrintedLink:
    """What one QR code of one card encodes, and the short address printed under it."""

    url: str
    short_url: str
    label: str


def printed_link(destination: PrintedDestination, code: str, link_mode: str, base_url: str,
                 slot_kind: str = SLOT_POSITION) -> PrintedLink:
    if destination.platform == FEEDBACK_PLATFORM:
        # Whatever the link mode: the page needs the card's code to know whose feedback it is.
        return PrintedLink(f"{destination.url}{code}", f"{destination.display_url}{code}", destination.label)
    if link_mode != "tracked":
        return PrintedLink(destination.url, destination.display_url, destination.label)
    slot = destination.position if slot_kind == SLOT_POSITION else destination.platform
    path = tracked_path(code, slot)
    return PrintedLink(f"{base_url}{path}", f"{urlsplit(base_url).netloc}{path}", destination.label)


def local_day(moment: datetime, timezone_name: str) -> date:
    """The calendar day at the location when ``moment`` (aware) happened; UTC for an unknown zone."""
    try:
        zone = ZoneInfo(timezone_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).date()


def offer_expires_on(printed_at: datetime, timezone_name: str, validity_days: int | None,
                     campaign_ends_on: date | None) -> date | None:
    """The last day an offer printed at ``printed_at`` is honoured, or None when it has no limit.

    Counted from the print day where the cards are handed out (a batch printed at 00:30 in Paris
    belongs to that Paris day, not to the previous UTC one), and never past the campaign's end.

    >>> from datetime import timezone
    >>> offer_expires_on(datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc), "Europe/Paris", 30, None)
    datetime.date(2026, 12, 31)
    >>> offer_expires_on(datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc), "Europe/Paris", 30, date(2026, 12, 24))
    datetime.date(2026, 12, 24)
    """
    if not validity_days:
        return None
    until = local_day(printed_at, timezone_name) + timedelta(days=validity_days)
    if campaign_ends_on is not None and campaign_ends_on < until:
        return campaign_ends_on
    return until


def validity_sentence(expires_on: date | None, language: str) -> str:
    """The line printed under the offer ("Offre valable jusqu’au 31 décembre 2026"), or ""."""
    if expires_on is None:
        return ""
    template = default_wording(language).offer_validity
    return template.format(date=format_date(expires_on, format="long", locale=language))

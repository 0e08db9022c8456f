"""Dates as exports write them. A time without a zone is the location's local time."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

_DAY_FIRST = re.compile(
    r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
    r"(?:[ T,]+(?P<H>\d{1,2})[:hH](?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_posted_time(value: str, zone: str) -> datetime | None:
    """An aware datetime from ISO 8601 (RFC 3339 included) or dd/mm/yyyy [hh:mm[:ss]]; None when
    the text is neither."""
    text = value.strip()
    if not text or len(text) > 40:
        return None
    match = _DAY_FIRST.match(text)
    try:
        if match:
            parts = match.groupdict()
            day = date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
            moment = time(int(parts["H"] or 0), int(parts["M"] or 0), int(parts["S"] or 0))
            parsed = datetime.combine(day, moment)
        else:
            # RFC 3339 allows nanoseconds (Google writes them); Python reads up to microseconds.
            iso = _LONG_FRACTION.sub(r"\1", text)
            if iso[-1:] in "zZ":
                iso = iso[:-1] + "+00:00"
            parsed = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if parsed.year < 2000 or parsed.year > 2100:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(zone))
    return parsed.astimezone(timezone.utc)

"""Calendar months as an owner reads them: in the location's own time zone.

A review posted at 00:30 on 1 November in Paris is a November review even though it is still
31 October in UTC. Month boundaries are computed here, in Python, as UTC instants, so that a
query can compare a plain indexed timestamp column with ``start <= t < end``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import DomainError
from ..i18n import N_, Message

_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
FIRST_YEAR, LAST_YEAR = 1970, 9998  # room for the month after the last one


class InvalidMonthError(DomainError):
    """A month argument that is not YYYY-MM."""


class UnknownTimeZoneError(DomainError):
    """A time zone name that the IANA database does not know."""


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not (FIRST_YEAR <= self.year <= LAST_YEAR and 1 <= self.month <= 12):
            raise ValueError(f"not a month: {self.year}-{self.month}")

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def index(self) -> int:
        """Months since year 0: consecutive months have consecutive indexes."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    def shifted(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    def previous(self) -> Month:
        return self.shifted(-1)

    def next(self) -> Month:
        return self.shifted(1)


def parse_month(text: str) -> Month:
    """'2026-10' -> Month(2026, 10); anything else raises InvalidMonthError."""
    found = _MONTH_RE.match(text or "")
    if found:
        year, month = int(found.group(1)), int(found.group(2))
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12:
            return Month(year, month)
    raise InvalidMonthError(
        Message(N_("“%(value)s” is not a month: write it as year-month, for example 2026-10."), {"value": text}),
        code="invalid_month",
    )


@lru_cache(maxsize=None)
def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimeZoneError(
            Message(N_("“%(value)s” is not a time zone this server knows."), {"value": name}),
            code="unknown_timezone",
        ) from None


def _zone(zone: tzinfo | str) -> tzinfo:
    return zone_named(zone) if isinstance(zone, str) else zone


def month_start_utc(month: Month, zone: tzinfo | str) -> datetime:
    """The UTC instant at which the month begins in the zone.

    fold=0 picks the earlier reading of a local midnight that happens twice (clocks turned
    back) and, for a midnight that never happens (clocks turned forward at 00:00), gives the
    instant of the change itself: in both cases the first instant of the new day.
    """
    local = datetime(month.year, month.month, 1, tzinfo=_zone(zone))
    return local.astimezone(timezone.utc)


def month_range_utc(month: Month, zone: tzinfo | str) -> tuple[datetime, datetime]:
    """[start, end) in UTC: an instant t is in the month when start <= t < end."""
    return month_start_utc(month, zone), month_start_utc(month.next(), zone)


def month_of(instant: datetime, zone: tzinfo | str) -> Month:
    """The month an aware instant falls in, read on the zone's clocks."""
    if instant.tzinfo is None:
        raise ValueError("month_of needs an aware datetime")
    local = instant.astimezone(_zone(zone))
    return Month(local.year, local.month)


def months_ending(month: Month, count: int = 12) -> tuple[Month, ...]:
    """The `count` months ending with `month`, oldest first."""
    return tuple(month.shifted(offset) for offset in range(1 - count, 1))


def current_month(now: datetime, zone: tzinfo | str) -> Month:
    return month_of(now, zone)

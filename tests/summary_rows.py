"""Generated records for the summary tests: a few years of a location's life, dense around month
ends and the days clocks change, in the zone the location keeps its months in."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from cta_kit.domain.summary import (
    CONFIRMED,
    NO_REVIEWS,
    SUGGESTED,
    UNSAID,
    LocationRows,
    ManualCount,
    MatchRow,
    Month,
    PreferenceRow,
    PrintRow,
    RedemptionRow,
    ReviewRow,
    ScanRow,
)

PLATFORMS = ("google", "tripadvisor", "facebook")
PREFERENCE_KEYS = (*PLATFORMS, "thefork", NO_REVIEWS, UNSAID)


def _edges(zone: ZoneInfo, first: datetime, last: datetime) -> list[datetime]:
    """Local midnights starting each month and the hours around each change of clocks, in UTC."""
    edges = []
    day = first
    while day < last:
        local = datetime(day.year, day.month, 1, tzinfo=zone)
        edges.append(local.astimezone(timezone.utc))
        day = (local + timedelta(days=32)).replace(day=1)
    hour = first
    offset = hour.astimezone(zone).utcoffset()
    while hour < last:
        now = hour.astimezone(zone).utcoffset()
        if now != offset:
            edges.append(hour)
            offset = now
        hour += timedelta(hours=1)
    return edges


def _instant(rng: random.Random, edges: list[datetime], first: datetime, last: datetime) -> datetime:
    """Half the instants within two hours of an edge (to the second), the rest anywhere."""
    if rng.random() < 0.5:
        return rng.choice(edges) + timedelta(seconds=rng.randint(-7200, 7200))
    return first + timedelta(seconds=rng.randint(0, int((last - first).total_seconds())))


def generated_rows(zone_name: str, seed: int, count: int = 1500, location_id: int = 1) -> LocationRows:
    rng = random.Random(seed)
    zone = ZoneInfo(zone_name)
    first = datetime(2024, 9, 1, tzinfo=timezone.utc)
    last = datetime(2026, 12, 31, tzinfo=timezone.utc)
    edges = _edges(zone, first, last)

    def when() -> datetime:
        return _instant(rng, edges, first, last)

    reviews = []
    for _ in range(count):
        posted = when()
        reply = posted + timedelta(seconds=rng.randint(-600, 9 * 86400)) if rng.random() < 0.4 else None
        rating = rng.choice((1, 2, 3, 4, 5, 5, 4, None))
        reviews.append(ReviewRow(rng.choice(PLATFORMS), rng.randint(1, 3), posted, rating, reply))
    manual = [
        ManualCount(
            "thefork",
            Month(year, month),
            rng.randint(0, 9),
            rng.choice((None, 4.4, 3.75, 2, 4.125)),
        )
        for year in (2025, 2026)
        for month in range(1, 13)
        if rng.random() < 0.7
    ]
    return LocationRows(
        location_id=location_id,
        timezone=zone_name,
        platforms=PLATFORMS,
        reviews=reviews,
        manual_counts=manual,
        scans=[ScanRow(rng.choice(PLATFORMS), when(), rng.randint(1, 3)) for _ in range(count)],
        preferences=[PreferenceRow(rng.choice(PREFERENCE_KEYS), when()) for _ in range(count)],
        redemptions=[RedemptionRow(when()) for _ in range(count // 3)],
        prints=[PrintRow(when(), rng.choice((1, 1, 10, 50)), rng.random() < 0.5) for _ in range(count // 5)],
        matches=[MatchRow(rng.choice(PLATFORMS), when(), rng.choice((CONFIRMED, SUGGESTED))) for _ in range(count // 4)],
    )

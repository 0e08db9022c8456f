"""What happened at the till, per day and per staff member, for the owner."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..domain.cards import local_day
from ..domain.till import SLIP_LAYOUTS, DayActivity, roll_up
from ..extensions import db
from ..models import Card, CardBatch, Preference, Scan, User, utcnow
from .locations import location_for

REPORT_DAYS = 28


@dataclass(frozen=True)
class TillActivity:
    since: date
    lines: list[DayActivity]
    scans: dict[date, int]  # scans are a customer's, not a staff member's


def till_activity(user: User, location_id: int, days: int = REPORT_DAYS) -> TillActivity:
    location = location_for(user, location_id)
    zone = location.timezone
    since = utcnow() - timedelta(days=days)

    def counted(rows, with_platform=False):
        counts = Counter()
        for row in rows:
            key = (local_day(row[0], zone), row[1] or "?") + ((row[2],) if with_platform else ())
            counts[key] += 1
        return [(*key, count) for key, count in counts.items()]

    preferences = db.session.execute(
        select(Preference.created_at, User.name, Preference.platform, Preference.card_code)
        .outerjoin(User, User.id == Preference.user_id)
        .where(Preference.location_id == location.id, Preference.created_at >= since, Preference.undone_at.is_(None))
    ).all()
    slips = db.session.execute(
        select(CardBatch.printed_at, User.name)
        .outerjoin(User, User.id == CardBatch.printed_by_id)
        .where(CardBatch.location_id == location.id, CardBatch.printed_at >= since, CardBatch.card_count == 1,
               CardBatch.layout.in_(SLIP_LAYOUTS))
    ).all()
    redeemed = db.session.execute(
        select(Card.redeemed_at, User.name)
        .outerjoin(User, User.id == Card.redeemed_by_id)
        .where(Card.location_id == location.id, Card.redeemed_at >= since)
    ).all()
    scans = Counter(
        local_day(scanned_at, zone)
        for scanned_at in db.session.scalars(
            select(Scan.scanned_at).where(Scan.location_id == location.id, Scan.scanned_at >= since)
        )
    )
    lines = roll_up(
        counted(preferences, with_platform=True),
        counted(slips),
        counted([row for row in preferences if row.card_code]),
        counted(redeemed),
    )
    return TillActivity(local_day(since, zone), lines, dict(sorted(scans.items(), reverse=True)))

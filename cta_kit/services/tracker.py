"""The owner's tracker: redeemed offers with the review that followed (or none), reviews with
the card they came with (or "not from a card"), and the suggestions waiting for a decision."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..domain.summary.months import InvalidMonthError, current_month, month_range_utc, months_ending, parse_month
from ..extensions import db
from ..models import Campaign, Card, Review, ReviewMatch, User, utcnow
from .locations import location_for


@dataclass(frozen=True)
class TrackerFilters:
    month: str | None = None  # YYYY-MM in the location's time zone
    destination_id: int | None = None
    campaign_id: int | None = None


@dataclass
class TrackerView:
    location: object
    filters: TrackerFilters
    reviews: list[tuple[Review, ReviewMatch | None]] = field(default_factory=list)
    redeemed: list[tuple[Card, ReviewMatch | None]] = field(default_factory=list)
    suggestions: list[ReviewMatch] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    months: list[str] = field(default_factory=list)


def tracker(user: User, location_id: int, filters: TrackerFilters, limit: int = 300) -> TrackerView:
    location = location_for(user, location_id)
    zone = location.timezone
    start, end = _month_range(filters.month, zone)
    matches: dict[int, ReviewMatch] = {}
    for match in db.session.scalars(
        select(ReviewMatch).options(joinedload(ReviewMatch.card), joinedload(ReviewMatch.review))
        .where(ReviewMatch.location_id == location.id, ReviewMatch.status != "rejected")
        .order_by(ReviewMatch.status)  # "confirmed" before "suggested": a confirmed match wins
    ):
        matches.setdefault(match.review_id, match)
    by_card = {}
    for match in matches.values():
        by_card.setdefault(match.card_id, match)

    review_query = select(Review).where(Review.location_id == location.id).order_by(Review.posted_at.desc())
    if start:
        review_query = review_query.where(Review.posted_at >= start, Review.posted_at < end)
    if filters.destination_id:
        review_query = review_query.where(Review.destination_id == filters.destination_id)
    reviews = []
    for review in db.session.scalars(review_query.limit(limit)):
        match = matches.get(review.id)
        if filters.campaign_id and (match is None or match.card.campaign_id != filters.campaign_id):
            continue
        reviews.append((review, match))

    card_query = (select(Card).where(Card.location_id == location.id, Card.redeemed_at.is_not(None))
                  .order_by(Card.redeemed_at.desc()))
    if start:
        card_query = card_query.where(Card.redeemed_at >= start, Card.redeemed_at < end)
    if filters.campaign_id:
        card_query = card_query.where(Card.campaign_id == filters.campaign_id)
    redeemed = [(card, by_card.get(card.id)) for card in db.session.scalars(card_query.limit(limit))]

    suggestions = [m for m in matches.values() if m.status == "suggested"
                   and (not filters.destination_id or m.review.destination_id == filters.destination_id)
                   and (not filters.campaign_id or m.card.campaign_id == filters.campaign_id)
                   and (not start or start <= m.review.posted_at < end)]
    suggestions.sort(key=lambda m: m.review.posted_at, reverse=True)
    campaigns = list(db.session.scalars(select(Campaign).where(Campaign.location_id == location.id).order_by(Campaign.name)))
    return TrackerView(location, filters, reviews, redeemed, suggestions, campaigns, _recent_months(zone))


def evidence_of(match: ReviewMatch) -> list[dict]:
    try:
        return json.loads(match.evidence or "[]")
    except ValueError:
        return []


def _month_range(month: str | None, zone: str):
    """The month's UTC range on the location's clocks; no filter for a month that does not parse."""
    if not month:
        return None, None
    try:
        return month_range_utc(parse_month(month), zone)
    except InvalidMonthError:
        return None, None


def _recent_months(zone: str, count: int = 13) -> list[str]:
    """This month and the twelve before it, newest first."""
    return [str(month) for month in reversed(months_ending(current_month(utcnow(), zone), count))]

"""Reviews matched to the cards, scans, till preferences and redemptions that came before them.

The facts are loaded here and handed to the pure matcher in ``domain.matching``; its suggestions
replace the previous ones, while every pair the owner confirmed or rejected stays as decided.
Measurement only: no customer ever gets or loses anything by it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select

from ..domain import matching as matcher
from ..domain.codes import check_code
from ..domain.i18n import N_, Message
from ..extensions import db
from ..models import BatchDestination, Location, Card, CardBatch, Preference, Review, ReviewMatch, Scan, User, utcnow
from .database import lock_location, write_transaction
from .errors import NotFound, ServiceError
from .locations import location_for

SUGGESTED, CONFIRMED, REJECTED = "suggested", "confirmed", "rejected"


@dataclass(frozen=True)
class MatchRun:
    suggested: int
    confirmed: int
    reviews: int


def run_matching(location_id: int) -> MatchRun:
    """Suggest matches for a location again; the owner's decisions are kept."""
    if db.session.get(Location, location_id) is None:
        raise NotFound()
    facts = _facts(location_id)
    decided = list(db.session.execute(
        select(ReviewMatch.review_id, ReviewMatch.card_id, ReviewMatch.status).where(
            ReviewMatch.location_id == location_id, ReviewMatch.status != SUGGESTED)
    ))
    decisions = matcher.OwnerDecisions(
        confirmed=frozenset((r, c) for r, c, status in decided if status == CONFIRMED),
        rejected=frozenset((r, c) for r, c, status in decided if status == REJECTED),
    )
    attributions = matcher.attribute_reviews(*facts, decisions=decisions)
    with write_transaction():
        lock_location(location_id)
        db.session.execute(delete(ReviewMatch).where(ReviewMatch.location_id == location_id, ReviewMatch.status == SUGGESTED))
        for attribution in attributions:
            db.session.add(ReviewMatch(
                review_id=attribution.review_id, card_id=attribution.card_id, location_id=location_id,
                status=SUGGESTED, score=attribution.score, evidence=_evidence_json(attribution.evidence),
            ))
    return MatchRun(len(attributions), len(decisions.confirmed), len(facts[-1]))


def attributed(location_id: int) -> list[str]:
    """One line per review attributed to a card, confirmed ones first, for the command line."""
    rows = db.session.execute(
        select(ReviewMatch.status, ReviewMatch.score, Review.platform, Review.posted_at, Review.id, Card.code)
        .join(Review, Review.id == ReviewMatch.review_id).join(Card, Card.id == ReviewMatch.card_id)
        .where(ReviewMatch.location_id == location_id, ReviewMatch.status != REJECTED)
        .order_by(ReviewMatch.status, Review.posted_at)
    )
    return [
        f"{status:9} review {review_id} ({platform}, {posted_at:%Y-%m-%d %H:%M} UTC) <- card {code}"
        + (f" ({score:.0%})" if score is not None else "")
        for status, score, platform, posted_at, review_id, code in rows
    ]


def decide(user: User, location_id: int, match_id: int, confirm: bool) -> ReviewMatch:
    """The owner confirms a suggestion (the review came with that card) or rejects it (never
    suggested again)."""
    location = location_for(user, location_id)
    with write_transaction():
        lock_location(location.id)
        match = db.session.get(ReviewMatch, match_id)
        if match is None or match.location_id != location.id:
            raise NotFound()
        if confirm:
            _refuse_if_taken(match.review_id, match.card_id, except_id=match.id)
            _drop_other_suggestions(match)
        match.status = CONFIRMED if confirm else REJECTED
        match.decided_by_id = user.id
        match.decided_at = utcnow()
    return match


def link_by_hand(user: User, location_id: int, review_id: int, typed_code: str) -> ReviewMatch:
    """The owner knows which card a review came with (the customer said so): a confirmed match."""
    location = location_for(user, location_id)
    review = db.session.get(Review, review_id)
    if review is None or review.location_id != location.id:
        raise NotFound()
    check = check_code(typed_code)
    if not check.ok:
        raise ServiceError({"code": check.message})
    card = db.session.scalar(select(Card).where(Card.code == check.code, Card.location_id == location.id))
    if card is None:
        raise ServiceError({"code": Message(N_("No card of this location has this code."))})
    review_id, card_id, location_id = review.id, card.id, location.id
    with write_transaction():
        lock_location(location_id)
        _refuse_if_taken(review_id, card_id)
        match = db.session.scalar(select(ReviewMatch).where(ReviewMatch.review_id == review_id, ReviewMatch.card_id == card_id))
        if match is None:
            match = ReviewMatch(review_id=review_id, card_id=card_id, location_id=location_id, evidence="[]")
            db.session.add(match)
        match.status, match.score, match.decided_by_id, match.decided_at = CONFIRMED, None, user.id, utcnow()
        db.session.flush()
        _drop_other_suggestions(match)
    return match


def _drop_other_suggestions(match: ReviewMatch) -> None:
    """Suggestions that gave this review another card, or this card another review, no longer hold."""
    db.session.execute(delete(ReviewMatch).where(
        ReviewMatch.status == SUGGESTED, ReviewMatch.id != match.id,
        or_(ReviewMatch.review_id == match.review_id, ReviewMatch.card_id == match.card_id),
    ))


def _refuse_if_taken(review_id: int, card_id: int, except_id: int | None = None) -> None:
    taken = db.session.scalar(select(ReviewMatch).where(
        ReviewMatch.status == CONFIRMED,
        or_(ReviewMatch.review_id == review_id, ReviewMatch.card_id == card_id),
        ReviewMatch.id != (except_id or 0),
    ))
    if taken is not None:
        which = N_("This review is already matched to a card.") if taken.review_id == review_id else N_(
            "This card is already matched to another review.")
        raise ServiceError({"": Message(which)})


def _facts(location_id: int):
    """Everything the matcher weighs for one location, as the domain's plain records."""
    printed = defaultdict(set)
    for batch_id, destination_id in db.session.execute(
        select(BatchDestination.batch_id, BatchDestination.destination_id)
        .join(CardBatch, CardBatch.id == BatchDestination.batch_id)
        .where(CardBatch.location_id == location_id, BatchDestination.destination_id.is_not(None))
    ):
        printed[batch_id].add(destination_id)

    scans = [
        matcher.CardScan(card_id, destination_id, scanned_at)
        for card_id, destination_id, scanned_at in db.session.execute(
            select(Scan.card_id, BatchDestination.destination_id, Scan.scanned_at)
            .join(BatchDestination, BatchDestination.id == Scan.batch_destination_id)
            .where(Scan.location_id == location_id, BatchDestination.destination_id.is_not(None))
        )
    ]
    preferences = []
    for destination_id, created_at, code, name in db.session.execute(
        select(Preference.destination_id, Preference.created_at, Preference.card_code, Preference.customer_name)
        .where(Preference.location_id == location_id, Preference.undone_at.is_(None))
    ):
        checked = check_code(code) if code else None
        preferences.append(matcher.TillPreference(
            location_id, destination_id, created_at, checked.code if checked and checked.ok else None, name or None))
    noted_codes = {p.card_code for p in preferences if p.card_code}
    scanned_ids = {scan.card_id for scan in scans}

    cards, redemptions = [], []
    rows = db.session.execute(
        select(Card.id, Card.code, Card.campaign_id, Card.batch_id, Card.printed_at, Card.redeemed_at, CardBatch.card_count)
        .join(CardBatch, CardBatch.id == Card.batch_id)
        .where(Card.location_id == location_id, or_(
            Card.redeemed_at.is_not(None), CardBatch.card_count == 1, Card.id.in_(scanned_ids or [0]),
            Card.code.in_(noted_codes or [""]),
        ))
    )
    for card_id, code, campaign_id, batch_id, printed_at, redeemed_at, batch_size in rows:
        cards.append(matcher.PrintedCard(card_id, code, location_id, campaign_id, frozenset(printed[batch_id]),
                                         printed_at, batch_size))
        if redeemed_at is not None:
            redemptions.append(matcher.Redemption(card_id, redeemed_at))
    reviews = [
        matcher.PostedReview(review_id, location_id, destination_id, posted_at, author or "")
        for review_id, destination_id, posted_at, author in db.session.execute(
            select(Review.id, Review.destination_id, Review.posted_at, Review.author_name)
            .where(Review.location_id == location_id, Review.destination_id.is_not(None))
        )
    ]
    return cards, scans, preferences, redemptions, reviews


def _evidence_json(evidence) -> str:
    return json.dumps([
        {"kind": e.kind, "at": e.at.isoformat() if isinstance(e.at, datetime) else None, "detail": e.detail}
        for e in evidence
    ], ensure_ascii=False)

"""Private feedback: the page a card's QR code opens, keeping a customer's message, and the
location owner's list of them.

Whether a card has the page is a fact of its batch (the feedback QR code was printed on it), so a
later change of the campaign's offer never opens or closes the page of a card already handed out.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from ..domain.cards import FEEDBACK_PLATFORM
from ..domain.codes import check_code, format_code
from ..domain.feedback import RATE_WINDOW, FeedbackInput, feedback_problems, rate_limit_problem
from ..extensions import db
from ..models import Card, CardBatch, Location, PrivateFeedback, User, utcnow
from .database import lock_location, write_transaction
from .errors import NotFound, ServiceError
from .links import UnknownLink
from .locations import location_for


@dataclass(frozen=True)
class ReviewLink:
    label: str
    url: str


@dataclass(frozen=True)
class FeedbackPage:
    """What the customer's page needs to know about their card."""

    code: str
    card_id: int
    location_id: int
    language: str
    business_name: str
    offer_text: str  # the card's reward for writing, "" when it promises none
    review_links: tuple[ReviewLink, ...]  # the card's public review sites, in print order


def feedback_page(typed_code: str) -> FeedbackPage:
    """The card behind ``/f/<code>``; UnknownLink for a code that is malformed, unknown, or of a
    card printed without the feedback page."""
    check = check_code(typed_code)
    if not check.ok:
        raise UnknownLink()
    row = db.session.execute(
        select(Card, Location)
        .join(Location, Location.id == Card.location_id)
        .where(Card.code == check.code)
    ).first()
    if row is None:
        raise UnknownLink()
    card, location = row
    printed = card.batch.destinations
    if not any(destination.platform == FEEDBACK_PLATFORM for destination in printed):
        raise UnknownLink(location.language)
    return FeedbackPage(
        code=card.code,
        card_id=card.id,
        location_id=location.id,
        language=location.language,
        business_name=location.business.name,
        offer_text=card.batch.offer_text if card.batch.offer_kind == "private_feedback" else "",
        review_links=tuple(ReviewLink(d.label, d.url) for d in printed if d.platform != FEEDBACK_PLATFORM),
    )


def send_feedback(page: FeedbackPage, data: FeedbackInput) -> None:
    """Keep the message, unless the card or the location has sent too many in the last hour."""
    problems = feedback_problems(data)
    if problems:
        raise ServiceError(problems)
    with write_transaction():
        # Count and write under one lock, so that concurrent sends cannot all see room for one more:
        # SQLite's immediate transaction holds the database; on PostgreSQL the location row.
        lock_location(page.location_id)
        since = utcnow() - RATE_WINDOW
        recent = select(func.count()).select_from(PrivateFeedback).where(PrivateFeedback.created_at > since)
        from_card = db.session.scalar(recent.where(PrivateFeedback.card_id == page.card_id))
        at_location = db.session.scalar(recent.where(PrivateFeedback.location_id == page.location_id))
        if (problem := rate_limit_problem(from_card, at_location)) is not None:
            raise ServiceError({"": problem})
        db.session.add(PrivateFeedback(
            location_id=page.location_id, card_id=page.card_id, message=data.message.strip(),
            name=data.name.strip(), contact=data.contact.strip(), language=page.language, created_at=utcnow(),
        ))


@dataclass(frozen=True)
class ReceivedFeedback:
    id: int
    message: str
    name: str
    contact: str
    created_at: object
    is_read: bool
    card_code: str  # as printed on the card, in groups
    campaign_name: str


def feedback_for(owner: User, location_id: int) -> tuple[Location, list[ReceivedFeedback]]:
    """A location's private feedback, newest first, for its owners only."""
    location = _owned_location(owner, location_id)
    rows = db.session.execute(
        select(PrivateFeedback, Card.code, CardBatch)
        .join(Card, Card.id == PrivateFeedback.card_id)
        .join(CardBatch, CardBatch.id == Card.batch_id)
        .where(PrivateFeedback.location_id == location.id)
        .order_by(PrivateFeedback.created_at.desc(), PrivateFeedback.id.desc())
    ).all()
    return location, [
        ReceivedFeedback(feedback.id, feedback.message, feedback.name, feedback.contact, feedback.created_at,
                         feedback.read_at is not None, format_code(code), batch.campaign.name)
        for feedback, code, batch in rows
    ]


def unread_feedback_count(owner: User, location_id: int) -> int:
    location = _owned_location(owner, location_id)
    return db.session.scalar(
        select(func.count()).select_from(PrivateFeedback)
        .where(PrivateFeedback.location_id == location.id, PrivateFeedback.read_at.is_(None))
    )


def mark_read(owner: User, location_id: int, feedback_id: int) -> None:
    location = _owned_location(owner, location_id)
    mine = (PrivateFeedback.id == feedback_id, PrivateFeedback.location_id == location.id)
    if db.session.scalar(select(PrivateFeedback.id).where(*mine)) is None:
        raise NotFound()
    with write_transaction():
        db.session.execute(update(PrivateFeedback).where(*mine, PrivateFeedback.read_at.is_(None)).values(read_at=utcnow()))


def _owned_location(owner: User, location_id: int) -> Location:
    """Customers write to the owner: staff of the location do not read their messages."""
    if not owner.is_owner:
        raise PermissionError("only owners read private feedback")
    return location_for(owner, location_id)

"""What the till answers when staff type a card's code, and when typed codes look like guessing.

The answer depends on the card and its batch, never on whether the customer reviewed: an offer
is a thank-you (or a reward for private feedback), not a payment for a review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .codes import CodeStatus, check_code
from .i18n import N_

REDEEMED = "redeemed"
ALREADY_REDEEMED = "already_redeemed"
TYPO = "typo"
MALFORMED = "malformed"
UNKNOWN = "unknown"
EXPIRED = "expired"
NOT_STARTED = "not_started"
ENDED = "ended"
OTHER_LOCATION = "other_location"
NO_OFFER = "no_offer"
PAUSED = "paused"

# Answers that say the code named no card of this location: what guessing produces. A card
# already redeemed, expired or without an offer is a real card, so those never pause the till.
GUESS_RESULTS = frozenset({TYPO, MALFORMED, UNKNOWN, OTHER_LOCATION})
MAX_FAILED_PER_WINDOW = 20
FAILURE_WINDOW = timedelta(hours=1)
PAUSE = timedelta(minutes=15)


@dataclass(frozen=True)
class CardFacts:
    """What redemption needs to know about the card a code names."""

    location_id: int
    offer_kind: str
    offer_expires_on: date | None
    campaign_starts_on: date | None
    campaign_ends_on: date | None
    redeemed_at: datetime | None


def code_problem(typed: str) -> str | None:
    """``malformed`` or ``typo`` when the typed text cannot be a card's code; None when it can."""
    status = check_code(typed).status
    if status is CodeStatus.MALFORMED:
        return MALFORMED
    if status is CodeStatus.TYPO:
        return TYPO
    return None


def card_problem(card: CardFacts | None, location_id: int, today: date) -> str | None:
    """Why this card cannot be redeemed at this location today (its local day), or None.

    >>> facts = CardFacts(1, "thank_you", date(2026, 12, 31), date(2026, 11, 1), None, None)
    >>> card_problem(facts, 1, date(2026, 12, 31)) is None
    True
    >>> card_problem(facts, 1, date(2027, 1, 1))
    'expired'
    >>> card_problem(facts, 2, date(2026, 12, 1))
    'other_location'
    """
    if card is None:
        return UNKNOWN
    if card.location_id != location_id:
        return OTHER_LOCATION
    if card.offer_kind == "none":
        return NO_OFFER
    if card.redeemed_at is not None:
        return ALREADY_REDEEMED
    if card.campaign_starts_on is not None and today < card.campaign_starts_on:
        return NOT_STARTED
    if card.offer_expires_on is not None and today > card.offer_expires_on:
        return EXPIRED
    if card.campaign_ends_on is not None and today > card.campaign_ends_on:
        return ENDED
    return None


def failure_window_start(now: datetime, paused_until: datetime | None) -> datetime:
    """Failures are counted over the last hour, but not those before a pause that has ended:
    otherwise the first typo after a pause would start another one."""
    start = now - FAILURE_WINDOW
    if paused_until is not None and paused_until > start:
        return paused_until
    return start


def pause_after(failures: int, now: datetime) -> datetime | None:
    """The end of the pause that ``failures`` recent guesses start, or None.

    >>> from datetime import timezone
    >>> now = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
    >>> pause_after(19, now) is None
    True
    >>> pause_after(20, now).isoformat()
    '2026-11-27T12:15:00+00:00'
    """
    return now + PAUSE if failures >= MAX_FAILED_PER_WINDOW else None


# What staff read for each answer: plain, and different for each, so they know what to tell the
# customer. Placeholders are filled by the view (dates in the reader's language).
ANSWER_TEXTS = {
    REDEEMED: N_("Redeemed: %(offer)s"),
    ALREADY_REDEEMED: N_("Already redeemed on %(when)s by %(who)s."),
    TYPO: N_("This code has a typing mistake: please check each symbol."),
    MALFORMED: N_("This is not a card code: a code has 11 letters and digits, for example KG65M-F8F54-7."),
    UNKNOWN: N_("This code is not one of our cards."),
    EXPIRED: N_("This offer ended on %(date)s."),
    NOT_STARTED: N_("This card's campaign has not started yet."),
    ENDED: N_("This card's campaign has ended."),
    OTHER_LOCATION: N_("This card belongs to another location."),
    NO_OFFER: N_("This card has no offer to redeem."),
    PAUSED: N_("Redemption is paused after many wrong codes, until %(time)s. The owner has been told."),
}

"""Private feedback a customer writes to the restaurant from their card: what a message may hold,
and how many a card and a location take in an hour.

The page never asks how satisfied the customer is and nothing on it depends on what they wrote:
the card's public review sites stay on the card and are offered to everyone alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from .i18n import Message, N_

MAX_MESSAGE_LENGTH = 2000
MAX_NAME_LENGTH = 120
MAX_CONTACT_LENGTH = 200
# Counted in the database, per card and per location, never per IP address (none is kept).
RATE_WINDOW = timedelta(hours=1)
MESSAGES_PER_CARD = 3
MESSAGES_PER_LOCATION = 30


@dataclass(frozen=True)
class FeedbackInput:
    message: str
    name: str = ""
    contact: str = ""


def feedback_problems(feedback: FeedbackInput) -> dict[str, Message]:
    """Every reason the message cannot be kept, by field.

    >>> feedback_problems(FeedbackInput("  "))["message"].text
    'Write your message before sending it.'
    >>> feedback_problems(FeedbackInput("Merci !", name="Léa"))
    {}
    """
    problems: dict[str, Message] = {}
    if not feedback.message.strip():
        problems["message"] = Message(N_("Write your message before sending it."))
    elif len(feedback.message) > MAX_MESSAGE_LENGTH:
        problems["message"] = _too_long(len(feedback.message), MAX_MESSAGE_LENGTH)
    if len(feedback.name) > MAX_NAME_LENGTH:
        problems["name"] = _too_long(len(feedback.name), MAX_NAME_LENGTH)
    if len(feedback.contact) > MAX_CONTACT_LENGTH:
        problems["contact"] = _too_long(len(feedback.contact), MAX_CONTACT_LENGTH)
    return problems


def _too_long(length: int, limit: int) -> Message:
    return Message(
        N_("This is %(length)s characters long; the limit is %(limit)s. Shorten it, then send it again."),
        {"length": length, "limit": limit},
    )


def rate_limit_problem(from_card: int, at_location: int) -> Message | None:
    """Why one more message is refused, given the messages of the last hour, or None.

    >>> rate_limit_problem(MESSAGES_PER_CARD, 0).text
    'This card has already sent %(count)s messages in the last hour. Please try again later.'
    >>> rate_limit_problem(0, 0) is None
    True
    """
    if from_card >= MESSAGES_PER_CARD:
        return Message(N_("This card has already sent %(count)s messages in the last hour. Please try again later."),
                       {"count": MESSAGES_PER_CARD})
    if at_location >= MESSAGES_PER_LOCATION:
        return Message(N_("We have received many messages in the last hour. Please try again a little later."))
    return None

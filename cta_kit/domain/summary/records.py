"""What the summary reads, as plain frozen records a service fills from its queries.

Every time is an aware datetime; the roll-ups place it in a month of the location's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .months import Month

NO_REVIEWS = "none"  # the customer says they do not leave reviews
UNSAID = "unsaid"  # the customer did not say
CONFIRMED, SUGGESTED = "confirmed", "suggested"
MATCH_STATUSES = (CONFIRMED, SUGGESTED)


def _aware(value: datetime | None, name: str) -> None:
    if value is not None and value.tzinfo is None:
        raise ValueError(f"{name} must be an aware datetime")


@dataclass(frozen=True)
class ReviewRow:
    """One imported or hand-entered review."""

    platform: str
    destination_id: int | None
    posted_at: datetime
    rating: int | None  # 1-5; None when the site or the export gave none
    replied_at: datetime | None = None  # when the owner's reply was posted, if any

    def __post_init__(self) -> None:
        _aware(self.posted_at, "posted_at")
        _aware(self.replied_at, "replied_at")
        if self.rating is not None and self.rating not in (1, 2, 3, 4, 5):
            raise ValueError(f"a rating is 1 to 5, not {self.rating!r}")


@dataclass(frozen=True)
class ManualCount:
    """"October: 7 TheFork reviews, average 4.4", for a site with no export."""

    platform: str
    month: Month
    count: int
    average: float | Decimal | None = None  # over the `count` reviews, when the owner knows it

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError("a count cannot be negative")
        if self.average is not None and not 1 <= self.average <= 5:
            raise ValueError(f"an average rating is between 1 and 5, not {self.average!r}")


@dataclass(frozen=True)
class ScanRow:
    """A tracked link opened (repeats within the till's window already folded into one)."""

    platform: str
    scanned_at: datetime
    destination_id: int | None = None

    def __post_init__(self) -> None:
        _aware(self.scanned_at, "scanned_at")


@dataclass(frozen=True)
class PreferenceRow:
    """The review site a customer said they use, logged at the till: a platform key, NO_REVIEWS or UNSAID."""

    platform: str
    logged_at: datetime

    def __post_init__(self) -> None:
        _aware(self.logged_at, "logged_at")


@dataclass(frozen=True)
class RedemptionRow:
    redeemed_at: datetime

    def __post_init__(self) -> None:
        _aware(self.redeemed_at, "redeemed_at")


@dataclass(frozen=True)
class PrintRow:
    """A printed batch: `cards` cards, or a slip printed at the till."""

    printed_at: datetime
    cards: int = 1
    till_slip: bool = False

    def __post_init__(self) -> None:
        _aware(self.printed_at, "printed_at")
        if self.cards < 0:
            raise ValueError("a batch cannot have a negative number of cards")


@dataclass(frozen=True)
class MatchRow:
    """A review attributed to a card; it counts in the month the review was posted."""

    platform: str
    review_posted_at: datetime
    status: str  # CONFIRMED by the owner or SUGGESTED by the matcher; rejected ones are not passed

    def __post_init__(self) -> None:
        _aware(self.review_posted_at, "review_posted_at")
        if self.status not in MATCH_STATUSES:
            raise ValueError(f"a match is {' or '.join(MATCH_STATUSES)}, not {self.status!r}")

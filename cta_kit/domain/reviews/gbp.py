"""Google Business Profile reviews as its API and Takeout give them: one review object, a list,
a page ``{"reviews": [...]}``, or JSON lines.

Fields (developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews):
``reviewId``, ``reviewer {displayName, isAnonymous}``, ``starRating`` ONE..FIVE (or
STAR_RATING_UNSPECIFIED), ``comment``, ``createTime``, ``updateTime`` (RFC 3339),
``reviewReply {comment, updateTime}``.
"""

from __future__ import annotations

import json
from typing import Any

from ..i18n import N_, Message
from .dates import parse_posted_time
from .records import (
    MAX_AUTHOR,
    MAX_EXTERNAL_ID,
    MAX_IMPORT_BYTES,
    MAX_TEXT,
    ImportedReview,
    ReadResult,
    RowProblem,
    clean_text,
    refuse,
)

STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5, "STAR_RATING_UNSPECIFIED": None}


def read_gbp(data: bytes, zone: str) -> ReadResult:
    """Every review of the file, or a FileRefused when it is not such an export."""
    if len(data) > MAX_IMPORT_BYTES:
        raise refuse(N_("The file is larger than 5 MB: export a shorter period."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refuse(N_("This is not a Google Business Profile export: it is not UTF-8 JSON text.")) from None
    items = _items(text)
    result = ReadResult()
    for position, item in enumerate(items, start=1):
        result.rows_read += 1
        review = _review(item, position, zone, result.problems)
        if review is not None:
            result.reviews.append(review)
    if not result.rows_read:
        raise refuse(N_("The file holds no review."))
    return result


def _items(text: str) -> list[Any]:
    try:
        document = json.loads(text)
    except RecursionError:
        raise refuse(N_("This is not a Google Business Profile export: its JSON is nested too deeply.")) from None
    except ValueError:
        return _json_lines(text)
    if isinstance(document, dict) and "reviews" in document:
        reviews = document["reviews"]
        if not isinstance(reviews, list):
            raise refuse(N_("This is not a Google Business Profile export: \"reviews\" is not a list."))
        return reviews
    if isinstance(document, dict):
        if not document:
            return []
        return [document]
    if isinstance(document, list):
        return document
    raise refuse(N_("This is not a Google Business Profile export: expected a review, a list of reviews or a page of them."))


def _json_lines(text: str) -> list[Any]:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise refuse(N_("The file is empty."))
    items = []
    for number, line in enumerate(lines, start=1):
        try:
            items.append(json.loads(line))
        except (ValueError, RecursionError):
            if number == 1:
                raise refuse(N_("This is not a Google Business Profile export: it is not JSON.")) from None
            items.append(_BrokenLine(number))
    return items


class _BrokenLine:
    def __init__(self, number: int):
        self.number = number


def _review(item: Any, row: int, zone: str, problems: list[RowProblem]) -> ImportedReview | None:
    def problem(column: str, text: str, **params) -> None:
        problems.append(RowProblem(row, column, Message(text, params)))

    if isinstance(item, _BrokenLine):
        problem("", N_("this line is not valid JSON"))
        return None
    if not isinstance(item, dict):
        problem("", N_("expected a review object"))
        return None
    before = len(problems)
    external_id = item.get("reviewId")
    if external_id is None and isinstance(item.get("name"), str):
        external_id = item["name"].rsplit("/", 1)[-1]
    if not isinstance(external_id, str) or not external_id.strip() or len(external_id) > MAX_EXTERNAL_ID:
        problem("reviewId", N_("missing, or not a short text"))
    reviewer = item.get("reviewer", {})
    if not isinstance(reviewer, dict):
        problem("reviewer", N_("expected an object with displayName"))
        reviewer = {}
    anonymous = reviewer.get("isAnonymous", False) is True
    author = _text(reviewer.get("displayName", ""), MAX_AUTHOR, "reviewer.displayName", problem)
    star = item.get("starRating", "STAR_RATING_UNSPECIFIED")
    if not isinstance(star, str) or star not in STARS:
        problem("starRating", N_("expected ONE, TWO, THREE, FOUR or FIVE"))
    posted_at = _time(item.get("createTime"), zone, "createTime", problem, required=True)
    comment = _text(item.get("comment", ""), MAX_TEXT, "comment", problem)
    reply = item.get("reviewReply") or {}
    if not isinstance(reply, dict):
        problem("reviewReply", N_("expected an object with comment and updateTime"))
        reply = {}
    reply_text = _text(reply.get("comment", ""), MAX_TEXT, "reviewReply.comment", problem)
    replied_at = _time(reply.get("updateTime"), zone, "reviewReply.updateTime", problem, required=False)
    if len(problems) > before:
        return None
    return ImportedReview(
        posted_at=posted_at,
        platform="google",
        external_id=external_id.strip(),
        author_name="" if anonymous else author,
        is_anonymous=anonymous or not author,
        rating=STARS[star],
        text=comment,
        reply_text=reply_text,
        replied_at=replied_at if reply_text else None,
    )


def _text(value: Any, limit: int, column: str, problem) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problem(column, N_("expected text"))
        return ""
    cleaned = clean_text(value, limit)
    if isinstance(cleaned, Message):
        problem(column, cleaned.text, **cleaned.params)
        return ""
    return cleaned


def _time(value: Any, zone: str, column: str, problem, required: bool):
    if value is None and not required:
        return None
    parsed = parse_posted_time(value, zone) if isinstance(value, str) else None
    if parsed is None:
        problem(column, N_("expected a date and time such as 2026-10-05T14:03:00Z"))
    return parsed

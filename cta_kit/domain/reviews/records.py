"""The review record every importer produces, and how problems are reported."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..errors import DomainError
from ..i18n import N_, Message

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_TEXT = 10_000
MAX_AUTHOR = 120
MAX_EXTERNAL_ID = 200


class FileRefused(DomainError):
    """The file as a whole cannot be read (too big, not text, no review in it...)."""


@dataclass(frozen=True)
class RowProblem:
    """Why one row (1-based, as a spreadsheet numbers it; JSON: the review's position) was left out."""

    row: int
    column: str
    message: Message

    def render(self) -> str:
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message.render()}"


@dataclass(frozen=True)
class ImportedReview:
    posted_at: datetime  # aware
    platform: str | None = None  # a registry key; None when the file does not say
    site_name: str = ""  # the site as the file names it (tells apart two "other" sites)
    external_id: str | None = None
    author_name: str = ""
    is_anonymous: bool = False
    rating: int | None = None  # 1-5, or None when the site has no stars
    text: str = ""
    reply_text: str = ""
    replied_at: datetime | None = None

    def fingerprint(self) -> str:
        """What makes two copies of one review the same: the site's own id when it gives one
        (a review edited later keeps it), else the site, the minute it was posted, its author,
        rating and text (folded: exports differ in case, spacing and Unicode form)."""
        if self.external_id:
            return hashlib.sha256(f"id\x1f{self.platform or ''}\x1f{self.external_id}".encode("utf-8")).hexdigest()
        parts = [
            self.platform or "",
            self.posted_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M"),
            _fold(self.author_name),
            "" if self.rating is None else str(self.rating),
            _fold(self.text),
        ]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass
class ReadResult:
    reviews: list[ImportedReview] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


_CONTROL = {c: None for c in range(32) if c not in (9, 10)} | {0x7F: None}


def clean_text(value: str, limit: int) -> str | Message:
    """Text as stored: control characters dropped (PostgreSQL refuses NUL), CRLF as LF, trimmed;
    a Message when it is too long to be a review field."""
    text = value.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL).strip()
    if len(text) > limit:
        return Message(N_("longer than %(limit)s characters"), {"limit": limit})
    return text


def refuse(text: str, **params) -> FileRefused:
    return FileRefused(Message(text, params))

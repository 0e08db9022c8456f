"""Reviews from any spreadsheet saved as CSV: UTF-8 (with or without BOM), UTF-16 or
Windows-1252; comma, semicolon or tab; French or English headers; ISO or dd/mm/yyyy dates.

Reading is in two steps so that an owner can check the guess: ``open_table`` decodes and splits
the file and ``guess_mapping`` says which column holds what; ``read_table`` then reads the rows
with the mapping as the owner confirmed or corrected it.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from typing import Mapping

from charset_normalizer import from_bytes

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

FIELDS = ("posted_at", "platform", "rating", "author", "text", "reply", "replied_at", "external_id")
ColumnMapping = Mapping[str, int]  # field -> column index

# Header words, folded (lowercase, no accents, single spaces), in French and English.
HEADER_WORDS = {
    "posted_at": ("date", "posted", "posted at", "date de publication", "publie le", "publication", "created",
                  "create time", "createtime", "date de l avis", "review date", "jour"),
    "platform": ("plateforme", "platform", "site", "source", "reseau", "website"),
    "rating": ("note", "rating", "etoiles", "stars", "star rating", "starrating", "score", "nombre d etoiles"),
    "author": ("auteur", "author", "nom", "name", "reviewer", "client", "display name", "pseudo"),
    "text": ("texte", "text", "commentaire", "comment", "avis", "review", "message", "contenu", "content"),
    "reply": ("reponse", "reply", "response", "owner reply", "reponse du proprietaire"),
    "replied_at": ("date de reponse", "reply date", "replied at", "response date", "date reponse"),
    "external_id": ("id", "review id", "reviewid", "identifiant", "ref", "reference"),
}
SITE_NAMES = {
    "google": "google", "google maps": "google", "google my business": "google", "google business profile": "google",
    "tripadvisor": "tripadvisor", "trip advisor": "tripadvisor",
    "facebook": "facebook", "meta": "facebook",
    "thefork": "thefork", "the fork": "thefork", "lafourchette": "thefork", "la fourchette": "thefork",
    "trustpilot": "trustpilot", "yelp": "yelp",
}
STAR_SIGNS = "★⭐"
# Folded: "4", "4,0", "4.0", "4/5", "4 étoiles", "4 stars" (a decimal mark reads as "d").
_RATING = re.compile(r"(?P<n>[1-5])(?:d0+)?(?: (?:sur 5|etoiles?|stars?))?")


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    delimiter: str
    encoding: str


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.lower().split())


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read with."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8-sig"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000], cp_isolation=["utf_16_le", "utf_16_be", "cp1252", "latin_1", "iso8859_15"]).best()
    if best is None:
        raise refuse(N_("This file is not text: save the spreadsheet as CSV and try again."))
    return _strict(data, best.encoding), best.encoding


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise refuse(N_("This file is not text: save the spreadsheet as CSV and try again.")) from None


def open_table(data: bytes) -> Table:
    if len(data) > MAX_IMPORT_BYTES:
        raise refuse(N_("The file is larger than 5 MB: export a shorter period."))
    text, encoding = decode(data)
    if text.count("\x00") > len(text) // 10:
        raise refuse(N_("This file is not text: save the spreadsheet as CSV and try again."))
    lines = text.replace("\x00", "").splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise refuse(N_("The file is empty."))
    delimiter = max(",;\t", key=first.count)
    try:
        rows = [tuple(row) for row in csv.reader(lines, delimiter=delimiter, strict=False) if any(c.strip() for c in row)]
    except csv.Error as error:
        raise refuse(N_("The file cannot be read as CSV (%(error)s)."), error=str(error)) from None
    headers, body = rows[0], rows[1:]
    if not body:
        raise refuse(N_("The file has a header line but no review."))
    return Table(tuple(h.strip() for h in headers), tuple(body), delimiter, encoding)


def guess_mapping(headers: tuple[str, ...]) -> dict[str, int]:
    """Which column holds each field, from its header: an exact word first, then a header that
    starts with one (``Note (sur 5)``)."""
    folded = [fold(header) for header in headers]
    mapping: dict[str, int] = {}
    for exact in (True, False):
        for field_name, words in HEADER_WORDS.items():
            if field_name in mapping:
                continue
            for index, header in enumerate(folded):
                if index in mapping.values():
                    continue
                if (header in words) if exact else any(header.startswith(word + " ") for word in words):
                    mapping[field_name] = index
                    break
    return mapping


def read_table(table: Table, mapping: ColumnMapping, zone: str, default_platform: str | None = None) -> ReadResult:
    """The rows as reviews. A missing date column or site refuses the file; a bad cell, its row."""
    if "posted_at" not in mapping:
        raise refuse(N_("No column holds the review's date: name one “date”, or choose it in the preview."))
    if "platform" not in mapping and not default_platform:
        raise refuse(N_("No column says which site each review is from: add a “platform” column or choose the site."))
    width = len(table.headers)
    if any(not 0 <= index < width for index in mapping.values()):
        raise refuse(N_("The column choice does not fit this file: choose again."))
    result = ReadResult()
    for number, row in enumerate(table.rows, start=2):
        result.rows_read += 1
        review = _row(row, number, mapping, table.headers, zone, default_platform, result.problems)
        if review is not None:
            result.reviews.append(review)
    return result


def read_csv(data: bytes, zone: str, default_platform: str | None = None, mapping: ColumnMapping | None = None) -> ReadResult:
    table = open_table(data)
    return read_table(table, guess_mapping(table.headers) if mapping is None else mapping, zone, default_platform)


def _row(row, number, mapping, headers, zone, default_platform, problems) -> ImportedReview | None:
    before = len(problems)

    def cell(field_name: str) -> str:
        index = mapping.get(field_name)
        return row[index] if index is not None and index < len(row) else ""

    def problem(field_name: str, text: str, **params) -> None:
        column = headers[mapping[field_name]] if field_name in mapping else field_name
        problems.append(RowProblem(number, column, Message(text, params)))

    def text_of(field_name: str, limit: int) -> str:
        cleaned = clean_text(cell(field_name), limit)
        if isinstance(cleaned, Message):
            problem(field_name, cleaned.text, **cleaned.params)
            return ""
        return cleaned

    posted_at = parse_posted_time(cell("posted_at"), zone)
    if posted_at is None:
        problem("posted_at", N_("expected a date such as 2026-10-05, 05/10/2026 or 05/10/2026 14:30"))
    site_name = text_of("platform", 80) if "platform" in mapping else ""
    platform = SITE_NAMES.get(fold(site_name), "other") if site_name else default_platform
    if platform is None:
        problem("platform", N_("empty: say which site the review is on"))
    rating = _rating(cell("rating"))
    if rating is False:
        problem("rating", N_("expected a whole number of stars from 1 to 5, or nothing"))
    replied_raw = cell("replied_at")
    replied_at = parse_posted_time(replied_raw, zone) if replied_raw.strip() else None
    if replied_raw.strip() and replied_at is None:
        problem("replied_at", N_("expected a date such as 2026-10-05, 05/10/2026 or 05/10/2026 14:30"))
    author = text_of("author", MAX_AUTHOR)
    text = text_of("text", MAX_TEXT)
    reply = text_of("reply", MAX_TEXT)
    external_id = text_of("external_id", MAX_EXTERNAL_ID)
    if len(problems) > before:
        return None
    return ImportedReview(
        posted_at=posted_at,
        platform=platform,
        site_name=site_name,
        external_id=external_id or None,
        author_name=author,
        is_anonymous=not author,
        rating=rating,
        text=text,
        reply_text=reply,
        replied_at=replied_at if reply else None,
    )


def _rating(value: str) -> int | None | bool:
    """1-5, None for an empty cell, False for anything else (half stars included: no site we
    read gives them, so one is a column mix-up)."""
    text = value.strip()
    if not text:
        return None
    stars = sum(text.count(sign) for sign in STAR_SIGNS)
    if stars and not text.strip(STAR_SIGNS + "☆\ufe0f "):
        return stars if 1 <= stars <= 5 else False
    match = _RATING.fullmatch(fold(text.replace("/", " sur ").replace(".", "d").replace(",", "d")))
    return int(match["n"]) if match else False

"""Reading posted reviews from Google Business Profile JSON and from spreadsheets' CSV, and a
generated corpus of malformed and hostile files: no crash, a reason for every refusal."""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone

import pytest

from cta_kit.domain.reviews import FileRefused, guess_mapping, read_csv, read_gbp
from cta_kit.domain.reviews.table import open_table, read_table

PARIS = "Europe/Paris"

GBP_REVIEW = {
    "name": "accounts/1/locations/2/reviews/AbFvOq1",
    "reviewId": "AbFvOq1",
    "reviewer": {"profilePhotoUrl": "https://lh3.googleusercontent.com/a/x", "displayName": "Zoé Lefèvre", "isAnonymous": False},
    "starRating": "FOUR",
    "comment": "Très bon accueil, le café était parfait ☕️ — on reviendra !",
    "createTime": "2026-10-31T23:30:05.123456789Z",
    "updateTime": "2026-11-01T08:00:00Z",
    "reviewReply": {"comment": "Merci Zoé, à bientôt !", "updateTime": "2026-11-02T09:15:00Z"},
}
ANONYMOUS = {
    "reviewId": "AbFvOq2",
    "reviewer": {"displayName": "", "isAnonymous": True},
    "starRating": "ONE",
    "createTime": "2026-10-12T12:00:00Z",
    "updateTime": "2026-10-12T12:00:00Z",
}


def test_gbp_page_with_accents_emoji_anonymous_reviewers_and_replies():
    page = {"reviews": [GBP_REVIEW, ANONYMOUS], "averageRating": 2.5, "totalReviewCount": 2, "nextPageToken": "x"}
    result = read_gbp(json.dumps(page, ensure_ascii=False).encode(), PARIS)
    assert result.problems == []
    first, second = result.reviews
    assert first.external_id == "AbFvOq1" and first.platform == "google"
    assert first.author_name == "Zoé Lefèvre" and not first.is_anonymous
    assert first.rating == 4
    assert first.posted_at == datetime(2026, 10, 31, 23, 30, 5, 123456, tzinfo=timezone.utc)
    assert "☕️" in first.text
    assert first.reply_text == "Merci Zoé, à bientôt !"
    assert first.replied_at == datetime(2026, 11, 2, 9, 15, tzinfo=timezone.utc)
    assert second.is_anonymous and second.author_name == "" and second.rating == 1 and second.text == ""


@pytest.mark.parametrize("shape", ["object", "list", "page", "lines"])
def test_gbp_accepts_every_shape(shape):
    if shape == "object":
        data = json.dumps(GBP_REVIEW)
    elif shape == "list":
        data = json.dumps([GBP_REVIEW, ANONYMOUS])
    elif shape == "page":
        data = json.dumps({"reviews": [GBP_REVIEW, ANONYMOUS]})
    else:
        data = json.dumps(GBP_REVIEW) + "\n" + json.dumps(ANONYMOUS) + "\n"
    result = read_gbp(data.encode(), PARIS)
    assert [r.external_id for r in result.reviews] == ["AbFvOq1", "AbFvOq2"][: 1 if shape == "object" else 2]


def test_gbp_bad_rows_get_reasons_and_good_rows_stay():
    bad = dict(GBP_REVIEW, reviewId="B", starRating="SIX", createTime="yesterday")
    result = read_gbp(json.dumps([GBP_REVIEW, bad, 42]).encode(), PARIS)
    assert [r.external_id for r in result.reviews] == ["AbFvOq1"]
    reasons = {(p.row, p.column) for p in result.problems}
    assert reasons == {(2, "starRating"), (2, "createTime"), (3, "")}


FRENCH_CSV = (
    "Date;Plateforme;Note;Auteur;Commentaire;Réponse\r\n"
    "05/10/2026 14:30;Google;5;Jean Martin;Excellent, merci !;Merci Jean\r\n"
    "31/10/2026 23:45;TripAdvisor;3 étoiles;Zoé;\"Service lent; plats bons\";\r\n"
    "01/11/2026;LaFourchette;★★★★;;Bien;\r\n"
    "02/11/2026;OpenTable;;Paul;Réservé en ligne;\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_french_csv_in_every_encoding(encoding):
    text = FRENCH_CSV if encoding != "cp1252" else FRENCH_CSV.replace("★★★★", "4/5")  # no stars in Windows-1252
    result = read_csv(text.encode(encoding), PARIS)
    assert result.problems == []
    assert [r.platform for r in result.reviews] == ["google", "tripadvisor", "thefork", "other"]
    assert [r.rating for r in result.reviews] == [5, 3, 4, None]
    assert result.reviews[1].author_name == "Zoé"
    assert result.reviews[1].text == "Service lent; plats bons"
    assert result.reviews[3].site_name == "OpenTable"
    # a time without a zone is the location's: 23:45 in Paris on 31 October is 22:45 UTC (winter time)
    assert result.reviews[1].posted_at == datetime(2026, 10, 31, 22, 45, tzinfo=timezone.utc)
    assert result.reviews[0].reply_text == "Merci Jean"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_english_headers_iso_dates_and_any_delimiter(delimiter):
    lines = [["date", "platform", "rating", "author", "text"],
             ["2026-10-05T14:30:00+02:00", "Trustpilot", "4/5", "Ann Smith", "Lovely, friendly staff"],
             ["2026-10-06", "Facebook", "", "Bob", "Recommended"]]
    data = "\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in line) for line in lines).encode()
    result = read_csv(data, PARIS)
    assert result.problems == []
    assert result.reviews[0].posted_at == datetime(2026, 10, 5, 12, 30, tzinfo=timezone.utc)
    assert [r.platform for r in result.reviews] == ["trustpilot", "facebook"]


def test_mapping_guess_and_correction():
    table = open_table("Quand;Site web;Étoiles;Nom du client;Avis\n05/10/2026;Google;4;Ann;ok\n".encode())
    mapping = guess_mapping(table.headers)
    assert mapping == {"platform": 1, "rating": 2, "author": 3, "text": 4}
    with pytest.raises(FileRefused, match="date"):
        read_table(table, mapping, PARIS)
    corrected = dict(mapping, posted_at=0)
    result = read_table(table, corrected, PARIS)
    assert result.reviews[0].author_name == "Ann" and result.problems == []


def test_csv_without_a_site_column_takes_the_site_given():
    data = "date,note,texte\n2026-10-05,5,Top\n".encode()
    with pytest.raises(FileRefused, match="site"):
        read_csv(data, PARIS)
    assert read_csv(data, PARIS, default_platform="tripadvisor").reviews[0].platform == "tripadvisor"


def test_csv_bad_cells_name_row_and_column():
    data = "date;platform;rating;text\n2026-10-05;Google;5;ok\n31/02/2026;Google;4.5;x\n2026-10-07;Google;7;y\n".encode()
    result = read_csv(data, PARIS)
    assert len(result.reviews) == 1
    assert {(p.row, p.column) for p in result.problems} == {(3, "date"), (3, "rating"), (4, "rating")}
    assert all(p.message.render() for p in result.problems)


def test_fingerprint_ignores_case_spacing_and_unicode_form_but_not_content():
    a = read_csv("date;platform;author;text\n2026-10-05 12:00;Google;Zoé;Très bien\n".encode(), PARIS).reviews[0]
    b = read_csv("date;platform;author;text\n2026-10-05 12:00;google;ZOE\u0301;très  bien\n".encode(), PARIS).reviews[0]
    c = read_csv("date;platform;author;text\n2026-10-05 12:00;Google;Zoé;Très bien !\n".encode(), PARIS).reviews[0]
    assert a.fingerprint() == b.fingerprint() != c.fingerprint()


def test_control_characters_are_dropped_and_script_kept_as_text():
    data = 'date;platform;text\n2026-10-05;Google;"<script>alert(1)</script>\x00=HYPERLINK(""x"")"\n'.encode()
    review = read_csv(data, PARIS).reviews[0]
    assert "\x00" not in review.text
    assert review.text.startswith("<script>")  # stored as written, escaped wherever shown


# --- a generated corpus of malformed and hostile files -------------------------------------

def _hostile_files() -> list[tuple[str, str, bytes]]:
    rng = random.Random(2026)
    good_csv = FRENCH_CSV.encode()
    good_json = json.dumps({"reviews": [GBP_REVIEW, ANONYMOUS]}).encode()
    files: list[tuple[str, str, bytes]] = []
    for kind, good in (("csv", good_csv), ("gbp", good_json)):
        for cut in range(1, len(good), max(1, len(good) // 60)):
            files.append((kind, f"truncated at {cut}", good[:cut]))
        for n in range(20):
            files.append((kind, f"binary {n}", bytes(rng.randrange(256) for _ in range(rng.randint(1, 3000)))))
        for n in range(10):
            data = bytearray(good)
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            files.append((kind, f"flipped bytes {n}", bytes(data)))
        files += [
            (kind, "empty", b""),
            (kind, "whitespace", b" \n\t\r\n"),
            (kind, "over 5 MB", good + b" " * (5 * 1024 * 1024)),
            (kind, "NUL bytes", good.replace(b"e", b"\x00")),
            (kind, "utf-16 without BOM", good.decode().encode("utf-16-le")),
            (kind, "latin-1 with euro", good.decode().replace("Excellent", "Excellent 10 €").encode("cp1252", "replace")),
        ]
    huge = "x" * 200_000
    files += [
        ("csv", "only a header", b"date;platform;rating\n"),
        ("csv", "huge cell", f"date;platform;text\n2026-10-05;Google;{huge}\n".encode()),
        ("csv", "cell over the text limit", f"date;platform;text\n2026-10-05;Google;{'y' * 20_000}\n".encode()),
        ("csv", "formula cells", b"date;platform;rating;author;text\n=1+1;@SUM(A1);-3;+cmd|'/C calc'!A0;=HYPERLINK(\"http://x\")\n"),
        ("csv", "script tags", b"date;platform;author;text\n2026-10-05;<script>x</script>;<img src=x onerror=alert(1)>;<b>\n"),
        ("csv", "unbalanced quotes", b'date;platform;text\n2026-10-05;Google;"never closed\n2026-10-06;Google;ok\n'),
        ("csv", "no recognisable header", b"a;b;c\n1;2;3\n"),
        ("csv", "dates far away", b"date;platform\n9999-12-31;Google\n0001-01-01;Google\n31/12/1899;Google\n"),
        ("csv", "more cells than headers", b"date;platform\n2026-10-05;Google;extra;cells;here\n"),
        ("csv", "fewer cells", b"date;platform;rating;text\n2026-10-05\n"),
        ("csv", "html file", b"<!doctype html><html><body><table><tr><td>date</td></tr></table></body></html>"),
        ("csv", "json given as csv", good_json),
        ("gbp", "csv given as json", good_csv),
        ("gbp", "deep nesting", b"[" * 100_000 + b"]" * 100_000),
        ("gbp", "reviews not a list", b'{"reviews": "none"}'),
        ("gbp", "a number", b"42"),
        ("gbp", "a string", b'"review"'),
        ("gbp", "null", b"null"),
        ("gbp", "empty object", b"{}"),
        ("gbp", "empty list", b"[]"),
        ("gbp", "wrong types", json.dumps([{**GBP_REVIEW, "reviewId": 5, "starRating": 5, "createTime": 1700000000,
                                            "comment": ["x"], "reviewer": "me", "reviewReply": "thanks"}]).encode()),
        ("gbp", "huge comment", json.dumps([{**GBP_REVIEW, "comment": huge}]).encode()),
        ("gbp", "huge id", json.dumps([{**GBP_REVIEW, "reviewId": huge}]).encode()),
        ("gbp", "bad lines among good", (json.dumps(GBP_REVIEW) + "\n{not json\n" + json.dumps(ANONYMOUS)).encode()),
        ("gbp", "script and formula text", json.dumps([{**GBP_REVIEW, "comment": "=cmd|' /C calc'!A0 <script>alert(1)</script>"}]).encode()),
        ("gbp", "float and bool fields", json.dumps([{**GBP_REVIEW, "reviewer": {"displayName": 3.5, "isAnonymous": "yes"}}]).encode()),
        ("gbp", "NaN and Infinity", b'[{"reviewId": NaN, "createTime": Infinity}]'),
    ]
    return files


HOSTILE = _hostile_files()


def test_the_hostile_corpus_is_large():
    assert len(HOSTILE) >= 200


@pytest.mark.parametrize("kind,name,data", HOSTILE, ids=[f"{k}-{n}" for k, n, _ in HOSTILE])
def test_hostile_files_never_crash_and_every_refusal_has_a_reason(kind, name, data):
    try:
        result = read_csv(data, PARIS) if kind == "csv" else read_gbp(data, PARIS)
    except FileRefused as refused:
        assert refused.message.render()
        return
    for problem in result.problems:
        assert problem.row >= 1 and problem.message.render()
    for review in result.reviews:
        assert review.posted_at.tzinfo is not None
        assert review.rating in (None, 1, 2, 3, 4, 5)
        assert "\x00" not in review.text + review.author_name + review.reply_text
        assert len(review.text) <= 10_000 and len(review.author_name) <= 120
    assert result.rows_read == len(result.reviews) + len({p.row for p in result.problems})

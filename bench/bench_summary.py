"""The monthly summary with 1,000,000 reviews and 1,000,000 scans over three years, in SQLite, in
two shapes measured in one run: shared by a chain's 100 locations, and all at one location (a size
no single restaurant reaches: 900 reviews a day).

The rows are inserted with plain SQL, so the database's triggers keep the summary's monthly
tallies as they do for the app's own writes (migration 0009).
Measured: one month's summary with its 12-month trend as the service counts it (the tallies of
the UTC months, the rows between the UTC and the local month edges, reply times from the index).
Baseline: the same figures computed by loading the twelve months' rows into Python (an indexed
range query per table, every row turned into a record) and rolling them up with the domain's
``summarise``. Both give the same summary; the script checks it.

    .venv/bin/python bench/bench_summary.py                      # 1,000,000 of each, 100 and 1 location
    .venv/bin/python bench/bench_summary.py --locations 1        # one shape only
    .venv/bin/python bench/bench_summary.py --rows 200000        # quicker
Goals: at least 10x faster than the baseline, under 150 ms, in both shapes.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from cta_kit import create_app  # noqa: E402
from cta_kit.domain.summary import (  # noqa: E402
    LocationRows,
    ManualCount,
    MatchRow,
    PreferenceRow,
    PrintRow,
    RedemptionRow,
    ReviewRow,
    ScanRow,
    months_ending,
    parse_month,
    summarise,
)
from cta_kit.domain.summary.months import month_range_utc  # noqa: E402
from cta_kit.extensions import db  # noqa: E402
from cta_kit.models import (  # noqa: E402
    BatchDestination,
    Card,
    CardBatch,
    Location,
    Preference,
    Review,
    ReviewMatch,
    ReviewMonthCount,
    Scan,
)
from cta_kit.services.summary import location_summary  # noqa: E402

ZONE = "Europe/Paris"
PLATFORMS = ("google", "tripadvisor", "facebook")
START = datetime(2023, 12, 1, tzinfo=timezone.utc)
SECONDS = 3 * 365 * 86400
MONTH = "2026-10"
STAMP = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime in SQLite


def _stamp(rng: random.Random) -> str:
    return (START + timedelta(seconds=rng.randrange(SECONDS))).strftime(STAMP)


def fill(path: Path, rows: int, locations: int, seed: int = 1) -> None:
    """`rows` reviews and `rows` scans shared by `locations`, a tenth as many preferences and cards."""
    rng = random.Random(seed)

    def where() -> int:
        return rng.randint(1, locations)

    connection = sqlite3.connect(path)
    now = START.strftime(STAMP)
    with connection:
        connection.execute("INSERT INTO business (id, name, created_at) VALUES (1, 'Bench', ?)", (now,))
        for location in range(1, locations + 1):
            connection.execute(
                "INSERT INTO location (id, business_id, name, address, timezone, language, created_at)"
                " VALUES (?, 1, 'Bench', '', ?, 'fr', ?)", (location, ZONE, now))
            for position, platform in enumerate(PLATFORMS):
                connection.execute(
                    "INSERT INTO review_destination (location_id, platform, label, entered, url, display_url,"
                    " presence_only, position, created_at) VALUES (?, ?, '', 'x', ?, 'x', 0, ?, ?)",
                    (location, platform, f"https://{platform}.example", position, now))
        connection.execute(
            "INSERT INTO campaign (id, location_id, name, language, headline, body, presence_line, offer_kind, offer_text,"
            " link_mode, distribution, starts_on, created_at, updated_at)"
            " VALUES (1, 1, 'c', 'fr', 'h', 'b', '', 'none', '', 'tracked', 'every_customer', '2023-12-01', ?, ?)",
            (now, now))
        batches = max(1, rows // 1000)
        connection.executemany(
            "INSERT INTO card_batch (id, campaign_id, location_id, layout, link_mode, offer_kind, offer_text, card_count,"
            " content, printed_at) VALUES (?, 1, ?, 'x', 'tracked', 'none', '', ?, '{}', ?)",
            [(batch, 1 if batch == 1 else where(), 1 if batch % 3 == 0 else 100, _stamp(rng))
             for batch in range(1, batches + 1)])
        connection.executemany(
            "INSERT INTO batch_destination (id, batch_id, position, platform, label, url, display_url)"
            " VALUES (?, 1, ?, ?, ?, 'https://x.example', 'x')",
            [(index, index, platform, platform) for index, platform in enumerate(PLATFORMS, start=1)])
        cards = []
        for batch in range(1, batches + 1):
            printed = connection.execute(
                "SELECT printed_at, card_count, location_id FROM card_batch WHERE id = ?", (batch,)).fetchone()
            for position in range(printed[1]):
                redeemed = _stamp(rng) if rng.random() < 0.2 else None
                cards.append((f"C{batch}-{position}", batch, printed[2], position, printed[0], redeemed))
        connection.executemany(
            "INSERT INTO card (code, batch_id, campaign_id, location_id, position, printed_at, redeemed_at)"
            " VALUES (?, ?, 1, ?, ?, ?, ?)", cards)
        connection.executemany(
            "INSERT INTO scan (card_id, batch_destination_id, location_id, scanned_at, device_class)"
            " VALUES (1, ?, ?, ?, 'phone')",
            ((rng.randint(1, 3), where(), _stamp(rng)) for _ in range(rows)))
        keys = (*PLATFORMS, "thefork", "none", "unsaid")
        connection.executemany(
            "INSERT INTO preference (location_id, created_at, platform, table_or_bill, card_code, customer_name, client_key)"
            " VALUES (?, ?, ?, '', '', '', ?)",
            ((where(), _stamp(rng), rng.choice(keys), f"k{index}") for index in range(rows // 10)))

        def review(index: int):
            posted = START + timedelta(seconds=rng.randrange(SECONDS))
            replied = (posted + timedelta(seconds=rng.randrange(5 * 86400))).strftime(STAMP) if rng.random() < 0.4 else None
            return (where(), rng.choice(PLATFORMS), f"f{index}", rng.choice((1, 2, 3, 4, 5, 5, 4, None)), posted.strftime(STAMP),
                    replied, "", now)

        connection.executemany(
            "INSERT INTO review (location_id, platform, site_name, fingerprint, author_name, is_anonymous, rating, text,"
            " posted_at, replied_at, reply_text, source, created_at) VALUES (?, ?, '', ?, '', 0, ?, '', ?, ?, ?, 'csv', ?)",
            (review(index) for index in range(rows)))
        connection.executemany(
            "INSERT INTO review_match (review_id, card_id, location_id, status, evidence, created_at)"
            " SELECT id, id % 1000 + 1, location_id, CASE id % 150 WHEN 0 THEN 'confirmed' WHEN 50 THEN 'rejected'"
            " ELSE 'suggested' END, '[]', ? FROM review WHERE id % 50 = 0", [(now,)])
        connection.executemany(
            "INSERT INTO review_month_count (location_id, platform, site_name, month, review_count, average_rating,"
            " updated_at) VALUES (?, 'thefork', '', ?, ?, 4.4, ?)",
            ((location, f"{year}-{month:02d}", rng.randint(0, 30), now)
             for location in range(1, locations + 1) for year in (2024, 2025, 2026) for month in range(1, 13)))
    connection.execute("ANALYZE")
    connection.close()


def loaded_in_python(location: Location, month) -> LocationRows:
    """The baseline: every row of the twelve months loaded as a record, then rolled up in Python."""
    months = months_ending(month, 12)
    start, end = month_range_utc(months[0], location.timezone)[0], month_range_utc(month, location.timezone)[1]
    session = db.session
    reviews = [ReviewRow(p, d, at, r, rep) for p, d, at, r, rep in session.execute(
        select(Review.platform, Review.destination_id, Review.posted_at, Review.rating, Review.replied_at)
        .where(Review.location_id == location.id, Review.posted_at >= start, Review.posted_at < end))]
    scans = [ScanRow(p, at) for p, at in session.execute(
        select(BatchDestination.platform, Scan.scanned_at).join(BatchDestination, BatchDestination.id == Scan.batch_destination_id)
        .where(Scan.location_id == location.id, Scan.scanned_at >= start, Scan.scanned_at < end))]
    preferences = [PreferenceRow(p, at) for p, at in session.execute(
        select(Preference.platform, Preference.created_at)
        .where(Preference.location_id == location.id, Preference.created_at >= start, Preference.created_at < end,
               Preference.undone_at.is_(None)))]
    prints = [PrintRow(at, 1, count == 1) for at, count in session.execute(
        select(Card.printed_at, CardBatch.card_count).join(CardBatch, CardBatch.id == Card.batch_id)
        .where(Card.location_id == location.id, Card.printed_at >= start, Card.printed_at < end))]
    redemptions = [RedemptionRow(at) for (at,) in session.execute(
        select(Card.redeemed_at).where(Card.location_id == location.id, Card.redeemed_at >= start, Card.redeemed_at < end))]
    statuses: dict[int, tuple] = {}
    for review_id, platform, at, status in session.execute(
        select(Review.id, Review.platform, Review.posted_at, ReviewMatch.status).join(ReviewMatch, ReviewMatch.review_id == Review.id)
        .where(Review.location_id == location.id, Review.posted_at >= start, Review.posted_at < end,
               ReviewMatch.status != "rejected")):
        known = statuses.get(review_id)
        statuses[review_id] = (platform, at, min(status, known[2]) if known else status)
    manual = [ManualCount(p, parse_month(m), c, a) for m, p, c, a in session.execute(
        select(ReviewMonthCount.month, ReviewMonthCount.platform, ReviewMonthCount.review_count, ReviewMonthCount.average_rating)
        .where(ReviewMonthCount.location_id == location.id, ReviewMonthCount.month.in_([str(m) for m in months])))]
    return LocationRows(location.id, location.timezone, tuple(dict.fromkeys(d.platform for d in location.destinations)),
                        reviews, manual, scans, preferences, redemptions, prints,
                        [MatchRow(p, at, s) for p, at, s in statuses.values()])


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        db.session.expire_all()
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def measure(rows: int, locations: int, repeat: int) -> tuple[float, float]:
    """Fill a new database with `rows` of each shared by `locations`; the summary's time and the baseline's."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        app = create_app({"TESTING": True, "SECRET_KEY": "bench-secret-key-long-enough-to-pass-checks",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "AUTO_UPGRADE_DB": False})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(directory=app.extensions["migrate"].directory)
            db.engine.dispose()
        began = time.perf_counter()
        fill(path, rows, locations)
        print(f"filled {rows:,} reviews and {rows:,} scans at {locations} location(s)"
              f" in {time.perf_counter() - began:.1f} s")
        with app.app_context():
            location = db.session.get(Location, 1)
            month = parse_month(MONTH)
            location_summary(location, month)  # warm the page cache, as a server that has run a while
            ours, summary = timed(lambda: location_summary(location, month), repeat)
            baseline, loaded = timed(lambda: summarise(loaded_in_python(location, month), month), max(1, repeat // 2))
            assert summary.to_json() == loaded.to_json(), "the two computations disagree"
            reviews = summary.to_json()["trend"]
            print(f"  location 1, month {MONTH} in {ZONE}, 12-month trend:"
                  f" {sum(p['total_reviews'] for p in reviews):,} reviews in the window")
            print(f"  tallies and edges (cta-kit): {ours * 1000:.1f} ms  (goal < 150 ms)")
            print(f"  rows loaded into Python (baseline): {baseline * 1000:.0f} ms")
            print(f"  ratio: {baseline / ours:.1f}x  (goal >= 10x)")
            db.engine.dispose()
        return ours, baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="reviews, and scans (default 1,000,000 each)")
    parser.add_argument("--locations", type=int, action="append",
                        help="locations sharing them (default: 100, then 1); repeat for several shapes")
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    results = {locations: measure(arguments.rows, locations, arguments.repeat)
               for locations in arguments.locations or (100, 1)}
    print("shape          summary    baseline   ratio")
    for locations, (ours, baseline) in results.items():
        print(f"{locations:>3} location(s) {ours * 1000:7.1f} ms {baseline * 1000:8.0f} ms {baseline / ours:6.1f}x")


if __name__ == "__main__":
    main()

"""The summary's monthly tallies, kept by database triggers, equal a count of the rows in plain
Python after random writes of every kind the app makes; the recount finds them right, and puts
right a tally changed behind the triggers' back."""

from __future__ import annotations

import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from cta_kit.extensions import db
from cta_kit.models import BatchDestination, Card, Preference, Review, ReviewMatch, Scan
from cta_kit.services.database import write_transaction
from cta_kit.services.summary_tallies import recount_tallies, tally_rows
from tests.summary_db import stored_rows


def utc_month(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m")


def counted_in_python() -> dict[tuple, tuple]:
    """The tallies the rows call for, with each review's reply time and attribution read from the rows."""
    statuses: dict[int, set[str]] = {}
    for review_id, status in db.session.execute(select(ReviewMatch.review_id, ReviewMatch.status)):
        statuses.setdefault(review_id, set()).add(status)
    reviews, replied = Counter(), Counter()
    for review in db.session.scalars(select(Review)):
        kept = statuses.get(review.id, set()) - {"rejected"}
        attribution = "confirmed" if "confirmed" in kept else "suggested" if kept else ""
        assert (review.attribution or "") == attribution
        if review.replied_at is None:
            assert review.reply_micros is None
        else:
            delay = review.replied_at - review.posted_at
            assert review.reply_micros / 10**6 == max(0.0, delay.total_seconds())
        key = ("review_tally", review.location_id, utc_month(review.posted_at), review.platform, review.rating or 0,
               attribution)
        reviews[key] += 1
        replied[key] += review.replied_at is not None
    expected = {key: (count, replied[key]) for key, count in reviews.items()}
    scans = Counter(("scan_tally", location_id, utc_month(at), platform) for location_id, at, platform in db.session.execute(
        select(Scan.location_id, Scan.scanned_at, BatchDestination.platform)
        .join(BatchDestination, BatchDestination.id == Scan.batch_destination_id)))
    preferences = Counter(("preference_tally", location_id, utc_month(at), platform) for location_id, at, platform in
                          db.session.execute(select(Preference.location_id, Preference.created_at, Preference.platform)
                                             .where(Preference.undone_at.is_(None))))
    return {**expected, **{key: (count,) for key, count in (scans + preferences).items()}}


@pytest.fixture
def stored(world):
    world.other_location.timezone = "America/New_York"
    db.session.commit()
    stored_rows(world.location, seed=3, count=300)
    stored_rows(world.other_location, seed=4, count=300)
    return world


def random_writes(world, rng: random.Random) -> None:
    """Imports with duplicates, replies and ratings changed, deletions, matches confirmed, rejected
    and removed, taps logged and undone, scans; each in a write transaction as the app makes them."""
    locations = [world.location.id, world.other_location.id]
    dialect_insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    review_ids = list(db.session.scalars(select(Review.id)))
    card_ids = list(db.session.scalars(select(Card.id)))
    codes = list(db.session.execute(select(BatchDestination.id, Card.location_id).join(
        Card, Card.batch_id == BatchDestination.batch_id).distinct()))
    start = datetime(2025, 10, 31, 20, tzinfo=timezone.utc)

    def instant() -> datetime:
        return start + timedelta(seconds=rng.randrange(90 * 86400), microseconds=rng.randrange(10**6))

    with write_transaction():
        for index in range(120):  # a third of them already there, skipped by ON CONFLICT DO NOTHING
            fingerprint = f"f{rng.randrange(300)}" if index % 3 == 0 else f"new{index}"
            posted = instant()
            db.session.execute(dialect_insert(Review).values(
                location_id=rng.choice(locations), platform=rng.choice(("google", "facebook")), fingerprint=fingerprint,
                rating=rng.choice((None, 1, 4, 5)), posted_at=posted, source="csv",
                replied_at=posted + timedelta(seconds=rng.randint(-900, 86400), microseconds=rng.randrange(10**6))
                if rng.random() < 0.5 else None,
            ).on_conflict_do_nothing(index_elements=["location_id", "platform", "fingerprint"]))
    with write_transaction():
        for review_id in rng.sample(review_ids, 40):
            db.session.execute(update(Review).where(Review.id == review_id).values(
                replied_at=instant() if rng.random() < 0.7 else None, rating=rng.choice((None, 2, 3))))
    with write_transaction():
        for review_id in rng.sample(review_ids, 60):
            db.session.execute(dialect_insert(ReviewMatch).values(
                review_id=review_id, card_id=rng.choice(card_ids), location_id=world.location.id,
                status=rng.choice(("suggested", "confirmed", "rejected"))).on_conflict_do_nothing())
    with write_transaction():
        match_ids = list(db.session.scalars(select(ReviewMatch.id)))
        for match_id in rng.sample(match_ids, 40):
            db.session.execute(update(ReviewMatch).where(ReviewMatch.id == match_id).values(
                status=rng.choice(("suggested", "confirmed", "rejected"))))
        db.session.execute(delete(ReviewMatch).where(ReviewMatch.id.in_(rng.sample(match_ids, 20))))
    with write_transaction():
        db.session.execute(delete(Review).where(Review.id.in_(rng.sample(review_ids, 30))))
    batch = rng.randrange(10**9)
    with write_transaction():
        for index in range(80):
            code, location_id = rng.choice(codes)
            db.session.execute(insert(Scan).values(card_id=rng.choice(card_ids), batch_destination_id=code,
                                                   location_id=location_id, scanned_at=instant(), device_class="phone"))
            db.session.execute(insert(Preference).values(
                location_id=rng.choice(locations), created_at=instant(), platform=rng.choice(("google", "none", "unsaid")),
                client_key=f"random-{batch}-{index}"))
    with write_transaction():
        preference_ids = list(db.session.scalars(select(Preference.id).where(Preference.undone_at.is_(None))))
        for preference_id in rng.sample(preference_ids, 30):  # the till's undo
            db.session.execute(update(Preference).where(Preference.id == preference_id, Preference.undone_at.is_(None))
                               .values(undone_at=instant()))
        db.session.execute(delete(Preference).where(Preference.id.in_(rng.sample(preference_ids, 10))))
        db.session.execute(delete(Scan).where(Scan.id.in_(rng.sample(list(db.session.scalars(select(Scan.id))), 25))))


def test_the_tallies_equal_the_rows_after_random_writes(stored):
    assert tally_rows() == counted_in_python()
    for seed in range(2):
        random_writes(stored, random.Random(seed))
        db.session.commit()
        assert tally_rows() == counted_in_python()
    assert recount_tallies().corrected == 0
    assert tally_rows() == counted_in_python()


def test_the_recount_puts_right_what_was_changed_behind_the_triggers_back(stored):
    right = tally_rows()
    with write_transaction():
        db.session.execute(db.text("UPDATE scan_tally SET scans = scans + 7 WHERE location_id = :id"),
                           {"id": stored.location.id})
        db.session.execute(db.text("DELETE FROM review_tally WHERE location_id = :id"), {"id": stored.other_location.id})
    wrong = tally_rows()
    recount = recount_tallies()
    assert recount.corrected == sum(1 for key in right.keys() | wrong.keys() if right.get(key) != wrong.get(key)) > 0
    assert tally_rows() == right == counted_in_python()
    assert recount.reviews == sum(counts[0] for key, counts in right.items() if key[0] == "review_tally")


def test_cta_kit_recount_summary(stored, runner):
    result = runner.invoke(args=["recount-summary"])
    assert result.exit_code == 0, result.output
    assert "0 tally rows corrected" in result.output


def test_writers_adding_to_one_tally_at_once_lose_no_count(stored, app):
    """Scans of one code in one month from several connections at once: every one is counted."""
    code, location_id = db.session.execute(select(BatchDestination.id, Card.location_id).join(
        Card, Card.batch_id == BatchDestination.batch_id)).first()
    card_id = db.session.scalar(select(Card.id).where(Card.location_id == location_id))
    before = tally_rows()
    db.session.commit()
    at = datetime(2026, 11, 15, 12, tzinfo=timezone.utc)

    def scan_many(count: int) -> None:
        with app.app_context():
            for _ in range(count):
                with write_transaction():
                    db.session.execute(insert(Scan).values(card_id=card_id, batch_destination_id=code,
                                                           location_id=location_id, scanned_at=at, device_class="phone"))
            db.session.remove()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(scan_many, [25] * 4))
    platform = db.session.scalar(select(BatchDestination.platform).where(BatchDestination.id == code))
    key = ("scan_tally", location_id, "2026-11", platform)
    assert tally_rows()[key][0] == before.get(key, (0,))[0] + 100
    assert tally_rows() == counted_in_python()


def test_the_apps_own_writes_are_counted(printed_world, client):
    """A customer's scan on the tracked link's driver connection, and one export imported three
    times (the copies skipped by ON CONFLICT DO NOTHING), counted once each."""
    from cta_kit.services.reviews import import_reviews
    from tests.services.test_reviews import GBP_PAGE

    response = client.get(f"/r/{printed_world.card_code}/1", headers={"User-Agent": "Mozilla/5.0 (iPhone)"})
    assert response.status_code == 302
    outcomes = [import_reviews(printed_world.location.id, GBP_PAGE) for _ in range(3)]
    assert outcomes[0].added and not outcomes[1].added and not outcomes[2].added
    counted = tally_rows()
    assert counted == counted_in_python()
    assert sum(counts[0] for key, counts in counted.items() if key[0] == "review_tally") == outcomes[0].added
    assert sum(counts[0] for key, counts in counted.items() if key[0] == "scan_tally") == 1

"""Matching a location's reviews to its cards from the stored scans, preferences and
redemptions; the owner's confirmations and rejections survive every new run."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from cta_kit.extensions import db
from cta_kit.models import BatchDestination, Card, Preference, Review, ReviewMatch, Scan
from cta_kit.services.errors import ServiceError
from cta_kit.services.matching import decide, link_by_hand, run_matching
from cta_kit.services.tracker import TrackerFilters, tracker

T0 = datetime(2026, 11, 5, 12, 0, tzinfo=timezone.utc)


def add_review(world, platform, destination_id, at, author="", text="", key="r"):
    review = Review(location_id=world.location.id, destination_id=destination_id, platform=platform,
                    fingerprint=f"{key}-{at.isoformat()}", author_name=author, text=text, posted_at=at, source="manual")
    db.session.add(review)
    db.session.commit()
    return review


@pytest.fixture
def scanned(printed_world):
    """Card 0 scanned for Google an hour before a Google review; card 1 noted at the till."""
    world = printed_world
    cards = list(db.session.scalars(select(Card).where(Card.batch_id == world.batch_id).order_by(Card.position)))
    google_printed = db.session.scalar(select(BatchDestination).where(
        BatchDestination.batch_id == world.batch_id, BatchDestination.platform == "google"))
    db.session.add(Scan(card_id=cards[0].id, batch_destination_id=google_printed.id, location_id=world.location.id,
                        scanned_at=T0, device_class="phone"))
    db.session.add(Preference(location_id=world.location.id, user_id=world.staff.id, created_at=T0,
                              platform="tripadvisor", destination_id=None, card_code=cards[1].code,
                              customer_name="Zoé Lefèvre", client_key="k1"))
    db.session.commit()
    world.cards = cards
    world.google_id = google_printed.destination_id
    return world


def test_a_review_after_a_scan_is_suggested_and_a_decision_survives_reruns(scanned):
    world = scanned
    review = add_review(world, "google", world.google_id, T0 + timedelta(hours=1), "Ann")
    run = run_matching(world.location.id)
    assert run.suggested == 1
    match = db.session.scalar(select(ReviewMatch))
    assert (match.review_id, match.card_id, match.status) == (review.id, world.cards[0].id, "suggested")
    assert '"scan"' in match.evidence

    decide(world.owner, world.location.id, match.id, confirm=True)
    run_matching(world.location.id)
    rows = list(db.session.scalars(select(ReviewMatch)))
    assert [(r.review_id, r.card_id, r.status) for r in rows] == [(review.id, world.cards[0].id, "confirmed")]


def test_a_rejected_pair_is_never_suggested_again(scanned):
    world = scanned
    add_review(world, "google", world.google_id, T0 + timedelta(hours=1))
    run_matching(world.location.id)
    match = db.session.scalar(select(ReviewMatch))
    decide(world.owner, world.location.id, match.id, confirm=False)
    run_matching(world.location.id)
    statuses = [m.status for m in db.session.scalars(select(ReviewMatch))]
    assert statuses == ["rejected"]


def test_reviews_without_evidence_stay_not_from_a_card(scanned):
    world = scanned
    add_review(world, "google", world.google_id, T0 - timedelta(days=3), key="before")
    assert run_matching(world.location.id).suggested == 0
    view = tracker(world.owner, world.location.id, TrackerFilters())
    assert [match for _, match in view.reviews] == [None]


def test_link_by_hand_and_its_refusals(scanned):
    world = scanned
    review = add_review(world, "tripadvisor", None, T0 + timedelta(days=1), "Zoé")
    match = link_by_hand(world.owner, world.location.id, review.id, world.cards[1].code.lower())
    assert match.status == "confirmed" and match.score is None
    other = add_review(world, "tripadvisor", None, T0 + timedelta(days=2), key="other")
    with pytest.raises(ServiceError):
        link_by_hand(world.owner, world.location.id, other.id, world.cards[1].code)
    with pytest.raises(ServiceError) as typo:
        link_by_hand(world.owner, world.location.id, other.id, world.cards[2].code[:-1] + ("0" if world.cards[2].code[-1] != "0" else "1"))
    assert "code" in typo.value.errors


def test_the_tracker_filters_by_month_site_and_campaign(scanned):
    world = scanned
    add_review(world, "google", world.google_id, T0 + timedelta(hours=1), key="nov")
    add_review(world, "google", world.google_id, datetime(2026, 10, 31, 23, 30, tzinfo=timezone.utc), key="paris-nov")
    add_review(world, "google", world.google_id, datetime(2026, 10, 15, 12, 0, tzinfo=timezone.utc), key="oct")
    run_matching(world.location.id)
    november = tracker(world.owner, world.location.id, TrackerFilters(month="2026-11"))
    # 23:30 UTC on 31 October is 00:30 on 1 November in Paris
    assert len(november.reviews) == 2
    assert len(tracker(world.owner, world.location.id, TrackerFilters(month="2026-10")).reviews) == 1
    assert len(november.suggestions) == 1
    by_campaign = tracker(world.owner, world.location.id, TrackerFilters(campaign_id=world.campaign_id))
    assert len(by_campaign.reviews) == 1
    assert db.session.scalar(select(func.count(ReviewMatch.id))) == 1

"""Attributing posted reviews to cards: scores, one-to-one assignment, owner decisions, and
precision and recall on generated months whose truth is known."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from cta_kit.domain.matching import (
    NAME,
    PREFERENCE,
    REDEMPTION,
    SCAN,
    SLIP,
    CardScan,
    MatchingRules,
    OwnerDecisions,
    PostedReview,
    PrintedCard,
    Redemption,
    TillPreference,
    attribute_reviews,
    fold_name,
    name_similarity,
)
from tests.domain.matching_scenarios import Scenario, generate, naive_pair_scores

T0 = datetime(2026, 10, 1, 12, 0, tzinfo=timezone.utc)
GOOGLE, TRIPADVISOR, OPENTABLE, QUANDOO = 1, 2, 3, 4


def card(card_id, destinations=(GOOGLE, TRIPADVISOR), printed=T0, batch_size=100, location=1):
    return PrintedCard(card_id, f"CODE{card_id}", location, 1, frozenset(destinations), printed, batch_size)


def review(review_id, destination, at, author="", location=1):
    return PostedReview(review_id, location, destination, at, author)


# These tests are about which pairs the rules allow and how they are assigned, not how likely
# each is: any pair with evidence in its window counts.
ANY_EVIDENCE = MatchingRules(min_score=1e-12)


def attribute(cards=(), scans=(), preferences=(), redemptions=(), reviews=(), rules=ANY_EVIDENCE, **kwargs):
    return attribute_reviews(list(cards), list(scans), list(preferences), list(redemptions), list(reviews), rules, **kwargs)


def test_a_scan_then_a_review_on_that_site_is_attributed_with_its_evidence():
    result = attribute(
        cards=[card(1)],
        scans=[CardScan(1, GOOGLE, T0 + timedelta(hours=1))],
        reviews=[review(10, GOOGLE, T0 + timedelta(days=2))],
    )
    assert [(a.review_id, a.card_id) for a in result] == [(10, 1)]
    assert [e.kind for e in result[0].evidence] == [SCAN]
    assert 0 < result[0].score <= 1


def test_no_evidence_no_attribution():
    """A bulk card nobody scanned, noted or redeemed says nothing about who had it."""
    assert attribute(cards=[card(1)], reviews=[review(10, GOOGLE, T0 + timedelta(days=1))]) == []


def test_a_review_before_the_evidence_or_after_its_window_is_not_attributed():
    scans = [CardScan(1, GOOGLE, T0)]
    assert attribute(cards=[card(1)], scans=scans, reviews=[review(10, GOOGLE, T0 - timedelta(minutes=1))]) == []
    assert attribute(cards=[card(1)], scans=scans, reviews=[review(10, GOOGLE, T0 + timedelta(days=14, seconds=1))]) == []
    assert len(attribute(cards=[card(1)], scans=scans, reviews=[review(10, GOOGLE, T0 + timedelta(days=14))])) == 1


def test_another_site_or_location_is_not_evidence():
    scans = [CardScan(1, GOOGLE, T0)]
    assert attribute(cards=[card(1)], scans=scans, reviews=[review(10, TRIPADVISOR, T0 + timedelta(days=1))]) == []
    assert attribute(cards=[card(1)], scans=scans, reviews=[review(10, GOOGLE, T0 + timedelta(days=1), location=2)]) == []
    # a scan for a site the card does not carry is not this card's evidence
    other = [CardScan(1, OPENTABLE, T0)]
    assert attribute(cards=[card(1)], scans=other, reviews=[review(10, OPENTABLE, T0 + timedelta(days=1))]) == []


def test_two_other_sites_stay_apart():
    """Quandoo after OpenTable: a scan for OpenTable is no evidence for a Quandoo review."""
    cards = [card(1, (OPENTABLE, QUANDOO)), card(2, (OPENTABLE, QUANDOO))]
    scans = [CardScan(1, OPENTABLE, T0), CardScan(2, QUANDOO, T0)]
    reviews = [review(10, QUANDOO, T0 + timedelta(days=1)), review(11, OPENTABLE, T0 + timedelta(days=1))]
    assert {(a.review_id, a.card_id) for a in attribute(cards=cards, scans=scans, reviews=reviews)} == {(10, 2), (11, 1)}


def test_a_till_slip_counts_from_its_printing_for_thirty_days():
    slip = card(1, (GOOGLE,), printed=T0, batch_size=1)
    result = attribute(cards=[slip], reviews=[review(10, GOOGLE, T0 + timedelta(days=29))])
    assert [(a.card_id, [e.kind for e in a.evidence]) for a in result] == [(1, [SLIP])]
    assert attribute(cards=[slip], reviews=[review(10, GOOGLE, T0 + timedelta(days=31))]) == []


def test_redemption_and_preference_with_the_cards_code_are_evidence():
    result = attribute(
        cards=[card(1), card(2)],
        preferences=[TillPreference(1, TRIPADVISOR, T0, "CODE1", None)],
        redemptions=[Redemption(2, T0)],
        reviews=[review(10, TRIPADVISOR, T0 + timedelta(days=1)), review(11, GOOGLE, T0 + timedelta(days=1))],
    )
    kinds = {a.card_id: [e.kind for e in a.evidence] for a in result}
    assert kinds == {1: [PREFERENCE], 2: [REDEMPTION]}


def test_a_preference_from_another_location_or_for_no_site_is_not_evidence():
    reviews = [review(10, GOOGLE, T0 + timedelta(days=1))]
    assert attribute(cards=[card(1)], preferences=[TillPreference(2, GOOGLE, T0, "CODE1")], reviews=reviews) == []
    assert attribute(cards=[card(1)], preferences=[TillPreference(1, None, T0, "CODE1")], reviews=reviews) == []


def test_the_noted_name_decides_between_two_cards_handed_out_the_same_day():
    cards = [card(1), card(2)]
    preferences = [
        TillPreference(1, GOOGLE, T0, "CODE1", "Zoé Lefèvre"),
        TillPreference(1, GOOGLE, T0 + timedelta(minutes=5), "CODE2", "Hugo Martin"),
    ]
    reviews = [review(10, GOOGLE, T0 + timedelta(days=1), "zoe L.")]
    result = attribute(cards=cards, preferences=preferences, reviews=reviews)
    assert [(a.review_id, a.card_id) for a in result] == [(10, 1)]
    assert NAME in [e.kind for e in result[0].evidence]


def test_one_card_one_review_with_the_best_total_not_first_come():
    """Review 10 (Google) fits card 1 a little better than card 2, and review 11 (Tripadvisor) fits
    only card 1: first come would give card 1 to review 10 and leave review 11 out; the best total
    serves both."""
    cards = [card(1, (GOOGLE, TRIPADVISOR)), card(2, (GOOGLE,))]
    scans = [CardScan(1, GOOGLE, T0 + timedelta(minutes=10)), CardScan(1, TRIPADVISOR, T0 + timedelta(minutes=10)),
             CardScan(2, GOOGLE, T0)]
    reviews = [review(10, GOOGLE, T0 + timedelta(hours=1)), review(11, TRIPADVISOR, T0 + timedelta(hours=1))]
    result = attribute(cards=cards, scans=scans, reviews=reviews)
    assert {(a.review_id, a.card_id) for a in result} == {(10, 2), (11, 1)}


def test_scores_are_probabilities_that_fall_with_time_and_with_a_busy_site():
    """The same scan an hour before a review scores high at a quiet site and lower when the site
    gets many reviews from people without cards."""
    scans = [CardScan(1, GOOGLE, T0)]
    quiet = attribute_reviews([card(1)], scans, [], [], [review(10, GOOGLE, T0 + timedelta(hours=1))])
    later = attribute([card(1)], scans, reviews=[review(10, GOOGLE, T0 + timedelta(days=5))])
    busy_reviews = [review(10, GOOGLE, T0 + timedelta(hours=1))] + [
        review(100 + i, GOOGLE, T0 + timedelta(hours=3 * i)) for i in range(1, 60)
    ]
    busy = attribute([card(1)], scans, reviews=busy_reviews)
    assert quiet and quiet[0].score > 0.5
    assert later[0].score < quiet[0].score
    assert {a.review_id: a.score for a in busy}[10] < quiet[0].score


def test_owner_decisions_are_kept():
    cards = [card(1), card(2)]
    scans = [CardScan(1, GOOGLE, T0), CardScan(2, GOOGLE, T0)]
    reviews = [review(10, GOOGLE, T0 + timedelta(days=1)), review(11, GOOGLE, T0 + timedelta(days=2))]
    confirmed = OwnerDecisions(confirmed=frozenset({(11, 1)}))
    result = attribute(cards=cards, scans=scans, reviews=reviews, decisions=confirmed)
    assert {(a.review_id, a.card_id) for a in result} == {(10, 2)}
    rejected = OwnerDecisions(rejected=frozenset({(10, 1), (10, 2)}))
    result = attribute(cards=cards, scans=scans, reviews=reviews, decisions=rejected)
    assert all(a.review_id != 10 for a in result)


def test_names_fold_accents_and_order():
    assert fold_name("  Zoé  LEFÈVRE! ") == "zoe lefevre"
    assert name_similarity("Lefèvre Zoé", "zoe lefevre") == 100
    assert name_similarity("Marie", "Marie Dupont") == 100
    assert name_similarity("Hugo Martin", "Zoé Lefèvre") < 50
    assert name_similarity("", "Zoé") == 0


def _total(pairs, scores):
    return sum(scores[(c, r)] for c, r in pairs)


def _brute_force_best(scores) -> float:
    """The best total over every one-to-one choice of pairs: exponential, for small cases only."""
    pairs = sorted(scores)
    best = 0.0

    def walk(index, used_cards, used_reviews, total):
        nonlocal best
        best = max(best, total)
        for i in range(index, len(pairs)):
            c, r = pairs[i]
            if c not in used_cards and r not in used_reviews:
                walk(i + 1, used_cards | {c}, used_reviews | {r}, total + scores[pairs[i]])

    walk(0, frozenset(), frozenset(), 0.0)
    return best


@pytest.mark.parametrize("seed", range(40))
def test_assignment_equals_brute_force_on_small_cases(seed):
    rng = random.Random(seed)
    cards = [card(i, rng.choice([(GOOGLE,), (GOOGLE, TRIPADVISOR)]), batch_size=rng.choice([1, 50])) for i in range(1, 6)]
    events = lambda: T0 + timedelta(hours=rng.randint(0, 72))  # noqa: E731
    scenario = Scenario(
        cards=cards,
        scans=[CardScan(rng.randint(1, 5), rng.choice([GOOGLE, TRIPADVISOR]), events()) for _ in range(rng.randint(0, 6))],
        preferences=[TillPreference(1, GOOGLE, events(), f"CODE{rng.randint(1, 5)}", rng.choice([None, "Zoé Lefèvre", "Hugo Martin"]))
                     for _ in range(rng.randint(0, 3))],
        redemptions=[Redemption(rng.randint(1, 5), events()) for _ in range(rng.randint(0, 2))],
        reviews=[review(10 + i, rng.choice([GOOGLE, TRIPADVISOR]), T0 + timedelta(hours=rng.randint(0, 400)),
                        rng.choice(["", "Zoé L.", "hugo"])) for i in range(rng.randint(1, 6))],
    )
    scores = naive_pair_scores(scenario, ANY_EVIDENCE)
    result = attribute(*scenario.arguments())
    found = {(a.card_id, a.review_id) for a in result}
    assert found <= set(scores), "every attribution is a pair the rules allow"
    for a in result:
        assert a.score == pytest.approx(scores[(a.card_id, a.review_id)], abs=1e-3)
    assert _total(found, scores) == pytest.approx(_brute_force_best(scores), abs=1e-6)


def _precision_recall(scenario: Scenario, result):
    """Precision; recall over every card holder's review; recall over those the rules can see
    (a card holder who never scanned, redeemed or was noted leaves no evidence to find)."""
    found = {(a.review_id, a.card_id) for a in result}
    correct = sum(1 for review_id, card_id in found if scenario.truth.get(review_id) == card_id)
    candidates = naive_pair_scores(scenario, ANY_EVIDENCE)
    visible = [r for r, c in scenario.truth.items() if (c, r) in candidates]
    return correct / max(1, len(found)), correct / max(1, len(scenario.truth)), correct / max(1, len(visible))


BUSY = dict(handouts_per_day=6.0, decoys_per_day=2.0)
QUIET = dict(handouts_per_day=3.0, decoys_per_day=0.5)


@pytest.mark.parametrize("place", ["busy", "quiet"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_precision_and_recall_on_generated_months(seed, place, capsys):
    """Decoys: reviews from people without cards, cards never used, several cards a day, two
    "other" sites. Precision counts attributions that are true; recall, true pairs found. A
    suggestion must be more likely than not, so in a busy place, where timing alone cannot tell
    customers apart, few are suggested and most of those are right."""
    scenario = generate(seed, days=60, locations=2, **(BUSY if place == "busy" else QUIET))
    result = attribute_reviews(*scenario.arguments())
    precision, recall, recall_visible = _precision_recall(scenario, result)
    with capsys.disabled():
        print(f"\n{place} seed {seed}: {len(scenario.reviews)} reviews, {len(scenario.truth)} from card holders, "
              f"{len(result)} attributed: precision {precision:.2f}, recall {recall:.2f} "
              f"({recall_visible:.2f} of those with any evidence)")
    assert len(result) > 0
    assert precision >= 0.5
    decoys = {r.review_id for r in scenario.reviews} - set(scenario.truth)
    assert sum(1 for a in result if a.review_id in decoys) < len(result) / 2

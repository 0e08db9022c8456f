"""Matching reviews to cards at the size of a busy year: 10,000 cards, 50,000 scans, 20,000 reviews.

Baseline: the naive all-pairs scorer (every card's evidence looked at for every review, as in
tests/domain/matching_scenarios.py) followed by the same optimal assignment. It is quadratic, so
it runs on the smaller fractions only; the ratio is taken where both run, and cta-kit's own
time is reported at every size to show how it grows.

    .venv/bin/python bench/bench_matching.py            # fractions 0.02 0.05 0.1 0.25 0.5 1
    .venv/bin/python bench/bench_matching.py --baseline-up-to 0.05
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cta_kit.domain.matching import (  # noqa: E402
    CardScan,
    PostedReview,
    PrintedCard,
    Redemption,
    TillPreference,
    _best_assignment,
    attribute_reviews,
)
from tests.domain.matching_scenarios import FIRST, LAST, Scenario, naive_pair_scores  # noqa: E402

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
FULL = {"cards": 10_000, "scans": 50_000, "reviews": 20_000}


def year(fraction: float, seed: int = 7) -> Scenario:
    """Two locations, four sites each, a year of cards; a share of reviews follow a card."""
    rng = random.Random(seed)
    n_cards, n_scans, n_reviews = (int(FULL[k] * fraction) for k in ("cards", "scans", "reviews"))
    days = 365 * max(fraction, 0.05)  # a smaller business over a shorter time keeps the density
    s = Scenario()
    handed = {}
    for card_id in range(1, n_cards + 1):
        location = rng.choice([1, 2])
        sites = rng.choice([(1, 2), (3, 4)])
        destinations = tuple(10 * location + site for site in sites)
        at = START + timedelta(days=rng.uniform(0, days))
        slip = rng.random() < 0.1
        s.cards.append(PrintedCard(card_id, f"C{card_id:010d}", location, 1, frozenset(destinations),
                                   at if slip else at - timedelta(days=rng.uniform(0, 20)), 1 if slip else 200))
        handed[card_id] = (location, destinations, at)
        if rng.random() < 0.4:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            s.preferences.append(TillPreference(location, rng.choice(destinations), at, f"C{card_id:010d}",
                                                name if rng.random() < 0.4 else None))
        if rng.random() < 0.3:
            s.redemptions.append(Redemption(card_id, at + timedelta(days=rng.uniform(3, 25))))
    scanned = rng.sample(range(1, n_cards + 1), k=min(n_cards, int(n_cards * 0.6)))
    for i in range(n_scans):
        card_id = scanned[i % len(scanned)]
        location, destinations, at = handed[card_id]
        s.scans.append(CardScan(card_id, rng.choice(destinations), at + timedelta(minutes=rng.uniform(1, 600))))
    review_id = 0
    for card_id in rng.sample(range(1, n_cards + 1), k=min(n_cards, int(n_reviews * 0.3))):
        location, destinations, at = handed[card_id]
        review_id += 1
        s.reviews.append(PostedReview(review_id, location, rng.choice(destinations),
                                      at + timedelta(hours=rng.expovariate(1 / 30)), rng.choice(FIRST)))
        s.truth[review_id] = card_id
    while review_id < n_reviews:
        review_id += 1
        location = rng.choice([1, 2])
        s.reviews.append(PostedReview(review_id, location, 10 * location + rng.randint(1, 4),
                                      START + timedelta(days=rng.uniform(0, days)), rng.choice(FIRST)))
    return s


def timed(function, *args) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def naive(scenario: Scenario):
    scores = naive_pair_scores(scenario)
    import numpy as np

    if not scores:
        return []
    cards, reviews = zip(*scores)
    return _best_assignment(np.array(cards), np.array(reviews), np.array(list(scores.values())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fractions", type=float, nargs="+", default=[0.02, 0.05, 0.1, 0.25, 0.5, 1.0])
    parser.add_argument("--baseline-up-to", type=float, default=0.05)
    args = parser.parse_args()
    print("baseline: naive all-pairs scoring + the same optimal assignment")
    print(f"{'fraction':>8} {'cards':>7} {'scans':>7} {'reviews':>8} {'cta-kit s':>10} {'baseline s':>11} {'ratio':>7} {'matched':>8}")
    previous = None
    for fraction in args.fractions:
        scenario = year(fraction)
        ours, result = timed(attribute_reviews, *scenario.arguments())
        base_time = ratio = ""
        if fraction <= args.baseline_up_to:
            base, base_result = timed(naive, scenario)
            assert {(c, r) for c, r, _ in base_result} == {(a.card_id, a.review_id) for a in result}, "same answer"
            base_time, ratio = f"{base:11.2f}", f"{base / ours:6.0f}x"
        growth = f"  (x{ours / previous[1]:.1f} time for x{fraction / previous[0]:.1f} size)" if previous else ""
        print(f"{fraction:8.2f} {len(scenario.cards):7d} {len(scenario.scans):7d} {len(scenario.reviews):8d} "
              f"{ours:10.2f} {base_time:>11} {ratio:>7} {len(result):8d}{growth}")
        previous = (fraction, ours)


if __name__ == "__main__":
    main()

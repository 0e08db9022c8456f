"""Generated months of a restaurant's cards, scans, till preferences, redemptions and reviews,
with the truth known: which review each card holder posted, and which reviews came from people
who never had a card. Used by the matching tests and by bench/bench_matching.py.

Also a naive all-pairs scorer, written independently of cta_kit.domain.matching from the rules
in its docstring, as the reference for the tests and the baseline of the benchmark.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from cta_kit.domain.matching import (
    CardScan,
    MatchingRules,
    PostedReview,
    PrintedCard,
    Redemption,
    TillPreference,
    fold_name,
    name_similarity,
)
from rapidfuzz import fuzz

FIRST = ["Marie", "Jean", "Zoé", "Lucas", "Camille", "Hugo", "Léa", "Tom", "Inès", "Paul", "Emma", "Noah",
         "Chloé", "Louis", "Sarah", "Jules", "Alice", "Adam", "Manon", "Arthur", "Olivia", "Ethan", "Ava", "Liam"]
LAST = ["Dupont", "Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre",
        "Michel", "Garcia", "Smith", "Jones", "Brown", "Taylor", "Wilson", "Davies", "Nguyen", "Rossi"]
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@dataclass
class Scenario:
    cards: list[PrintedCard] = field(default_factory=list)
    scans: list[CardScan] = field(default_factory=list)
    preferences: list[TillPreference] = field(default_factory=list)
    redemptions: list[Redemption] = field(default_factory=list)
    reviews: list[PostedReview] = field(default_factory=list)
    truth: dict[int, int] = field(default_factory=dict)  # review_id -> card_id

    def arguments(self):
        return self.cards, self.scans, self.preferences, self.redemptions, self.reviews


def _author_as_posted(rng: random.Random, first: str, last: str) -> str:
    return rng.choice([f"{first} {last}", f"{first} {last[0]}.", first, f"{last} {first}", f"{first.lower()}"])


def generate(
    seed: int,
    days: int = 60,
    locations: int = 1,
    handouts_per_day: float = 6.0,
    decoys_per_day: float = 2.0,
    slip_share: float = 0.1,
    scan_rate: float = 0.45,
    preference_rate: float = 0.5,
    code_noted_rate: float = 0.6,
    name_noted_rate: float = 0.4,
    review_rate: float = 0.3,
    redeem_rate: float = 0.35,
    unused_cards_per_batch: int = 40,
) -> Scenario:
    """Per location four sites (Google 1, Tripadvisor 2 and two "other" sites 3 and 4); bulk
    batches of cards featuring (1, 2) or (3, 4), till slips of one card, and decoy reviews."""
    rng = random.Random(seed)
    s = Scenario()
    ids = {"card": 0, "review": 0}

    def new_card(location_id, destinations, printed_at, batch_size):
        ids["card"] += 1
        card = PrintedCard(ids["card"], f"C{ids['card']:010d}", location_id, 1, frozenset(destinations), printed_at, batch_size)
        s.cards.append(card)
        return card

    def new_review(location_id, destination_id, posted_at, author):
        ids["review"] += 1
        s.reviews.append(PostedReview(ids["review"], location_id, destination_id, posted_at, author))
        return ids["review"]

    for location in range(1, locations + 1):
        base = (location - 1) * 10
        pairs = [(base + 1, base + 2), (base + 3, base + 4)]
        stock: list[PrintedCard] = []
        for day in range(days):
            today = START + timedelta(days=day)
            if not stock:
                batch = pairs[(day // 7) % 2]
                size = int(handouts_per_day * 8) + unused_cards_per_batch
                stock = [new_card(location, batch, today, size) for _ in range(size)]
            for _ in range(_poisson(rng, handouts_per_day)):
                handed_at = today + timedelta(minutes=rng.randint(0, 13 * 60))
                if rng.random() < slip_share:
                    card = new_card(location, [rng.choice(pairs[0] + pairs[1])], handed_at, 1)
                else:
                    card = stock.pop(0) if len(stock) > unused_cards_per_batch else None
                    if card is None:
                        stock = []
                        continue
                site = rng.choice(sorted(card.destination_ids))
                first, last = rng.choice(FIRST), rng.choice(LAST)
                if rng.random() < preference_rate:
                    s.preferences.append(TillPreference(
                        location, site, handed_at,
                        card.code if rng.random() < code_noted_rate else None,
                        f"{first} {last}" if rng.random() < name_noted_rate else None,
                    ))
                if rng.random() < scan_rate:
                    s.scans.append(CardScan(card.card_id, site, handed_at + timedelta(minutes=rng.randint(1, 120))))
                if rng.random() < redeem_rate:
                    s.redemptions.append(Redemption(card.card_id, handed_at + timedelta(days=rng.uniform(3, 25))))
                if rng.random() < review_rate:
                    delay = timedelta(hours=min(rng.expovariate(1 / 30), 11 * 24))
                    review_id = new_review(location, site, handed_at + delay, _author_as_posted(rng, first, last))
                    s.truth[review_id] = card.card_id
            for site in pairs[0] + pairs[1]:
                for _ in range(_poisson(rng, decoys_per_day / 4)):
                    at = today + timedelta(minutes=rng.randint(0, 24 * 60 - 1))
                    new_review(location, site, at, f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    return s


def _poisson(rng: random.Random, mean: float) -> int:
    threshold, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= threshold:
            return k
        k += 1


SHARE = {"scan": 0.5, "preference": 0.3, "redemption": 0.15, "slip": 0.15}
MEAN_DAYS = {"scan": 1.5, "preference": 1.5, "redemption": 3.0, "slip": 3.0}


def naive_pair_scores(scenario: Scenario, rules: MatchingRules = MatchingRules()) -> dict[tuple[int, int], float]:
    """Every (card, review) pair scored by looking at every piece of evidence of every card for
    every review: all pairs, no index. The probability that the review came from the card."""
    windows = {"scan": rules.scan_window, "preference": rules.preference_window,
               "redemption": rules.redemption_window, "slip": rules.print_window}
    by_code = {card.code: card for card in scenario.cards}
    events, names = {}, {}
    for card in scenario.cards:
        noted = [p for p in scenario.preferences
                 if p.card_code and by_code.get(p.card_code) is card and p.location_id == card.location_id]
        events[card.card_id] = (
            [("scan", s.destination_id, s.scanned_at) for s in scenario.scans
             if s.card_id == card.card_id and s.destination_id in card.destination_ids]
            + [("preference", p.destination_id, p.logged_at) for p in noted if p.destination_id in card.destination_ids]
            + [("redemption", d, r.redeemed_at) for r in scenario.redemptions if r.card_id == card.card_id
               for d in card.destination_ids]
            + ([("slip", d, card.printed_at) for d in card.destination_ids] if card.batch_size == 1 else [])
        )
        names[card.card_id] = [p.customer_name for p in noted if p.customer_name]

    def background(location_id, destination_id):
        times = [r.posted_at for r in scenario.reviews
                 if (r.location_id, r.destination_id) == (location_id, destination_id)]
        span = max(30.0, (max(times) - min(times)).total_seconds() / 86_400)
        explained = sum(max(SHARE[k] for k, d, _ in events[c.card_id] if d == destination_id)
                        for c in scenario.cards if c.location_id == location_id
                        and any(d == destination_id for _, d, _ in events[c.card_id]))
        return max(0.1 * len(times) / span, (len(times) - explained) / span)

    def name_factor(author, noted):
        if not noted or not fold_name(author):
            return 1.0
        if any(fuzz.token_sort_ratio(fold_name(author), fold_name(n)) >= 88 for n in noted):
            return 20.0
        if any(name_similarity(author, n) >= rules.name_threshold for n in noted):
            return 3.0
        return 0.2

    scores = {}
    for review in scenario.reviews:
        rates = {}
        for card in scenario.cards:
            if card.location_id != review.location_id:
                continue
            rate = 0.0
            for kind, destination, at in events[card.card_id]:
                delay = review.posted_at - at
                if destination == review.destination_id and timedelta(0) <= delay <= windows[kind]:
                    days = delay.total_seconds() / 86_400
                    rate += SHARE[kind] * math.exp(-days / MEAN_DAYS[kind]) / MEAN_DAYS[kind]
            if rate:
                rates[card.card_id] = rate * name_factor(review.author_name, names[card.card_id])
        if rates:
            denominator = background(review.location_id, review.destination_id) + sum(rates.values())
            for card_id, rate in rates.items():
                if rate / denominator >= rules.min_score:
                    scores[(card_id, review.review_id)] = rate / denominator
    return scores

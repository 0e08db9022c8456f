"""Which card, if any, a posted review followed: measurement only, never a condition of an offer.

A review is attributed to a card when something shows that the card was in a customer's hands
shortly before the review was posted at a site printed on it: a scan of the card's QR for that
site, a preference staff logged with the card's code, a redemption of its offer, or (for a till
slip, a batch of one card) its printing. Evidence counts inside a window after it (14 days after
a scan, a preference or a redemption, 30 after a slip's printing).

The score is the probability that the review came from that card rather than from another card
or from someone who never had one. Each piece of evidence makes the card a source of reviews at a
rate that fades as time passes (most people who review do so within a day or two); a site's own
rate of reviews from people without cards is estimated from the reviews themselves; a name that
staff noted with the card and that resembles the review's author multiplies the card's rate, and
one that does not resemble it divides it. So a scan an hour before a review at a quiet site
scores high, and the same scan at a site that gets ten reviews a day scores low: in a busy place
the timing alone cannot say who posted.

A card from a bulk batch with no scan, preference or redemption carries no evidence of who had
it, so it is never attributed: guessing among identical cards would only invent numbers.

Each review goes to at most one card and each card to at most one review, choosing the
assignment with the best total score (an optimal bipartite assignment, solved separately on each
connected group of candidates), not first come first served. Pairs the owner confirmed stay as
they are and pairs the owner rejected are never proposed again.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime, timedelta

import numpy as np
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment
from scipy.sparse import bmat, coo_matrix, hstack, identity
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

SCAN = "scan"
PREFERENCE = "preference"
REDEMPTION = "redemption"
SLIP = "slip"
NAME = "name"

# The share of cards with this evidence that are followed by a review at that site: a scan is
# a customer on the review page already; a preference is a stated habit; a redemption and a slip
# only say the card was handed over.
REVIEW_SHARE = {SCAN: 0.5, PREFERENCE: 0.3, REDEMPTION: 0.15, SLIP: 0.15}
# The mean delay in days from the evidence to a review that follows it.
MEAN_DELAY_DAYS = {SCAN: 1.5, PREFERENCE: 1.5, REDEMPTION: 3.0, SLIP: 3.0}
# How much a noted name multiplies a card's rate: the whole name as posted, part of it (a first
# name alone is common), or a different name.
NAME_MATCH_FACTOR = 20.0
NAME_PART_FACTOR = 3.0
NAME_MISMATCH_FACTOR = 0.2
# rapidfuzz similarity (0-100) from which two whole names count as the same.
WHOLE_NAME_SIMILARITY = 88.0
# The least rate of reviews from people without cards, as a share of a site's observed rate, so
# that a site whose every review seems explained by cards still leaves room for chance.
BACKGROUND_FLOOR = 0.1
# A site's rate of reviews is judged over a month at least: a single review in one day is not a
# rate of one a day.
SHORTEST_SPAN_DAYS = 30.0
# Largest group of candidates solved as a dense matrix; larger groups use the sparse solver.
DENSE_LIMIT = 250_000


@dataclass(frozen=True)
class PrintedCard:
    card_id: int
    code: str
    location_id: int
    campaign_id: int
    destination_ids: frozenset[int]
    printed_at: datetime
    batch_size: int


@dataclass(frozen=True)
class CardScan:
    card_id: int
    destination_id: int
    scanned_at: datetime


@dataclass(frozen=True)
class TillPreference:
    location_id: int
    destination_id: int | None  # None: the customer doesn't review, or didn't say
    logged_at: datetime
    card_code: str | None = None
    customer_name: str | None = None


@dataclass(frozen=True)
class Redemption:
    card_id: int
    redeemed_at: datetime


@dataclass(frozen=True)
class PostedReview:
    review_id: int
    location_id: int
    destination_id: int
    posted_at: datetime
    author_name: str = ""


@dataclass(frozen=True)
class MatchingRules:
    scan_window: timedelta = timedelta(days=14)
    preference_window: timedelta = timedelta(days=14)
    redemption_window: timedelta = timedelta(days=14)
    print_window: timedelta = timedelta(days=30)
    # A suggestion must be more likely than not.
    min_score: float = 0.5
    # rapidfuzz similarity (0-100) from which a noted name counts as evidence.
    name_threshold: float = 70.0

    def window(self, kind: str) -> timedelta:
        return {
            SCAN: self.scan_window,
            PREFERENCE: self.preference_window,
            REDEMPTION: self.redemption_window,
            SLIP: self.print_window,
        }[kind]


@dataclass(frozen=True)
class Evidence:
    kind: str
    at: datetime | None
    detail: str = ""


@dataclass(frozen=True)
class Attribution:
    review_id: int
    card_id: int
    score: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class OwnerDecisions:
    """What the owner already said: confirmed pairs are kept, rejected pairs never come back."""

    confirmed: frozenset[tuple[int, int]] = frozenset()  # (review_id, card_id)
    rejected: frozenset[tuple[int, int]] = frozenset()


@dataclass
class _Event:
    card_id: int
    destination_id: int
    kind: str
    at: datetime


@dataclass
class _Block:
    """The evidence and reviews of one (location, destination)."""

    events: list[_Event] = field(default_factory=list)
    reviews: list[PostedReview] = field(default_factory=list)


@lru_cache(maxsize=65_536)
def fold_name(name: str) -> str:
    """Lowercase, without accents or punctuation: "Zoé L." and "zoe l" compare equal."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.lower().split())


def name_similarity(author: str, noted: str) -> float:
    """0-100: how much a review's author name looks like the name a customer gave staff.

    Token-set ratio, so "Marie" matches "Marie Dupont" and "Dupont Marie" matches too.
    """
    a, b = fold_name(author), fold_name(noted)
    if not a or not b:
        return 0.0
    return fuzz.token_set_ratio(a, b)


def whole_name_similarity(author: str, noted: str) -> float:
    """0-100 over the whole names in any order: "Marie" is not "Marie Dupont" here."""
    a, b = fold_name(author), fold_name(noted)
    if not a or not b:
        return 0.0
    return fuzz.token_sort_ratio(a, b)


def attribute_reviews(
    cards: list[PrintedCard],
    scans: list[CardScan],
    preferences: list[TillPreference],
    redemptions: list[Redemption],
    reviews: list[PostedReview],
    rules: MatchingRules = MatchingRules(),
    decisions: OwnerDecisions = OwnerDecisions(),
) -> list[Attribution]:
    """Suggested attributions of reviews to cards (confirmed pairs are not repeated here)."""
    card_by_id = {card.card_id: card for card in cards}
    taken_reviews = {review for review, _ in decisions.confirmed}
    taken_cards = {card for _, card in decisions.confirmed}
    usable_cards = {cid: card for cid, card in card_by_id.items() if cid not in taken_cards}

    blocks, names = _gather(usable_cards, scans, preferences, redemptions)
    for review in reviews:
        if review.review_id not in taken_reviews:
            blocks[(review.location_id, review.destination_id)].reviews.append(review)

    pair_cards, pair_reviews, pair_scores = [], [], []
    for block in blocks.values():
        if block.events and block.reviews:
            c, r, s = _score_block(block, names, rules)
            pair_cards.append(c)
            pair_reviews.append(r)
            pair_scores.append(s)
    if not pair_cards:
        return []
    card_ids = np.concatenate(pair_cards)
    review_ids = np.concatenate(pair_reviews)
    scores = np.concatenate(pair_scores)
    keep = scores >= rules.min_score
    if decisions.rejected:
        keep &= np.fromiter(
            ((int(r), int(c)) not in decisions.rejected for r, c in zip(review_ids, card_ids)), bool, len(card_ids)
        )
    chosen = _best_assignment(card_ids[keep], review_ids[keep], scores[keep])

    reviews_by_id = {review.review_id: review for review in reviews}
    by_card = _events_by_card(usable_cards, scans, preferences, redemptions)
    return sorted(
        (
            Attribution(
                review_id=review_id,
                card_id=card_id,
                score=round(score, 3),
                evidence=_explain(by_card[card_id], reviews_by_id[review_id], names.get(card_id, ()), rules),
            )
            for card_id, review_id, score in chosen
        ),
        key=lambda a: a.review_id,
    )


def _gather(cards, scans, preferences, redemptions):
    """Evidence events grouped by (location, destination), and the names noted per card."""
    blocks: dict[tuple[int, int], _Block] = defaultdict(_Block)
    names: dict[int, list[str]] = defaultdict(list)
    for card_id, events in _events_by_card(cards, scans, preferences, redemptions).items():
        card = cards[card_id]
        for event in events:
            blocks[(card.location_id, event.destination_id)].events.append(event)
    card_by_code = {card.code: card for card in cards.values()}
    for preference in preferences:
        card = card_by_code.get(preference.card_code or "")
        if card is not None and preference.customer_name and card.location_id == preference.location_id:
            names[card.card_id].append(preference.customer_name)
    return blocks, names


def _events_by_card(cards, scans, preferences, redemptions) -> dict[int, list[_Event]]:
    """Every event that shows a card in a customer's hands, per printed site it speaks for."""
    events: dict[int, list[_Event]] = defaultdict(list)
    for scan in scans:
        card = cards.get(scan.card_id)
        if card is not None and scan.destination_id in card.destination_ids:
            events[card.card_id].append(_Event(card.card_id, scan.destination_id, SCAN, scan.scanned_at))
    card_by_code = {card.code: card for card in cards.values()}
    for preference in preferences:
        card = card_by_code.get(preference.card_code or "")
        if (
            card is not None
            and card.location_id == preference.location_id
            and preference.destination_id in card.destination_ids
        ):
            events[card.card_id].append(_Event(card.card_id, preference.destination_id, PREFERENCE, preference.logged_at))
    for redemption in redemptions:
        card = cards.get(redemption.card_id)
        if card is not None:
            for destination_id in card.destination_ids:
                events[card.card_id].append(_Event(card.card_id, destination_id, REDEMPTION, redemption.redeemed_at))
    for card in cards.values():
        if card.batch_size == 1:
            for destination_id in card.destination_ids:
                events[card.card_id].append(_Event(card.card_id, destination_id, SLIP, card.printed_at))
    return events


def _score_block(block: _Block, names: dict[int, list[str]], rules: MatchingRules):
    """The probability of every (card, review) pair with evidence inside its window, as arrays.

    Events are sorted by time, so each review's candidates are one slice found by binary
    search; the pairs are scored with array arithmetic, then summed per (review, card).
    """
    block.events.sort(key=lambda e: e.at)
    event_times = np.array([e.at.timestamp() for e in block.events]) / DAY
    event_cards = np.array([e.card_id for e in block.events], dtype=np.int64)
    event_shares = np.array([REVIEW_SHARE[e.kind] for e in block.events])
    event_delays = np.array([MEAN_DELAY_DAYS[e.kind] for e in block.events])
    event_windows = np.array([rules.window(e.kind).total_seconds() for e in block.events]) / DAY
    review_times = np.array([r.posted_at.timestamp() for r in block.reviews]) / DAY
    review_ids = np.array([r.review_id for r in block.reviews], dtype=np.int64)
    background = _background_rate(block, review_times)

    lo = np.searchsorted(event_times, review_times - event_windows.max(), side="left")
    hi = np.searchsorted(event_times, review_times, side="right")
    counts = hi - lo
    total = int(counts.sum())
    empty = np.array([], dtype=np.int64)
    if total == 0:
        return empty, empty, np.array([])
    pair_review = np.repeat(np.arange(len(review_times)), counts)
    pair_event = np.arange(total) + np.repeat(lo - (np.cumsum(counts) - counts), counts)
    delay = review_times[pair_review] - event_times[pair_event]
    inside = delay <= event_windows[pair_event]
    pair_review, pair_event, delay = pair_review[inside], pair_event[inside], delay[inside]
    if len(pair_event) == 0:
        return empty, empty, np.array([])

    # Reviews per day that this evidence makes the card a source of, at this delay.
    mean = event_delays[pair_event]
    rate = event_shares[pair_event] * np.exp(-delay / mean) / mean
    pair_card = event_cards[pair_event]
    keys = pair_review.astype(np.int64) * (int(event_cards.max()) + 1) + pair_card
    unique_keys, inverse = np.unique(keys, return_inverse=True)
    card_rate = np.bincount(inverse, weights=rate, minlength=len(unique_keys))
    first = np.zeros(len(unique_keys), dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]
    cards = pair_card[first]
    review_index = pair_review[first]
    for i, card_id in enumerate(cards):
        noted = names.get(int(card_id))
        if noted:
            card_rate[i] *= _name_factor(block.reviews[review_index[i]].author_name, noted, rules)
    competing = np.bincount(review_index, weights=card_rate, minlength=len(review_times))
    scores = card_rate / (background + competing[review_index])
    return cards, review_ids[review_index], scores


DAY = 86_400.0


def _background_rate(block: _Block, review_times: np.ndarray) -> float:
    """Reviews per day at this site from people without cards: the site's observed rate less
    what the cards with evidence would explain, never below a floor."""
    span = max(SHORTEST_SPAN_DAYS, float(review_times.max() - review_times.min()))
    observed = len(review_times) / span
    explained_by_card: dict[int, float] = {}
    for event in block.events:
        share = REVIEW_SHARE[event.kind]
        if share > explained_by_card.get(event.card_id, 0.0):
            explained_by_card[event.card_id] = share
    explained = sum(explained_by_card.values()) / span
    return max(BACKGROUND_FLOOR * observed, observed - explained)


def _name_factor(author: str, noted: list[str], rules: MatchingRules) -> float:
    if not fold_name(author):
        return 1.0
    if any(whole_name_similarity(author, name) >= WHOLE_NAME_SIMILARITY for name in noted):
        return NAME_MATCH_FACTOR
    if any(name_similarity(author, name) >= rules.name_threshold for name in noted):
        return NAME_PART_FACTOR
    return NAME_MISMATCH_FACTOR


def _best_assignment(card_ids: np.ndarray, review_ids: np.ndarray, scores: np.ndarray):
    """The pairs, at most one per card and per review, with the largest total score."""
    if len(scores) == 0:
        return []
    cards, card_index = np.unique(card_ids, return_inverse=True)
    revs, review_index = np.unique(review_ids, return_inverse=True)
    graph = coo_matrix((scores, (card_index, review_index)), shape=(len(cards), len(revs))).tocsr()
    joint = _bipartite_adjacency(graph)
    count, labels = connected_components(joint, directed=False)
    card_labels, review_labels = labels[: len(cards)], labels[len(cards):]
    rows_by_group = _indices_by_label(card_labels, count)
    cols_by_group = _indices_by_label(review_labels, count)
    chosen = []
    for group in range(count):
        rows, cols = rows_by_group[group], cols_by_group[group]
        if len(rows) == 0 or len(cols) == 0:
            continue
        sub = graph[rows][:, cols]
        for r, c in _solve(sub):
            chosen.append((int(cards[rows[r]]), int(revs[cols[c]]), float(sub[r, c])))
    return chosen


def _bipartite_adjacency(graph):
    return bmat([[None, graph], [graph.T, None]]).tocsr()


def _indices_by_label(labels: np.ndarray, count: int) -> list[np.ndarray]:
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(count + 1))
    return [order[bounds[g]: bounds[g + 1]] for g in range(count)]


def _solve(sub) -> list[tuple[int, int]]:
    """An optimal assignment of one connected group (rows: cards, columns: reviews)."""
    rows, cols = sub.shape
    if rows == 1 or cols == 1:
        dense = sub.toarray()
        r, c = np.unravel_index(np.argmax(dense), dense.shape)
        return [(int(r), int(c))]
    if rows * cols <= DENSE_LIMIT:
        dense = sub.toarray()
        r, c = linear_sum_assignment(dense, maximize=True)
        return [(int(i), int(j)) for i, j in zip(r, c) if dense[i, j] > 0]
    # Large groups: sparse solver. Each card also gets a private "no review" column of tiny
    # weight, so a full matching always exists and leaving a card unmatched is allowed.
    padded = hstack([sub, identity(rows, format="csr") * 1e-9]).tocsr()
    r, c = min_weight_full_bipartite_matching(padded, maximize=True)
    return [(int(i), int(j)) for i, j in zip(r, c) if j < cols]


def _explain(events: list[_Event], review: PostedReview, noted: list[str], rules: MatchingRules) -> tuple[Evidence, ...]:
    """The pieces of evidence behind an attribution, most recent first, for the owner to judge."""
    found = [
        Evidence(event.kind, event.at)
        for event in events
        if event.destination_id == review.destination_id
        and timedelta(0) <= review.posted_at - event.at <= rules.window(event.kind)
    ]
    found.sort(key=lambda e: e.at, reverse=True)
    if noted and review.author_name:
        best = max(noted, key=lambda name: name_similarity(review.author_name, name))
        similarity = name_similarity(review.author_name, best)
        if similarity >= rules.name_threshold:
            found.append(Evidence(NAME, None, f"{best} ~ {review.author_name} ({similarity:.0f}%)"))
    return tuple(found)

"""The wording rules: asking for a positive rating, review gating, and rewards for reviews.

Wording is matched after folding (lower case, no accents, plain apostrophes) so that
"Avis POSITIF", "avis positif" and "avis positif !" are the same. Words are classed
(sentiment, review noun, request verb, reward, ...) and rules look at small windows of
words within one sentence, so paraphrases are caught without listing every phrase, while
"bon appétit, votre avis compte" stays innocent. Balanced phrases such as "good or bad"
and "positifs comme négatifs" are masked first: they are what honest wording looks like.

Each function yields the folded spans that break its rule; `policy` turns the earliest
one into a finding.
"""

import bisect
import re
from typing import Iterable, Iterator

from .policy_lexicon import (
    DISCOURAGING_RE,
    EXCHANGE_RES,
    EXPERIENCE_WORDS,
    FILLER_AFTER_NOUN,
    FILLER_BEFORE_NOUN,
    GATING_RES,
    HAPPY,
    INCENTIVE_NOUNS,
    NEGATIVE,
    POSITIVE,
    POSITIVE_PHRASE_RES,
    PRIVATE_RE,
    PUBLIC_RE,
    QUESTION_OPENERS,
    REQUEST_VERBS,
    REVIEW_ACTION_WORDS,
    REVIEW_NOUNS,
    REVIEW_US_RE,
    REWARDS,
    REWARD_RE,
    SCALE_BEFORE_RE,
    SCORE_CONTEXT,
    SCORE_RES,
    STAR_RUN_RE,
    UNCONDITIONAL_RE,
    WEAK_POSITIVE,
    WEAK_REVIEW_NOUNS,
    word_set,
)
from .policy_text import FoldedText, Span, Token


def _sentiment_hits(
    text: FoldedText, strong: frozenset[str], weak: frozenset[str], negation_cancels: bool = True
) -> Iterator[Span]:
    """Sentiment words next to a review noun, before or after it, within one sentence."""
    tokens = text.tokens
    asking = {t.sentence for t in tokens if t.word in REQUEST_VERBS}

    def is_noun(token: Token) -> bool:
        return token.word in REVIEW_NOUNS or (token.word in WEAK_REVIEW_NOUNS and token.sentence in asking)

    for i, token in enumerate(tokens):
        if text.in_neutral(token.start, token.end):
            continue
        if token.word in weak:
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if following and following.sentence == token.sentence and is_noun(following) and not text.negated(i):
                yield token.start, following.end
            continue
        if token.word not in strong or (negation_cancels and text.negated(i)):
            continue
        # Before its noun: "a glowing review", "une bonne note", "a really positive Google review".
        for other in tokens[i + 1: i + 5]:
            if other.sentence != token.sentence:
                break
            if is_noun(other):
                yield token.start, other.end
                break
            if other.word not in FILLER_BEFORE_NOUN and other.word not in strong:
                break
        # After its noun: "un avis positif", "a review that is positive", "un avis, positif".
        for other in reversed(tokens[max(0, i - 4): i]):
            if other.sentence != token.sentence:
                break
            if is_noun(other):
                yield other.start, token.end
                break
            if other.word not in FILLER_AFTER_NOUN and other.word not in ",(":
                break


def positive_hits(text: FoldedText) -> Iterator[Span]:
    yield from _sentiment_hits(text, POSITIVE, WEAK_POSITIVE)
    yield from (m.span() for m in STAR_RUN_RE.finditer(text.folded))
    for start, end in _regex_hits(text, SCORE_RES):
        first = bisect.bisect_left(text.token_starts, start)
        last = bisect.bisect_left(text.token_starts, end) - 1
        if last < first:
            continue
        inside = text.tokens[first: last + 1]
        if text.negated(first) or SCALE_BEFORE_RE.search(text.folded[max(0, start - 12): start]):
            continue
        nearby = text.tokens[max(0, first - 6): first] + text.tokens[last + 1: last + 7]
        if any(t.sentence == inside[0].sentence and t.word in SCORE_CONTEXT for t in nearby):
            yield start, end
    yield from _regex_hits(text, POSITIVE_PHRASE_RES)


def _regex_hits(text: FoldedText, patterns: Iterable[re.Pattern[str]]) -> Iterator[Span]:
    for rx in patterns:
        for match in rx.finditer(text.folded):
            if not text.in_neutral(*match.span()):
                yield match.span()


def gating_hits(text: FoldedText) -> Iterator[Span]:
    for start, end in _regex_hits(text, GATING_RES):
        if not text.sentence_is_neutral(start):
            yield start, end
    yield from _discouraging_hits(text)
    if text.neutral:
        return  # "Happy with your meal? Tell us either way." is a neutral question.
    # Short yes/no questions about being pleased: "Satisfait ?", "Enjoyed your meal?".
    for sentence, (start, end) in enumerate(text.spans):
        if "?" not in text.folded[start:end].rstrip()[-3:]:
            continue
        words = [t for t in text.by_sentence.get(sentence, []) if t.word.isalnum()]
        if not words or len(words) > 8 or words[0].word in QUESTION_OPENERS:
            continue
        if any(w.word in REVIEW_NOUNS for w in words):
            continue  # a question about the review itself ("Un avis 5 étoiles ?") is not gating
        happy = any(w.word in HAPPY for w in words)
        pleasant = any(w.word in POSITIVE or w.word in WEAK_POSITIVE for w in words) and any(
            w.word in EXPERIENCE_WORDS for w in words
        )
        if happy or pleasant:
            yield words[0].start, end


def _discouraging_hits(text: FoldedText) -> Iterator[Span]:
    """Steering critics away: "don't leave a bad review", "avant de laisser un avis négatif"."""
    words = NEGATIVE - word_set("moins critique critiques")
    for start, end in _sentiment_hits(text, words, frozenset(), negation_cancels=False):
        sentence_start, _ = text.sentence_text(start)
        before = text.tokens_between(sentence_start, start)
        if DISCOURAGING_RE.search(text.folded[sentence_start:start]) and any(
            t.word in REQUEST_VERBS for t in before
        ):
            yield start, end


def incentive_hits(text: FoldedText, offer: bool, private_offer: bool) -> Iterator[Span]:
    """Sentences that tie a reward to a review. In an offer's text the reward is implied."""
    for start, end in _regex_hits(text, EXCHANGE_RES):
        if not _private(text, start, private_offer):
            yield start, end
    for sentence, tokens in sorted(text.by_sentence.items()):
        start, end = text.spans[sentence]
        clause = text.folded[start:end]
        if not _asks_for_review(tokens) and not REVIEW_US_RE.search(clause):
            continue
        rewarded = offer or any(t.word in REWARDS for t in tokens) or REWARD_RE.search(clause)
        if rewarded and not UNCONDITIONAL_RE.search(clause) and not _private(text, start, private_offer):
            yield start, end


def _asks_for_review(tokens: list[Token]) -> bool:
    """Whether a sentence asks for (or rewards) a review: "leave a review", "pour chaque avis"."""
    return any(
        token.word in INCENTIVE_NOUNS
        and any(o.word in REQUEST_VERBS or o.word in REVIEW_ACTION_WORDS for o in tokens[max(0, i - 4): i])
        for i, token in enumerate(tokens)
    )


def _private(text: FoldedText, position: int, private_offer: bool) -> bool:
    """Whether the sentence is about private feedback to the restaurant, not a public review."""
    _, clause = text.sentence_text(position)
    if PUBLIC_RE.search(clause):
        return False
    return private_offer or bool(PRIVATE_RE.search(clause))

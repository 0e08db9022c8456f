"""The wording rules: asking for a positive rating, review gating, and rewards for reviews.

Wording is matched after folding (lower case, no accents, plain apostrophes) so that
"Avis POSITIF", "avis positif" and "avis positif !" are the same. Words are classed
(sentiment, review noun, request verb, reward, ...) and rules look at small windows of
words within one sentence, so paraphrases are caught without listing every phrase, while
"bon appétit, votre avis compte" stays innocent. Balanced phrases such as "good or bad"
and "positifs comme négatifs" are masked first: they are what honest wording looks like.

Each function yields the folded spans that break its rule; `check` turns the earliest
one into a finding.
"""

import bisect
import re
from typing import Iterable, Iterator

from .lexicon import (
    CONTEST_RE,
    CURRENT_RATING_WORDS,
    DISCOURAGING_RE,
    EXCHANGE_RES,
    EXPERIENCE_WORDS,
    FILLER_AFTER_NOUN,
    FILLER_BEFORE_NOUN,
    GATING_RES,
    GOAL_WORDS,
    HAPPY,
    HELP_WORDS,
    INDEFINITE_DETERMINERS,
    INCENTIVE_NOUNS,
    NEAR_TARGET_WORDS,
    NEGATIVE,
    PLATFORM_NAMES,
    POSITIVE,
    POSITIVE_PHRASE_RES,
    PREPOSITION_TRADE_WORDS,
    PRIVATE_RE,
    PUBLIC_RE,
    QUESTION_OPENERS,
    RATING_RE,
    REQUEST_VERBS,
    REVIEW_ACTION_WORDS,
    REVIEW_NOUNS,
    REVIEW_US_RE,
    REWARDS,
    REWARD_DETERMINERS,
    REWARD_ITEMS,
    REWARD_RE,
    SCALE_BEFORE_RE,
    SCORE_CONTEXT,
    SCORE_RES,
    SHOWN_REFERENCE_RE,
    SHOW_RE,
    STAR_RUN_RE,
    TARGET_WORDS,
    TRADE_WORDS,
    UNCONDITIONAL_RE,
    WEAK_POSITIVE,
    WEAK_REVIEW_NOUNS,
    word_set,
)
from .text import FoldedText, Span, Token


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
            # Only a count or a site may come between: "top 3 Google reviews".
            following = next(
                (t for t in tokens[i + 1: i + 4] if not _is_count(t) and t.word not in PLATFORM_NAMES), None
            )
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
            # A count may come between: "the best 5 reviews".
            if other.word not in FILLER_BEFORE_NOUN and other.word not in strong and not _is_count(other):
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


def _is_count(token: Token) -> bool:
    return token.word.isdigit() and len(token.word) <= 2


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
    yield from _rating_target_hits(text)


def _rating_target_hits(text: FoldedText) -> Iterator[Span]:
    """A higher average set as a target: "help us reach 4.8", "objectif 4,9/5", "keep us at 4.9".

    "Rated 4.6 by our guests" states the current average and asks nothing; an average the
    reader is asked to reach asks for high ratings without saying "5 stars".
    """
    sentence_words: dict[int, set[str]] = {}
    for match in RATING_RE.finditer(text.folded):
        start, end = match.span()
        index = bisect.bisect_left(text.token_starts, start)
        if index >= len(text.tokens) or text.in_neutral(start, end):
            continue
        sentence = text.tokens[index].sentence
        before = [t for t in text.tokens[max(0, index - 6): index] if t.sentence == sentence]
        target = next((t for t in before if t.word in TARGET_WORDS), None)
        if target is None:
            if any(t.word in CURRENT_RATING_WORDS for t in before[-2:]):
                continue
            words = sentence_words.get(sentence)
            if words is None:
                words = sentence_words[sentence] = {t.word for t in text.by_sentence[sentence]}
            near = any(t.word in NEAR_TARGET_WORDS for t in before) and words & HELP_WORDS
            if not near and not words & GOAL_WORDS:
                continue
        if not text.negated(index):
            yield (target.start if target else start), end


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
    for start, end in (*_juxtaposed_hits(text), *_shown_review_hits(text, offer), *_contest_hits(text)):
        _, clause = text.sentence_text(start)
        if not UNCONDITIONAL_RE.search(clause) and not _private(text, start, private_offer):
            yield start, end
    for sentence, tokens in sorted(text.by_sentence.items()):
        start, end = text.spans[sentence]
        clause = text.folded[start:end]
        if not _asks_for_review(tokens) and not REVIEW_US_RE.search(clause):
            continue
        rewarded = offer or any(t.word in REWARDS for t in tokens) or REWARD_RE.search(clause)
        if rewarded and not UNCONDITIONAL_RE.search(clause) and not _private(text, start, private_offer):
            yield start, end


def _is_reward(token: Token) -> bool:
    return token.word in REWARDS or token.word in REWARD_ITEMS


def _juxtaposed_hits(text: FoldedText) -> Iterator[Span]:
    """A review set beside a reward with no verb of exchange: "1 review, 1 free coffee".

    In one sentence the reward follows a trading mark ("," "=" "vaut" "earns"); across two,
    a short question about a review is answered by a short reward: "Un avis ? Un café !".
    """
    tokens = text.tokens
    for i, token in enumerate(tokens):
        if token.word not in INCENTIVE_NOUNS:
            continue
        same = [t for t in tokens[i + 1: i + 6] if t.sentence == token.sentence]
        mark = next((k for k, t in enumerate(same) if t.word in TRADE_WORDS), None)
        if mark is None:
            continue
        determiners = INDEFINITE_DETERMINERS if same[mark].word in PREPOSITION_TRADE_WORDS else REWARD_DETERMINERS
        for other in tokens[i + 1 + mark + 1: i + 1 + mark + 4]:
            if other.sentence != token.sentence:
                break
            if _is_reward(other):
                yield token.start, other.end
                break
            if other.word not in determiners and other.word not in TRADE_WORDS:
                break  # "merci pour votre avis, à bientôt pour un café" is a goodbye
    for sentence, (start, end) in enumerate(text.spans[:-1]):
        this = [t for t in text.by_sentence.get(sentence, []) if t.word.isalnum()]
        following = [t for t in text.by_sentence.get(sentence + 1, []) if t.word.isalnum()]
        if not (0 < len(this) <= 5 and 0 < len(following) <= 6 and text.folded[end - 1] == "?"):
            continue
        if not any(t.word in INCENTIVE_NOUNS for t in this):
            continue
        next_start, next_end = text.spans[sentence + 1]
        next_clause = text.folded[next_start:next_end].rstrip()
        if next_clause.endswith("?"):
            continue  # "Un avis ? Un café ? Demandez-nous": a list of questions, not a trade
        if any(_is_reward(t) for t in following) or REWARD_RE.search(next_clause):
            yield this[0].start, next_end


def _shown_review_hits(text: FoldedText, offer: bool) -> Iterator[Span]:
    """A reward for showing a posted review at the till: "Montrez votre avis en caisse, café offert".

    The review may be named in a short sentence just before: "Avis publié ? Montrez-le au comptoir".
    """
    for sentence, tokens in sorted(text.by_sentence.items()):
        start, end = text.spans[sentence]
        clause = text.folded[start:end]
        if not SHOW_RE.search(clause):
            continue
        if not (offer or any(_is_reward(t) for t in tokens) or REWARD_RE.search(clause)):
            continue
        named_here = any(t.word in INCENTIVE_NOUNS for t in tokens) or REVIEW_US_RE.search(clause)
        previous = [t for t in text.by_sentence.get(sentence - 1, []) if t.word.isalnum()]
        named_before = (
            0 < len(previous) <= 5
            and any(t.word in INCENTIVE_NOUNS or t.word == "reviewed" for t in previous)
            and SHOWN_REFERENCE_RE.search(clause)
        )
        if named_here or named_before:
            yield (text.spans[sentence - 1][0] if named_before and not named_here else start), end


def _contest_hits(text: FoldedText) -> Iterator[Span]:
    """A prize for reviews judged against each other: "the best review of the month wins a dinner"."""
    for sentence, tokens in sorted(text.by_sentence.items()):
        start, end = text.spans[sentence]
        if any(t.word in INCENTIVE_NOUNS for t in tokens) and CONTEST_RE.search(text.folded[start:end]):
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

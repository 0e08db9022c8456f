"""Folding a card's wording once, so every rule reads the same words and sentences.

Matching happens on the folded text; `FoldedText.phrase` maps a match back to the owner's
own characters for the message.
"""

import bisect
import re
import unicodedata
from typing import Iterable, NamedTuple

from .lexicon import NEGATIONS, NEUTRAL_RES, NOT_NEGATING_RE

# A point between two digits is a decimal ("4.8 stars"), not the end of a sentence.
_SENTENCE_END = re.compile(r"(?:[!?;\n]|(?<!\d)\.|\.(?!\d))+")
# "4,8" and "4.8" are one word, so a rule can read a rating as a number.
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)+|[a-z0-9%]+|[,()=+>:]")

Span = tuple[int, int]  # positions in the folded text


class Token(NamedTuple):
    word: str
    start: int
    end: int
    sentence: int


class FoldedText:
    """Folded text, its words and sentences, and a map back to the original characters."""

    _CHAR_MAP = {
        "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "′": "'", "œ": "oe", "Œ": "oe",
        "æ": "ae", "Æ": "ae", "ß": "ss", "–": "-", "—": "-", "‑": "-", "→": "->", "⇒": "->", "➜": "->", "➡": "->", "➔": "->", "➞": "->", "⟶": "->",
        "⮕": "->", "👉": "->",
        "⭐": "*", "★": "*", "☆": "*", "🌟": "*", "✩": "*", "✪": "*", "✫": "*", "✬": "*",
        "✭": "*", "✮": "*", "✯": "*", "✰": "*", "⋆": "*", "\u00a0": " ", "\u202f": " ", "…": ".",
    }

    def __init__(self, original: str) -> None:
        self.original = original
        chars: list[str] = []
        self.origin: list[int] = []  # folded position -> original position
        for index, ch in enumerate(original):
            mapped = self._CHAR_MAP.get(ch)
            if mapped is None:
                decomposed = unicodedata.normalize("NFKD", ch)
                mapped = "".join(c for c in decomposed if unicodedata.category(c) not in ("Mn", "Me", "Cf")).lower()
            chars.extend(mapped)
            self.origin.extend([index] * len(mapped))
        self.folded = "".join(chars)

        self.sentence_of: list[int] = []
        self.spans: list[Span] = []
        last = 0
        for match in _SENTENCE_END.finditer(self.folded):
            self._add_sentence(last, match.end())
            last = match.end()
        self._add_sentence(last, len(self.folded))
        self.sentence_of.append(len(self.spans) - 1)  # the position just past the end

        # Apostrophes, hyphens and slashes separate words: "l'avis", "five-star", "notez-nous".
        words_only = self.folded.replace("'", " ").replace("-", " ").replace("/", " ")
        self.tokens = [
            Token(m.group(), m.start(), m.end(), self.sentence_of[m.start()])
            for m in _TOKEN_RE.finditer(words_only)
        ]
        self.token_starts = [t.start for t in self.tokens]
        self.by_sentence: dict[int, list[Token]] = {}
        for token in self.tokens:
            self.by_sentence.setdefault(token.sentence, []).append(token)
        # Masks over folded positions keep lookups cheap however long the text is.
        self.neutral = [m.span() for rx in NEUTRAL_RES for m in rx.finditer(self.folded)]
        self.neutral_mask = self._mask(self.neutral)
        self.neutral_sentences = {self.sentence_of[p] for s, e in self.neutral for p in (s, max(e - 1, s))}
        self.not_negating_mask = self._mask(m.span() for m in NOT_NEGATING_RE.finditer(self.folded))

    def _mask(self, spans: Iterable[Span]) -> bytearray:
        mask = bytearray(len(self.folded) + 1)
        for start, end in spans:
            mask[start:end] = b"\x01" * (end - start)
        return mask

    def _add_sentence(self, start: int, end: int) -> None:
        self.sentence_of.extend([len(self.spans)] * (end - start))
        self.spans.append((start, end))

    def phrase(self, span: Span) -> str:
        """The original characters behind a folded span, shortened for a message."""
        start, end = span
        if start >= end:
            return ""
        text = self.original[self.origin[start]: self.origin[end - 1] + 1].strip()
        return text if len(text) <= 60 else text[:59] + "…"

    def sentence_text(self, position: int) -> tuple[int, str]:
        start, end = self.spans[self.sentence_of[position]]
        return start, self.folded[start:end]

    def tokens_between(self, start: int, end: int) -> list[Token]:
        return self.tokens[bisect.bisect_left(self.token_starts, start): bisect.bisect_left(self.token_starts, end)]

    def in_neutral(self, start: int, end: int) -> bool:
        return any(self.neutral_mask[start:end])

    def sentence_is_neutral(self, position: int) -> bool:
        return self.sentence_of[position] in self.neutral_sentences

    def negated(self, index: int) -> bool:
        """Whether a negation shortly before token ``index`` qualifies it ("pas forcément positif")."""
        token = self.tokens[index]
        return any(
            other.sentence == token.sentence
            and other.word in NEGATIONS
            and not self.not_negating_mask[other.start]
            for other in self.tokens[max(0, index - 4): index]
        )

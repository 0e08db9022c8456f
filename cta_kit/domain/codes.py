"""Redemption codes: 10 random Crockford base32 symbols and one Damm check symbol.

50 random bits keep guessing hopeless (FIELD-NOTES section 4: with 10,000 live codes and
10 guesses a minute for a year, ~5e-5). The check symbol lets the till tell a typo from a
wrong code without a database lookup. It is Damm's algorithm over GF(32) with the quasigroup
x*y = 2x XOR y (multiplication in GF(2^5) modulo x^5+x^2+1), which is totally anti-symmetric:
it catches every single-symbol error and every swap of two adjacent symbols, where Luhn mod 32
misses some swaps.
"""

from __future__ import annotations

import enum
import secrets
import unicodedata
from dataclasses import dataclass
from random import Random

from cta_kit.domain.i18n import N_, Message

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_SYMBOLS = 10
CODE_LENGTH = RANDOM_SYMBOLS + 1

_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
_MODULUS = 0b100101  # x^5 + x^2 + 1, irreducible over GF(2)

# Crockford: people read I and L as one and O as zero; hyphens and spaces are decoration.
# Phones autocorrect hyphens into dashes and minus signs, so those go too.
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})
_DECORATION = {"-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"}


def _times_two(x: int) -> int:
    x <<= 1
    return x ^ _MODULUS if x & 0b100000 else x


def quasigroup(x: int, y: int) -> int:
    """x*y = 2x XOR y in GF(32)."""
    return _times_two(x) ^ y


def _interim(values) -> int:
    interim = 0
    for value in values:
        interim = quasigroup(interim, value)
    return interim


def check_symbol(payload: str) -> str:
    """The symbol c with interim*c = 0, i.e. c = 2*interim (the diagonal is not zero here)."""
    return ALPHABET[_times_two(_interim(_VALUE[s] for s in payload))]


def is_valid(code: str) -> bool:
    """True when an 11-symbol, already normalised code passes its check."""
    return _interim(_VALUE[s] for s in code) == 0


def new_code(rng: Random = secrets.SystemRandom()) -> str:
    payload = "".join(rng.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return payload + check_symbol(payload)


def format_code(code: str) -> str:
    """'KG65MF8F547' -> 'KG65M-F8F54-7': groups of five are easy to read aloud and type."""
    code = normalise_typed_code(code)
    if len(code) != CODE_LENGTH:
        raise ValueError(f"a code has {CODE_LENGTH} symbols, got {code!r}")
    return f"{code[:5]}-{code[5:10]}-{code[10:]}"


def normalise_typed_code(text: str) -> str:
    # NFKC folds full-width letters that some phone keyboards produce.
    text = unicodedata.normalize("NFKC", text).upper()
    kept = "".join(ch for ch in text if not ch.isspace() and ch not in _DECORATION)
    return kept.translate(_READ_AS)


class CodeStatus(enum.Enum):
    OK = "ok"
    MALFORMED = "malformed"  # wrong length or a symbol outside the alphabet
    TYPO = "typo"  # well formed, but the check symbol fails


@dataclass(frozen=True)
class CodeCheck:
    status: CodeStatus
    code: str  # normalised, whatever the status

    @property
    def ok(self) -> bool:
        return self.status is CodeStatus.OK

    @property
    def message(self) -> Message | None:
        if self.status is CodeStatus.MALFORMED:
            return Message(
                N_("A code has %(length)s letters and digits, for example %(example)s."),
                {"length": CODE_LENGTH, "example": "KG65M-F8F54-7"},
            )
        if self.status is CodeStatus.TYPO:
            return Message(N_("This code has a typing mistake: please check each symbol."))
        return None


def check_code(text: str) -> CodeCheck:
    code = normalise_typed_code(text)
    if len(code) != CODE_LENGTH or any(symbol not in _VALUE for symbol in code):
        return CodeCheck(CodeStatus.MALFORMED, code)
    if not is_valid(code):
        return CodeCheck(CodeStatus.TYPO, code)
    return CodeCheck(CodeStatus.OK, code)

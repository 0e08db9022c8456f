import itertools
import random

import pytest

from cta_kit.domain.codes import (
    ALPHABET,
    CODE_LENGTH,
    CodeStatus,
    check_code,
    check_symbol,
    format_code,
    is_valid,
    new_code,
    normalise_typed_code,
    quasigroup,
)

SYMBOLS = range(32)


def sample_codes(count=300, seed=20240501):
    rng = random.Random(seed)
    return [new_code(rng) for _ in range(count)]


# --- the quasigroup itself, checked over every element --------------------------------------


def test_every_row_and_column_is_a_permutation():
    for x in SYMBOLS:
        assert sorted(quasigroup(x, y) for y in SYMBOLS) == list(SYMBOLS)
        assert sorted(quasigroup(y, x) for y in SYMBOLS) == list(SYMBOLS)


def test_totally_anti_symmetric():
    # (c*x)*y == (c*y)*x only when x == y: this is what makes adjacent swaps detectable.
    for c, x, y in itertools.product(SYMBOLS, repeat=3):
        if x != y:
            assert quasigroup(quasigroup(c, x), y) != quasigroup(quasigroup(c, y), x)


def test_multiplication_by_two_uses_x5_x2_1():
    # 2 * x^4 = x^5 = x^2 + 1 = 0b00101
    assert quasigroup(0b10000, 0) == 0b00101
    assert quasigroup(1, 0) == 2


# --- codes -----------------------------------------------------------------------------------


def test_new_code_shape():
    code = new_code()
    assert len(code) == CODE_LENGTH == 11
    assert set(code) <= set(ALPHABET)
    assert is_valid(code)
    assert check_code(code).status is CodeStatus.OK


def test_new_code_is_random_and_reproducible_with_a_seeded_rng():
    assert new_code(random.Random(1)) == new_code(random.Random(1))
    assert len(set(sample_codes(1000))) == 1000


def test_known_example():
    assert check_symbol("KG65MF8F54") == "7"
    assert format_code("KG65MF8F547") == "KG65M-F8F54-7"


@pytest.mark.parametrize("code", sample_codes(120))
def test_every_single_symbol_error_is_detected(code):
    for position, wrong in itertools.product(range(CODE_LENGTH), ALPHABET):
        if wrong != code[position]:
            typo = code[:position] + wrong + code[position + 1 :]
            assert check_code(typo).status is CodeStatus.TYPO, typo


@pytest.mark.parametrize("code", sample_codes(120))
def test_every_adjacent_swap_is_detected(code):
    for position in range(CODE_LENGTH - 1):
        a, b = code[position], code[position + 1]
        if a != b:
            swapped = code[:position] + b + a + code[position + 2 :]
            assert check_code(swapped).status is CodeStatus.TYPO, swapped


def test_adjacent_swaps_exhaustively_over_all_symbol_pairs_and_prefix_states():
    # The interim state before a swap can be any of 32 values; cover all of them.
    for interim, a, b in itertools.product(SYMBOLS, repeat=3):
        if a != b:
            ab = quasigroup(quasigroup(interim, a), b)
            ba = quasigroup(quasigroup(interim, b), a)
            assert ab != ba


# --- what people type ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "KG65M-F8F54-7",
        "kg65m-f8f54-7",
        "  kg65m f8f54 7 ",
        "KG65MF8F547",
        "KG65M\u2013F8F54\u20137",  # an autocorrected en dash
        "ＫＧ６５ＭＦ８Ｆ５４７",  # full-width keyboard
    ],
)
def test_normalise_case_spaces_and_hyphens(typed):
    assert normalise_typed_code(typed) == "KG65MF8F547"
    assert check_code(typed).status is CodeStatus.OK


def test_i_and_l_read_as_one_and_o_as_zero():
    assert normalise_typed_code("iIlL oO") == "111100"
    payload = "10" + "ABCDEFGH"
    code = payload + check_symbol(payload)
    typed = "lO" + code[2:]
    assert check_code(typed).status is CodeStatus.OK
    assert check_code(typed).code == code


@pytest.mark.parametrize(
    "typed",
    ["", "KG65M-F8F54", "KG65M-F8F54-77", "KG65U-F8F54-7", "KG65M-F8F54-*", "KG65M.F8F54.7"],
)
def test_malformed(typed):
    result = check_code(typed)
    assert result.status is CodeStatus.MALFORMED
    assert not result.ok
    assert "11" in result.message.render()


def test_typo_keeps_the_normalised_code_and_says_so():
    result = check_code("kg65m-f8f54-8")
    assert result.status is CodeStatus.TYPO
    assert result.code == "KG65MF8F548"
    assert "typing mistake" in result.message.render()


def test_ok_has_no_message():
    assert check_code("KG65MF8F547").message is None


def test_format_code_rejects_wrong_length():
    with pytest.raises(ValueError):
        format_code("KG65M")

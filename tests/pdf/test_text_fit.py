import random

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from cta_kit.pdf.fonts import font_name
from cta_kit.pdf.text import ELLIPSIS, fit_text, wrap

WORDS = "honest review café crème €2.50 Łódź Žluťoučký we’d love it's Supercalifragilistic a".split()


def random_texts(count, seed=2):
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 60))) for _ in range(count)]


@pytest.mark.parametrize("text", random_texts(40))
@pytest.mark.parametrize("bold", [False, True])
def test_text_never_overflows_its_box(text, bold):
    font = font_name(bold)
    for width, height, size, max_lines in [(200, 40, 11, 3), (80, 12, 9, 1), (30, 60, 8, 10), (220, 15, 7, 2)]:
        fitted = fit_text(text, font, width, height, size, 5, max_lines)
        assert len(fitted.lines) <= max_lines
        assert fitted.height <= height + 1e-6
        assert all(stringWidth(line, font, fitted.font_size) <= width + 1e-6 for line in fitted.lines)
        assert 5 <= fitted.font_size <= size


def test_text_that_fits_is_left_alone():
    fitted = fit_text("Your opinion counts", font_name(True), 300, 20, 11, 6, 1)
    assert fitted.lines == ("Your opinion counts",) and fitted.font_size == 11 and not fitted.truncated


def test_shrinks_before_it_cuts():
    text = "We’d love your honest review, good or bad."
    font = font_name(False)
    full = stringWidth(text, font, 10)
    fitted = fit_text(text, font, full * 0.8, 14, 10, 6, 1)
    assert fitted.lines == (text,) and fitted.font_size < 10 and not fitted.truncated


def test_cuts_with_an_ellipsis_when_even_the_smallest_size_is_too_big():
    fitted = fit_text("word " * 200, font_name(False), 100, 20, 9, 7, 2)
    assert fitted.truncated and fitted.font_size == 7
    assert len(fitted.lines) == 2 and fitted.lines[-1].endswith(ELLIPSIS)


def test_without_shrink_the_size_is_kept():
    fitted = fit_text("word " * 50, font_name(False), 100, 40, 9, 5, 3, shrink=False)
    assert fitted.font_size == 9 and fitted.truncated


def test_long_words_are_split_between_letters():
    font = font_name(False)
    lines = wrap("x" * 200, 50, font, 10)
    assert len(lines) > 1 and "".join(lines) == "x" * 200
    assert all(stringWidth(line, font, 10) <= 50 for line in lines)


def test_newlines_start_new_lines():
    assert wrap("one\ntwo", 500, font_name(False), 10) == ["one", "two"]


def test_alignment_and_baselines():
    fitted = fit_text("a b", font_name(False), 100, 30, 10, 6, 2)
    assert fitted.x_offsets(100, "left") == [0]
    assert fitted.x_offsets(100, "right") == [pytest.approx(100 - fitted.widths[0])]
    (top,) = fitted.baselines(0, 30, "top")
    (bottom,) = fitted.baselines(0, 30, "bottom")
    assert 0 < top < 12 and bottom == pytest.approx(top + 30 - 12)

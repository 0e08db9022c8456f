"""The printer test sheet of every layout, read back: its size, its rulers' numbers, every rung of
its QR ladder decoded, and the print offset moving what it prints."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from cta_kit.domain.print_offset import PrintOffset
from cta_kit.pdf.fonts import font_name
from cta_kit.pdf.printer_test_sheet import QR_LADDER_MM, RULER_MM, PrinterTestWords, render_test_sheet, ruler_labels
from cta_kit.pdf.render import render_cards
from tests.pdf.conftest import LAYOUT_DIR
from tests.pdf_readback import decoded_qr_codes_per_page, pdf_text, qpdf_check, word_positions

LADDER_LINK = "https://search.google.com/local/writereview?placeid=ChIJN1t_tDeuEmsRUsoyG83frY4"
LAYOUT_NAMES = sorted(path.stem for path in LAYOUT_DIR.glob("*.toml"))
POSITION_TOLERANCE_PT = 0.05


def words(offset_line: str = "Offset in use: 0 mm across, 0 mm down.") -> PrinterTestWords:
    return PrinterTestWords(
        title="Printer test sheet: Łódź",
        offset_line=offset_line,
        paragraphs=("1. Print this page at actual size.", "2. Measure each ruler from 0 to 100."),
        ladder_link=LADDER_LINK,
        ladder_labels=tuple(f"{size} mm" for size in QR_LADDER_MM),
    )


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_each_layout_has_a_one_page_sheet_with_numbered_rulers_and_a_readable_ladder(layouts, info, name):
    layout = layouts[name]
    pdf = render_test_sheet(layout, words(), info)
    assert qpdf_check(pdf).returncode == 0
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1
    width, height = (float(v) / mm for v in pages[0].mediabox.upper_right)
    assert width == pytest.approx(layout.page_width_mm, abs=0.01)
    if layout.is_roll:
        assert height > RULER_MM  # as long as the test needs
    else:
        assert height == pytest.approx(layout.page_height_mm, abs=0.01)
    placed = [word for word, _, _ in word_positions(pdf)]
    for label in ruler_labels():
        # numbered every 10 mm, both rulers sharing the corner's 0; a roll's ruler across is as
        # long as the slip is wide, so only the one down the slip reaches 100
        both = label != "0" and not layout.is_roll
        assert placed.count(label) >= (2 if both else 1), label
    text = " ".join(pdf_text(pdf).split())
    assert "Printer test sheet: Łódź" in text and "Measure each ruler" in text
    for size in QR_LADDER_MM:
        assert f"{size} mm" in text
    # 10 mm for an 84-character link is 0.22 mm modules: read at 600 dpi, as a phone reads a print
    assert decoded_qr_codes_per_page(pdf, dpi=600) == [[LADDER_LINK] * len(QR_LADDER_MM)]


def test_rulers_are_numbered_every_10_mm_over_100_mm(layouts, info):
    """Down the left ruler, the numbers 10 to 100 stand 10 mm apart; along the top one, their
    centres do (poppler gives each word's left edge: the labels are centred on their ticks)."""
    pdf = render_test_sheet(layouts["business-card-10up-a4"], words(), info)
    numbers = [(int(word), left, top) for word, left, top in word_positions(pdf) if word.isdigit()]
    column = Counter(left for _, left, _ in numbers).most_common(1)[0][0]
    row = Counter(top for _, _, top in numbers).most_common(1)[0][0]
    down = sorted((top, value) for value, left, top in numbers if left == column)
    across = sorted((left, value) for value, left, top in numbers if top == row)
    assert [value for _, value in down] == list(range(10, RULER_MM + 1, 10))
    assert [value for _, value in across] == list(range(10, RULER_MM + 1, 10))
    assert down[-1][0] - down[0][0] == pytest.approx(90 * mm, abs=POSITION_TOLERANCE_PT)
    # "100" is one digit wider than "10": its left edge is half a digit further left
    assert across[-1][0] - across[0][0] == pytest.approx(90 * mm - 0.5 * stringWidth("0", font_name(False), 6), abs=0.01)


@pytest.mark.parametrize("name", ["business-card-10up-a4", "avery-5371-letter"])
def test_the_offset_moves_everything_on_the_sheet(layouts, info, name):
    layout = layouts[name]
    still = word_positions(render_test_sheet(layout, words(), info))
    moved = word_positions(render_test_sheet(layout, words(), info, PrintOffset(3.0, -2.5)))
    assert len(still) == len(moved)
    for (word, left, top), (moved_word, moved_left, moved_top) in zip(still, moved):
        assert word == moved_word
        assert moved_left - left == pytest.approx(3.0 * mm, abs=POSITION_TOLERANCE_PT)
        assert moved_top - top == pytest.approx(-2.5 * mm, abs=POSITION_TOLERANCE_PT)  # negative: up


def test_the_offset_moves_printed_cards_and_their_crop_marks(layouts, info, sample_cards):
    layout = layouts["business-card-10up-a4"]
    cards = sample_cards(layout.cards_per_page + 1)
    plain = render_cards(layout, cards, info)
    moved = render_cards(layout, cards, info, offset=PrintOffset(-1.5, 4.0))
    for page in (1, 2):
        before, after = word_positions(plain, page), word_positions(moved, page)
        assert [w for w, _, _ in before] == [w for w, _, _ in after] and before
        for (_, left, top), (_, moved_left, moved_top) in zip(before, after):
            assert (moved_left - left, moved_top - top) == pytest.approx((-1.5 * mm, 4.0 * mm), abs=POSITION_TOLERANCE_PT)
    expected = [(x - 1.5 * mm, y - 4.0 * mm) for x, y in _crop_mark_starts(plain)]
    assert len(expected) == 2 * (layout.columns + 1 + layout.rows + 1)  # two marks in line with each card edge
    got = _crop_mark_starts(moved)
    assert [coordinate for point in got for coordinate in point] == pytest.approx(
        [coordinate for point in expected for coordinate in point], abs=0.02
    )
    assert decoded_qr_codes_per_page(moved) == decoded_qr_codes_per_page(plain)


def test_no_offset_prints_the_same_bytes_as_before(layouts, info, sample_cards):
    layout = layouts["business-card-10up-a4"]
    cards = sample_cards(3)
    assert render_cards(layout, cards, info, offset=PrintOffset(0.0, 0.0)) == render_cards(layout, cards, info)


def _crop_mark_starts(pdf: bytes) -> list[tuple[float, float]]:
    """The crop marks' line starts (x, y from the bottom, pt) of page 1, with the page's transformation."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    starts: list[tuple[float, float]] = []

    def visit(operator, operands, cm, tm):
        if operator == b"m" and cm[0] == 1 and cm[3] == 1:  # unrotated, unscaled: crop marks, not QR modules
            starts.append((round(operands[0] + cm[4], 2), round(operands[1] + cm[5], 2)))

    page.extract_text(visitor_operand_before=visit)
    return sorted(starts)

"""A printer test sheet for one layout: its cut lines and crop marks where a real print puts them,
a 100 mm ruler on each axis, a few lines saying how to read it, and a QR code at several sizes.

Printed on the owner's printer and measured, it tells whether the printer scales the page ("fit
to page" shrinks it to about 94-97 %) or shifts it, and which QR size it renders scannably. The
sheet is moved by the same offset as the location's cards, so it checks the offset in use too.
The words come finished, in the owner's language; this module only places them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from cta_kit.domain.layouts import LINE_HEIGHT, PT_MM, Layout
from cta_kit.domain.print_offset import NO_OFFSET, PrintOffset
from cta_kit.pdf import qr as qrcodes
from cta_kit.pdf.fonts import font_name
from cta_kit.pdf.render import DocumentInfo, document_canvas, draw_crop_marks, offset_page
from cta_kit.pdf.text import FittedText, fit_text, wrap

RULER_MM = 100  # long enough to show a 3 % "fit to page" shrink as 3 mm
SHEET_RULER_ORIGIN_MM = 20  # from the paper's left and top edges to the rulers: within every printer's reach
QR_LADDER_MM = (10, 15, 20, 25, 30)
TITLE_PT = 11
SMALLEST_TITLE_PT = 8
SHEET_TITLE_ROOM_MM = 9  # between the top edge's unprintable 5 mm or so and the ruler's "0"
TEXT_PT = 8.5
RULER_LABEL_PT = 6
HAIRLINE_PT = 0.3
CARD_EDGE_GREY = 0.55
CARD_EDGE_DASH_MM = (2, 1.5)
TEXT_COLUMN_GAP_MM = 14  # room for the vertical ruler's ticks and labels
NARROWEST_TEXT_BESIDE_RULER_MM = 60  # narrower (a receipt roll), the text goes below the ruler
WIDEST_TEXT_MM = 150  # longer lines are hard to follow
GAP_MM = 5


@dataclass(frozen=True)
class PrinterTestWords:
    """Everything the sheet says, already in the owner's language and number format."""

    title: str
    offset_line: str  # the offset the sheet is printed with
    paragraphs: tuple[str, ...]  # how to read the sheet
    ladder_link: str  # encoded at every size of the ladder
    ladder_labels: tuple[str, ...]  # one per QR_LADDER_MM size, e.g. "12,5 mm"


@dataclass(frozen=True)
class _Frame:
    """Where the rulers start and how wide the content may run, in mm from the page's top-left."""

    left: float
    top: float  # the horizontal ruler's line
    right: float
    title_top: float
    title: FittedText
    ruler_x_mm: int  # the horizontal ruler's length


def render_test_sheet(layout: Layout, words: PrinterTestWords, info: DocumentInfo,
                      offset: PrintOffset = NO_OFFSET) -> bytes:
    """One page: a sheet of the layout's paper, or a slip of its roll as long as the test needs."""
    if len(words.ladder_labels) != len(QR_LADDER_MM):
        raise ValueError("one ladder label per QR size")
    frame = _frame(layout, words.title)
    text_left, text_top, text_width = _text_column(frame)
    paragraphs = _wrapped(words, text_width)
    text_bottom = text_top + sum(len(lines) * _leading(TEXT_PT) + 1.5 for _, lines, _ in paragraphs)
    ladder = _ladder_places(text_left, frame.right, text_bottom + GAP_MM)
    content_bottom = max(frame.top + RULER_MM + 6, max(y + size + 5 for _, y, size in ladder))
    page_w = layout.page_width_mm
    page_h = content_bottom + layout.bottom_margin_mm if layout.is_roll else layout.page_height_mm

    buffer = io.BytesIO()
    canvas = document_canvas(buffer, page_w, page_h, info)
    with offset_page(canvas, offset):
        _draw_card_edges(canvas, layout, page_h, content_bottom)
        if layout.crop_marks and not layout.is_roll:
            draw_crop_marks(canvas, layout, page_h)
        for line, below in zip(frame.title.lines, frame.title.baselines(0, frame.title.height, "top")):
            _draw_string(canvas, frame.left, frame.title_top + below * PT_MM, line, frame.title.font_size, True, page_h)
        _draw_rulers(canvas, frame, page_h)
        y = text_top
        for _, lines, bold in paragraphs:
            for line in lines:
                y += _leading(TEXT_PT)
                _draw_string(canvas, text_left, y - 0.8, line, TEXT_PT, bold, page_h)
            y += 1.5
        symbol = qrcodes.encode(words.ladder_link)
        for (x, top, size), label in zip(ladder, words.ladder_labels):
            qrcodes.draw_qr(canvas, symbol, x * mm, (page_h - top - size) * mm, size)
            _draw_string(canvas, x + size / 2, top + size + 3.2, label, RULER_LABEL_PT + 1, True, page_h, centred=True)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def ruler_labels() -> list[str]:
    """The numbers printed along each ruler."""
    return [str(value) for value in range(0, RULER_MM + 1, 10)]


def _frame(layout: Layout, title: str) -> _Frame:
    if layout.is_roll:
        # a narrow slip: the title takes the lines it needs, the rulers start below it
        (left, top), = layout.card_origins_mm()
        right = left + layout.card_width_mm
        fitted = fit_text(title, font_name(True), (right - left) / PT_MM, 1000, TITLE_PT, TITLE_PT, 10, shrink=False)
        ruler_x = min(RULER_MM, int((right - left - 2) // 10) * 10)  # its last number within the slip
        return _Frame(left, top + fitted.height * PT_MM + 5, right, top, fitted, ruler_x)
    # a sheet: the rulers stay where the instructions say; a long title shrinks above them
    origin, right = SHEET_RULER_ORIGIN_MM, layout.page_width_mm - 10
    room = SHEET_TITLE_ROOM_MM / PT_MM
    fitted = fit_text(title, font_name(True), (right - origin) / PT_MM, room, TITLE_PT, SMALLEST_TITLE_PT, 2)
    return _Frame(origin, origin, right, origin - 5 - fitted.height * PT_MM, fitted, RULER_MM)


def _text_column(frame: _Frame) -> tuple[float, float, float]:
    """(left, top, width) of the instructions: beside the vertical ruler, or below it on a roll."""
    left = frame.left + TEXT_COLUMN_GAP_MM
    if frame.right - left >= NARROWEST_TEXT_BESIDE_RULER_MM:
        return left, frame.top + 10, min(frame.right - left, WIDEST_TEXT_MM)
    return frame.left, frame.top + RULER_MM + 8, frame.right - frame.left


def _wrapped(words: PrinterTestWords, width_mm: float) -> list[tuple[str, list[str], bool]]:
    width = width_mm / PT_MM
    texts = [(words.offset_line, True)] + [(text, False) for text in words.paragraphs]
    return [(text, wrap(text, width, font_name(bold), TEXT_PT), bold) for text, bold in texts if text]


def _ladder_places(left: float, right: float, top: float) -> list[tuple[float, float, float]]:
    """(x, y, size) of each QR code, smallest first, in rows as wide as the column allows."""
    places, x, row_top, row_height = [], left, top, 0.0
    for size in QR_LADDER_MM:
        if x > left and x + size > right:
            x, row_top, row_height = left, row_top + row_height + GAP_MM, 0.0
        places.append((x, row_top, float(size)))
        x += size + GAP_MM
        row_height = max(row_height, size + 4.0)
    return places


def _leading(font_pt: float) -> float:
    return font_pt * LINE_HEIGHT * PT_MM


def _draw_string(canvas: Canvas, x: float, baseline: float, text: str, size: float, bold: bool, page_h: float,
                 centred: bool = False) -> None:
    """Text whose baseline is `baseline` mm below the page's top."""
    canvas.setFont(font_name(bold), size)
    draw = canvas.drawCentredString if centred else canvas.drawString
    draw(x * mm, (page_h - baseline) * mm, text)


def _draw_rulers(canvas: Canvas, frame: _Frame, page_h: float) -> None:
    """A line with a tick every mm (longer every 5 and 10), numbered every 10 mm."""
    canvas.saveState()
    canvas.setLineWidth(HAIRLINE_PT)
    canvas.setFont(font_name(False), RULER_LABEL_PT)
    x0, y0 = frame.left, frame.top
    segments = [(x0, y0, x0 + frame.ruler_x_mm, y0), (x0, y0, x0, y0 + RULER_MM)]
    for along, length in ((frame.ruler_x_mm, "x"), (RULER_MM, "y")):
        for step in range(along + 1):
            tick = 5.0 if step % 10 == 0 else 3.5 if step % 5 == 0 else 2.0
            if length == "x":
                segments.append((x0 + step, y0, x0 + step, y0 + tick))
                if step == 0:  # the corner's 0, for both rulers, above the corner
                    canvas.drawString((x0 + 0.8) * mm, (page_h - y0 + 1) * mm, "0")
                elif step % 10 == 0:
                    canvas.drawCentredString((x0 + step) * mm, (page_h - y0 - 7.5) * mm, str(step))
            else:
                segments.append((x0, y0 + step, x0 + tick, y0 + step))
                if step % 10 == 0 and step:
                    canvas.drawString((x0 + 6) * mm, (page_h - y0 - step - 0.8) * mm, str(step))
    canvas.lines([(xa * mm, (page_h - ya) * mm, xb * mm, (page_h - yb) * mm) for xa, ya, xb, yb in segments])
    canvas.restoreState()


def _draw_card_edges(canvas: Canvas, layout: Layout, page_h: float, content_bottom: float) -> None:
    """Each card's and each panel's edges as a grey dashed line: where the cuts, perforations and
    folds should fall. On a roll, the two edges of the printed width."""
    canvas.saveState()
    canvas.setLineWidth(HAIRLINE_PT)
    canvas.setStrokeGray(CARD_EDGE_GREY)
    canvas.setDash([d * mm for d in CARD_EDGE_DASH_MM])
    if layout.is_roll:
        (left, top), = layout.card_origins_mm()
        for x in (left, left + layout.card_width_mm):
            canvas.line(x * mm, (page_h - top) * mm, x * mm, (page_h - content_bottom) * mm)
    else:
        for x, y in layout.card_origins_mm():
            canvas.rect(x * mm, (page_h - y - layout.card_height_mm) * mm, layout.card_width_mm * mm,
                        layout.card_height_mm * mm)
            for panel in layout.panels:
                if (panel.width, panel.height) != (layout.card_width_mm, layout.card_height_mm):
                    canvas.rect((x + panel.x) * mm, (page_h - y - panel.y - panel.height) * mm, panel.width * mm,
                                panel.height * mm)
    canvas.restoreState()

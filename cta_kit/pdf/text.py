"""Fitting text into a box: wrap, shrink, and as a last resort cut with an ellipsis.

Shared by the PDF renderer and the SVG preview so that both break lines in the same places.
Text never overflows its box: owners type long offers, and a line running into a QR code
can make it unreadable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from cta_kit.domain.layouts import LINE_HEIGHT, TextStyle
from cta_kit.pdf.fonts import font_name, register_fonts, vertical_metrics

SHRINK_STEP = 0.5  # pt
ELLIPSIS = "\u2026"


@dataclass(frozen=True)
class FittedText:
    lines: tuple[str, ...]
    widths: tuple[float, ...]  # pt
    font: str
    font_size: float  # pt
    truncated: bool

    @property
    def leading(self) -> float:
        return self.font_size * LINE_HEIGHT

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading

    def baselines(self, top: float, box_height: float, valign: str) -> list[float]:
        """Distances from the box's top to each baseline, in pt.

        The baseline sits a descent above the bottom of its line, which leaves room above
        for accented capitals (Ž, Ł) within the 1.2 leading.
        """
        spare = box_height - self.height
        offset = {"top": 0.0, "middle": spare / 2, "bottom": spare}[valign]
        below = -vertical_metrics(self.font)[1] * self.font_size
        return [top + offset + (i + 1) * self.leading - below for i in range(len(self.lines))]

    def x_offsets(self, box_width: float, align: str) -> list[float]:
        factor = {"left": 0.0, "center": 0.5, "right": 1.0}[align]
        return [(box_width - width) * factor for width in self.widths]


def _break_word(word: str, width: float, font: str, size: float) -> list[str]:
    pieces, current = [], ""
    for ch in word:
        if current and stringWidth(current + ch, font, size) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    return pieces + [current] if current else pieces


def wrap(text: str, width: float, font: str, size: float) -> list[str]:
    """Greedy line breaking at spaces; a word longer than the line is split between letters."""
    lines: list[str] = []
    space = stringWidth(" ", font, size)
    for paragraph in text.split("\n"):
        current, current_width = "", 0.0
        for word in paragraph.split():
            word_width = stringWidth(word, font, size)
            if current and current_width + space + word_width <= width:
                current, current_width = f"{current} {word}", current_width + space + word_width
                continue
            if current:
                lines.append(current)
            if word_width > width:
                *whole, word = _break_word(word, width, font, size)
                lines.extend(whole)
                word_width = stringWidth(word, font, size)
            current, current_width = word, word_width
        lines.append(current)
    return lines


def _ellipsise(line: str, width: float, font: str, size: float) -> str:
    while line and stringWidth(line + ELLIPSIS, font, size) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


def _sizes(font_size: float, min_font_size: float, shrink: bool):
    if not shrink:
        return [font_size]
    steps = int(math.floor((font_size - min_font_size) / SHRINK_STEP + 1e-9))
    sizes = [font_size - i * SHRINK_STEP for i in range(steps + 1)]
    return sizes if sizes[-1] == min_font_size else sizes + [min_font_size]


@lru_cache(maxsize=8192)
def fit_text(
    text: str,
    font: str,
    width: float,
    height: float,
    font_size: float,
    min_font_size: float,
    max_lines: int,
    shrink: bool = True,
) -> FittedText:
    """Lay out `text` in a box of width x height pt.

    Cached: a batch of cards repeats the same headline and body, only the code changes.
    """
    register_fonts()
    for size in _sizes(font_size, min_font_size, shrink):
        room = min(max_lines, int(height / (size * LINE_HEIGHT) + 1e-9))
        lines = wrap(text, width, font, size)
        if len(lines) <= room:
            return _fitted(lines, font, size, truncated=False)
    kept = lines[: max(room, 1)]
    if len(lines) > len(kept) or stringWidth(kept[-1], font, size) > width:
        kept[-1] = _ellipsise(kept[-1], width, font, size)
    return _fitted(kept, font, size, truncated=True)


def fit_box(text: str, style: TextStyle, width: float, height: float) -> FittedText:
    """fit_text for a layout's text style, in a box of width x height pt."""
    return fit_text(
        text, font_name(style.bold), width, height, style.font_size, style.min_font_size, style.max_lines, style.shrink
    )


def _fitted(lines: list[str], font: str, size: float, truncated: bool) -> FittedText:
    widths = tuple(stringWidth(line, font, size) for line in lines)
    return FittedText(tuple(lines), widths, font, size, truncated)

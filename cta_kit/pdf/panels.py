"""Drawing one card's panels; what every card of a batch shares is drawn once per panel, as a form.

A batch with direct links repeats everything but the redemption code: its QR codes, captions
and text are encoded, fitted and drawn once into a form XObject, and each card only places the
form and adds what differs. With a link per card (tracked), the text is still shared and only
the code, its QR code and its short link are drawn card by card. Everything is painted in
black, so drawing the shared parts first does not change what overlapping parts look like.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from cta_kit.domain.i18n import Message
from cta_kit.domain.layouts import (
    CARD_VARIABLES,
    Layout,
    LineElement,
    LogoElement,
    Panel,
    QrElement,
    Template,
    TextElement,
    TextStyle,
)
from cta_kit.pdf import qr as qrcodes
from cta_kit.pdf.text import fit_box

if TYPE_CHECKING:
    from cta_kit.pdf.render import CardContent, QrItem

FORM_MARGIN_MM = 2  # a form clips to its box: room for glyphs overhanging their text box


@dataclass(frozen=True)
class _Shared:
    """What every card of a batch has in common."""

    variables: frozenset[str]  # card variables with the same value on every card
    qr_fields: frozenset[tuple[int, str]]  # (slot, QrItem field) alike on every card
    qr_count: int | None  # None when cards have different numbers of codes
    logo: bool

    @classmethod
    def of(cls, cards: Sequence[CardContent]) -> _Shared:
        first = cards[0]
        variables = frozenset(
            name for name in CARD_VARIABLES if all(c.variables.get(name) == first.variables.get(name) for c in cards)
        )
        count = len(first.qr_items)
        if any(len(c.qr_items) != count for c in cards):
            return cls(variables, frozenset(), None, all(c.logo == first.logo for c in cards))
        qr_fields = frozenset(
            (slot, name)
            for slot, item in enumerate(first.qr_items, 1)
            for name in ("url", "label", "short_url")
            if all(getattr(c.qr_items[slot - 1], name) == getattr(item, name) for c in cards)
        )
        return cls(variables, qr_fields, count, all(c.logo == first.logo for c in cards))

    def has(self, slot: int, template: Template) -> bool:
        """Whether a caption line reads the same on every card."""
        return all(
            (slot, _CAPTION_FIELDS[name]) in self.qr_fields if name in _CAPTION_FIELDS else name in self.variables
            for name in template.variables
        )


_CAPTION_FIELDS = {"platform_label": "label", "short_url": "short_url"}


@dataclass(frozen=True)
class _Part:
    """One thing drawn on a panel: an element, or one of a QR code's parts."""

    element: TextElement | QrElement | LogoElement | LineElement
    caption_line: int | None = None  # for a QR element: None for the symbol, else the caption line


class CardPainter:
    """Draws cards; what every card of the batch shares is drawn once per panel, as a form.

    A batch with direct links repeats everything but the code: its QR codes, captions and text
    are encoded, fitted and drawn once, and each card only places the form and adds its code.
    """

    def __init__(self, canvas: Canvas, layout: Layout, cards: Sequence[CardContent], form_prefix: str = ""):
        """``form_prefix`` keeps the forms of several painters on one canvas apart."""
        self.canvas, self.layout = canvas, layout
        self.notes: list[Message] = []
        self._positions: dict[tuple[int, int], dict] = {}
        shared = _Shared.of(cards)
        self.panels = []
        for index, panel in enumerate(layout.panels):
            fixed, varying = self._split(panel, shared)
            form = None
            if fixed:
                form = f"{form_prefix}CardPanel{index}"
                margin = (layout.bleed_mm + FORM_MARGIN_MM) * mm
                canvas.beginForm(form, -margin, -margin, panel.width * mm + margin, panel.height * mm + margin)
                for part in fixed:
                    self._draw_part(panel, part, cards[0])
                canvas.endForm()
            self.panels.append((panel, form, varying))

    def _split(self, panel: Panel, shared: _Shared) -> tuple[list[_Part], list[_Part]]:
        fixed: list[_Part] = []
        varying: list[_Part] = []
        slots = None if shared.qr_count is None else self.layout.qr_positions(panel, shared.qr_count)
        for element in panel.elements:
            if isinstance(element, TextElement):
                (fixed if set(element.text.variables) <= shared.variables else varying).append(_Part(element))
            elif isinstance(element, QrElement):
                if slots is not None and element.slot not in slots:
                    continue
                parts = [(_Part(element), (element.slot, "url") in shared.qr_fields)]
                parts += [(_Part(element, line), shared.has(element.slot, t)) for line, t in enumerate(element.caption)]
                for part, alike in parts:
                    (fixed if alike and slots is not None else varying).append(part)
            elif isinstance(element, LogoElement):
                (fixed if shared.logo else varying).append(_Part(element))
            else:
                fixed.append(_Part(element))
        return fixed, varying

    def draw(self, card: CardContent, left: float, bottom: float) -> None:
        canvas, layout = self.canvas, self.layout
        for panel, form, varying in self.panels:
            canvas.saveState()
            x = left + panel.x * mm
            y = bottom + (layout.card_height_mm - panel.y - panel.height) * mm
            if panel.rotation == 180:
                # Turned about its centre, so the back of a folded tent reads upright.
                canvas.translate(x + panel.width * mm, y + panel.height * mm)
                canvas.rotate(180)
            else:
                canvas.translate(x, y)
            if form:
                canvas.doForm(form)
            for part in varying:
                self._draw_part(panel, part, card)
            canvas.restoreState()

    def _qr_places(self, panel: Panel, count: int) -> dict:
        key = (id(panel), count)
        if key not in self._positions:
            self._positions[key] = self.layout.qr_places(panel, count)
        return self._positions[key]

    def _draw_part(self, panel: Panel, part: _Part, card: CardContent) -> None:
        """Coordinates: pt, origin at the panel's bottom-left."""
        canvas, element = self.canvas, part.element
        height = panel.height * mm
        if isinstance(element, TextElement):
            box = (element.x * mm, height - element.y * mm, element.width * mm, element.height * mm)
            draw_text(canvas, element.text.render(card.variables), box, element.style)
        elif isinstance(element, QrElement):
            places = self._qr_places(panel, len(card.qr_items))
            if element.slot not in places:
                return
            item = card.qr_items[element.slot - 1]
            element = places[element.slot]  # moved, maybe grown, for this many codes
            x, y = element.x, element.y
            if part.caption_line is None:
                symbol = qrcodes.encode(item.url)
                note = qrcodes.check_module_size(symbol, element.size, item.label)
                if note:
                    self.notes.append(note)
                qrcodes.draw_qr(canvas, symbol, x * mm, height - (y + element.size) * mm, element.size)
            else:
                draw_caption(canvas, element, part.caption_line, item, card, x, y, height)
        elif isinstance(element, LogoElement):
            if card.logo:
                image = ImageReader(io.BytesIO(card.logo))
                canvas.drawImage(
                    image,
                    element.x * mm,
                    height - (element.y + element.height) * mm,
                    element.width * mm,
                    element.height * mm,
                    preserveAspectRatio=True,
                    anchor="c",
                    mask="auto",
                )
        else:
            canvas.setLineWidth(element.thickness)
            canvas.setDash([d * mm for d in element.dash] if element.dash else [])
            canvas.line(element.x1 * mm, height - element.y1 * mm, element.x2 * mm, height - element.y2 * mm)


def draw_caption(canvas, element: QrElement, line: int, item: QrItem, card: CardContent, x, y, height) -> None:
    values = {**card.variables, "platform_label": item.label, "short_url": item.short_url}
    left = (x + element.size / 2 - element.caption_width / 2) * mm
    top = height - (y + element.size + element.caption_gap) * mm - line * element.caption_line_height * mm
    box = (left, top, element.caption_width * mm, element.caption_line_height * mm)
    draw_text(canvas, element.caption[line].render(values), box, element.caption_style(line))


def draw_text(canvas: Canvas, text: str, box: tuple[float, float, float, float], style: TextStyle) -> None:
    """Draw `text` in the box (left, top, width, height) pt."""
    if not text:
        return
    x, top, width, height = box
    fitted = fit_box(text, style, width, height)
    canvas.setFont(fitted.font, fitted.font_size)
    for line, dx, below in zip(fitted.lines, fitted.x_offsets(width, style.align), fitted.baselines(0, height, style.valign)):
        canvas.drawString(x + dx, top - below, line)

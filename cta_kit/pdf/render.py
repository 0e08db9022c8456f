"""Cards to PDF with ReportLab: a loaded layout and finished records in, PDF bytes out.

No business rules here: the service decides the text, the codes and the links; this module
only places them. The same input gives byte-identical output (invariant mode, the creation
date taken from DocumentInfo), so a reprint can be compared with the original.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from cta_kit.domain.errors import DomainError
from cta_kit.domain.i18n import N_, Message
from cta_kit.domain.layouts import CARD_VARIABLES, Layout
from cta_kit.domain.print_offset import NO_OFFSET, PrintOffset
from cta_kit.pdf import qr as qrcodes
from cta_kit.pdf.fonts import font_name
from cta_kit.pdf.panels import CardPainter

CROP_MARK_WIDTH = 0.25  # pt: a hairline the guillotine blade covers


class RenderError(DomainError):
    pass


@dataclass(frozen=True)
class QrItem:
    url: str  # what the code encodes
    label: str  # the review site, printed under the code
    short_url: str  # a short link for people who type rather than scan


@dataclass(frozen=True)
class CardContent:
    variables: Mapping[str, str]
    qr_items: tuple[QrItem, ...]
    logo: bytes | None = field(default=None, repr=False)  # PNG or JPEG, for a logo box


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    author: str
    subject: str
    created_at: datetime  # written as UTC; a naive value is taken to be UTC already


def render_cards(
    layout: Layout,
    cards: Sequence[CardContent],
    info: DocumentInfo,
    progress: Callable[[int, int], None] | None = None,
    offset: PrintOffset = NO_OFFSET,
) -> bytes:
    """n-up sheets, as many pages as the cards need; on a roll, one slip per page.

    ``progress(cards_drawn, total)`` is called after each page, for a progress bar. ``offset``
    moves every page's content, for a printer that places the page off.
    """
    if not cards:
        raise RenderError(Message(N_("There are no cards to print.")))
    for card in cards:
        check_card(layout, card)
    page_w, page_h = layout.page_size_mm
    buffer = io.BytesIO()
    canvas = document_canvas(buffer, page_w, page_h, info)
    if layout.is_roll:
        # One slip per page, each as long as its own content; slips of one shape share a painter.
        painters: dict[int, tuple[Layout, CardPainter]] = {}
        for codes in sorted({len(card.qr_items) for card in cards}):
            slip = layout.fitted_to(codes)
            painters[codes] = (slip, CardPainter(canvas, slip, [c for c in cards if len(c.qr_items) == codes], f"Slip{codes}"))
        for done, card in enumerate(cards, start=1):
            slip, painter = painters[len(card.qr_items)]
            slip_w, slip_h = slip.page_size_mm
            canvas.setPageSize((slip_w * mm, slip_h * mm))
            (x, y), = slip.card_origins_mm()
            with offset_page(canvas, offset):
                painter.draw(card, x * mm, (slip_h - y - slip.card_height_mm) * mm)
                if slip.crop_marks:
                    draw_crop_marks(canvas, slip, slip_h)
            canvas.showPage()
            if progress is not None:
                progress(done, len(cards))
        notes = [note for _, painter in painters.values() for note in painter.notes]
    else:
        counts = {len(card.qr_items) for card in cards}
        if len(counts) == 1:  # a batch: every card features the same sites
            layout = layout.fitted_to(counts.pop())
        painter = CardPainter(canvas, layout, cards)
        origins = layout.card_origins_mm()
        for first in range(0, len(cards), layout.cards_per_page):
            with offset_page(canvas, offset):
                for (x, y), card in zip(origins, cards[first : first + layout.cards_per_page]):
                    painter.draw(card, x * mm, (page_h - y - layout.card_height_mm) * mm)
                if layout.crop_marks:
                    draw_crop_marks(canvas, layout, page_h)
            canvas.showPage()
            if progress is not None:
                progress(min(first + layout.cards_per_page, len(cards)), len(cards))
        notes = painter.notes
    canvas.save()
    qrcodes.warn_once(notes)
    return buffer.getvalue()


def render_slip(layout: Layout, card: CardContent, info: DocumentInfo) -> bytes:
    """One thermal slip, for printing at the till."""
    if not layout.is_roll:
        raise ValueError(f"render_slip needs a roll layout, not {layout.name}")
    return render_cards(layout, [card], info)


def check_card(layout: Layout, card: CardContent) -> None:
    unknown = set(card.variables) - set(CARD_VARIABLES)
    if unknown:
        raise ValueError(f"unknown card variables: {sorted(unknown)}")
    if not 1 <= len(card.qr_items) <= layout.qr_slots:
        raise RenderError(
            Message(
                N_("This card has %(count)s review sites; the layout %(layout)s has QR code slots for %(slots)s."),
                {"layout": layout.title, "slots": layout.qr_slots, "count": len(card.qr_items)},
            )
        )


@lru_cache(maxsize=None)
def _binary_streams() -> None:
    # ReportLab wraps compressed streams in ASCII85 for 7-bit mail transports by default: 25%
    # larger, and without the optional C accelerator it took a quarter of the rendering time.
    # Set once, on first render, never at import.
    rl_config.useA85 = 0


@contextmanager
def offset_page(canvas: Canvas, offset: PrintOffset) -> Iterator[None]:
    """What is drawn inside is moved by the offset (y downwards, as layouts measure); no offset
    writes nothing, so a page printed without one stays byte for byte as before."""
    if offset.is_zero:
        yield
        return
    canvas.saveState()
    canvas.translate(offset.x_mm * mm, -offset.y_mm * mm)
    yield
    canvas.restoreState()


def document_canvas(buffer, page_w: float, page_h: float, info: DocumentInfo) -> Canvas:
    _binary_streams()
    canvas = Canvas(
        buffer,
        pagesize=(page_w * mm, page_h * mm),
        invariant=1,
        pageCompression=1,
        initialFontName=font_name(False),  # otherwise an unused, unembedded Helvetica is listed
    )
    canvas.setTitle(info.title)
    canvas.setAuthor(info.author)
    canvas.setSubject(info.subject)
    canvas.setCreator("cta-kit")
    created = info.created_at
    if created.tzinfo is not None:
        created = created.astimezone(timezone.utc)
    stamp = created.strftime("D:%Y%m%d%H%M%S+00'00'")
    canvas.setDateFormatter(lambda *_: stamp)
    return canvas


def legibility_notes(layout: Layout, card: CardContent) -> list[Message]:
    """What the renderer would warn about this card's QR codes (too-small ones raise QrTooSmall)."""
    check_card(layout, card)
    notes: list[Message] = []
    for panel in layout.panels:
        for element in layout.qr_places(panel, len(card.qr_items)).values():
            symbol = qrcodes.encode(card.qr_items[element.slot - 1].url)
            note = qrcodes.check_module_size(symbol, element.size, card.qr_items[element.slot - 1].label)
            if note and note not in notes:
                notes.append(note)
    return notes


def crop_mark_segments(layout: Layout) -> list[tuple[float, float, float, float]]:
    """Crop marks as (x1, y1, x2, y2) in mm from the page's top-left.

    In the margins, in line with every card edge, starting crop_mark_offset away from the grid
    so they never touch a card or its bleed.
    """
    if not layout.crop_marks:
        return []
    origins = layout.card_origins_mm()
    xs = sorted({edge for x, _ in origins for edge in (x, x + layout.card_width_mm)})
    ys = sorted({edge for _, y in origins for edge in (y, y + layout.card_height_mm)})
    near, far = layout.crop_mark_offset_mm, layout.crop_mark_offset_mm + layout.crop_mark_length_mm
    segments = []
    for x in xs:
        segments += [(x, ys[0] - near, x, ys[0] - far), (x, ys[-1] + near, x, ys[-1] + far)]
    for y in ys:
        segments += [(xs[0] - near, y, xs[0] - far, y), (xs[-1] + near, y, xs[-1] + far, y)]
    return segments


def draw_crop_marks(canvas: Canvas, layout: Layout, page_h: float) -> None:
    canvas.saveState()
    canvas.setLineWidth(CROP_MARK_WIDTH)
    canvas.lines(
        [(x1 * mm, (page_h - y1) * mm, x2 * mm, (page_h - y2) * mm) for x1, y1, x2, y2 in crop_mark_segments(layout)]
    )
    canvas.restoreState()

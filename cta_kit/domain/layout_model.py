"""What a print layout is: sheets, cards, panels, elements, and the variables they print.

`layout_loading` builds these from TOML files; `cta_kit.pdf` and the editor's preview read them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cta_kit.domain.errors import DomainError
from cta_kit.domain.i18n import N_, Message

PT_MM = 25.4 / 72
MAX_QR_SLOTS = 4  # the review sites a campaign may feature, on the roomiest layouts
EDGE = 1e-6  # how close to a card's edge counts as on it
LINE_HEIGHT = 1.2  # leading as a multiple of the font size, everywhere text is laid out


class LayoutError(DomainError):
    pass


# --- Variables: one registry for validation, the PDF and the preview --------------------------


@dataclass(frozen=True)
class Variable:
    name: str
    scope: str  # "card": anywhere; "qr": only in the caption under a QR code
    description: str
    sample: str  # shown in previews of layouts before a campaign has text


VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in (
        Variable("headline", "card", N_("The campaign's headline"), "Your opinion counts"),
        Variable(
            "body",
            "card",
            N_("The request itself"),
            "We'd love your honest review, good or bad. It takes a minute and helps us improve.",
        ),
        Variable("offer", "card", N_("The thank-you offer, if any"), "Free coffee on your next visit"),
        Variable("code", "card", N_("The card's redemption code"), "KG65M-F8F54-7"),
        Variable("code_label", "card", N_("What the code is for, in the campaign's language"), "Your offer code"),
        Variable("business", "card", N_("The business's name"), "Bistro Łódź"),
        Variable("location", "card", N_("The location's name or address"), "12 Market Street"),
        Variable(
            "presence_line",
            "card",
            N_("Where the business can be reviewed"),
            "Find us on Google, Tripadvisor and Facebook",
        ),
        Variable("validity", "card", N_("Until when the offer is valid"), "Valid until 30 June"),
        Variable("platform_label", "qr", N_("The review site's name"), "Google"),
        Variable("short_url", "qr", N_("A short link to type by hand"), "cta.example/r/KG65M"),
    )
}
# What a standing piece (a tent, a poster) never prints: it stays put, so no single-use code,
# no offer and no expiry date; its QR code still identifies the piece in tracked mode.
STANDING_WITHHELD = frozenset({"offer", "validity", "code", "code_label"})
CARD_VARIABLES = tuple(sorted(n for n, v in VARIABLES.items() if v.scope == "card"))
QR_VARIABLES = tuple(sorted(n for n, v in VARIABLES.items() if v.scope == "qr"))


@dataclass(frozen=True)
class Template:
    """Text with {variables}; parsed once, at load time. Values are never parsed."""

    source: str
    parts: tuple[tuple[str, str | None], ...]  # (literal, variable name or None)

    @property
    def variables(self) -> tuple[str, ...]:
        return tuple(name for _, name in self.parts if name)

    def render(self, values) -> str:
        """An empty string when every variable is empty, so "Offer: {offer}" disappears."""
        names = self.variables
        if names and not any(values.get(name) for name in names):
            return ""
        return "".join(literal + (values.get(name) or "" if name else "") for literal, name in self.parts)


# --- The layout model ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TextStyle:
    """How a box of text is set; sizes in pt."""

    font_size: float
    min_font_size: float  # the smallest size shrink-to-fit may use
    bold: bool
    align: str = "left"  # left | center | right
    valign: str = "top"  # top | middle | bottom
    max_lines: int = 1
    shrink: bool = True


@dataclass(frozen=True)
class TextElement:
    name: str
    kind: str  # "text", or "code" for the redemption code (one line, bold by default)
    x: float
    y: float
    width: float
    height: float
    text: Template
    font_size: float  # pt
    min_font_size: float  # pt; the smallest size shrink-to-fit may use
    bold: bool
    align: str  # left | center | right
    valign: str  # top | middle | bottom
    max_lines: int
    shrink: bool

    @property
    def style(self) -> TextStyle:
        return TextStyle(
            self.font_size, self.min_font_size, self.bold, self.align, self.valign, self.max_lines, self.shrink
        )

    @property
    def extent(self) -> tuple[float, float, float, float]:
        return self.x, self.y, self.x + self.width, self.y + self.height


@dataclass(frozen=True)
class QrElement:
    name: str
    x: float
    y: float
    size: float
    slot: int  # featured destination 1..MAX_QR_SLOTS
    caption: tuple[Template, ...]  # lines printed under the code
    caption_font_size: float
    caption_min_font_size: float
    caption_width: float  # centred under the code
    caption_gap: float

    def caption_style(self, line: int) -> TextStyle:
        """The review site's name in bold, then the short link; one centred line each."""
        return TextStyle(self.caption_font_size, self.caption_min_font_size, line == 0, "center")

    @property
    def caption_line_height(self) -> float:
        return self.caption_font_size * LINE_HEIGHT * PT_MM

    @property
    def caption_height(self) -> float:
        if not self.caption:
            return 0.0
        return self.caption_gap + len(self.caption) * self.caption_line_height

    @property
    def extent(self) -> tuple[float, float, float, float]:
        half = max(self.size, self.caption_width) / 2
        middle = self.x + self.size / 2
        return middle - half, self.y, middle + half, self.y + self.size + self.caption_height


@dataclass(frozen=True)
class LogoElement:
    name: str
    x: float
    y: float
    width: float
    height: float

    @property
    def extent(self) -> tuple[float, float, float, float]:
        return self.x, self.y, self.x + self.width, self.y + self.height


@dataclass(frozen=True)
class LineElement:
    name: str
    x1: float
    y1: float
    x2: float
    y2: float
    thickness: float  # pt
    dash: tuple[float, ...]  # mm on, mm off; empty for solid

    @property
    def extent(self) -> tuple[float, float, float, float]:
        return min(self.x1, self.x2), min(self.y1, self.y2), max(self.x1, self.x2), max(self.y1, self.y2)


Element = TextElement | QrElement | LogoElement | LineElement


@dataclass(frozen=True)
class Panel:
    """A region of the card with its own elements; a table tent's back panel is turned 180°."""

    name: str
    x: float
    y: float
    width: float
    height: float
    rotation: int  # 0 or 180
    elements: tuple[Element, ...]


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    description: str
    source: str
    page_width_mm: float
    page_height_mm: float | None  # None on a roll: each slip's height comes from the card
    columns: int
    rows: int
    left_margin_mm: float
    top_margin_mm: float
    bottom_margin_mm: float  # only used on a roll (paper fed before the cut)
    column_gap_mm: float
    row_gap_mm: float
    card_width_mm: float
    card_height_mm: float
    bleed_mm: float
    crop_marks: bool
    crop_mark_length_mm: float
    crop_mark_offset_mm: float
    qr_arrangement: str  # "fixed" | "centre-row"
    qr_payload_chars: int
    panels: tuple[Panel, ...]
    warnings: tuple[Message, ...] = ()
    standing: bool = False  # a tent, poster or sticker that stays put: no offer, code or expiry
    qr_max_size: float | None = None  # "centre-row": codes grow into a row's free room up to this

    @property
    def printed_variables(self) -> frozenset[str]:
        """Every card variable some element of the layout prints (QR captions included)."""
        names: set[str] = set()
        for panel in self.panels:
            for element in panel.elements:
                if isinstance(element, TextElement):
                    names.update(element.text.variables)
                elif isinstance(element, QrElement):
                    names.update(name for line in element.caption for name in line.variables)
        return frozenset(names)

    @property
    def is_roll(self) -> bool:
        return self.page_height_mm is None

    @property
    def cards_per_page(self) -> int:
        return self.columns * self.rows

    @property
    def slip_height_mm(self) -> float:
        return self.top_margin_mm + self.card_height_mm + self.bottom_margin_mm

    @property
    def page_size_mm(self) -> tuple[float, float]:
        height = self.slip_height_mm if self.page_height_mm is None else self.page_height_mm
        return self.page_width_mm, height

    @property
    def qr_elements(self) -> tuple[QrElement, ...]:
        return tuple(e for p in self.panels for e in p.elements if isinstance(e, QrElement))

    @property
    def qr_slots(self) -> int:
        return len({e.slot for e in self.qr_elements})

    def card_origins_mm(self) -> tuple[tuple[float, float], ...]:
        """Top-left corner of each card from the page's top-left, row by row."""
        return tuple(
            (
                self.left_margin_mm + column * (self.card_width_mm + self.column_gap_mm),
                self.top_margin_mm + row * (self.card_height_mm + self.row_gap_mm),
            )
            for row in range(self.rows)
            for column in range(self.columns)
        )

    def fitted_to(self, qr_count: int) -> Layout:
        """The layout closed up around the QR codes a card uses: each row of unused QR boxes is
        cut out and what lies below moves up, when nothing kept shares that band.

        A roll's slip gets shorter. A sheet's card keeps its size, since it is cut from a fixed
        grid: its content, closed up, moves down by half the room freed, so that the room goes
        to the margins instead of leaving a band in the middle. Lines spanning the whole card
        (cut guides) stay where they are. Cards of several panels are left as they are.
        """
        if len(self.panels) != 1:
            return self
        panel = self.panels[0]
        elements = list(panel.elements)
        frame = set() if self.is_roll else {
            e.name for e in elements if _top(e) <= EDGE and _bottom(e) >= panel.height - EDGE
        }
        boxes = [e for e in elements if isinstance(e, QrElement)]
        unused_rows = [row for row in qr_rows(boxes) if all(e.slot > qr_count for e in row)]
        height, removed = self.card_height_mm, 0.0
        for row in sorted(unused_rows, key=lambda r: r[0].y, reverse=True):  # bottom-up: cuts never
            names = {box.name for box in row}  # move the rows still to look at
            top = row[0].y
            others = [e for e in elements if e.name not in names]
            movable = [e for e in others if e.name not in frame]
            band_end = min((_top(e) for e in movable if _top(e) > top), default=height)
            if any(_top(e) < band_end and _bottom(e) > top for e in movable):
                continue  # a kept element shares the band (centred codes keep the file's spacing)
            shift = band_end - top
            elements = [_moved_up(e, shift) if e.name not in frame and _top(e) >= band_end else e for e in others]
            height -= shift
            removed += shift
        if not removed:
            return self
        if self.is_roll:
            panel = replace(panel, elements=tuple(elements), height=height)
            return replace(self, card_height_mm=height, panels=(panel,))
        elements = [e if e.name in frame else _moved_up(e, -removed / 2) for e in elements]
        return replace(self, panels=(replace(panel, elements=tuple(elements)),))

    def qr_positions(self, panel: Panel, count: int) -> dict[int, tuple[float, float]]:
        """Where each slot's code goes (its top-left corner) on a card with `count` destinations."""
        return {slot: (box.x, box.y) for slot, box in self.qr_places(panel, count).items()}

    def qr_places(self, panel: Panel, count: int) -> dict[int, QrElement]:
        """Each slot's QR box as printed on a card with `count` destinations: moved, maybe grown.

        "fixed": each slot where the file puts it, unused slots left blank.
        "centre-row": slots fill the rows in order; the codes of a row keep the file's spacing,
        centred on it, so one destination sits in the middle instead of leaving two holes. On a
        sheet, rows left empty give their room to the rows in use, which move down to the middle
        (a roll's slip cuts empty rows out instead). With `qr_max_size`, the codes of a row grow
        into the room the row leaves them, up to that size, centred in the band kept for them.
        """
        boxes = sorted((e for e in panel.elements if isinstance(e, QrElement)), key=lambda e: e.slot)
        present = [e for e in boxes if e.slot <= count]
        if self.qr_arrangement == "fixed" or not present:
            return {e.slot: e for e in present}
        if len(present) == len(boxes) and self.qr_max_size is None:
            return {e.slot: e for e in present}
        rows = qr_rows(boxes)
        used = [row for row in rows if row[0].slot <= count]
        shift = 0.0 if self.is_roll else (rows[-1][0].y - used[-1][0].y) / 2
        places = {}
        for row in used:
            shown = [e for e in row if e.slot <= count]
            size = row[0].size
            gap = (row[-1].x - row[0].x) / (len(row) - 1) - size if len(row) > 1 else 0.0
            grown = size
            if self.qr_max_size is not None:
                span = row[-1].x + size - row[0].x
                grown = max(size, min(self.qr_max_size, (span - gap * (len(shown) - 1)) / len(shown)))
            pitch = grown + gap
            first = (row[0].x + row[-1].x + size) / 2 - (pitch * (len(shown) - 1) + grown) / 2
            top = row[0].y + shift + ((self.qr_max_size - grown) / 2 if self.qr_max_size is not None else 0.0)
            for i, e in enumerate(shown):
                places[e.slot] = replace(e, x=first + i * pitch, y=top, size=grown,
                                         caption_width=e.caption_width + grown - size)
        return places


def qr_rows(boxes: list[QrElement]) -> list[list[QrElement]]:
    """QR boxes grouped by row (same y), in slot order."""
    rows: dict[float, list[QrElement]] = {}
    for box in sorted(boxes, key=lambda e: e.slot):
        rows.setdefault(round(box.y, 3), []).append(box)
    return list(rows.values())


def _top(element: Element) -> float:
    return element.extent[1]


def _bottom(element: Element) -> float:
    return element.extent[3]


def _moved_up(element: Element, shift: float) -> Element:
    if isinstance(element, LineElement):
        return replace(element, y1=element.y1 - shift, y2=element.y2 - shift)
    return replace(element, y=element.y - shift)

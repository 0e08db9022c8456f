"""Print layouts as data: TOML files in mm, every dimension checked when loaded.

A layout says where cards sit on a sheet (or a thermal roll) and where each element sits on a
card. Nothing here draws: `cta_kit.pdf` renders a loaded `Layout`, and the editor's preview
uses the same elements and the same variable registry. See print_layouts/README.md.

As in pylabels' `Specification`, a layout that cannot print correctly never loads: each
problem gets one precise message naming the file, so a wrong margin is found at start-up,
not by a customer holding a misprinted card.
"""

from __future__ import annotations

import math
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import qrcode.constants
import qrcode.util

from cta_kit.domain.errors import DomainError
from cta_kit.domain.i18n import N_, Message

PT_MM = 25.4 / 72
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


# --- QR sizing (FIELD-NOTES section 4) ---------------------------------------------------------

# Rasterised with pdftoppm and decoded with zxing-cpp: 0.33 mm modules decode at 203 dpi, the
# usual thermal printer, and above; 0.5 mm modules decode from 150 dpi, a draft-mode inkjet.
MIN_QR_MODULE_MM = 0.33
COMFORTABLE_QR_MODULE_MM = 0.5
QR_QUIET_ZONE_MODULES = 4  # ISO/IEC 18004 asks for four
DEFAULT_QR_PAYLOAD_CHARS = 80

_EC_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def qr_error_correction(payload_length: int) -> str:
    """More correction where it is cheap, as pretix does (H up to 32 characters).

    pretix drops to L above 128 characters; we stop at M (15% recovery) because cards live
    in wallets and on wet tables, and a longer link is better shortened than made fragile.
    """
    if payload_length <= 32:
        return "H"
    if payload_length <= 64:
        return "Q"
    return "M"


def qr_level_constant(level: str) -> int:
    return _EC_LEVELS[level]


def qr_modules_with_quiet_zone(payload_length: int) -> int:
    """Side of the smallest symbol holding this many bytes, quiet zone included.

    Byte mode is the worst case; the encoder may do better with alphanumeric runs.
    """
    limits = qrcode.util.BIT_LIMIT_TABLE[_EC_LEVELS[qr_error_correction(payload_length)]]
    for version in range(1, 41):
        needed = 4 + (8 if version < 10 else 16) + 8 * payload_length
        if needed <= limits[version]:
            return 4 * version + 17 + 2 * QR_QUIET_ZONE_MODULES
    raise ValueError(f"{payload_length} characters do not fit in a QR code")


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
    slot: int  # featured destination 1..3
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

    def qr_positions(self, panel: Panel, count: int) -> dict[int, tuple[float, float]]:
        """Where each slot's code goes on a card with `count` destinations.

        "fixed": each slot where the file puts it, unused slots left blank.
        "centre-row": the codes present keep the file's spacing, centred on the row,
        so one destination sits in the middle instead of leaving two holes.
        """
        boxes = sorted((e for e in panel.elements if isinstance(e, QrElement)), key=lambda e: e.slot)
        present = [e for e in boxes if e.slot <= count]
        if self.qr_arrangement == "fixed" or not present or len(present) == len(boxes):
            return {e.slot: (e.x, e.y) for e in present}
        xs = [e.x for e in boxes]
        pitch = (xs[-1] - xs[0]) / (len(xs) - 1)
        middle = (xs[0] + xs[-1]) / 2
        first = middle - pitch * (len(present) - 1) / 2
        return {e.slot: (first + i * pitch, e.y) for i, e in enumerate(present)}


# --- Loading -------------------------------------------------------------------------------------

PAPER_SIZES_MM = {
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "A6": (105.0, 148.0),
    "Letter": (215.9, 279.4),
    "Legal": (215.9, 355.6),
}
EPSILON = 1e-6
_MISSING = object()


def _mm(value: float) -> str:
    # An excess of 0.03 mm still fails, so it must not read as 0.0.
    return f"{value:.2f}" if 0 < abs(value) < 0.05 else f"{value:.1f}"


def mm_up(value: float) -> str:
    """A requirement, rounded up: 14.85 mm needed must not read as 14.8."""
    return f"{math.ceil(value * 10 - 1e-6) / 10:.1f}"


class _Context:
    def __init__(self, path: Path):
        self.file = path.name
        self.warnings: list[Message] = []

    def fail(self, text: str, /, **params: Any) -> LayoutError:
        return LayoutError(Message(text, {"file": self.file, **params}))

    def warn(self, text: str, /, **params: Any) -> None:
        self.warnings.append(Message(text, {"file": self.file, **params}))


class _Table:
    """Typed access to one TOML table; every key must be read, so typos are errors."""

    def __init__(self, ctx: _Context, data: Any, where: str):
        if not isinstance(data, dict):
            raise ctx.fail(N_("%(file)s: %(where)s must be a table"), where=where)
        self.ctx, self.data, self.where, self.read = ctx, data, where, set()

    def _get(self, key: str, default: Any) -> Any:
        self.read.add(key)
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            raise self.ctx.fail(N_("%(file)s: %(where)s needs '%(key)s'"), where=self.where, key=key)
        return default

    def number(self, key: str, default: Any = _MISSING, *, positive: bool = False, signed: bool = False) -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.ctx.fail(
                N_("%(file)s: %(where)s: '%(key)s' must be a number"),
                where=self.where,
                key=key,
            )
        if positive and value <= 0:
            raise self.ctx.fail(
                N_("%(file)s: %(where)s: '%(key)s' must be greater than zero"), where=self.where, key=key
            )
        if value < 0 and not signed:
            raise self.ctx.fail(
                N_("%(file)s: %(where)s: '%(key)s' cannot be negative"), where=self.where, key=key
            )
        return float(value)

    def number_or(self, key: str, word: str, default: Any = _MISSING) -> float | str:
        if self.data.get(key, default) == word:
            self.read.add(key)
            return word
        return self.number(key, default)

    def integer(self, key: str, default: Any = _MISSING, *, low: int = 1, high: int = 1000) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.ctx.fail(
                N_("%(file)s: %(where)s: '%(key)s' must be a whole number from %(low)s to %(high)s"),
                where=self.where,
                key=key,
                low=low,
                high=high,
            )
        return value

    def string(self, key: str, default: Any = _MISSING, choices: tuple[str, ...] = ()) -> str:
        value = self._get(key, default)
        if not isinstance(value, str) or (choices and value not in choices):
            if choices:
                raise self.ctx.fail(
                    N_("%(file)s: %(where)s: '%(key)s' must be one of %(choices)s"),
                    where=self.where,
                    key=key,
                    choices=", ".join(choices),
                )
            raise self.ctx.fail(N_("%(file)s: %(where)s: '%(key)s' must be text"), where=self.where, key=key)
        return value

    def boolean(self, key: str, default: Any = _MISSING) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.ctx.fail(
                N_("%(file)s: %(where)s: '%(key)s' must be true or false"), where=self.where, key=key
            )
        return value

    def table(self, key: str) -> _Table:
        return _Table(self.ctx, self._get(key, {}), f"[{key}]")

    def array(self, key: str) -> list:
        value = self._get(key, [])
        if not isinstance(value, list):
            raise self.ctx.fail(N_("%(file)s: %(where)s: '%(key)s' must be a list"), where=self.where, key=key)
        return value

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            raise self.ctx.fail(
                N_("%(file)s: %(where)s has an unknown setting '%(key)s'"), where=self.where, key=unknown[0]
            )


def _template(ctx: _Context, source: str, where: str, allowed: tuple[str, ...]) -> Template:
    try:
        pieces = list(string.Formatter().parse(source))
    except ValueError:
        raise ctx.fail(
            N_("%(file)s: %(where)s: unbalanced braces in %(text)s (write {{ or }} for a literal brace)"),
            where=where,
            text=repr(source),
        ) from None
    parts = []
    for literal, field, spec, conversion in pieces:
        if field is not None:
            if field not in VARIABLES or spec or conversion:
                raise ctx.fail(
                    N_("%(file)s: %(where)s uses an unknown variable {%(name)s}: use one of %(known)s"),
                    where=where,
                    name=field,
                    known=", ".join(allowed),
                )
            if field not in allowed:
                raise ctx.fail(
                    N_("%(file)s: %(where)s uses {%(name)s}, which only exists in the caption under a QR code"),
                    where=where,
                    name=field,
                )
        parts.append((literal, field or None))
    return Template(source, tuple(parts))


def _text_element(t: _Table, name: str, kind: str) -> TextElement:
    where = f"element '{name}'"
    code = kind == "code"
    font_size = t.number("font_size", 10 if code else 9, positive=True)
    element = TextElement(
        name=name,
        kind=kind,
        x=t.number("x", signed=True),
        y=t.number("y", signed=True),
        width=t.number("width", positive=True),
        height=t.number("height", positive=True),
        text=_template(t.ctx, t.string("text", "{code}" if code else _MISSING), where, CARD_VARIABLES),
        font_size=font_size,
        min_font_size=t.number("min_font_size", min(6.0, font_size), positive=True),
        bold=t.boolean("bold", code),
        align=t.string("align", "left", ("left", "center", "right")),
        valign=t.string("valign", "top", ("top", "middle", "bottom")),
        max_lines=1 if code else t.integer("max_lines", 1, high=50),
        shrink=t.boolean("shrink", True),
    )
    if element.min_font_size > element.font_size:
        raise t.ctx.fail(
            N_("%(file)s: %(where)s: min_font_size %(min)s pt is larger than font_size %(size)s pt"),
            where=where,
            min=element.min_font_size,
            size=element.font_size,
        )
    smallest = element.min_font_size if element.shrink else element.font_size
    needed = smallest * LINE_HEIGHT * PT_MM
    if element.height + EPSILON < needed:
        raise t.ctx.fail(
            N_("%(file)s: text '%(name)s' is %(height)s mm tall: one line at %(size)s pt needs %(needed)s mm"),
            name=name,
            height=_mm(element.height),
            size=smallest,
            needed=mm_up(needed),
        )
    return element


def _qr_element(t: _Table, name: str, payload_chars: int) -> QrElement:
    where = f"element '{name}'"
    size = t.number("size", positive=True)
    captions = t.array("caption") if "caption" in t.data else ["{platform_label}", "{short_url}"]
    t.read.add("caption")
    if not all(isinstance(line, str) for line in captions) or len(captions) > 3:
        raise t.ctx.fail(
            N_("%(file)s: %(where)s: 'caption' must be a list of up to three lines of text"), where=where
        )
    font_size = t.number("caption_font_size", 5.5, positive=True)
    element = QrElement(
        name=name,
        x=t.number("x", signed=True),
        y=t.number("y", signed=True),
        size=size,
        slot=t.integer("slot", high=3),
        caption=tuple(_template(t.ctx, line, where, CARD_VARIABLES + QR_VARIABLES) for line in captions),
        caption_font_size=font_size,
        caption_min_font_size=t.number("caption_min_font_size", min(4.0, font_size), positive=True),
        caption_width=t.number("caption_width", size, positive=True),
        caption_gap=t.number("caption_gap", 0.5),
    )
    modules = qr_modules_with_quiet_zone(payload_chars)
    module = size / modules
    if module + EPSILON < MIN_QR_MODULE_MM:
        raise t.ctx.fail(
            N_(
                "%(file)s: QR box '%(name)s' is %(size)s mm: at least %(needed)s mm is needed for "
                "links of %(chars)s characters (%(modules)s modules with the quiet zone, at %(min)s mm "
                "per module, the smallest a 203 dpi thermal printer prints legibly)"
            ),
            name=name,
            size=_mm(size),
            needed=mm_up(modules * MIN_QR_MODULE_MM),
            chars=payload_chars,
            modules=modules,
            min=MIN_QR_MODULE_MM,
        )
    if module + EPSILON < COMFORTABLE_QR_MODULE_MM:
        t.ctx.warn(
            N_(
                "%(file)s: QR box '%(name)s' is %(size)s mm: modules of %(module)s mm need a printer "
                "of at least 203 dpi; %(comfortable)s mm would scan from any printer"
            ),
            name=name,
            size=_mm(size),
            module=f"{module:.2f}",
            comfortable=mm_up(modules * COMFORTABLE_QR_MODULE_MM),
        )
    return element


def _element(ctx: _Context, data: Any, index: int, payload_chars: int) -> Element:
    t = _Table(ctx, data, f"element {index}")
    name = t.string("name")
    t.where = f"element '{name}'"
    kind = t.string("type", choices=("text", "code", "qr", "logo", "line"))
    if kind in ("text", "code"):
        element: Element = _text_element(t, name, kind)
    elif kind == "qr":
        element = _qr_element(t, name, payload_chars)
    elif kind == "logo":
        element = LogoElement(
            name, t.number("x", signed=True), t.number("y", signed=True), t.number("width", positive=True), t.number("height", positive=True)
        )
    else:
        dash = t.array("dash")
        if not all(isinstance(d, (int, float)) and not isinstance(d, bool) and d > 0 for d in dash):
            raise ctx.fail(N_("%(file)s: %(where)s: 'dash' must be a list of lengths in mm"), where=t.where)
        element = LineElement(
            name,
            t.number("x1", signed=True),
            t.number("y1", signed=True),
            t.number("x2", signed=True),
            t.number("y2", signed=True),
            t.number("thickness", 0.5, positive=True),
            tuple(float(d) for d in dash),
        )
    t.done()
    return element


def _sheet(ctx: _Context, t: _Table) -> tuple[float, float | None]:
    if "roll_width" in t.data:
        for key in ("size", "width", "height", "orientation"):
            if key in t.data:
                raise ctx.fail(N_("%(file)s: [sheet]: a roll has a width only, not '%(key)s'"), key=key)
        return t.number("roll_width", positive=True), None
    if "size" in t.data:
        if "width" in t.data or "height" in t.data:
            raise ctx.fail(N_("%(file)s: [sheet]: give either a named size or a width and height, not both"))
        size = t.string("size")
        if size not in PAPER_SIZES_MM:
            raise ctx.fail(
                N_("%(file)s: [sheet]: unknown sheet size '%(size)s': use one of %(known)s, or give width and height"),
                size=size,
                known=", ".join(PAPER_SIZES_MM),
            )
        width, height = PAPER_SIZES_MM[size]
    else:
        width, height = t.number("width", positive=True), t.number("height", positive=True)
    if t.string("orientation", "portrait", ("portrait", "landscape")) == "landscape":
        width, height = max(width, height), min(width, height)
    return width, height


def _place(ctx: _Context, axis: str, available: float, count: int, size: float, gap: float, margin):
    """The first card's offset along one axis, as pylabels checks its margins."""
    used = count * size + (count - 1) * gap
    start = (available - used) / 2 if margin == "centered" else margin
    excess = max(start, 0.0) + used - available
    if excess > EPSILON:
        raise ctx.fail(
            N_("%(file)s: cards are %(excess)s mm too wide for the sheet")
            if axis == "x"
            else N_("%(file)s: cards are %(excess)s mm too tall for the sheet"),
            excess=_mm(excess),
        )
    return start


def _check_extent(ctx: _Context, element: Element, panel: Panel, card: tuple[float, float], bleed: float):
    """Inside the panel; where a panel edge is the card's edge, elements may run into the bleed."""
    left, top, right, bottom = element.extent
    card_w, card_h = card
    edges = (
        ("left", -left, abs(panel.x) < EPSILON),
        ("top", -top, abs(panel.y) < EPSILON),
        ("right", right - panel.width, abs(panel.x + panel.width - card_w) < EPSILON),
        ("bottom", bottom - panel.height, abs(panel.y + panel.height - card_h) < EPSILON),
    )
    for edge, beyond, on_card_edge in edges:
        allowed = bleed if on_card_edge else 0.0
        if beyond > allowed + EPSILON:
            raise ctx.fail(
                N_("%(file)s: element '%(name)s' extends %(beyond)s mm beyond the card's %(edge)s edge")
                if panel.name == "card"
                else N_("%(file)s: element '%(name)s' extends %(beyond)s mm beyond the %(edge)s edge of panel '%(panel)s'"),
                name=element.name,
                beyond=_mm(beyond - allowed),
                edge=edge,
                panel=panel.name,
            )


def _panels(ctx: _Context, root: _Table, card_w: float, card_h: float, bleed: float, chars: int):
    raw_panels = root.array("panel")
    if raw_panels and "element" in root.data:
        raise ctx.fail(N_("%(file)s: put elements either in panels or at the top level, not both"))
    if not raw_panels:
        raw_panels = [{"name": "card", "element": root.array("element")}]
    root.read.add("element")
    panels, names = [], set()
    for index, raw in enumerate(raw_panels, 1):
        t = _Table(ctx, raw, f"panel {index}")
        name = t.string("name")
        t.where = f"panel '{name}'"
        whole = name == "card" and "x" not in raw
        panel = Panel(
            name=name,
            x=0.0 if whole else t.number("x"),
            y=0.0 if whole else t.number("y"),
            width=card_w if whole else t.number("width", positive=True),
            height=card_h if whole else t.number("height", positive=True),
            rotation=0 if whole else t.integer("rotation", 0, low=0, high=180),
            elements=tuple(_element(ctx, e, i, chars) for i, e in enumerate(t.array("element"), 1)),
        )
        t.done()
        if panel.rotation not in (0, 180):
            raise ctx.fail(N_("%(file)s: panel '%(name)s': rotation must be 0 or 180"), name=name)
        for edge, beyond in (
            ("right", panel.x + panel.width - card_w),
            ("bottom", panel.y + panel.height - card_h),
        ):
            if beyond > EPSILON:
                raise ctx.fail(
                    N_("%(file)s: panel '%(name)s' extends %(beyond)s mm beyond the card's %(edge)s edge"),
                    name=name,
                    beyond=_mm(beyond),
                    edge=edge,
                )
        for other in panels:
            if (
                panel.x < other.x + other.width - EPSILON
                and other.x < panel.x + panel.width - EPSILON
                and panel.y < other.y + other.height - EPSILON
                and other.y < panel.y + panel.height - EPSILON
            ):
                raise ctx.fail(N_("%(file)s: panels '%(a)s' and '%(b)s' overlap"), a=other.name, b=name)
        for element in panel.elements:
            if element.name in names:
                raise ctx.fail(N_("%(file)s: two elements are named '%(name)s'"), name=element.name)
            names.add(element.name)
        names.add(name)
        panels.append(panel)
    return tuple(panels)


def _auto_height(panels_data: list, ctx: _Context, chars: int) -> float:
    """A roll's card ends below its lowest element: parse once to measure, again to check."""
    lowest = 0.0
    for index, element in enumerate(panels_data, 1):
        lowest = max(lowest, _element(ctx, element, index, chars).extent[3])
    return lowest


def _check_centre_row(ctx: _Context, panel: str, qrs: list[QrElement]) -> None:
    first = qrs[0]
    for other in qrs[1:]:
        if abs(other.y - first.y) > EPSILON or abs(other.size - first.size) > EPSILON:
            raise ctx.fail(
                N_(
                    "%(file)s: with qr_arrangement = \"centre-row\", QR boxes '%(a)s' and '%(b)s' "
                    "must have the same y and size"
                ),
                a=first.name,
                b=other.name,
            )
    steps = [b.x - a.x for a, b in zip(qrs, qrs[1:])]
    if any(step <= 0 or abs(step - steps[0]) > 0.01 for step in steps):
        raise ctx.fail(
            N_(
                "%(file)s: with qr_arrangement = \"centre-row\", the QR boxes of panel '%(panel)s' "
                "must run left to right by slot, evenly spaced"
            ),
            panel=panel,
        )


def _check_card(ctx: _Context, layout: Layout) -> None:
    card = (layout.card_width_mm, layout.card_height_mm)
    for panel in layout.panels:
        for element in panel.elements:
            _check_extent(ctx, element, panel, card, layout.bleed_mm)
        qrs = [e for e in panel.elements if isinstance(e, QrElement)]
        slots = [e.slot for e in qrs]
        if len(set(slots)) != len(slots):
            raise ctx.fail(N_("%(file)s: panel '%(name)s' has two QR boxes for the same slot"), name=panel.name)
        if sorted(slots) != list(range(1, len(slots) + 1)):
            raise ctx.fail(
                N_("%(file)s: QR slots must be numbered from 1 without gaps: found %(slots)s"),
                slots=", ".join(map(str, sorted(slots))),
            )
        if layout.qr_arrangement == "centre-row" and len(qrs) > 1:
            _check_centre_row(ctx, panel.name, sorted(qrs, key=lambda e: e.slot))
    if not layout.qr_elements:
        raise ctx.fail(N_("%(file)s: the layout has no QR box: a review card needs at least one"))
    texts = [e for p in layout.panels for e in p.elements if isinstance(e, TextElement)]
    if not any("code" in e.text.variables for e in texts):
        raise ctx.fail(N_("%(file)s: the layout never prints {code}: every card needs its redemption code"))


def _check_margins(ctx: _Context, layout: Layout) -> None:
    page_w, page_h = layout.page_size_mm
    grid_w = layout.columns * layout.card_width_mm + (layout.columns - 1) * layout.column_gap_mm
    grid_h = layout.rows * layout.card_height_mm + (layout.rows - 1) * layout.row_gap_mm
    margins = {
        "left": layout.left_margin_mm,
        "top": layout.top_margin_mm,
        "right": page_w - layout.left_margin_mm - grid_w,
        "bottom": page_h - layout.top_margin_mm - grid_h,
    }
    bleed = layout.bleed_mm
    for gap_name, gap, count in (("column", layout.column_gap_mm, layout.columns), ("row", layout.row_gap_mm, layout.rows)):
        if count > 1 and bleed > 0 and gap + EPSILON < 2 * bleed:
            raise ctx.fail(
                N_("%(file)s: a bleed of %(bleed)s mm needs %(which)s gaps of at least %(needed)s mm, not %(gap)s mm"),
                bleed=_mm(bleed),
                which=gap_name,
                needed=mm_up(2 * bleed),
                gap=_mm(gap),
            )
    for edge, margin in margins.items():
        if bleed > margin + EPSILON:
            raise ctx.fail(
                N_("%(file)s: the %(bleed)s mm bleed runs %(beyond)s mm off the sheet's %(edge)s edge"),
                bleed=_mm(bleed),
                beyond=_mm(bleed - margin),
                edge=edge,
            )
    if not layout.crop_marks:
        return
    if layout.crop_mark_offset_mm + EPSILON < bleed:
        raise ctx.fail(
            N_("%(file)s: crop marks start %(offset)s mm from the cards, inside the %(bleed)s mm bleed"),
            offset=_mm(layout.crop_mark_offset_mm),
            bleed=_mm(bleed),
        )
    needed = layout.crop_mark_offset_mm + layout.crop_mark_length_mm
    for edge, margin in margins.items():
        if needed > margin + EPSILON:
            raise ctx.fail(
                N_("%(file)s: crop marks need %(needed)s mm outside the cards but the %(edge)s margin is %(margin)s mm"),
                needed=mm_up(needed),
                edge=edge,
                margin=_mm(margin),
            )


def load_layout(path: str | Path) -> Layout:
    path = Path(path)
    ctx = _Context(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ctx.fail(N_("%(file)s: not valid TOML: %(error)s"), error=str(error)) from None
    root = _Table(ctx, data, "the file")
    title = root.string("title")
    description = root.string("description", "")
    sheet, grid, card = root.table("sheet"), root.table("grid"), root.table("card")

    page_w, page_h = _sheet(ctx, sheet)
    bleed = sheet.number("bleed", 0.0)
    crop_marks = sheet.boolean("crop_marks", False)
    crop_length = sheet.number("crop_mark_length", 5.0, positive=True)
    crop_offset = sheet.number("crop_mark_offset", max(2.0, bleed))
    sheet.done()

    roll = page_h is None
    if roll and (grid.data.get("columns", 1) != 1 or grid.data.get("rows", 1) != 1):
        raise ctx.fail(N_("%(file)s: [grid]: a roll prints one slip per page: columns and rows must be 1"))
    columns = grid.integer("columns", 1, high=50)
    rows = grid.integer("rows", 1, high=50)
    column_gap, row_gap = grid.number("column_gap", 0.0), grid.number("row_gap", 0.0)
    left, top = grid.number_or("left", "centered", "centered"), grid.number_or("top", "centered", "centered")
    bottom = grid.number("bottom", 0.0) if roll else 0.0
    grid.done()

    chars = card.integer("qr_payload_chars", DEFAULT_QR_PAYLOAD_CHARS, high=1000)
    arrangement = card.string("qr_arrangement", "fixed", ("fixed", "centre-row"))
    card_w = card.number("width", positive=True)
    if roll and card.data.get("height") == "auto":
        card.read.add("height")
        if "panel" in root.data:
            raise ctx.fail(N_("%(file)s: [card]: height = \"auto\" works with top-level elements only"))
        card_h = _auto_height(root.array("element"), _Context(path), chars)
    else:
        card_h = card.number("height", positive=True)
    card.done()

    start_x = _place(ctx, "x", page_w, columns, card_w, column_gap, left)
    if roll:
        if top == "centered":
            raise ctx.fail(N_("%(file)s: [grid]: a roll has no height to centre on: give 'top' in mm"))
        start_y = top
    else:
        start_y = _place(ctx, "y", page_h, rows, card_h, row_gap, top)

    panels = _panels(ctx, root, card_w, card_h, bleed, chars)
    root.done()
    layout = Layout(
        name=path.stem,
        title=title,
        description=description,
        source=str(path),
        page_width_mm=page_w,
        page_height_mm=page_h,
        columns=columns,
        rows=rows,
        left_margin_mm=start_x,
        top_margin_mm=start_y,
        bottom_margin_mm=bottom,
        column_gap_mm=column_gap,
        row_gap_mm=row_gap,
        card_width_mm=card_w,
        card_height_mm=card_h,
        bleed_mm=bleed,
        crop_marks=crop_marks,
        crop_mark_length_mm=crop_length,
        crop_mark_offset_mm=crop_offset,
        qr_arrangement=arrangement,
        qr_payload_chars=chars,
        panels=panels,
        warnings=tuple(ctx.warnings),
    )
    _check_card(ctx, layout)
    _check_margins(ctx, layout)
    return layout


def load_layouts(directory: str | Path) -> dict[str, Layout]:
    """Every *.toml in the directory, by name; one broken file stops the lot."""
    paths = sorted(Path(directory).glob("*.toml"))
    return {path.stem: load_layout(path) for path in paths}

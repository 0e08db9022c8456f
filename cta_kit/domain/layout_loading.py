"""Loading print layouts from TOML files, every dimension checked on the way in.

As in pylabels' `Specification`, a layout that cannot print correctly never loads: each
problem gets one precise message naming the file, so a wrong margin is found at start-up,
not by a customer holding a misprinted card.
"""

from __future__ import annotations

import string
import tomllib
from pathlib import Path
from typing import Any

from cta_kit.domain.i18n import N_
from cta_kit.domain.layout_checks import check_card, check_margins
from cta_kit.domain.layout_model import (
    MAX_QR_SLOTS,
    CARD_VARIABLES,
    LINE_HEIGHT,
    PT_MM,
    QR_VARIABLES,
    VARIABLES,
    Element,
    Layout,
    LineElement,
    LogoElement,
    Panel,
    QrElement,
    Template,
    TextElement,
)
from cta_kit.domain.layout_toml import EPSILON, MISSING, Context, Table, mm, mm_up
from cta_kit.domain.qr_sizing import (
    COMFORTABLE_QR_MODULE_MM,
    DEFAULT_QR_PAYLOAD_CHARS,
    MIN_QR_MODULE_MM,
    qr_modules_with_quiet_zone,
)

PAPER_SIZES_MM = {
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "A6": (105.0, 148.0),
    "Letter": (215.9, 279.4),
    "Legal": (215.9, 355.6),
}


def _template(ctx: Context, source: str, where: str, allowed: tuple[str, ...]) -> Template:
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
        if any(character.isalpha() for character in literal):
            raise ctx.fail(
                N_(
                    "%(file)s: %(where)s prints the words %(text)s: every word on a card is in the campaign's "
                    "language, so print a variable such as {code_label} instead"
                ),
                where=where,
                text=repr(literal.strip()),
            )
        parts.append((literal, field or None))
    return Template(source, tuple(parts))


def _text_element(t: Table, name: str, kind: str) -> TextElement:
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
        text=_template(t.ctx, t.string("text", "{code}" if code else MISSING), where, CARD_VARIABLES),
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
            height=mm(element.height),
            size=smallest,
            needed=mm_up(needed),
        )
    return element


def _qr_element(t: Table, name: str, payload_chars: int) -> QrElement:
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
        slot=t.integer("slot", high=MAX_QR_SLOTS),
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
            size=mm(size),
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
            size=mm(size),
            module=f"{module:.2f}",
            comfortable=mm_up(modules * COMFORTABLE_QR_MODULE_MM),
        )
    return element


def _element(ctx: Context, data: Any, index: int, payload_chars: int) -> Element:
    t = Table(ctx, data, f"element {index}")
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


def _sheet(ctx: Context, t: Table) -> tuple[float, float | None]:
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


def _place(ctx: Context, axis: str, available: float, count: int, size: float, gap: float, margin):
    """The first card's offset along one axis, as pylabels checks its margins."""
    used = count * size + (count - 1) * gap
    start = (available - used) / 2 if margin == "centered" else margin
    excess = max(start, 0.0) + used - available
    if excess > EPSILON:
        raise ctx.fail(
            N_("%(file)s: cards are %(excess)s mm too wide for the sheet")
            if axis == "x"
            else N_("%(file)s: cards are %(excess)s mm too tall for the sheet"),
            excess=mm(excess),
        )
    return start


def _panels(ctx: Context, root: Table, card_w: float, card_h: float, bleed: float, chars: int):
    raw_panels = root.array("panel")
    if raw_panels and "element" in root.data:
        raise ctx.fail(N_("%(file)s: put elements either in panels or at the top level, not both"))
    if not raw_panels:
        raw_panels = [{"name": "card", "element": root.array("element")}]
    root.read.add("element")
    panels, names = [], set()
    for index, raw in enumerate(raw_panels, 1):
        t = Table(ctx, raw, f"panel {index}")
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
                    beyond=mm(beyond),
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


def _auto_height(panels_data: list, ctx: Context, chars: int) -> float:
    """A roll's card ends below its lowest element: parse once to measure, again to check."""
    lowest = 0.0
    for index, element in enumerate(panels_data, 1):
        lowest = max(lowest, _element(ctx, element, index, chars).extent[3])
    return lowest


def load_layout(path: str | Path) -> Layout:
    path = Path(path)
    ctx = Context(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ctx.fail(N_("%(file)s: not valid TOML: %(error)s"), error=str(error)) from None
    root = Table(ctx, data, "the file")
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
    standing = card.boolean("standing", False)
    qr_max_size = card.number("qr_max_size", positive=True) if "qr_max_size" in card.data else None
    card_w = card.number("width", positive=True)
    if roll and card.data.get("height") == "auto":
        card.read.add("height")
        if "panel" in root.data:
            raise ctx.fail(N_("%(file)s: [card]: height = \"auto\" works with top-level elements only"))
        card_h = _auto_height(root.array("element"), Context(path), chars)
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
        standing=standing,
        qr_max_size=qr_max_size,
    )
    check_card(ctx, layout)
    check_margins(ctx, layout)
    return layout


def load_layouts(directory: str | Path) -> dict[str, Layout]:
    """Every *.toml in the directory, by name; one broken file stops the lot."""
    paths = sorted(Path(directory).glob("*.toml"))
    return {path.stem: load_layout(path) for path in paths}

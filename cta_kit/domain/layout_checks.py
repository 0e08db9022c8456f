"""Checks of a parsed layout as a whole: elements inside their panels, slots, bleed and margins."""

from __future__ import annotations

from cta_kit.domain.i18n import N_
from cta_kit.domain.layout_model import (
    STANDING_WITHHELD,
    Element,
    Layout,
    Panel,
    QrElement,
    TextElement,
    qr_rows,
)
from cta_kit.domain.layout_toml import EPSILON, Context, mm, mm_up


def _check_extent(ctx: Context, element: Element, panel: Panel, card: tuple[float, float], bleed: float):
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
                beyond=mm(beyond - allowed),
                edge=edge,
                panel=panel.name,
            )


def _check_centre_row(ctx: Context, panel: str, qrs: list[QrElement]) -> None:
    first = qrs[0]
    for other in qrs[1:]:
        if abs(other.size - first.size) > EPSILON:
            raise ctx.fail(
                N_("%(file)s: with qr_arrangement = \"centre-row\", QR boxes '%(a)s' and '%(b)s' must have the same size"),
                a=first.name,
                b=other.name,
            )
    rows = qr_rows(qrs)
    for above, below in zip(rows, rows[1:]):
        if below[0].y < above[0].extent[3] - EPSILON:
            raise ctx.fail(
                N_(
                    "%(file)s: with qr_arrangement = \"centre-row\", QR boxes '%(a)s' and '%(b)s' must share a "
                    "row or sit in rows that do not overlap"
                ),
                a=above[0].name,
                b=below[0].name,
            )
    in_order = all(a[-1].y < b[0].y for a, b in zip(rows, rows[1:]))
    steps = [b.x - a.x for row in rows for a, b in zip(row, row[1:])]
    if not in_order or any(step <= 0 or abs(step - steps[0]) > 0.01 for step in steps):
        raise ctx.fail(
            N_(
                "%(file)s: with qr_arrangement = \"centre-row\", the QR boxes of panel '%(panel)s' "
                "must run left to right by slot, evenly spaced, row after row"
            ),
            panel=panel,
        )


def _check_growth_room(ctx: Context, layout: Layout, panel: Panel, qrs: list[QrElement]) -> None:
    """Codes that grow keep to the band below their row, which nothing else may use."""
    grow_to = layout.qr_max_size
    if layout.qr_arrangement != "centre-row":
        raise ctx.fail(N_("%(file)s: qr_max_size needs qr_arrangement = \"centre-row\""))
    for row in qr_rows(qrs):
        if grow_to + EPSILON < row[0].size:
            raise ctx.fail(
                N_("%(file)s: qr_max_size %(max)s mm is smaller than QR box '%(name)s'"),
                max=mm(grow_to), name=row[0].name,
            )
        left = min(e.extent[0] for e in row) - (grow_to - row[0].size) / 2
        right = max(e.extent[2] for e in row) + (grow_to - row[0].size) / 2
        top, bottom = row[0].y, row[0].y + grow_to + row[0].caption_height
        if bottom > panel.height + EPSILON or left < -EPSILON or right > panel.width + EPSILON:
            raise ctx.fail(
                N_("%(file)s: QR codes grown to %(max)s mm would leave panel '%(panel)s'"),
                max=mm(grow_to), panel=panel.name,
            )
        for element in panel.elements:
            if isinstance(element, QrElement):
                continue
            e_left, e_top, e_right, e_bottom = element.extent
            if e_top < bottom - EPSILON and e_bottom > top + EPSILON and e_left < right and e_right > left:
                raise ctx.fail(
                    N_("%(file)s: element '%(name)s' is in the room QR codes grow into (up to %(max)s mm)"),
                    name=element.name, max=mm(grow_to),
                )


def check_card(ctx: Context, layout: Layout) -> None:
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
        if layout.qr_max_size is not None and qrs:
            _check_growth_room(ctx, layout, panel, qrs)
    if not layout.qr_elements:
        raise ctx.fail(N_("%(file)s: the layout has no QR box: a review card needs at least one"))
    if layout.standing:
        withheld = sorted(layout.printed_variables & STANDING_WITHHELD)
        if withheld:
            raise ctx.fail(
                N_("%(file)s: a standing piece prints no offer, code or expiry date, but the layout uses {%(name)s}"),
                name=withheld[0],
            )
        return
    texts = [e for p in layout.panels for e in p.elements if isinstance(e, TextElement)]
    if not any("code" in e.text.variables for e in texts):
        raise ctx.fail(N_("%(file)s: the layout never prints {code}: every card needs its redemption code"))


def check_margins(ctx: Context, layout: Layout) -> None:
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
                bleed=mm(bleed),
                which=gap_name,
                needed=mm_up(2 * bleed),
                gap=mm(gap),
            )
    for edge, margin in margins.items():
        if bleed > margin + EPSILON:
            raise ctx.fail(
                N_("%(file)s: the %(bleed)s mm bleed runs %(beyond)s mm off the sheet's %(edge)s edge"),
                bleed=mm(bleed),
                beyond=mm(bleed - margin),
                edge=edge,
            )
    if not layout.crop_marks:
        return
    if layout.crop_mark_offset_mm + EPSILON < bleed:
        raise ctx.fail(
            N_("%(file)s: crop marks start %(offset)s mm from the cards, inside the %(bleed)s mm bleed"),
            offset=mm(layout.crop_mark_offset_mm),
            bleed=mm(bleed),
        )
    needed = layout.crop_mark_offset_mm + layout.crop_mark_length_mm
    for edge, margin in margins.items():
        if needed > margin + EPSILON:
            raise ctx.fail(
                N_("%(file)s: crop marks need %(needed)s mm outside the cards but the %(edge)s margin is %(margin)s mm"),
                needed=mm_up(needed),
                edge=edge,
                margin=mm(margin),
            )



"""One card as SVG, for the editor's live preview.

Built from the same layout elements, variable registry, line breaking and QR matrix as the
PDF, in mm at real proportions, so what the owner sees is what prints. Every string from the
card is untrusted (owners type it, and it is inlined into the page): it is XML-escaped.
"""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape, quoteattr

from cta_kit.domain.layouts import PT_MM, Layout, LineElement, LogoElement, QrElement, TextElement, TextStyle
from cta_kit.pdf import qr as qrcodes
from cta_kit.pdf.render import CardContent, check_card
from cta_kit.pdf.text import fit_box

MM_PT = 1 / PT_MM
FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"
_IMAGE_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def _n(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def render_card_svg(layout: Layout, card: CardContent) -> str:
    check_card(layout, card)
    layout = layout.fitted_to(len(card.qr_items))
    width, height = layout.card_width_mm, layout.card_height_mm
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}mm" height="{_n(height)}mm" role="img">',
        f'<rect width="{_n(width)}" height="{_n(height)}" fill="#fff" stroke="#bbb" stroke-width="0.2"/>',
    ]
    for panel in layout.panels:
        transform = f"translate({_n(panel.x)} {_n(panel.y)})"
        if panel.rotation == 180:
            transform += f" rotate(180 {_n(panel.width / 2)} {_n(panel.height / 2)})"
        out.append(f'<g transform="{transform}">')
        places = layout.qr_places(panel, len(card.qr_items))
        for element in panel.elements:
            if isinstance(element, TextElement):
                box = (element.x, element.y, element.width, element.height)
                out += _text(element.text.render(card.variables), box, element.style)
            elif isinstance(element, QrElement) and element.slot in places:
                placed = places[element.slot]
                out += _qr(placed, card, placed.x, placed.y)
            elif isinstance(element, LogoElement):
                out.append(_logo(element, card.logo))
            elif isinstance(element, LineElement):
                dash = f' stroke-dasharray="{" ".join(map(_n, element.dash))}"' if element.dash else ""
                out.append(
                    f'<line x1="{_n(element.x1)}" y1="{_n(element.y1)}" x2="{_n(element.x2)}" y2="{_n(element.y2)}" '
                    f'stroke="#000" stroke-width="{_n(element.thickness * PT_MM)}"{dash}/>'
                )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _text(text: str, box: tuple[float, float, float, float], style: TextStyle) -> list[str]:
    """One <text> per line, in the box (x, y, width, height) mm."""
    if not text:
        return []
    x, y, width, height = box
    fitted = fit_box(text, style, width * MM_PT, height * MM_PT)
    weight = ' font-weight="bold"' if style.bold else ""
    lines = []
    offsets = fitted.x_offsets(width * MM_PT, style.align)
    for line, dx, below in zip(fitted.lines, offsets, fitted.baselines(0, height * MM_PT, style.valign)):
        lines.append(
            f'<text x="{_n(x + dx * PT_MM)}" y="{_n(y + below * PT_MM)}" font-family={quoteattr(FONT_FAMILY)} '
            f'font-size="{_n(fitted.font_size * PT_MM)}"{weight} xml:space="preserve">{escape(line)}</text>'
        )
    return lines


def _qr(element: QrElement, card: CardContent, x: float, y: float) -> list[str]:
    item = card.qr_items[element.slot - 1]
    symbol = qrcodes.encode(item.url)
    qrcodes.check_module_size(symbol, element.size, item.label)
    scale = element.size / symbol.modules_with_quiet_zone
    out = [
        f'<path transform="translate({_n(x)} {_n(y)}) scale({_n(scale)})" d="{qrcodes.svg_path(symbol)}" fill="#000"/>'
    ]
    values = {**card.variables, "platform_label": item.label, "short_url": item.short_url}
    left = x + element.size / 2 - element.caption_width / 2
    top = y + element.size + element.caption_gap
    for line, template in enumerate(element.caption):
        box = (left, top + line * element.caption_line_height, element.caption_width, element.caption_line_height)
        out += _text(template.render(values), box, element.caption_style(line))
    return out


def _logo(element: LogoElement, logo: bytes | None) -> str:
    box = f'x="{_n(element.x)}" y="{_n(element.y)}" width="{_n(element.width)}" height="{_n(element.height)}"'
    mime = next((m for magic, m in _IMAGE_TYPES.items() if logo and logo.startswith(magic)), None)
    if mime is None:
        return f'<rect {box} fill="none" stroke="#999" stroke-width="0.2" stroke-dasharray="1 1"/>'
    data = base64.b64encode(logo).decode("ascii")
    return f'<image {box} preserveAspectRatio="xMidYMid meet" href="data:{mime};base64,{data}"/>'

"""QR codes for screens (a customer's phone scanning the till's screen).

The same encoder and merged-run path as the printed cards, as inline SVG.
"""

from __future__ import annotations

from markupsafe import Markup

from ..pdf import qr as qrcodes


def qr_svg(url: str) -> Markup:
    """An inline SVG; its only text is path data, so the markup is safe to inline."""
    symbol = qrcodes.encode(url)
    size = symbol.modules_with_quiet_zone
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{qrcodes.svg_path(symbol)}" fill="#000"/></svg>'
    )

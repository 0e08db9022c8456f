"""QR codes for screens (a phone scanning a tablet); printed QR codes are drawn by cta_kit.pdf."""

from __future__ import annotations

import qrcode
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage


def qr_svg(url: str) -> Markup:
    """An inline SVG; the payload is our own validated link, and qrcode escapes nothing it needs to."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(url)
    image = code.make_image(image_factory=SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return Markup(svg.split("?>", 1)[-1])

"""The vendored DejaVu Sans, registered with ReportLab on first use (not at import time)."""

from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@lru_cache(maxsize=None)
def register_fonts() -> None:
    # DejaVu covers Latin Extended (Łódź, Žluťoučký), typographic apostrophes and the euro sign;
    # the PDF base-14 fonts do not.
    for name in (REGULAR, BOLD):
        pdfmetrics.registerFont(TTFont(name, FONT_DIR / f"{name}.ttf"))


def font_name(bold: bool) -> str:
    register_fonts()
    return BOLD if bold else REGULAR


@lru_cache(maxsize=None)
def vertical_metrics(name: str) -> tuple[float, float]:
    """(ascent, descent) as fractions of the font size; descent is negative."""
    register_fonts()
    face = pdfmetrics.getFont(name).face
    return face.ascent / 1000, face.descent / 1000

"""Which paper a location prints on, and the layout an editor offers first."""

from __future__ import annotations

from collections.abc import Iterable

from babel.core import get_global

from .layouts import PAPER_SIZES_MM, Layout

# Where US Letter, not A4, is the usual paper: CLDR's supplemental data, measurementData
# <paperSize type="US-Letter" territories="BZ CA CL CO CR GT MX NI PA PH PR SV US VE"/>
# (https://www.unicode.org/reports/tr35/tr35-info.html#Measurement_Data).
LETTER_TERRITORIES = frozenset("BZ CA CL CO CR GT MX NI PA PH PR SV US VE".split())
LETTER, A4 = "Letter", "A4"


def paper_for_timezone(timezone: str) -> str:
    """A location's paper, from the country of its time zone (tz database zone -> CLDR territory)."""
    territory = get_global("zone_territories").get(timezone)
    return LETTER if territory in LETTER_TERRITORIES else A4


def sheet_paper(layout: Layout) -> str | None:
    """The paper a sheet layout needs: Letter for US sizes, A4 for ISO ones; None for a roll."""
    if layout.is_roll:
        return None
    width = min(layout.page_size_mm)
    us_width = PAPER_SIZES_MM["Letter"][0]
    return LETTER if abs(width - us_width) < 0.5 else A4


def default_layout(layouts: Iterable[Layout], paper: str) -> str | None:
    """The sheet layout with the most cards per page on this paper (business cards, usually)."""
    fitting = sorted((layout for layout in layouts if sheet_paper(layout) == paper), key=lambda layout: layout.name)
    if not fitting:
        return None
    return max(fitting, key=lambda layout: layout.cards_per_page).name  # the first of equals, by name

"""What a card says besides the campaign's wording: who it is from, and what a layout leaves out.

One rule names the business on every card: its name, then the location's name only where that
adds something ("Le Petit Zinc (démo)" at "Le Petit Zinc" prints the business name alone; at
"Le Petit Zinc Bastille" it adds "Bastille").
"""

from __future__ import annotations

import re
import unicodedata

from .i18n import N_, Message
from .layout_model import STANDING_WITHHELD, Layout

_WORD = re.compile(r"\w+")
_SEPARATORS = " -–—·,:;/|()"

# The campaign's own lines, and what the owner is told when a layout does not print one.
CAMPAIGN_LINES = {
    "headline": N_("“%(layout)s” leaves out the headline (“%(text)s”): choose another layout to print it."),
    "body": N_("“%(layout)s” leaves out the request (“%(text)s”): choose another layout to print it."),
    "offer": N_("“%(layout)s” leaves out the offer (“%(text)s”): choose another layout to print it."),
    "presence_line": N_("“%(layout)s” leaves out the presence line (“%(text)s”): choose another layout to print it."),
    "validity": N_("“%(layout)s” leaves out the offer's validity (“%(text)s”): choose another layout to print it."),
}


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def location_line(business: str, location: str) -> str:
    """The location's name as printed after the business's: "" when it adds nothing new.

    >>> location_line("Le Petit Zinc (démo)", "Le Petit Zinc")
    ''
    >>> location_line("Le Petit Zinc", "Le Petit Zinc – Bastille")
    'Bastille'
    >>> location_line("Le Petit Zinc", "12 rue Oberkampf")
    '12 rue Oberkampf'
    """
    location = location.strip()
    business_words = set(_words(business))
    if not set(_words(location)) - business_words:
        return ""
    name = business.strip()
    if name and location.casefold().startswith(name.casefold()):
        return location[len(name):].strip(_SEPARATORS) or ""
    return location


def omitted_lines(layout: Layout, variables: dict[str, str]) -> list[Message]:
    """A note for each line of the campaign that this layout does not print.

    A standing piece leaves out the offer and its validity on purpose: those are not notes.
    """
    printed = layout.printed_variables
    notes = []
    for name, text in CAMPAIGN_LINES.items():
        if variables.get(name) and name not in printed and not (layout.standing and name in STANDING_WITHHELD):
            notes.append(Message(text, {"layout": layout.title, "text": variables[name][:60]}))
    return notes

"""A location's print offset: how far every sheet's content is moved to make up for a printer
that does not place the page where it should.

Office printers commonly place the page a millimetre or two off, and not always the same on
both axes; a card grid cut along crop marks, or printed on perforated stock, shows it. The
offset is measured on the printer test sheet and moves the whole page's content.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .i18n import N_, Message

MAX_PRINT_OFFSET_MM = 10.0  # more than this is a wrong paper size or a feed problem, not an offset
OFFSET_DECIMALS = 1  # tenths of a millimetre: what an owner can read on a ruler, and finer than a printer holds


@dataclass(frozen=True)
class PrintOffset:
    """Positive x moves the content right, positive y moves it down (as layouts measure, from the
    page's top-left)."""

    x_mm: float = 0.0
    y_mm: float = 0.0

    @property
    def is_zero(self) -> bool:
        return self.x_mm == 0 and self.y_mm == 0


NO_OFFSET = PrintOffset()


def offset_for_layout(offset: PrintOffset, is_roll: bool) -> PrintOffset:
    """Sheets take the location's offset; receipt rolls come out of another printer, which it is not for."""
    return NO_OFFSET if is_roll else offset


def checked_print_offset(x_mm: float | None, y_mm: float | None) -> tuple[PrintOffset | None, dict[str, Message]]:
    """The offset rounded to a tenth of a millimetre, or the reason each value is refused, by field.

    An empty value means no offset on that axis.
    """
    errors: dict[str, Message] = {}
    values = {}
    for field, value in (("print_offset_x", x_mm), ("print_offset_y", y_mm)):
        problem = offset_problem(value)
        if problem is not None:
            errors[field] = problem
            continue
        values[field] = round(float(value or 0.0), OFFSET_DECIMALS) + 0.0  # + 0.0: -0.0 becomes 0.0
    if errors:
        return None, errors
    return PrintOffset(values["print_offset_x"], values["print_offset_y"]), {}


def offset_problem(value_mm: float | None) -> Message | None:
    """Why one axis's offset is refused, or None."""
    if value_mm is None or (math.isfinite(value_mm) and abs(value_mm) <= MAX_PRINT_OFFSET_MM):
        return None
    return Message(
        N_("Give an offset between %(low)s and %(high)s mm; a printer further off needs its paper guides set."),
        {"low": -MAX_PRINT_OFFSET_MM, "high": MAX_PRINT_OFFSET_MM},
    )

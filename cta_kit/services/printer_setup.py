"""Setting a location up for its printer: the print offset, and the test sheet that measures it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..domain.i18n import N_, Message
from ..domain.layouts import Layout
from ..domain.print_offset import NO_OFFSET, PrintOffset, checked_print_offset, offset_for_layout
from ..models import Location, User, utcnow
from ..pdf.printer_test_sheet import QR_LADDER_MM, SHEET_RULER_ORIGIN_MM, PrinterTestWords, render_test_sheet
from ..pdf.render import DocumentInfo
from .database import write_transaction
from .errors import ServiceError
from .layouts import layout_named
from .locations import location_for
from .public_address import public_base_url

FALLBACK_LADDER_LINK = "https://example.com/"
# An owner who measures this far from the ruler's place is told how to correct it, as an example.
EXAMPLE_MEASURED_MM = SHEET_RULER_ORIGIN_MM + 2.0


@dataclass(frozen=True)
class PrintOffsetInput:
    x_mm: float | None  # None: left empty, no offset on that axis
    y_mm: float | None


@dataclass(frozen=True)
class PrinterTestSheet:
    filename: str
    pdf: bytes


def print_offset_of(location: Location | None) -> PrintOffset:
    if location is None:
        return NO_OFFSET
    return PrintOffset(location.print_offset_x_mm or 0.0, location.print_offset_y_mm or 0.0)


def sheet_offset(location: Location | None, layout: Layout) -> PrintOffset:
    """The offset a print of this layout at this location is moved by."""
    return offset_for_layout(print_offset_of(location), layout.is_roll)


def update_print_offset(owner: User, location_id: int, data: PrintOffsetInput) -> Location:
    offset, errors = checked_print_offset(data.x_mm, data.y_mm)
    if errors:
        raise ServiceError(errors)
    with write_transaction():
        location = location_for(owner, location_id)
        location.print_offset_x_mm = offset.x_mm
        location.print_offset_y_mm = offset.y_mm
    return location


def printer_test_sheet(layout_name: str, translate: Callable[[Message], str],
                       location: Location | None = None) -> PrinterTestSheet:
    """The layout's test sheet, moved by the location's offset; `translate` gives the owner's words."""
    layout = layout_named(layout_name)
    offset = sheet_offset(location, layout)
    words = _words(layout, offset, location, translate)
    info = DocumentInfo(
        title=words.title,
        author=location.business.name if location else "cta-kit",
        subject=layout.name,
        created_at=utcnow().replace(microsecond=0),
    )
    return PrinterTestSheet(f"test-sheet-{layout.name}.pdf", render_test_sheet(layout, words, info, offset))


def printer_test_sheet_for(user: User, location_id: int, layout_name: str,
                           translate: Callable[[Message], str]) -> PrinterTestSheet:
    return printer_test_sheet(layout_name, translate, location_for(user, location_id))


def _ladder_link(location: Location | None) -> str:
    """What customers will scan: the location's first review site, else the app's own address."""
    sites = [d for d in location.destinations if not d.presence_only] if location else []
    return sites[0].url if sites else (public_base_url() or FALLBACK_LADDER_LINK)


def _words(layout: Layout, offset: PrintOffset, location: Location | None, translate) -> PrinterTestWords:
    smallest_qr = min((element.size for element in layout.qr_elements), default=0.0)
    messages = [Message(N_("Print this page at actual size, not “Fit to page”, on the paper the cards go on."))]
    if layout.is_roll:
        offset_line = Message(N_("The print offset is for sheets: receipt rolls print without it."))
        messages += [
            Message(N_("Measure the long ruler from 0 to 100: it should be exactly 100 mm. Shorter or longer, "
                       "the printer scales the slip: set its driver to actual size.")),
            Message(N_("The dashed lines show the slip's printed width.")),
        ]
    else:
        offset_line = Message(
            N_("Offset in use: %(x)s mm across, %(y)s mm down (positive values move the print right and down)."),
            {"x": offset.x_mm, "y": offset.y_mm},
        )
        messages += [
            Message(N_("Measure each ruler from 0 to 100: it should be exactly 100 mm. Shorter or longer, the printer "
                       "scales the page: turn off “Fit to page” or “Shrink oversized pages”.")),
            Message(
                N_("The top ruler's line should be %(distance)s mm from the top edge of the paper, and the left "
                   "ruler's line %(distance)s mm from the left edge. If you measure %(measured)s mm from the left "
                   "edge, the print sits %(difference)s mm too far right: lower the offset across by %(difference)s "
                   "on the location's printer page. Do the same from the top edge with the offset down, then "
                   "print this sheet again."),
                {"distance": float(SHEET_RULER_ORIGIN_MM), "measured": EXAMPLE_MEASURED_MM,
                 "difference": EXAMPLE_MEASURED_MM - SHEET_RULER_ORIGIN_MM},
            ),
            Message(N_("The grey dashed lines are the card edges and folds, the short black lines outside them the "
                       "crop marks: once the offset is right, they fall where you cut."))
            if layout.crop_marks else
            Message(N_("The grey dashed lines are the card edges and folds: once the offset is right, they fall on "
                       "the perforations or where you cut and fold.")),
        ]
    scan = Message(N_("Scan each QR code with a phone: the smallest one that scans at once is the smallest size this "
                      "printer prints well."))
    if smallest_qr:
        scan = Message(N_("Scan each QR code with a phone: the smallest one that scans at once is the smallest size "
                          "this printer prints well. This layout's smallest code is %(size)s mm."),
                       {"size": float(smallest_qr)})
    messages.append(scan)
    title = Message(N_("Printer test sheet: %(layout)s"), {"layout": translate(Message(layout.title))})
    if location is not None:
        title = Message(N_("Printer test sheet: %(layout)s, %(location)s"),
                        {"layout": translate(Message(layout.title)), "location": location.name})
    return PrinterTestWords(
        title=translate(title),
        offset_line=translate(offset_line),
        paragraphs=tuple(f"{number}. {translate(message)}" for number, message in enumerate(messages, start=1)),
        ladder_link=_ladder_link(location),
        ladder_labels=tuple(translate(Message(N_("%(size)s mm"), {"size": float(size)})) for size in QR_LADDER_MM),
    )

"""The monthly summary on one printable A4 page: figures, the per-site table and the four charts.

A finished MonthSummary and the words to show it with in; PDF bytes out. The same input gives
the same bytes (invariant mode, the date taken from DocumentInfo).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

from babel.numbers import format_decimal, format_percent
from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from cta_kit.domain.summary.charts import summary_charts
from cta_kit.domain.summary.labels import SummaryLabels, site_label
from cta_kit.domain.summary.report import MonthSummary
from cta_kit.pdf.fonts import font_name
from cta_kit.pdf.render import DocumentInfo, document_canvas
from cta_kit.pdf.summary_charts import HEIGHT as CHART_HEIGHT
from cta_kit.pdf.summary_charts import WIDTH as CHART_WIDTH
from cta_kit.pdf.summary_charts import chart_drawing
from cta_kit.pdf.text import fit_text

MARGIN = 36  # pt: half an inch, inside every office printer's unprintable edge
RULE = colors.HexColor("#999999")
SHADE = colors.HexColor("#EEEEEE")


@dataclass(frozen=True)
class Numbers:
    """Figures written as the reader's language writes them (4,50 in French, 4.50 in English)."""

    locale: str = "en"

    def count(self, value: int | None) -> str:
        return "–" if value is None else format_decimal(value, "#,##0", locale=self.locale)

    def rating(self, value: float | None) -> str:
        return "–" if value is None else format_decimal(value, "0.00", locale=self.locale)

    def hours(self, value: float | None) -> str:
        return "–" if value is None else format_decimal(value, "#,##0.0", locale=self.locale)

    def share(self, value: float | None) -> str:
        return "–" if value is None else format_percent(value, "#,##0%", locale=self.locale)

    def change(self, value: int | float | None, rating: bool = False) -> str:
        if value is None:
            return "–"
        text = self.rating(abs(value)) if rating else self.count(abs(value))
        return ("+" if value > 0 else "-" if value < 0 else "±") + text


def render_summary(
    summary: MonthSummary,
    info: DocumentInfo,
    heading: str,
    labels: SummaryLabels | None = None,
    names: Mapping[str, str] | None = None,
    locale: str = "en",
    month_title: str | None = None,
) -> bytes:
    """`heading`: the location's name (or "all my locations"); `month_title`: the month as the reader says it."""
    labels = labels or SummaryLabels()
    numbers = Numbers(locale)
    buffer = io.BytesIO()
    canvas = _canvas(buffer, info)
    width, height = A4
    top = height - MARGIN
    # A long business name shrinks, then is cut with an ellipsis: the page stays one page.
    title = fit_text(f"{labels.title} – {heading}", font_name(True), width - 2 * MARGIN, 20, 16, 10, 1)
    canvas.setFont(title.font, title.font_size)
    canvas.drawString(MARGIN, top - 16, title.lines[0])
    canvas.setFont(font_name(False), 10)
    zone = f" · {labels.time_zone} {summary.timezone}" if summary.timezone else ""
    canvas.drawString(MARGIN, top - 32, f"{labels.month} {month_title or summary.month}{zone}")
    top -= 44
    for table in (_key_figures(summary, labels, numbers), _site_table(summary, labels, numbers, names)):
        _, used = table.wrapOn(canvas, width - 2 * MARGIN, top - MARGIN)
        table.drawOn(canvas, MARGIN, top - used)
        top -= used + 10
    if any(site.manual for site in summary.sites()):
        note = Paragraph(labels.manual_note, _style(7.5))
        _, used = note.wrapOn(canvas, width - 2 * MARGIN, 40)
        note.drawOn(canvas, MARGIN, top - used)
        top -= used + 8
    gap = (width - 2 * MARGIN - 2 * CHART_WIDTH)
    for index, chart in enumerate(summary_charts(summary, labels, names)):
        column, row = index % 2, index // 2
        x = MARGIN + column * (CHART_WIDTH + gap)
        y = top - (row + 1) * CHART_HEIGHT - row * 12
        renderPDF.draw(chart_drawing(chart, numbers.rating), canvas, x, y)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _canvas(buffer, info: DocumentInfo) -> Canvas:
    width, height = A4
    return document_canvas(buffer, width / mm, height / mm, info)


def _style(size: float, bold: bool = False, align: int = 0) -> ParagraphStyle:
    return ParagraphStyle("cell", fontName=font_name(bold), fontSize=size, leading=size * 1.2, alignment=align)


def _cell(text: str, size: float = 7, bold: bool = False, width: float | None = None) -> Paragraph:
    """A heading cell, wrapped between words; in a narrow column, smaller until its longest word fits."""
    if width:
        widest = max((stringWidth(word, font_name(bold), 1) for word in text.split()), default=0)
        size = max(5.5, min(size, (width - 4) / widest if widest else size))
    # Paragraph reads markup: a site's name typed by an owner is escaped first.
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped, _style(size, bold, align=1))


def _grid(rows: list[list], widths: list[float], header_rows: int = 1) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font_name(False)),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _key_figures(summary: MonthSummary, labels: SummaryLabels, numbers: Numbers) -> Table:
    data = summary.to_json()
    totals, change = data["totals"], data["change"]
    figures = [
        (labels.reviews, "reviews"),
        (labels.average_rating, "average_rating"),
        (labels.cards_printed, "cards_printed"),
        (labels.till_slips, "till_slips"),
        (labels.scans, "scans"),
        (labels.preferences, "preferences"),
        (labels.redemptions, "redemptions"),
        (labels.attributed_confirmed, "reviews_attributed"),
        (labels.attributed_suggested, "reviews_attributed_suggested"),
    ]
    rows = [
        ["", *(_cell(label) for label, _ in figures)],
        [labels.month, *(numbers.rating(totals[key]) if key == "average_rating" else numbers.count(totals[key]) for _, key in figures)],
        [labels.change, *(numbers.change(change[key], rating=key == "average_rating") for _, key in figures)],
    ]
    first = 70
    return _grid(rows, [first] + [(A4[0] - 2 * MARGIN - first) / len(figures)] * len(figures))


def _site_table(summary: MonthSummary, labels: SummaryLabels, numbers: Numbers, names) -> Table:
    """One column per site and one for all of them; one row per figure (long words fit a row, not a column)."""
    data = summary.to_json()
    columns = [*data["platforms"], {**data["totals"], "change": data["change"]}]
    figures = [
        (labels.reviews, lambda site: numbers.count(site["reviews"])),
        (labels.reviews_change, lambda site: numbers.change(site["change"]["reviews"])),
        (labels.average_rating, lambda site: numbers.rating(site["average_rating"])),
        (labels.average_change, lambda site: numbers.change(site["change"]["average_rating"], rating=True)),
        *(
            (labels.star_heading(star), lambda site, star=star: numbers.count(site["ratings"][str(star)]))
            for star in range(1, 6)
        ),
        (labels.unrated, lambda site: numbers.count(site["unrated"])),
        (labels.reply_share, lambda site: numbers.share(site["reply_share"])),
        (labels.median_reply_hours, lambda site: numbers.hours(site["median_reply_hours"])),
        (labels.scans, lambda site: numbers.count(site["scans"])),
        (labels.preferences, lambda site: numbers.count(site["preferences"])),
        (labels.attributed_confirmed, lambda site: numbers.count(site["reviews_attributed"])),
        (labels.attributed_suggested, lambda site: numbers.count(site["reviews_attributed_suggested"])),
    ]
    names_row = [site_label(site["platform"], labels, names) for site in data["platforms"]] + [labels.all_sites]
    first = 150
    width = (A4[0] - 2 * MARGIN - first) / len(columns)
    rows = [[_cell(labels.site, size=8, bold=True), *(_cell(name, size=8, bold=True, width=width) for name in names_row)]]
    rows += [[label, *(show(site) for site in columns)] for label, show in figures]
    table = _grid(rows, [first] + [width] * len(columns))
    table.setStyle(TableStyle([("FONTNAME", (-1, 1), (-1, -1), font_name(True)), ("TOPPADDING", (0, 1), (-1, -1), 1), ("BOTTOMPADDING", (0, 1), (-1, -1), 1)]))
    return table

"""The summary as CSV an owner opens in a spreadsheet: UTF-8 with BOM, `;` or `,` between cells.

Text cells go through ``safe_cell`` so a site or month can never run as a formula; numbers are
written as numbers (a change of -3 stays the number -3). With `;` the decimal separator is a comma,
as in the spreadsheets of countries that use `;` (French Excel reads 4.5 as text, 4,5 as a number).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from decimal import Decimal

from ..spreadsheet import safe_cell
from .labels import SummaryLabels, site_label
from .report import MonthSummary, month_totals

SEPARATORS = (";", ",")
BOM = "\ufeff"


def number_text(value: int | float, decimal_comma: bool) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(str(value)).normalize(), "f")
    return text.replace(".", ",") if decimal_comma else text


def summary_rows(summary: MonthSummary, labels: SummaryLabels, names: Mapping[str, str] | None = None) -> list[list]:
    """The cells, numbers as numbers, before any formatting."""
    data = summary.to_json()
    heading = [
        labels.site, labels.reviews, labels.reviews_change, labels.average_rating, labels.average_change,
        *(labels.star_heading(star) for star in range(1, 6)), labels.unrated, labels.reply_share,
        labels.median_reply_hours, labels.scans, labels.preferences, labels.attributed_confirmed,
        labels.attributed_suggested,
    ]

    def site_row(name: str, site: dict, change: dict) -> list:
        return [
            name, site["reviews"], change["reviews"], site["average_rating"], change["average_rating"],
            *(site["ratings"][str(star)] for star in range(1, 6)), site["unrated"], site["reply_share"],
            site["median_reply_hours"], site["scans"], site["preferences"], site["reviews_attributed"],
            site["reviews_attributed_suggested"],
        ]

    totals, change = data["totals"], data["change"]
    rows: list[list] = [
        [labels.title],
        [labels.month, data["month"]],
        [labels.time_zone, data["timezone"] or ""],
        [],
        heading,
        *(site_row(site_label(site["platform"], labels, names), site, site["change"]) for site in data["platforms"]),
        site_row(labels.all_sites, totals, change),
        [],
        [labels.card_funnel, data["month"], data["previous_month"], labels.change],
    ]
    previous = month_totals(summary.previous)
    for key, label in (
        ("cards_printed", labels.cards_printed), ("till_slips", labels.till_slips), ("scans", labels.scans),
        ("preferences", labels.preferences), ("redemptions", labels.redemptions),
        ("reviews_attributed", labels.attributed_confirmed),
        ("reviews_attributed_suggested", labels.attributed_suggested),
    ):
        rows.append([label, totals[key], previous[key], change[key]])
    rows += [[], [labels.preference_mix, labels.customers]]
    rows += [[site_label(key, labels, names), count] for key, count in data["preferences"].items()]
    platforms = [site["platform"] for site in data["platforms"]]
    rows += [[], [labels.month, *(site_label(key, labels, names) for key in platforms), labels.total, labels.average_rating]]
    for point in data["trend"]:
        rows.append([point["month"], *(point["reviews"][key] for key in platforms), point["total_reviews"], point["average_rating"]])
    return rows


def summary_csv(
    summary: MonthSummary, separator: str = ";", labels: SummaryLabels | None = None, names: Mapping[str, str] | None = None
) -> str:
    if separator not in SEPARATORS:
        raise ValueError(f"separator must be one of {SEPARATORS}")
    decimal_comma = separator == ";"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    for row in summary_rows(summary, labels or SummaryLabels(), names):
        writer.writerow(
            "" if cell is None else number_text(cell, decimal_comma) if isinstance(cell, (int, float)) else safe_cell(cell)
            for cell in row
        )
    return BOM + out.getvalue()

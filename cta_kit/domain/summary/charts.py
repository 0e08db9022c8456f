"""What each summary chart shows, as data: the same numbers feed the drawing and its table.

The drawings (``cta_kit.pdf.summary_charts``) and the accessible tables under them are both made
from a ChartData, so a chart and its table cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .labels import SummaryLabels, site_label
from .report import MonthSummary

REVIEWS_TREND, RATING_TREND, PREFERENCE_MIX, FUNNEL = "reviews_trend", "rating_trend", "preference_mix", "funnel"
STACKED_COLUMNS, LINE, BARS = "stacked_columns", "line", "bars"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int | float | None, ...]  # one per category; None where there is no figure


@dataclass(frozen=True)
class ChartData:
    key: str
    kind: str  # STACKED_COLUMNS, LINE (a rating from 1 to 5) or BARS (horizontal)
    title: str
    category_heading: str
    categories: tuple[str, ...]  # as written in the table
    short_categories: tuple[str, ...]  # as written under the axis, where room is short
    series: tuple[Series, ...]

    @property
    def empty(self) -> bool:
        return not any(value for series in self.series for value in series.values)

    def table(self) -> tuple[tuple[str, ...], list[tuple]]:
        """(headings, rows): one row per category, one column per series."""
        headings = (self.category_heading, *(series.name for series in self.series))
        rows = [
            (category, *(series.values[index] for series in self.series))
            for index, category in enumerate(self.categories)
        ]
        return headings, rows


def _short(month) -> str:
    return f"{month.month:02d}/{month.year % 100:02d}"


def reviews_trend(summary: MonthSummary, labels: SummaryLabels, names: Mapping[str, str] | None = None) -> ChartData:
    months = summary.months
    return ChartData(
        key=REVIEWS_TREND,
        kind=STACKED_COLUMNS,
        title=labels.trend,
        category_heading=labels.month,
        categories=tuple(str(figures.month) for figures in months),
        short_categories=tuple(_short(figures.month) for figures in months),
        series=tuple(
            Series(site_label(platform, labels, names), tuple(figures.site(platform).reviews for figures in months))
            for platform in summary.platforms
        ),
    )


def rating_trend(summary: MonthSummary, labels: SummaryLabels) -> ChartData:
    months = summary.months
    return ChartData(
        key=RATING_TREND,
        kind=LINE,
        title=labels.rating_trend,
        category_heading=labels.month,
        categories=tuple(str(figures.month) for figures in months),
        short_categories=tuple(_short(figures.month) for figures in months),
        series=(Series(labels.average_rating, tuple(figures.all_sites.average_rating for figures in months)),),
    )


def preference_mix(summary: MonthSummary, labels: SummaryLabels, names: Mapping[str, str] | None = None) -> ChartData:
    mix = summary.preference_mix()
    keys = list(mix)
    shown = tuple(site_label(key, labels, names) for key in keys)
    return ChartData(
        key=PREFERENCE_MIX,
        kind=BARS,
        title=labels.preference_mix,
        category_heading=labels.site,
        categories=shown,
        short_categories=shown,
        series=(Series(labels.customers, tuple(mix[key] for key in keys)),),
    )


def funnel(summary: MonthSummary, labels: SummaryLabels) -> ChartData:
    current = summary.current
    steps = (
        (labels.cards_printed, current.cards_printed),
        (labels.till_slips, current.till_slips),
        (labels.scans, current.scans),
        (labels.preferences, current.preferences),
        (labels.redemptions, current.redemptions),
        (labels.attributed_confirmed, current.confirmed),
        (labels.attributed_suggested, current.suggested),
    )
    shown = tuple(label for label, _ in steps)
    return ChartData(
        key=FUNNEL,
        kind=BARS,
        title=labels.card_funnel,
        category_heading=labels.figures,
        categories=shown,
        short_categories=shown,
        series=(Series(str(summary.month), tuple(value for _, value in steps)),),
    )


def summary_charts(
    summary: MonthSummary, labels: SummaryLabels | None = None, names: Mapping[str, str] | None = None
) -> tuple[ChartData, ...]:
    labels = labels or SummaryLabels()
    return (
        reviews_trend(summary, labels, names),
        rating_trend(summary, labels),
        preference_mix(summary, labels, names),
        funnel(summary, labels),
    )

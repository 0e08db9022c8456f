"""The owner's monthly summary: pure roll-ups from plain records, months in the location's zone.

- ``months``: Month, parse_month, month_range_utc (the UTC [start, end) a query uses), months_ending.
- ``records``: the frozen rows a service reads (reviews, hand counts, scans, preferences, ...).
- ``figures``: additive month figures (SiteFigures, MonthFigures), which grouped queries can fill too.
- ``rollup``: rows to month figures; ``report``: MonthSummary, its JSON, "all my locations".
- ``spreadsheet`` (CSV), ``text_table`` (terminal), ``charts`` (what each chart shows), ``labels``.
"""

from .figures import MonthFigures, SiteFigures
from .months import (
    InvalidMonthError,
    Month,
    UnknownTimeZoneError,
    month_of,
    month_range_utc,
    months_ending,
    parse_month,
)
from .records import (
    CONFIRMED,
    NO_REVIEWS,
    SUGGESTED,
    UNSAID,
    ManualCount,
    MatchRow,
    PreferenceRow,
    PrintRow,
    RedemptionRow,
    ReviewRow,
    ScanRow,
)
from .report import MonthSummary, combine_summaries, summarise, summary_from_figures
from .rollup import TREND_MONTHS, LocationRows, figures_by_month

__all__ = [
    "CONFIRMED", "NO_REVIEWS", "SUGGESTED", "TREND_MONTHS", "UNSAID",
    "InvalidMonthError", "LocationRows", "ManualCount", "MatchRow", "Month", "MonthFigures",
    "MonthSummary", "PreferenceRow", "PrintRow", "RedemptionRow", "ReviewRow", "ScanRow",
    "SiteFigures", "UnknownTimeZoneError", "combine_summaries", "figures_by_month", "month_of",
    "month_range_utc", "months_ending", "parse_month", "summarise", "summary_from_figures",
]

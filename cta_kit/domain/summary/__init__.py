"""The owner's monthly summary: pure roll-ups from plain records, months in the location's zone."""

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

"""The summary as plain text for a terminal (`--format table`): the CSV's cells, aligned."""

from __future__ import annotations

from collections.abc import Mapping

from .labels import SummaryLabels
from .report import MonthSummary
from .spreadsheet import number_text, summary_rows


def summary_text(summary: MonthSummary, labels: SummaryLabels | None = None, names: Mapping[str, str] | None = None) -> str:
    """Blocks separated by a blank line; numbers right-aligned, text left-aligned, nothing escaped
    (a terminal runs no formulas, and control characters are dropped)."""
    blocks: list[list[list]] = [[]]
    for row in summary_rows(summary, labels or SummaryLabels(), names):
        if row:
            blocks[-1].append(row)
        elif blocks[-1]:
            blocks.append([])
    lines: list[str] = []
    for block in blocks:
        cells = [[_shown(cell) for cell in row] for row in block]
        widths = [max(len(row[i]) for row in cells if i < len(row)) for i in range(max(map(len, cells)))]
        for raw, row in zip(block, cells):
            parts = [
                text.rjust(widths[i]) if isinstance(raw[i], (int, float)) or raw[i] is None else text.ljust(widths[i])
                for i, text in enumerate(row)
            ]
            lines.append("  ".join(parts).rstrip())
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _shown(cell) -> str:
    if cell is None:
        return "–"
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return number_text(cell, decimal_comma=False)
    return "".join(char for char in str(cell) if char.isprintable())

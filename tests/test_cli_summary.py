"""`cta-kit summary`: the JSON of the issue's shape, CSV, a terminal table, one-line errors."""

from __future__ import annotations

import csv
import io
import json

from cta_kit.domain.summary import parse_month, summarise
from cta_kit.domain.summary.spreadsheet import BOM
from tests.domain.test_summary import expected_figures
from tests.summary_db import stored_rows

ISSUE_TOTALS = ("reviews", "average_rating", "cards_printed", "scans", "preferences", "redemptions", "reviews_attributed")
ISSUE_SITE = ("platform", "reviews", "average_rating", "ratings", "unrated", "scans", "preferences", "reviews_attributed")


def test_json_has_the_issues_shape_and_the_figures(runner, world):
    rows = stored_rows(world.location, seed=3, count=300)
    result = runner.invoke(args=["summary", "--location", str(world.location.id), "--month", "2025-10", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["location_id"] == world.location.id and data["month"] == "2025-10"
    assert data["timezone"] == "Europe/Paris"
    assert set(ISSUE_TOTALS) <= set(data["totals"])
    for site in data["platforms"]:
        assert set(ISSUE_SITE) <= set(site)
        assert set(site["ratings"]) == {"1", "2", "3", "4", "5"}
    assert data == summarise(rows, parse_month("2025-10")).to_json()
    expected = expected_figures(rows, "2025-10")["totals"]
    assert {key: data["totals"][key] for key in ISSUE_TOTALS} == {key: expected[key] for key in ISSUE_TOTALS}


def test_csv_with_the_chosen_separator_and_the_table(runner, world):
    stored_rows(world.location, seed=4, count=200)
    base = ["summary", "--location", str(world.location.id), "--month", "2026-03"]
    result = runner.invoke(args=[*base, "--format", "csv", "--separator", ","])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(BOM)
    cells = list(csv.reader(io.StringIO(result.output[len(BOM):])))
    assert cells[1] == ["Month", "2026-03"]
    table = runner.invoke(args=[*base, "--format", "table"])
    assert table.exit_code == 0
    assert "Google" in table.output and "2026-03" in table.output


def test_an_unknown_location_and_a_bad_month_are_one_line_errors(runner, world):
    missing = runner.invoke(args=["summary", "--location", "999", "--month", "2026-03"])
    assert missing.exit_code == 1 and missing.output.strip() == "Error: There is no location 999."
    bad = runner.invoke(args=["summary", "--location", str(world.location.id), "--month", "March"])
    assert bad.exit_code == 1
    assert bad.output.strip().splitlines() == ["Error: “March” is not a month: write it as year-month, for example 2026-10."]

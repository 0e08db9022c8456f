"""An owner opens the monthly summary from the location page, switches month and location, finds the
charts drawn with their tables, and downloads the PDF report, whose figures are the JSON's."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cta_kit.domain.summary import parse_month, summarise
from cta_kit.extensions import db
from tests.browser.conftest import keep_screenshot
from tests.conftest import PASSWORD
from tests.pdf.test_summary_report import number, rows_of_text
from tests.summary_db import stored_rows

pytestmark = pytest.mark.browser


def test_open_switch_month_and_location_and_download_the_pdf(live_server, world, page):
    world.owner.language = "en"
    world.other_location.timezone = "America/New_York"
    db.session.commit()
    paris = stored_rows(world.location, seed=6, count=400)
    stored_rows(world.other_location, seed=7, count=200)

    page.goto(live_server + "/login")
    page.get_by_label("Email or staff login").fill(world.owner.login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}/locations/{world.location.id}")
    page.get_by_role("link", name="Monthly summary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Monthly summary – {world.location.name}")
    expect(page.locator("svg.chart")).to_have_count(4)

    page.locator("#summary-month").select_option("2026-03")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("h1 + p")).to_contain_text("March 2026")
    charts = page.locator("svg.chart")
    expect(charts).to_have_count(4)
    for index in range(4):
        box = charts.nth(index).bounding_box()
        assert box and box["width"] > 200 and box["width"] <= page.viewport_size["width"]
        assert charts.nth(index).locator("rect, path, polyline, line").count() > 5  # something is drawn
    expect(page.get_by_role("img", name="Reviews per month")).to_be_visible()
    site_table = page.locator("#site-table")
    expect(site_table).to_be_attached()
    expect(page.get_by_role("table", name="Reviews per month")).to_be_attached()  # the chart's numbers
    data = summarise(paris, parse_month("2026-03")).to_json()
    expect(site_table.locator("tbody tr").first.locator("td").first).to_have_text(str(data["platforms"][0]["reviews"]))
    keep_screenshot(page, "summary")

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF report").click()
    table = rows_of_text(Path(download.value.path()).read_bytes())
    reviews = next(cells for cells in table["Reviews"] if cells and cells[0][0].isdigit())
    assert [number(cell, ".") for cell in reviews] == [site["reviews"] for site in data["platforms"]] + [data["totals"]["reviews"]]

    page.locator("#summary-location").select_option(label=world.other_location.name)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Monthly summary – {world.other_location.name}")
    expect(page.locator("h1 + p")).to_contain_text("March 2026")
    expect(page.locator("h1 + p")).to_contain_text("America/New_York")
    expect(page.locator("svg.chart")).to_have_count(4)

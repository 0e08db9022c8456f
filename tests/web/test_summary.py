"""The summary page, its CSV and its PDF, as an owner gets them from the web."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from cta_kit.domain.summary import parse_month, summarise
from cta_kit.domain.summary.spreadsheet import BOM
from cta_kit.extensions import db
from tests.conftest import log_in
from tests.pdf.test_summary_report import number, rows_of_text
from tests.summary_db import stored_rows

MONTH = "2026-03"


@pytest.fixture
def owner_client(client, world):
    world.owner.language = "en"
    db.session.commit()
    log_in(client, world.owner)
    return client


@pytest.fixture
def rows(world):
    return stored_rows(world.location, seed=5, count=400)


def test_the_page_shows_the_figures_the_charts_and_their_tables(owner_client, world, rows):
    response = owner_client.get(f"/locations/{world.location.id}/summary?month={MONTH}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    data = summarise(rows, parse_month(MONTH)).to_json()
    assert "<script" not in html and "style=" not in html
    assert html.count('<svg') == 4 and html.count('class="data chart-table"') == 4
    for site in data["platforms"]:
        assert f'<td>{site["reviews"]}</td>' in html
    assert f'<span class="figure">{data["totals"]["reviews"]}</span>' in html
    assert "March 2026" in html and "Europe/Paris" in html
    for title in ("Reviews per month", "Average rating per month", "Sites customers say they use", "Cards and till"):
        assert title in html


def test_a_bad_month_is_explained_and_the_page_stays(owner_client, world):
    response = owner_client.get(f"/locations/{world.location.id}/summary?month=2026-13", follow_redirects=True)
    assert response.status_code == 200
    assert "is not a month: write it as year-month" in response.get_data(as_text=True)


def test_the_location_switcher_and_all_my_locations(owner_client, world, rows):
    switched = owner_client.get(f"/summary?location={world.other_location.id}&month={MONTH}")
    assert switched.status_code == 302
    assert switched.headers["Location"].endswith(f"/locations/{world.other_location.id}/summary?month={MONTH}")
    everything = owner_client.get(f"/summary?month={MONTH}").get_data(as_text=True)
    assert "All my locations" in everything and world.location.name in everything and world.other_location.name in everything
    foreign = owner_client.get(f"/summary?location={world.foreign_location.id}", follow_redirects=True)
    assert foreign.status_code == 404


@pytest.mark.parametrize("separator, cell", [("semicolon", ";"), ("comma", ",")])
def test_the_csv_uses_the_separator_picked_and_is_not_kept(owner_client, world, rows, separator, cell):
    response = owner_client.get(f"/locations/{world.location.id}/summary.csv?month={MONTH}&separator={separator}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    assert text.startswith(BOM)
    cells = list(csv.reader(io.StringIO(text[len(BOM):]), delimiter=cell))
    data = summarise(rows, parse_month(MONTH)).to_json()
    assert cells[1] == ["Month", MONTH]
    by_site = {row[0]: row for row in cells[5:5 + len(data["platforms"])]}
    assert [int(by_site[name][1]) for name in ("Google", "Tripadvisor", "Facebook")] == [
        site["reviews"] for site in data["platforms"][:3]]


def test_the_pdf_from_the_web_shows_the_jsons_figures(owner_client, world, rows, runner):
    response = owner_client.get(f"/locations/{world.location.id}/summary.pdf?month={MONTH}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    table = rows_of_text(response.data)
    cli = runner.invoke(args=["summary", "--location", str(world.location.id), "--month", MONTH, "--format", "json"])
    data = json.loads(cli.output)
    sites = data["platforms"] + [data["totals"]]

    def read(label):
        for cells in table[label]:
            try:
                return [number(text, ".") for text in cells]
            except ArithmeticError:
                continue
        raise AssertionError(label)

    assert read("Reviews") == [site["reviews"] for site in sites]
    assert read("Average rating") == [site["average_rating"] for site in sites]
    assert read("Scans") == [site["scans"] for site in sites]
    keys = ("reviews", "average_rating", "cards_printed", "till_slips", "scans", "preferences", "redemptions",
            "reviews_attributed", "reviews_attributed_suggested")
    assert read("Month") == [data["totals"][key] for key in keys]


def test_the_charts_are_svg_without_styles(owner_client, world, rows):
    html = owner_client.get(f"/locations/{world.location.id}/summary?month={MONTH}").get_data(as_text=True)
    start = html.index("<svg")
    root = ET.fromstring(html[start:html.index("</svg>", start) + len("</svg>")])
    assert root.get("role") == "img" and "viewBox" in root.attrib


def test_the_location_page_links_owners_to_the_summary(owner_client, world):
    html = owner_client.get(f"/locations/{world.location.id}").get_data(as_text=True)
    assert f'/locations/{world.location.id}/summary"' in html


def test_in_french_the_month_and_numbers_are_written_the_french_way(client, world, rows):
    world.owner.language = "fr"
    db.session.commit()
    log_in(client, world.owner)
    html = client.get(f"/locations/{world.location.id}/summary?month={MONTH}").get_data(as_text=True)
    average = summarise(rows, parse_month(MONTH)).to_json()["totals"]["average_rating"]
    assert "mars 2026" in html and "Ce mois-ci" in html and "Bilan du mois" in html
    assert f'<span class="figure">{average:.2f}</span>'.replace(".", ",") in html
    csv_text = client.get(f"/locations/{world.location.id}/summary.csv?month={MONTH}").get_data(as_text=True)
    assert csv_text.splitlines()[1] == "Mois;2026-03"  # a French owner's spreadsheet splits on ';'

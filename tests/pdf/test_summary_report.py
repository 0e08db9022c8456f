"""The one-page summary PDF read back: its figures equal the JSON's; the charts' SVG suits the CSP."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from pypdf import PdfReader

from cta_kit.domain.summary import LocationRows, Month, ReviewRow, summarise
from cta_kit.domain.summary.charts import summary_charts
from cta_kit.domain.summary.labels import SummaryLabels
from cta_kit.pdf.render import DocumentInfo
from cta_kit.pdf.summary_charts import chart_svg
from cta_kit.pdf.summary_report import render_summary
from tests.pdf_readback import qpdf_check
from tests.summary_rows import generated_rows

INFO = DocumentInfo("Monthly summary", "Łódź Žluťoučký", "Reviews and cards", datetime(2026, 4, 1, tzinfo=timezone.utc))
FRENCH = {
    "Monthly summary": "Bilan du mois",
    "Review site": "Site d'avis",
    "Reviews": "Avis",
    "Average rating": "Note moyenne",
    "All sites": "Tous les sites",
    "Scans": "Scans",
}


def rows_of_text(pdf: bytes) -> dict[str, list[list[str]]]:
    """The lines of the page, top first, keyed by their first cell; cells left to right (by position)."""
    pieces = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.append((round(y), x, text.strip()))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    lines = defaultdict(list)
    for y, x, text in pieces:
        lines[y].append((x, text))
    table = {}
    for y in sorted(lines, reverse=True):  # top first: the key figures come before the site table
        cells = [text for _, text in sorted(lines[y])]
        table.setdefault(cells[0], []).append(cells[1:])
    return table


def number(cell: str, decimal: str) -> float | int | None:
    if cell == "–":
        return None
    text = cell.replace("\u202f", "").replace("\xa0", "").replace("%", "").replace("±", "").replace(decimal, ".")
    value = Decimal(text)
    return int(value) if value == value.to_integral() and "." not in text else float(value)


@pytest.fixture(scope="module")
def summary():
    return summarise(generated_rows("Europe/Paris", seed=11, count=800), Month(2026, 3))


@pytest.mark.parametrize("locale, decimal", [("en", "."), ("fr", ",")])
def test_the_pdf_shows_the_jsons_figures_on_one_a4_page(summary, locale, decimal):
    labels = SummaryLabels().translated(lambda text: FRENCH.get(text, text)) if locale == "fr" else SummaryLabels()
    pdf = render_summary(summary, INFO, "Le Bistrot <Łódź>", labels, locale=locale)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert qpdf_check(pdf).returncode == 0
    data = summary.to_json()
    table = rows_of_text(pdf)
    sites = data["platforms"] + [{**data["totals"], "change": data["change"]}]
    assert table[labels.site][0] == [site["platform"].replace("google", "Google").replace("tripadvisor", "Tripadvisor")
                                  .replace("facebook", "Facebook").replace("thefork", "TheFork") for site in data["platforms"]] + [labels.all_sites]

    def read(label):
        """The line of figures with this label (a heading may have the same first word)."""
        for cells in table[label]:
            try:
                return [number(cell, decimal) for cell in cells]
            except ArithmeticError:
                continue
        raise AssertionError(f"no figures after {label!r}")

    assert read(labels.reviews) == [site["reviews"] for site in sites]
    assert read(labels.reviews_change) == [site["change"]["reviews"] for site in sites]
    assert read(labels.average_rating) == [site["average_rating"] for site in sites]
    assert read(labels.average_change) == [site["change"]["average_rating"] for site in sites]
    for star in range(1, 6):
        assert read(labels.star_heading(star)) == [site["ratings"][str(star)] for site in sites]
    assert read(labels.unrated) == [site["unrated"] for site in sites]
    assert read(labels.reply_share) == [None if site["reply_share"] is None else round(site["reply_share"] * 100) for site in sites]
    assert read(labels.median_reply_hours) == [site["median_reply_hours"] for site in sites]
    assert read(labels.scans) == [site["scans"] for site in sites]
    assert read(labels.preferences) == [site["preferences"] for site in sites]
    assert read(labels.attributed_confirmed) == [site["reviews_attributed"] for site in sites]
    assert read(labels.attributed_suggested) == [site["reviews_attributed_suggested"] for site in sites]
    # The key figures, this month and the change.
    keys = ("reviews", "average_rating", "cards_printed", "till_slips", "scans", "preferences", "redemptions",
            "reviews_attributed", "reviews_attributed_suggested")
    assert read(labels.month) == [data["totals"][key] for key in keys]
    assert read(labels.change) == [data["change"][key] for key in keys]
    text = reader.pages[0].extract_text()
    assert "Le Bistrot <Łódź>" in text and "Europe/Paris" in text
    for label in (labels.trend, labels.rating_trend, labels.preference_mix, labels.card_funnel, labels.no_reviews):
        assert label in text


def test_the_pdf_embeds_its_fonts_and_is_the_same_every_time(summary):
    pdf = render_summary(summary, INFO, "Le Bistrot")
    assert pdf == render_summary(summary, INFO, "Le Bistrot")
    fonts = set()
    for resource in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values():
        font = resource.get_object()
        fonts.add(str(font["/BaseFont"]))
        assert "/FontFile2" in font["/FontDescriptor"] if "/FontDescriptor" in font else "/DescendantFonts" in font
    assert fonts and all("DejaVuSans" in name for name in fonts)


def test_a_month_with_nothing_recorded_still_makes_a_page():
    empty = summarise(LocationRows(1, "Europe/Paris", ("google",)), Month(2026, 10))
    pdf = render_summary(empty, INFO, "Le Bistrot")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert ["0", "0"] in rows_of_text(pdf)["Reviews"]


def test_many_sites_still_fit_one_page():
    at = datetime(2026, 10, 5, tzinfo=timezone.utc)
    platforms = ("google", "tripadvisor", "facebook", "thefork", "trustpilot", "yelp", "other")
    rows = LocationRows(1, "UTC", platforms, reviews=[ReviewRow(p, 1, at, 1 + i % 5) for i, p in enumerate(platforms)])
    pdf = render_summary(summarise(rows, Month(2026, 10)), INFO, "Le Bistrot")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert rows_of_text(pdf)["1★"] == [["1", "0", "0", "0", "0", "1", "0", "2"]]


SVG = "{http://www.w3.org/2000/svg}"


def test_chart_svg_has_no_style_attribute_no_script_and_scales(summary):
    ids = set()
    for index, chart in enumerate(summary_charts(summary)):
        markup = chart_svg(chart, f"chart-{index}")
        root = ET.fromstring(markup)
        assert root.tag == f"{SVG}svg" and "viewBox" in root.attrib
        assert "width" not in root.attrib and "height" not in root.attrib
        assert root.get("role") == "img" and root.find(f"{SVG}title").text == chart.title
        for element in root.iter():
            assert "style" not in element.attrib
            assert element.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject")
            assert not any(name.startswith("on") for name in element.attrib)
            if "id" in element.attrib:
                assert element.get("id") not in ids
                ids.add(element.get("id"))
        texts = [element.text for element in root.iter(f"{SVG}text")]
        for category in chart.short_categories:
            assert category.replace("…", "")[:10] in " ".join(texts)


def test_chart_svg_escapes_a_site_name():
    rows = LocationRows(1, "UTC", ("other",), reviews=[ReviewRow("other", 1, datetime(2026, 10, 5, tzinfo=timezone.utc), 4)])
    chart = summary_charts(summarise(rows, Month(2026, 10)), names={"other": "<script>alert(1)</script>"})[0]
    markup = chart_svg(chart, "trend")
    assert "<script" not in markup and "&lt;script&gt;" in markup


def test_the_rating_line_labels_each_month_with_its_own_average():
    """Months without a rating break the line; every label still belongs to its own point."""
    ratings = {1: 4, 2: 3, 4: 5, 6: 2, 7: 1, 8: 4}
    rows = LocationRows(
        1, "UTC", ("google",),
        reviews=[ReviewRow("google", 1, datetime(2026, month, 5, tzinfo=timezone.utc), stars) for month, stars in ratings.items()],
    )
    chart = summary_charts(summarise(rows, Month(2026, 10)))[1]
    root = ET.fromstring(chart_svg(chart, "rating"))
    labels = [element.text for element in root.iter(f"{SVG}text") if element.text and "." in element.text]
    assert labels == [f"{stars:.2f}" for stars in ratings.values()]


def test_a_long_business_name_stays_on_the_page():
    name = "Brasserie du Grand Café de la Place de la République et des Halles " * 3
    pdf = render_summary(summarise(LocationRows(1, "UTC"), Month(2026, 10)), INFO, name)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    title = reader.pages[0].extract_text().splitlines()[0]
    assert title.startswith("Monthly summary – Brasserie du Grand Café") and title.endswith("…")

"""Render every shipped layout, then read the PDF back with independent tools.

pdftoppm rasterises, zxing-cpp decodes every QR code, pypdf reads sizes and resources,
qpdf checks the structure and pdftotext extracts the text.
"""

import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PIL import Image

from cta_kit.domain.layouts import QR_QUIET_ZONE_MODULES, QrElement, load_layout
from cta_kit.pdf.qr import QrLegibilityWarning, QrTooSmall, encode
from cta_kit.pdf.render import CardContent, QrItem, RenderError, crop_mark_segments, render_cards, render_slip

PT_PER_MM = 72 / 25.4
TEXT_HEADLINE = "Liked Łódź Žluťoučký's café?"
LAYOUT_DIR = Path(__file__).resolve().parents[2] / "print_layouts"
LAYOUT_NAMES = sorted(p.stem for p in LAYOUT_DIR.glob("*.toml"))


@dataclass
class Rendered:
    layout: object
    cards: list
    pdf: bytes
    path: Path


@pytest.fixture(scope="module", params=LAYOUT_NAMES)
def rendered(request, layouts, info, cards_for, tmp_path_factory):
    layout = layouts[request.param]
    cards = cards_for(layout)
    pdf = render_cards(layout, cards, info)
    path = tmp_path_factory.mktemp(layout.name) / f"{layout.name}.pdf"
    path.write_bytes(pdf)
    return Rendered(layout, cards, pdf, path)


def pages_of(rendered):
    per_page = rendered.layout.cards_per_page
    return [rendered.cards[i : i + per_page] for i in range(0, len(rendered.cards), per_page)]


def placed_codes(layout, page_cards):
    """(url, expected top-left corner of the symbol in mm from the page's top-left) per code drawn."""
    placed = []
    for (card_x, card_y), card in zip(layout.card_origins_mm(), page_cards):
        for panel in layout.panels:
            places = layout.qr_places(panel, len(card.qr_items))  # moved and grown for this many codes
            for element in panel.elements:
                if isinstance(element, QrElement) and element.slot in places:
                    url = card.qr_items[element.slot - 1].url
                    placed_box = places[element.slot]
                    quiet = QR_QUIET_ZONE_MODULES * placed_box.size / encode(url).modules_with_quiet_zone
                    x, y = placed_box.x, placed_box.y
                    u, v = x + quiet, y + quiet
                    if panel.rotation == 180:  # the symbol's own top-left, turned about the panel's centre
                        u, v = panel.width - u, panel.height - v
                    placed.append((url, (card_x + panel.x + u, card_y + panel.y + v)))
    return placed


def rasterise(path: Path, dpi: int) -> list[Image.Image]:
    prefix = path.with_name(f"{path.stem}-{dpi}")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(path), str(prefix)], check=True)
    files = sorted(path.parent.glob(f"{prefix.name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [Image.open(f) for f in files]


@pytest.mark.parametrize("dpi", [150, 300])
def test_every_qr_code_decodes_to_exactly_the_expected_links(rendered, dpi):
    images = rasterise(rendered.path, dpi)
    pages = pages_of(rendered)
    assert len(images) == len(pages)
    px_per_mm = dpi / 25.4
    for page_number, (image, page_cards) in enumerate(zip(images, pages), 1):
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        expected = placed_codes(rendered.layout, page_cards)
        assert sorted(b.text for b in found) == sorted(url for url, _ in expected), f"page {page_number}"
        # Each symbol sits where the layout puts it, to within 0.5 pt.
        for barcode in found:
            corner = barcode.position.top_left
            assert any(
                url == barcode.text
                and abs(corner.x - x * px_per_mm) <= 0.5 / PT_PER_MM * px_per_mm + 0.5
                and abs(corner.y - y * px_per_mm) <= 0.5 / PT_PER_MM * px_per_mm + 0.5
                for url, (x, y) in expected
            ), (barcode.text, corner.x / px_per_mm, corner.y / px_per_mm)


def test_page_size_matches_the_layout(rendered):
    reader = pypdf.PdfReader(rendered.path)
    assert len(reader.pages) == len(pages_of(rendered))
    for page, page_cards in zip(reader.pages, pages_of(rendered)):
        layout = rendered.layout.fitted_to(len(page_cards[0].qr_items)) if rendered.layout.is_roll else rendered.layout
        width, height = layout.page_size_mm
        assert float(page.mediabox.width) == pytest.approx(width * PT_PER_MM, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(height * PT_PER_MM, abs=0.5)


def test_qpdf_finds_no_errors(rendered):
    result = subprocess.run(["qpdf", "--check", str(rendered.path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_text_is_embedded_unicode(rendered):
    text = subprocess.run(["pdftotext", str(rendered.path), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())  # lines break differently on each layout
    assert "Liked Łódź Žluťoučký's café?" in text  # accents, an owner's name, an ASCII apostrophe
    assert "We’d love" in text  # a typographic apostrophe
    if not rendered.layout.standing:  # a standing piece prints no offer and no code
        assert "€2.50" in text
        for card in rendered.cards:
            assert card.variables["code"] in text
    fonts = subprocess.run(["pdffonts", str(rendered.path)], capture_output=True, text=True, check=True).stdout
    font_lines = fonts.splitlines()[2:]
    assert font_lines and all("DejaVuSans" in line and " yes yes yes " in line for line in font_lines)


def painted(stream) -> tuple[int, list[str]]:
    """(QR paths filled, images drawn) by a page or form, following the forms it draws."""
    content = (stream.get_contents() if isinstance(stream, pypdf.PageObject) else stream).get_data().decode("latin-1")
    fills, images = len(re.findall(r"\bre\s+f\*?\s", content)), []
    xobjects = (stream.get("/Resources") or {}).get("/XObject") or {}
    for name in re.findall(r"(/\S+)\s+Do\b", content):
        xobject = xobjects[name].get_object()
        if xobject["/Subtype"] == "/Form":
            inner_fills, inner_images = painted(xobject)
            fills, images = fills + inner_fills, images + inner_images
        else:
            images.append(xobject["/Subtype"])
    return fills, images


def test_qr_codes_are_vector_paths_one_per_code(rendered):
    reader = pypdf.PdfReader(rendered.path)
    for page, page_cards in zip(reader.pages, pages_of(rendered)):
        fills, images = painted(page)
        assert images == []
        assert fills == len(placed_codes(rendered.layout, page_cards))


def test_codes_and_text_every_card_shares_are_drawn_once_and_placed_on_each_card(layouts, info, tmp_path):
    layout = layouts["business-card-10up-a4"]
    links = (QrItem("https://g.page/r/bistro/review", "Google", "g.page/r/bistro"),
             QrItem("https://www.tripadvisor.com/bistro", "Tripadvisor", "tripadvisor.com/bistro"))
    cards = [CardContent({"headline": "Tell us how it was", "code": f"CODE-{i:04d}"}, links) for i in range(12)]
    path = tmp_path / "direct.pdf"
    path.write_bytes(render_cards(layout, cards, info))
    reader = pypdf.PdfReader(path)
    forms = [x.get_object() for x in reader.pages[0]["/Resources"]["/XObject"].values()]
    assert len(forms) == 1 and forms[0]["/Subtype"] == "/Form"
    assert painted(forms[0])[0] == 2  # each link encoded and drawn once, in the form
    for page, page_cards in zip(reader.pages, [cards[:10], cards[10:]]):
        assert page.get_contents().get_data().count(b" Do") == len(page_cards)
        assert painted(page)[0] == 2 * len(page_cards)
        text = page.extract_text()
        assert all(card.variables["code"] in text for card in page_cards)
        assert text.count("Tell us how it was") == len(page_cards)
    images = rasterise(path, 150)
    for image, page_cards in zip(images, [cards[:10], cards[10:]]):
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        assert sorted(b.text for b in found) == sorted(item.url for card in page_cards for item in card.qr_items)


def test_with_a_link_per_card_the_shared_text_is_drawn_once_and_each_code_on_its_card(layouts, info, sample_cards):
    layout = layouts["business-card-10up-a4"]
    cards = sample_cards(12, qr_counts=(2,))
    reader = pypdf.PdfReader(io.BytesIO(render_cards(layout, cards, info)))
    (form,) = [x.get_object() for x in reader.pages[0]["/Resources"]["/XObject"].values()]
    assert painted(form)[0] == 0
    assert b"Tf" in form.get_data()  # the headline, body and offer are in the form
    for page, page_cards in zip(reader.pages, [cards[:10], cards[10:]]):
        assert painted(page)[0] == 2 * len(page_cards)
        assert page.extract_text().count(TEXT_HEADLINE) == len(page_cards)


def test_metadata(rendered, info):
    reader = pypdf.PdfReader(rendered.path)
    meta = reader.metadata
    assert (meta.title, meta.author, meta.subject) == (info.title, info.author, info.subject)
    assert meta["/CreationDate"] == "D:20250301093000+00'00'"


def test_same_input_same_bytes(rendered, info):
    assert render_cards(rendered.layout, rendered.cards, info) == rendered.pdf


def test_same_bytes_in_other_processes_whatever_the_hash_seed(layouts, info, sample_cards):
    script = f"""
import sys
import importlib.util
from datetime import datetime, timezone
spec = importlib.util.spec_from_file_location("pdf_samples", {str(Path(__file__).with_name("conftest.py"))!r})
samples = importlib.util.module_from_spec(spec)
spec.loader.exec_module(samples)
sample_cards = samples.sample_cards
from cta_kit.domain.layouts import load_layout
from cta_kit.pdf.render import DocumentInfo, render_cards
info = DocumentInfo({info.title!r}, {info.author!r}, {info.subject!r}, datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc))
layout = load_layout({str(LAYOUT_DIR / "table-tent-a6-from-a5.toml")!r})
sys.stdout.buffer.write(render_cards(layout, sample_cards(3, seed=9), info))
"""
    outputs = [
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}
        ).stdout
        for seed in ("0", "4242")
    ]
    here = render_cards(layouts["table-tent-a6-from-a5"], sample_cards(3, seed=9), info)
    assert outputs[0] == outputs[1] == here


# --- one layout, specific behaviour -----------------------------------------------------------------


def test_avery_5371_cards_sit_on_the_published_template(layouts):
    # Avery 5371 / 8371: 3.5" x 2" cards, first at 0.75" from the left and 0.5" from the top,
    # no gaps (gLabels avery-us-templates.xml; Paper::Specs::Avery::5371).
    layout = layouts["avery-5371-letter"]
    published = [(54 + column * 252, 36 + row * 144) for row in range(5) for column in range(2)]  # pt
    for (x, y), (px, py) in zip(layout.card_origins_mm(), published, strict=True):
        assert abs(x * PT_PER_MM - px) <= 0.5 and abs(y * PT_PER_MM - py) <= 0.5
    assert (layout.card_width_mm * PT_PER_MM, layout.card_height_mm * PT_PER_MM) == pytest.approx((252, 144))


def test_crop_marks_stay_outside_every_card(layouts):
    for layout in layouts.values():
        segments = crop_mark_segments(layout)
        if not layout.crop_marks:
            assert segments == []
            continue
        page_w, page_h = layout.page_size_mm
        origins = layout.card_origins_mm()
        edges_x = {x for x, _ in origins} | {x + layout.card_width_mm for x, _ in origins}
        edges_y = {y for _, y in origins} | {y + layout.card_height_mm for _, y in origins}
        assert len(segments) == 2 * (len(edges_x) + len(edges_y))
        for x1, y1, x2, y2 in segments:
            assert 0 <= min(x1, x2) and max(x1, x2) <= page_w and 0 <= min(y1, y2) and max(y1, y2) <= page_h
            for cx, cy in layout.card_origins_mm():
                b = layout.bleed_mm
                inside_x = max(x1, x2) > cx - b and min(x1, x2) < cx + layout.card_width_mm + b
                inside_y = max(y1, y2) > cy - b and min(y1, y2) < cy + layout.card_height_mm + b
                assert not (inside_x and inside_y)


def test_long_text_shrinks_and_never_leaves_its_card(layouts, info, tmp_path, sample_cards):
    layout = layouts["business-card-10up-a4"]
    cards = sample_cards(
        10,
        headline="An extraordinarily long headline that no card could ever hold on a single line",
        body="Please " * 60,
        offer="Supercalifragilisticexpialidocious" * 4,
    )
    path = tmp_path / "long.pdf"
    path.write_bytes(render_cards(layout, cards, info))
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', html)
    assert len(words) > 100
    cards_pt = [
        (x * PT_PER_MM, y * PT_PER_MM, (x + layout.card_width_mm) * PT_PER_MM, (y + layout.card_height_mm) * PT_PER_MM)
        for x, y in layout.card_origins_mm()
    ]
    for x_min, y_min, x_max, y_max, word in words:
        x_min, y_min, x_max, y_max = map(float, (x_min, y_min, x_max, y_max))
        assert any(
            x_min >= left - 0.5 and x_max <= right + 0.5 and y_min >= top - 0.5 and y_max <= bottom + 0.5
            for left, top, right, bottom in cards_pt
        ), word
    assert "…" in html


def test_render_slip_prints_one_slip_per_page(layouts, info, sample_cards):
    layout = layouts["thermal-80mm"]
    pdf = render_slip(layout, sample_cards(1)[0], info)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert float(reader.pages[0].mediabox.height) == pytest.approx(layout.slip_height_mm * PT_PER_MM, abs=0.5)
    with pytest.raises(ValueError):
        render_slip(layouts["business-card-10up-a4"], sample_cards(1)[0], info)


def test_a_58mm_slip_is_as_long_as_its_codes_and_an_80mm_slip_keeps_its_row(layouts, info, sample_cards):
    from tests.pdf_readback import decoded_qr_codes_per_page

    cards = sample_cards(3)  # 1, 2 and 3 codes
    stacked = pypdf.PdfReader(io.BytesIO(render_cards(layouts["thermal-58mm"], cards, info))).pages
    heights = [float(page.mediabox.height) / PT_PER_MM for page in stacked]
    # Each missing code takes its 33 mm band with it; three codes fill the file's whole slip.
    assert heights[2] == pytest.approx(layouts["thermal-58mm"].slip_height_mm, abs=0.2)
    assert heights[1] == pytest.approx(heights[2] - 33, abs=0.2) and heights[0] == pytest.approx(heights[2] - 66, abs=0.2)
    pdf = render_cards(layouts["thermal-58mm"], cards, info)
    assert decoded_qr_codes_per_page(pdf) == [sorted(item.url for item in card.qr_items) for card in cards]
    assert [card.variables["code"] in text for card, text in
            zip(cards, (page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))] == [True] * 3
    row = pypdf.PdfReader(io.BytesIO(render_cards(layouts["thermal-80mm"], cards, info))).pages
    assert {round(float(page.mediabox.height), 1) for page in row} == {
        round(layouts["thermal-80mm"].slip_height_mm * PT_PER_MM, 1)}


def test_a_card_with_more_codes_than_slots_is_refused(info, tmp_path, sample_cards):
    layout = load_layout(_small_qr_layout(tmp_path, size=22.5))
    with pytest.raises(RenderError, match="This card has 2 review sites; the layout .* has QR code slots for 1"):
        render_cards(layout, sample_cards(1, qr_counts=(2,)), info)
    with pytest.raises(RenderError, match="no cards"):
        render_cards(layout, [], info)


def _small_qr_layout(tmp_path, size):
    text = (LAYOUT_DIR / "business-card-10up-a4.toml").read_text(encoding="utf-8")
    text = re.sub(r"\[\[element\]\]\nname = \"qr[23]\".*?caption_gap = 0.2\n", "", text, flags=re.S)
    text = text.replace("size = 22.5", f"size = {size}")
    path = tmp_path / f"qr-{size}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_qr_too_small_is_refused(info, tmp_path, sample_cards):
    layout = load_layout(_small_qr_layout(tmp_path, size=16))  # fine for 80 characters at 203 dpi
    assert layout.warnings
    card = sample_cards(1, qr_counts=(1,))[0]
    long_link = type(card.qr_items[0])(url="https://cards.example.com/r/" + "x" * 170, label="Google", short_url="x")
    too_long = type(card)(card.variables, (long_link,))
    with pytest.raises(QrTooSmall) as caught:
        render_cards(layout, [too_long], info)
    assert caught.value.message.render() == (
        "The QR code for Google is 16.0 mm for 65 modules (a 198-character link): modules of 0.25 mm "
        "are too small to scan; at least 21.5 mm is needed."
    )


def test_small_modules_give_a_warning(info, tmp_path, sample_cards):
    layout = load_layout(_small_qr_layout(tmp_path, size=16))
    with pytest.warns(QrLegibilityWarning, match="modules of 0.36 mm: print at 203 dpi or more"):
        render_cards(layout, sample_cards(3, qr_counts=(1,)), info)


def test_logo_box_draws_the_logo(info, tmp_path, sample_cards):
    text = (LAYOUT_DIR / "business-card-10up-a4.toml").read_text(encoding="utf-8")
    text += '\n[[element]]\nname = "logo"\ntype = "logo"\nx = 70\ny = 3\nwidth = 11\nheight = 5\n'
    path = tmp_path / "logo.toml"
    path.write_text(text.replace("width = 77\nheight = 4.8", "width = 60\nheight = 4.8"), encoding="utf-8")
    layout = load_layout(path)
    png = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(png, format="PNG")
    logo = png.getvalue()
    cards = [type(card)(card.variables, card.qr_items, logo=logo) for card in sample_cards(3)]
    for batch in (cards[:1], cards):
        reader = pypdf.PdfReader(io.BytesIO(render_cards(layout, batch, info)))
        assert painted(reader.pages[0])[1] == ["/Image"] * len(batch)

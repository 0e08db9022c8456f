import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from cta_kit.domain.layouts import QrElement, load_layout
from cta_kit.pdf.preview import render_card_svg
from cta_kit.pdf.qr import encode, svg_path
from cta_kit.pdf.render import CardContent

SVG = "{http://www.w3.org/2000/svg}"
NAMES = [
    "avery-5371-letter",
    "bill-insert-3up-a4",
    "business-card-10up-a4",
    "table-tent-a6-from-a5",
    "thermal-58mm",
    "thermal-80mm",
]


@pytest.mark.parametrize("name", NAMES)
def test_preview_is_well_formed_svg_at_real_proportions(layouts, sample_cards, name):
    layout = layouts[name]
    card = sample_cards(3, qr_counts=(3,))[0]
    root = ET.fromstring(render_card_svg(layout, card))
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == f"{layout.card_width_mm:g}mm"
    assert [float(v) for v in root.get("viewBox").split()] == pytest.approx(
        [0, 0, layout.card_width_mm, layout.card_height_mm]
    )
    paths = [p.get("d") for p in root.iter(f"{SVG}path")]
    qr_count = sum(isinstance(e, QrElement) and e.slot <= 3 for p in layout.panels for e in p.elements)
    assert len(paths) == qr_count
    assert svg_path(encode(card.qr_items[0].url)) in paths
    texts = " ".join(t.text for t in root.iter(f"{SVG}text"))
    assert "Google" in texts
    assert (card.variables["code"] in texts) != layout.standing  # a standing piece prints no code


def test_untrusted_text_is_escaped(layouts, sample_cards):
    card = sample_cards(1, headline='<script>alert("x")</script> & </text><svg onload=alert(1)>')[0]
    svg = render_card_svg(layouts["business-card-10up-a4"], card)
    assert "<script>" not in svg and "<svg onload" not in svg
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{SVG}script"))
    assert len(list(root.iter(f"{SVG}svg"))) == 1
    texts = "".join(t.text for t in root.iter(f"{SVG}text"))
    assert "<script>" in texts  # shown as text, not run


def test_the_back_of_a_tent_is_turned(layouts, sample_cards):
    root = ET.fromstring(render_card_svg(layouts["table-tent-a6-from-a5"], sample_cards(1)[0]))
    transforms = [g.get("transform") for g in root.iter(f"{SVG}g")]
    assert transforms == ["translate(0 0) rotate(180 74 52.5)", "translate(0 105)"]


def test_logo_box_is_a_placeholder_until_there_is_a_logo(tmp_path, sample_cards):
    source = Path(__file__).resolve().parents[2] / "print_layouts" / "thermal-80mm.toml"
    logo = '\n[[element]]\nname = "logo"\ntype = "logo"\nx = 0\ny = 104\nwidth = 20\nheight = 8\n'
    path = tmp_path / "logo.toml"
    path.write_text(source.read_text(encoding="utf-8") + logo, encoding="utf-8")
    layout = load_layout(path)
    card = sample_cards(1)[0]
    root = ET.fromstring(render_card_svg(layout, card))
    assert [r for r in root.iter(f"{SVG}rect") if r.get("stroke-dasharray")]
    png = io.BytesIO()
    Image.new("RGB", (20, 8), "blue").save(png, format="PNG")
    with_logo = CardContent(card.variables, card.qr_items, logo=png.getvalue())
    (image,) = ET.fromstring(render_card_svg(layout, with_logo)).iter(f"{SVG}image")
    assert image.get("href").startswith("data:image/png;base64,")

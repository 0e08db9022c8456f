"""Who a card names, and the lines a layout leaves out."""

from pathlib import Path

import pytest

from cta_kit.domain.card_text import location_line, omitted_lines
from cta_kit.domain.layouts import QrElement, load_layout, load_layouts

LAYOUT_DIR = Path(__file__).resolve().parents[2] / "print_layouts"


@pytest.mark.parametrize(
    "business, location, printed",
    [
        ("Le Petit Zinc (démo)", "Le Petit Zinc", ""),
        ("Le Petit Zinc", "le petit zinc", ""),
        ("Le Petit Zinc", "Le Petit Zinc – Bastille", "Bastille"),
        ("Chez Nous", "Chez Nous Paris", "Paris"),
        ("Le Petit Zinc", "12 rue Oberkampf", "12 rue Oberkampf"),
    ],
)
def test_the_location_is_printed_only_when_it_adds_something(business, location, printed):
    assert location_line(business, location) == printed


def test_a_layout_without_a_presence_line_says_so_and_a_standing_piece_omits_the_offer_quietly(tmp_path):
    layouts = load_layouts(LAYOUT_DIR)
    lines = {"headline": "Votre avis compte", "body": "Scannez", "offer": "Un café", "presence_line": "Yelp"}
    assert all(omitted_lines(layout, lines) == [] for layout in layouts.values())
    source = (LAYOUT_DIR / "business-card-10up-a4.toml").read_text(encoding="utf-8")
    path = tmp_path / "no-presence.toml"
    path.write_text(source.replace('text = "{presence_line}"', 'text = "{business}"'), encoding="utf-8")
    (note,) = omitted_lines(load_layout(path), lines)
    assert note.render() == (
        "“Business cards, 10 on A4” leaves out the presence line (“Yelp”): choose another layout to print it."
    )


def test_a_sheet_closes_up_around_an_unused_row_of_codes():
    layout = load_layouts(LAYOUT_DIR)["bill-insert-3up-a4"]
    fitted = layout.fitted_to(2)
    assert fitted.card_height_mm == layout.card_height_mm
    before = {e.name: e for e in layout.panels[0].elements}
    after = {e.name: e for e in fitted.panels[0].elements}
    assert {"qr3", "qr4"} == set(before) - set(after)
    freed = before["presence"].y - before["qr3"].y
    assert after["business"].y == pytest.approx(before["business"].y + freed / 2)
    assert after["code"].y == pytest.approx(before["code"].y - freed / 2)
    assert after["cut_guide"] == before["cut_guide"]  # the cut guide runs the card's height
    assert layout.fitted_to(3) is layout and layout.fitted_to(4) is layout
    (panel,) = layout.panels
    assert layout.qr_positions(panel, 3)[3] == (pytest.approx((before["qr3"].x + before["qr4"].x) / 2), before["qr3"].y)
    assert all(isinstance(e, QrElement) for e in (after["qr1"], after["qr2"]))

from pathlib import Path

import pytest

from cta_kit.domain.errors import DomainError
from cta_kit.domain.layouts import (
    VARIABLES,
    LayoutError,
    QrElement,
    load_layout,
    load_layouts,
    qr_error_correction,
    qr_modules_with_quiet_zone,
)

LAYOUT_DIR = Path(__file__).resolve().parents[2] / "print_layouts"
INCH = 25.4
REQUIRED = {
    "business-card-10up-a4",
    "avery-5371-letter",
    "bill-insert-3up-a4",
    "table-tent-a6-from-a5",
    "thermal-80mm",
    "thermal-58mm",
}


@pytest.fixture(scope="module")
def layouts():
    return load_layouts(LAYOUT_DIR)


# --- the shipped layouts -------------------------------------------------------------------------


def test_every_shipped_layout_loads_without_warnings(layouts):
    assert REQUIRED <= set(layouts)
    assert list(layouts) == sorted(layouts)
    for layout in layouts.values():
        assert layout.warnings == (), layout.name
        assert layout.title and layout.description
        assert 1 <= layout.qr_slots <= 4


def test_every_card_layout_shows_the_campaign_the_business_and_the_code(layouts):
    for layout in layouts.values():
        used = layout.printed_variables
        assert {"headline", "body", "presence_line", "business"} <= used, layout.name
        if layout.standing:
            assert not used & {"offer", "validity", "code", "code_label"}, layout.name
        else:
            assert {"offer", "validity", "code", "code_label"} <= used, layout.name


def test_roomy_layouts_take_four_sites_and_the_others_three(layouts):
    slots = {name: layout.qr_slots for name, layout in layouts.items()}
    assert slots == {"avery-5371-letter": 3, "bill-insert-3up-a4": 4, "business-card-10up-a4": 3,
                     "table-tent-a6-from-a5": 4, "thermal-58mm": 3, "thermal-80mm": 3}
    assert [name for name, layout in layouts.items() if layout.standing] == ["table-tent-a6-from-a5"]


def test_business_cards(layouts):
    layout = layouts["business-card-10up-a4"]
    assert (layout.page_width_mm, layout.page_height_mm) == (210, 297)
    assert (layout.card_width_mm, layout.card_height_mm) == (85, 55)
    assert layout.cards_per_page == 10 and layout.crop_marks
    origins = layout.card_origins_mm()
    assert origins[0] == (20, 11) and origins[1] == (105, 11) and origins[-1] == (105, 231)


def test_avery_5371_matches_the_published_template(layouts):
    layout = layouts["avery-5371-letter"]
    assert layout.page_size_mm == pytest.approx((8.5 * INCH, 11 * INCH))
    assert (layout.card_width_mm, layout.card_height_mm) == pytest.approx((3.5 * INCH, 2 * INCH))
    published = [(0.75 * INCH + c * 3.5 * INCH, 0.5 * INCH + r * 2 * INCH) for r in range(5) for c in range(2)]
    flat = [v for origin in layout.card_origins_mm() for v in origin]
    assert flat == pytest.approx([v for origin in published for v in origin], abs=1e-9)
    assert not layout.crop_marks


def test_bill_inserts_go_three_across_a4_landscape(layouts):
    layout = layouts["bill-insert-3up-a4"]
    assert layout.page_size_mm == (297, 210)
    assert (layout.columns, layout.rows) == (3, 1)
    assert layout.card_origins_mm() == ((0, 0), (99, 0), (198, 0))


def test_table_tent_has_two_a6_panels_one_upside_down(layouts):
    layout = layouts["table-tent-a6-from-a5"]
    assert layout.page_size_mm == (148, 210)
    back, front = layout.panels
    assert (back.width, back.height, back.rotation) == (148, 105, 180)
    assert (front.y, front.width, front.height, front.rotation) == (105, 148, 105, 0)
    assert layout.qr_slots == 4 and layout.standing


@pytest.mark.parametrize("name, width, card", [("thermal-80mm", 80, 72), ("thermal-58mm", 58, 48)])
def test_thermal_rolls_have_automatic_height(layouts, name, width, card):
    layout = layouts[name]
    assert layout.is_roll and layout.page_height_mm is None
    assert layout.page_width_mm == width and layout.card_width_mm == card
    lowest = max(e.extent[3] for p in layout.panels for e in p.elements)
    assert layout.card_height_mm == pytest.approx(lowest)
    assert layout.page_size_mm[1] == pytest.approx(layout.top_margin_mm + lowest + layout.bottom_margin_mm)
    assert layout.cards_per_page == 1


def test_centre_row_spreads_the_codes_present(layouts):
    layout = layouts["business-card-10up-a4"]
    (panel,) = layout.panels
    xs = {e.slot: e.x for e in panel.elements if isinstance(e, QrElement)}
    assert layout.qr_positions(panel, 3) == {s: (x, 19.6) for s, x in xs.items()}
    assert layout.qr_positions(panel, 1) == {1: (pytest.approx(xs[2]), 19.6)}
    two = layout.qr_positions(panel, 2)
    middle = (two[1][0] + two[2][0]) / 2
    assert middle == pytest.approx(xs[2]) and two[2][0] - two[1][0] == pytest.approx(xs[2] - xs[1])


def test_fixed_arrangement_leaves_unused_slots_blank(layouts):
    layout = layouts["thermal-58mm"]
    (panel,) = layout.panels
    assert set(layout.qr_positions(panel, 1)) == {1}


# --- templates and QR sizing ------------------------------------------------------------------------


def test_template_disappears_when_all_its_variables_are_empty(tmp_path):
    layout = load_layout(write(tmp_path, BASE.replace('text = "{headline}"', 'text = "– {offer} –"')))
    template = layout.panels[0].elements[0].text
    assert template.variables == ("offer",)
    assert template.render({"offer": "Free coffee"}) == "– Free coffee –"
    assert template.render({"offer": ""}) == ""


def test_literal_braces_and_untrusted_values_are_not_parsed(tmp_path):
    layout = load_layout(write(tmp_path, BASE.replace('text = "{headline}"', 'text = "{{{headline}}}"')))
    template = layout.panels[0].elements[0].text
    assert template.render({"headline": "{code} %(x)s"}) == "{{code} %(x)s}"


def test_error_correction_follows_payload_length():
    assert [qr_error_correction(n) for n in (10, 32, 33, 64, 65, 300)] == ["H", "H", "Q", "Q", "M", "M"]
    # 80 bytes at level M need version 5: 37 modules, plus 4 of quiet zone on each side.
    assert qr_modules_with_quiet_zone(80) == 45


def test_registry_scopes():
    assert VARIABLES["short_url"].scope == "qr" and VARIABLES["headline"].scope == "card"


# --- broken layouts ----------------------------------------------------------------------------------

BASE = """
title = "Test"
description = "A layout for tests"

[sheet]
size = "A4"

[grid]
columns = 2
rows = 5
left = "centered"
top = "centered"

[card]
width = 85
height = 55

[[element]]
name = "headline"
type = "text"
text = "{headline}"
x = 4
y = 3
width = 77
height = 5
font_size = 11

[[element]]
name = "qr1"
type = "qr"
slot = 1
x = 31.25
y = 12
size = 22.5

[[element]]
name = "code"
type = "code"
x = 4
y = 45
width = 77
height = 5
"""

PANELS = """
title = "Tent"

[sheet]
size = "A5"

[grid]
left = 0
top = 0

[card]
width = 148
height = 210

[[panel]]
name = "back"
x = 0
y = 0
width = 148
height = 110
rotation = 180

[[panel.element]]
name = "back_qr"
type = "qr"
slot = 1
x = 10
y = 10
size = 30

[[panel]]
name = "front"
x = 0
y = 105
width = 148
height = 105

[[panel.element]]
name = "front_code"
type = "code"
x = 10
y = 10
width = 100
height = 6
"""


def write(tmp_path, text, name="bad.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edit(*pairs, base=BASE):
    text = base
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


BROKEN = [
    (
        "too wide",
        edit(('left = "centered"', "left = 43.2")),
        "bad.toml: cards are 3.2 mm too wide for the sheet",
    ),
    (
        "too many columns",
        edit(("columns = 2", "columns = 3")),
        "bad.toml: cards are 45.0 mm too wide for the sheet",
    ),
    ("too tall", edit(("rows = 5", "rows = 6")), "bad.toml: cards are 33.0 mm too tall for the sheet"),
    (
        "element beyond the right edge",
        edit(("x = 31.25", "x = 64.5")),
        "bad.toml: element 'qr1' extends 2.0 mm beyond the card's right edge",
    ),
    (
        "caption below the bottom edge",
        edit(("y = 12\n", "y = 30\n")),
        "bad.toml: element 'qr1' extends 2.7 mm beyond the card's bottom edge",
    ),
    (
        "QR box too small",
        edit(("size = 22.5", "size = 14")),
        "bad.toml: QR box 'qr1' is 14.0 mm: at least 14.9 mm is needed for links of 80 characters "
        "(45 modules with the quiet zone, at 0.33 mm per module, the smallest a 203 dpi thermal "
        "printer prints legibly)",
    ),
    (
        "unknown variable",
        edit(('"{headline}"', '"{hedline}"')),
        "bad.toml: element 'headline' uses an unknown variable {hedline}: use one of body, business, "
        "code, code_label, headline, location, offer, presence_line, validity",
    ),
    (
        "format spec in a variable",
        edit(('"{headline}"', '"{headline:>10}"')),
        "bad.toml: element 'headline' uses an unknown variable {headline}: use one of body, business, "
        "code, code_label, headline, location, offer, presence_line, validity",
    ),
    (
        "QR variable outside a caption",
        edit(('"{headline}"', '"{short_url}"')),
        "bad.toml: element 'headline' uses {short_url}, which only exists in the caption under a QR code",
    ),
    (
        "unbalanced brace",
        edit(('"{headline}"', '"{headline"')),
        "bad.toml: element 'headline': unbalanced braces in '{headline' (write {{ or }} for a literal brace)",
    ),
    (
        "crop marks without room",
        edit(('size = "A4"', 'size = "A4"\ncrop_marks = true\ncrop_mark_length = 10')),
        "bad.toml: crop marks need 12.0 mm outside the cards but the top margin is 11.0 mm",
    ),
    (
        "bleed without gaps",
        edit(('size = "A4"', 'size = "A4"\nbleed = 2')),
        "bad.toml: a bleed of 2.0 mm needs column gaps of at least 4.0 mm, not 0.0 mm",
    ),
    (
        "crop marks inside the bleed",
        edit(
            ('size = "A4"', 'size = "A4"\nbleed = 2\ncrop_marks = true\ncrop_mark_offset = 1'),
            ("rows = 5", "rows = 4\ncolumn_gap = 4\nrow_gap = 4"),
        ),
        "bad.toml: crop marks start 1.0 mm from the cards, inside the 2.0 mm bleed",
    ),
    (
        "typo in a setting",
        edit(("font_size = 11", 'font_size = 11\ncolour = "red"')),
        "bad.toml: element 'headline' has an unknown setting 'colour'",
    ),
    (
        "typo in a table",
        edit(("rows = 5", "rows = 5\ncolum_gap = 2")),
        "bad.toml: [grid] has an unknown setting 'colum_gap'",
    ),
    (
        "text where a number belongs",
        edit(("width = 77", 'width = "wide"')),
        "bad.toml: element 'headline': 'width' must be a number",
    ),
    ("negative margin", edit(('left = "centered"', "left = -1")), "bad.toml: [grid]: 'left' cannot be negative"),
    (
        "unknown sheet size",
        edit(('size = "A4"', 'size = "A7"')),
        "bad.toml: [sheet]: unknown sheet size 'A7': use one of A4, A5, A6, Letter, Legal, or give width and height",
    ),
    (
        "size and width",
        edit(('size = "A4"', 'size = "A4"\nwidth = 200')),
        "bad.toml: [sheet]: give either a named size or a width and height, not both",
    ),
    (
        "roll with a size",
        edit(('size = "A4"', 'size = "A4"\nroll_width = 80')),
        "bad.toml: [sheet]: a roll has a width only, not 'size'",
    ),
    (
        "roll with columns",
        edit(('size = "A4"', "roll_width = 80"), ('left = "centered"\ntop = "centered"', 'left = "centered"\ntop = 2')),
        "bad.toml: [grid]: a roll prints one slip per page: columns and rows must be 1",
    ),
    (
        "roll centred vertically",
        edit(('size = "A4"', "roll_width = 80"), ("columns = 2\nrows = 5\n", ""), ("width = 85", "width = 72")),
        "bad.toml: [grid]: a roll has no height to centre on: give 'top' in mm",
    ),
    (
        "text box too short for one line",
        edit(("height = 5\nfont_size = 11", "height = 1.5\nfont_size = 11")),
        "bad.toml: text 'headline' is 1.5 mm tall: one line at 6.0 pt needs 2.6 mm",
    ),
    (
        "min font larger than the font",
        edit(("font_size = 11", "font_size = 11\nmin_font_size = 12")),
        "bad.toml: element 'headline': min_font_size 12.0 pt is larger than font_size 11.0 pt",
    ),
    (
        "unknown element type",
        edit(('type = "text"', 'type = "barcode"')),
        "bad.toml: element 'headline': 'type' must be one of text, code, qr, logo, line",
    ),
    (
        "missing setting",
        edit(("width = 77\n", "")),
        "bad.toml: element 'headline' needs 'width'",
    ),
    (
        "QR slots with a gap",
        edit(("slot = 1", "slot = 2")),
        "bad.toml: QR slots must be numbered from 1 without gaps: found 2",
    ),
    ("slot out of range", edit(("slot = 1", "slot = 5")), "bad.toml: element 'qr1': 'slot' must be a whole number from 1 to 4"),
    (
        "literal words",
        edit(('"{headline}"', '"Your code: {code}"')),
        "bad.toml: element 'headline' prints the words 'Your code:': every word on a card is in the campaign's "
        "language, so print a variable such as {code_label} instead",
    ),
    (
        "standing piece with a code",
        edit(("height = 55", "height = 55\nstanding = true")),
        "bad.toml: a standing piece prints no offer, code or expiry date, but the layout uses {code}",
    ),
    (
        "no code",
        edit(('type = "code"', 'type = "text"\ntext = "{business}"')),
        "bad.toml: the layout never prints {code}: every card needs its redemption code",
    ),
    (
        "no QR box",
        edit(('type = "qr"\nslot = 1\nx = 31.25\ny = 12\nsize = 22.5', 'type = "line"\nx1 = 0\ny1 = 0\nx2 = 1\ny2 = 1')),
        "bad.toml: the layout has no QR box: a review card needs at least one",
    ),
    ("two elements with one name", edit(('name = "code"', 'name = "headline"')), "bad.toml: two elements are named 'headline'"),
    ("missing title", edit(('title = "Test"', "")), "bad.toml: the file needs 'title'"),
    (
        "centre-row out of line",
        edit(
            ("height = 55", 'height = 55\nqr_arrangement = "centre-row"'),
            (
                'name = "code"',
                'name = "qr2"\ntype = "qr"\nslot = 2\nx = 60\ny = 13\nsize = 22.5\n\n[[element]]\nname = "code"',
            ),
        ),
        "bad.toml: with qr_arrangement = \"centre-row\", QR boxes 'qr1' and 'qr2' must share a row or sit "
        "in rows that do not overlap",
    ),
    ("overlapping panels", PANELS, "bad.toml: panels 'back' and 'front' overlap"),
    (
        "panel off the card",
        edit(("height = 110", "height = 100"), ("y = 105\nwidth = 148\nheight = 105", "y = 105\nwidth = 150\nheight = 105"), base=PANELS),
        "bad.toml: panel 'front' extends 2.0 mm beyond the card's right edge",
    ),
    (
        "element off its panel",
        edit(("height = 110", "height = 105"), ("x = 10\ny = 10\nwidth = 100", "x = 50\ny = 10\nwidth = 100"), base=PANELS),
        "bad.toml: element 'front_code' extends 2.0 mm beyond the right edge of panel 'front'",
    ),
    (
        "upside-down panel at 90 degrees",
        edit(("height = 110", "height = 105"), ("rotation = 180", "rotation = 90"), base=PANELS),
        "bad.toml: panel 'back': rotation must be 0 or 180",
    ),
]


@pytest.mark.parametrize("text, message", [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_broken_layout_gives_a_precise_message(tmp_path, text, message):
    with pytest.raises(LayoutError) as caught:
        load_layout(write(tmp_path, text))
    assert caught.value.message.render() == message
    assert str(caught.value) == message
    assert isinstance(caught.value, DomainError)
    assert caught.value.message.params["file"] == "bad.toml"


def test_the_base_of_the_broken_layouts_is_valid(tmp_path):
    layout = load_layout(write(tmp_path, BASE, "ok.toml"))
    assert layout.name == "ok" and layout.warnings == ()
    tent = load_layout(write(tmp_path, edit(("height = 110", "height = 105"), base=PANELS), "tent.toml"))
    assert [p.rotation for p in tent.panels] == [180, 0]


def test_invalid_toml_names_the_file(tmp_path):
    with pytest.raises(LayoutError) as caught:
        load_layout(write(tmp_path, 'title = "x"\n[sheet\n'))
    assert caught.value.message.render().startswith("bad.toml: not valid TOML: ")


def test_a_qr_box_between_thermal_and_comfortable_sizes_loads_with_a_warning(tmp_path):
    layout = load_layout(write(tmp_path, edit(("size = 22.5", "size = 18")), "small.toml"))
    (warning,) = layout.warnings
    assert warning.render() == (
        "small.toml: QR box 'qr1' is 18.0 mm: modules of 0.40 mm need a printer of at least 203 dpi; "
        "22.5 mm would scan from any printer"
    )


def test_load_layouts_stops_at_a_broken_file(tmp_path):
    write(tmp_path, BASE, "a-good.toml")
    write(tmp_path, edit(("rows = 5", "rows = 6")), "b-broken.toml")
    with pytest.raises(LayoutError, match="b-broken.toml: cards are 33.0 mm too tall"):
        load_layouts(tmp_path)


def test_codes_grow_into_the_room_fewer_sites_leave_on_a_tent(layouts):
    layout = layouts["table-tent-a6-from-a5"]
    front = layout.panels[1]
    four = layout.qr_places(front, 4)
    assert {box.size for box in four.values()} == {31} and {box.y for box in four.values()} == {30 + (40 - 31) / 2}
    two = layout.qr_places(front, 2)
    assert [box.size for box in two.values()] == [40, 40] and {box.y for box in two.values()} == {30}
    assert two[2].x - (two[1].x + 40) == pytest.approx(2)  # the file's gap between codes
    assert (two[1].x + two[2].x + 40) / 2 == pytest.approx(74)  # centred on the face


def test_nothing_may_sit_where_codes_grow(tmp_path):
    source = (LAYOUT_DIR / "table-tent-a6-from-a5.toml").read_text(encoding="utf-8")
    path = tmp_path / "tent.toml"
    path.write_text(source.replace("qr_max_size = 40", "qr_max_size = 47"), encoding="utf-8")
    with pytest.raises(LayoutError) as error:
        load_layout(path)
    assert error.value.message.render() == (
        "tent.toml: element 'back_presence' is in the room QR codes grow into (up to 47.0 mm)"
    )

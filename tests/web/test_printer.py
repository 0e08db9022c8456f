"""The printer page: a test sheet per layout for owners, and the print offset every sheet follows."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from cta_kit.extensions import db
from cta_kit.models import Location, PrintJob
from cta_kit.services.layouts import available_layouts
from tests.conftest import log_in
from tests.pdf_readback import decoded_qr_codes_per_page, pdf_text, word_positions


def printer_url(world) -> str:
    return f"/locations/{world.location.id}/printer/"


def sheet_url(world, layout="business-card-10up-a4") -> str:
    return f"/locations/{world.location.id}/printer/test-sheet/{layout}.pdf"


def set_offset(client, world, x: str, y: str, language: str = "en"):
    world.owner.language = language
    db.session.commit()
    return client.post(printer_url(world), data={"print_offset_x": x, "print_offset_y": y})


def test_owners_find_a_test_sheet_for_every_layout(client, printed_world):
    world = printed_world
    log_in(client, world.owner)
    assert f'href="{printer_url(world)}"' in client.get(f"/locations/{world.location.id}").get_data(as_text=True)
    editor = client.get(f"/locations/{world.location.id}/campaigns/{world.campaign_id}").get_data(as_text=True)
    assert f'href="{printer_url(world)}"' in editor
    page = client.get(printer_url(world)).get_data(as_text=True)
    for name in available_layouts():
        assert f'href="{sheet_url(world, name)}"' in page
    answer = client.get(sheet_url(world))
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert "no-store" in answer.headers["Cache-Control"]
    assert len(PdfReader(io.BytesIO(answer.data)).pages) == 1
    text = " ".join(pdf_text(answer.data).split())
    assert "Printer test sheet: Business cards, 10 on A4, Chez Nous Paris" in text
    assert "Offset in use: 0 mm across, 0 mm down" in text
    # the ladder encodes the location's first review site, what its customers will scan
    ladder = decoded_qr_codes_per_page(answer.data, dpi=600)[0]
    assert len(ladder) == 5 and set(ladder) == {world.location.destinations[0].url}


def test_a_roll_layout_says_the_offset_is_for_sheets(client, printed_world):
    world = printed_world
    log_in(client, world.owner)
    assert set_offset(client, world, "2", "1").status_code == 302
    text = " ".join(pdf_text(client.get(sheet_url(world, "thermal-80mm")).data).split())
    assert "The print offset is for sheets: receipt rolls print without it." in text


@pytest.mark.parametrize("who, status", [("staff", 403), ("other_location_owner", 404), ("foreign_owner", 404)])
def test_only_the_locations_owners_get_its_test_sheet_or_offset(client, printed_world, who, status):
    world = printed_world
    log_in(client, getattr(world, who))
    assert client.get(sheet_url(world)).status_code == status
    assert client.get(printer_url(world)).status_code == status
    assert client.post(printer_url(world), data={"print_offset_x": "3", "print_offset_y": "0"}).status_code == status
    assert db.session.get(Location, world.location.id).print_offset_x_mm == 0


def test_an_unknown_layout_has_no_test_sheet(client, printed_world):
    log_in(client, printed_world.owner)
    assert client.get(sheet_url(printed_world, "no-such-layout")).status_code == 404


@pytest.mark.parametrize(
    "language, x, y, expected",
    [
        ("fr", "1,5", "-2", (1.5, -2.0)),
        ("fr", "\u22120,25", "", (-0.2, 0.0)),  # a typographic minus; rounded to a tenth; empty is no offset
        ("en", "1.5", "+0.3", (1.5, 0.3)),
        ("en", "-1,5", "10 mm", (-1.5, 10.0)),  # a decimal comma is understood in English too, and a unit
    ],
)
def test_the_offset_is_typed_the_owners_way(client, printed_world, language, x, y, expected):
    world = printed_world
    log_in(client, world.owner)
    answer = set_offset(client, world, x, y, language)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    location = db.session.get(Location, world.location.id)
    assert (location.print_offset_x_mm, location.print_offset_y_mm) == pytest.approx(expected)


@pytest.mark.parametrize(
    "x, y, messages",
    [
        ("abc", "0", ["Write a number of millimetres, such as -1.5."]),
        ("12", "-10.5", ["Give an offset between -10 and 10 mm"] * 2),
        ("1e400", "nan", ["Give an offset between -10 and 10 mm"] * 2),
    ],
)
def test_a_wrong_offset_is_refused_with_a_message_on_its_field(client, printed_world, x, y, messages):
    world = printed_world
    log_in(client, world.owner)
    answer = set_offset(client, world, x, y)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert page.count('class="error"') == len(messages)
    for message in messages:
        assert message in page
    assert f'value="{x}"' in page, "what was typed is shown again"
    assert db.session.get(Location, world.location.id).print_offset_x_mm == 0


def test_every_sheet_printed_from_the_web_follows_the_offset(client, printed_world):
    world = printed_world
    log_in(client, world.owner)
    before = _printed_from_the_web(client, world)
    assert set_offset(client, world, "2.5", "-1").status_code == 302
    after = _printed_from_the_web(client, world)
    (word, left, top), (moved_word, moved_left, moved_top) = word_positions(before)[0], word_positions(after)[0]
    assert word == moved_word
    assert (moved_left - left, moved_top - top) == pytest.approx((2.5 * mm, -1.0 * mm), abs=0.05)
    sheet = client.get(sheet_url(world)).data
    assert "Offset in use: 2.5 mm across, -1 mm down" in " ".join(pdf_text(sheet).split())


def _printed_from_the_web(client, world) -> bytes:
    answer = client.post(f"/locations/{world.location.id}/campaigns/{world.campaign_id}/print",
                         data={"layout": "business-card-10up-a4", "count": "2"})
    assert answer.status_code == 302 and "/print-jobs/" in answer.headers["Location"]
    job = db.session.get(PrintJob, int(answer.headers["Location"].rsplit("/", 1)[1]))
    assert job.status == "done"
    return client.get(answer.headers["Location"] + ".pdf").data


def test_a_french_owner_gets_the_sheet_in_french_with_french_numbers(client, printed_world):
    world = printed_world
    log_in(client, world.owner)
    assert set_offset(client, world, "-1,5", "0,5", language="fr").status_code == 302
    page = client.get(printer_url(world)).get_data(as_text=True)
    assert 'value="-1,5"' in page and 'value="0,5"' in page, "the saved offset is shown the owner's way"
    text = " ".join(pdf_text(client.get(sheet_url(world, "table-tent-a6-from-a5")).data).split())
    assert "Page de test de l’imprimante : Chevalet de table" in text  # (split() takes the no-break space too)
    assert "Décalage appliqué : -1,5 mm à l’horizontale, 0,5 mm à la verticale" in text
    assert "Mesurez chaque règle de 0 à 100" in text
    assert "Printer" not in text and "Measure" not in text

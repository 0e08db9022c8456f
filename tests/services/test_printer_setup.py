"""The print offset as the printing service applies it: sheets moved and reprinted as printed,
receipt rolls left alone, and a location's offset changed only within the rule."""

from __future__ import annotations

import json

import pytest
from reportlab.lib.units import mm

from cta_kit.extensions import db
from cta_kit.models import CardBatch, Location
from cta_kit.services.errors import ServiceError
from cta_kit.services.printer_setup import PrintOffsetInput, update_print_offset
from cta_kit.services.printing import PrintOrder, print_cards, reprint
from tests.conftest import GOOGLE_URL, add_destination_row, make_campaign
from tests.pdf_readback import word_positions


@pytest.fixture
def campaign(world):
    google = add_destination_row(world.location, "google", GOOGLE_URL, "search.google.com", 0)
    return make_campaign(world.location, [google])


def test_sheets_printed_from_the_command_line_are_moved_and_reprinted_as_printed(world, campaign):
    plain = print_cards(PrintOrder(campaign.id, 1, "business-card-10up-a4"))
    update_print_offset(world.owner, world.location.id, PrintOffsetInput(-3.0, 1.5))
    moved = print_cards(PrintOrder(campaign.id, 1, "business-card-10up-a4"))
    (_, left, top), (_, moved_left, moved_top) = word_positions(plain.pdf)[0], word_positions(moved.pdf)[0]
    assert (moved_left - left, moved_top - top) == pytest.approx((-3.0 * mm, 1.5 * mm), abs=0.05)
    assert json.loads(db.session.get(CardBatch, moved.batch_id).content)["print_offset_mm"] == [-3.0, 1.5]
    # a later change of offset leaves a reprint as the batch was first printed
    update_print_offset(world.owner, world.location.id, PrintOffsetInput(0.0, 0.0))
    assert reprint(moved.batch_id).pdf == moved.pdf
    assert reprint(plain.batch_id).pdf == plain.pdf


def test_receipt_rolls_are_not_moved(world, campaign):
    plain = print_cards(PrintOrder(campaign.id, 1, "thermal-80mm"))
    update_print_offset(world.owner, world.location.id, PrintOffsetInput(4.0, 4.0))
    slip = print_cards(PrintOrder(campaign.id, 1, "thermal-80mm"))
    # the business's name, first on the slip, where it was (each slip's own code centres differently)
    assert word_positions(slip.pdf)[0] == word_positions(plain.pdf)[0]
    assert "print_offset_mm" not in json.loads(db.session.get(CardBatch, slip.batch_id).content)


def test_an_offset_beyond_ten_millimetres_changes_nothing(world):
    with pytest.raises(ServiceError) as refused:
        update_print_offset(world.owner, world.location.id, PrintOffsetInput(10.5, -12.0))
    assert sorted(refused.value.errors) == ["print_offset_x", "print_offset_y"]
    db.session.rollback()
    assert db.session.get(Location, world.location.id).print_offset_x_mm == 0

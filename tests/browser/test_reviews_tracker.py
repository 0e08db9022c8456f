"""An owner imports a spreadsheet of reviews, corrects a column the app guessed wrong, imports,
finds matches and confirms the one that follows a card's scan."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from cta_kit.domain.codes import format_code
from cta_kit.extensions import db
from cta_kit.models import BatchDestination, Card, ReviewMatch, Scan, utcnow
from tests.browser.conftest import keep_screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_import_correct_a_column_and_confirm_a_match(live_server, printed_world, page, tmp_path):
    world = printed_world
    scanned_at = (utcnow() - timedelta(days=2)).replace(microsecond=0)
    card = db.session.scalar(select(Card).where(Card.batch_id == world.batch_id).order_by(Card.position))
    google = db.session.scalar(select(BatchDestination).where(
        BatchDestination.batch_id == world.batch_id, BatchDestination.platform == "google"))
    db.session.add(Scan(card_id=card.id, batch_destination_id=google.id, location_id=world.location.id,
                        scanned_at=scanned_at, device_class="phone"))
    db.session.commit()
    posted = (scanned_at + timedelta(hours=1)).astimezone(ZoneInfo(world.location.timezone))
    export = tmp_path / "avis.csv"
    export.write_text(f"Quand;Site;Note;Auteur;Texte\n{posted:%d/%m/%Y %H:%M};Google;4;Ann;Very good\n", encoding="utf-8")

    page.goto(live_server + "/login")
    page.get_by_label("Email or staff login").fill(world.owner.login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}/locations/{world.location.id}/reviews/")
    page.get_by_role("link", name="Import reviews").click()
    page.get_by_label("Export file").set_input_files(str(export))
    page.get_by_role("button", name="Check the file").click()

    date_column = page.get_by_label("Date posted")
    expect(date_column).to_have_value("")  # "Quand" is not a header the app knows
    expect(page.get_by_label("Rating (1 to 5)")).to_have_value("2")
    keep_screenshot(page, "reviews-preview")
    date_column.select_option(label="Quand")
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".import-counts")).to_have_text("1 added, 0 already there, 0 rejected")

    page.get_by_role("link", name="See the reviews").click()
    page.get_by_role("button", name="Find matches").click()
    suggestion = page.locator(".match")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_contain_text(format_code(card.code))  # with its hyphens, as printed
    expect(suggestion).to_contain_text("QR code scanned")
    keep_screenshot(page, "reviews-tracker")
    suggestion.get_by_role("button", name="Confirm").click()
    expect(page.locator(".match")).to_have_count(0)
    expect(page.locator("table.data").first).to_contain_text("confirmed")
    db.session.commit()
    assert db.session.scalar(select(ReviewMatch.status)) == "confirmed"

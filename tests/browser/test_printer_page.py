"""The printer page in a real browser: a French owner corrects a mistyped offset, saves it, and
downloads a test sheet that says it is in use."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cta_kit.extensions import db
from cta_kit.models import Business, InstanceSetting, Location, utcnow
from cta_kit.services.accounts import SETUP_DONE_KEY
from tests.browser.conftest import keep_screenshot
from tests.conftest import GOOGLE_URL, PASSWORD, add_destination_row, make_user
from tests.pdf_readback import pdf_text

pytestmark = pytest.mark.browser


def test_a_french_owner_sets_the_offset_and_prints_a_test_sheet(live_server, app, page):
    business = Business(name="Le Petit Zinc")
    location = Location(business=business, name="Le Petit Zinc", timezone="Europe/Paris", language="fr")
    add_destination_row(location, "google", GOOGLE_URL, "search.google.com", 0)
    make_user(business, "Olivia", "olivia@example.com", "owner", [location], language="fr")
    db.session.add_all([business, location, InstanceSetting(key=SETUP_DONE_KEY, value=utcnow().isoformat())])
    db.session.commit()

    page.goto(live_server + "/login")
    page.locator("#login").fill("olivia@example.com")
    page.locator("#password").fill(PASSWORD)
    page.locator("button.primary[type=submit]").click()
    page.get_by_role("heading", name="Le Petit Zinc").wait_for()
    page.get_by_role("link", name="Imprimante", exact=True).click()
    page.get_by_role("heading", name="Décalage d’impression").wait_for()

    page.get_by_label("Décalage horizontal (mm)").fill("1,5 cm")
    page.get_by_label("Décalage vertical (mm)").fill("-12")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#print_offset_x-error")).to_contain_text("Écrivez un nombre de millimètres, par exemple -1,5.")
    expect(page.locator("#print_offset_y-error")).to_contain_text("entre -10 et 10\u00a0mm")
    keep_screenshot(page, "printer-offset-refused")

    page.get_by_label("Décalage horizontal (mm)").fill("1,5")
    page.get_by_label("Décalage vertical (mm)").fill("-2 mm")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".flash-success")).to_contain_text("Décalage d’impression enregistré")
    expect(page.get_by_label("Décalage horizontal (mm)")).to_have_value("1,5")
    keep_screenshot(page, "printer-page")

    with page.expect_download() as download:
        page.get_by_role("link", name="Cartes de visite, 10 sur A4").click()
    text = " ".join(pdf_text(open(download.value.path(), "rb").read()).split())
    assert "Décalage appliqué : 1,5 mm à l’horizontale, -2 mm à la verticale" in text

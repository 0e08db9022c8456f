"""The campaign editor in a browser: the live preview draws the card, the rules check answers as one types."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cta_kit.extensions import db
from cta_kit.models import Business, InstanceSetting, Location, utcnow
from cta_kit.services.accounts import SETUP_DONE_KEY
from tests.conftest import GOOGLE_URL, PASSWORD, TRIPADVISOR_URL, add_destination_row, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def owner_with_sites(live_server, app):
    business = Business(name="Chez Nous")
    location = Location(business=business, name="Chez Nous", timezone="Europe/Paris", language="en")
    add_destination_row(location, "google", GOOGLE_URL, "search.google.com", 0)
    add_destination_row(location, "tripadvisor", TRIPADVISOR_URL, "tripadvisor.fr", 1)
    make_user(business, "Olivia", "olivia@example.com", "owner", [location])
    db.session.add_all([business, location, InstanceSetting(key=SETUP_DONE_KEY, value=utcnow().isoformat())])
    db.session.commit()
    return live_server, location.id


def test_live_preview_and_rules_check(owner_with_sites, page):
    server, location_id = owner_with_sites
    page.goto(server + "/login")
    page.get_by_label("Email or staff login").fill("olivia@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{server}/locations/{location_id}/campaigns/new")

    page.locator("#card-preview svg").wait_for()
    assert page.locator("#findings .finding-error").count() == 0
    page.get_by_label("Headline").fill("Loved it? Leave us a 5-star review!")
    page.locator("#findings .finding-error").first.wait_for()
    page.get_by_label("Headline").fill("Your opinion counts")
    expect(page.locator("#findings .finding-error")).to_have_count(0)
    assert "Your opinion counts" in page.locator("#card-preview svg").inner_html()

    page.get_by_label("Campaign name").fill("Spring")
    page.get_by_role("button", name="Save campaign").click()
    page.get_by_role("heading", name="Spring").wait_for()
    page.get_by_role("button", name="Print cards (PDF)").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")


def log_in_and_open_the_editor(page, server, location_id):
    page.goto(server + "/login")
    page.get_by_label("Email or staff login").fill("olivia@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{server}/locations/{location_id}/campaigns/new")
    page.locator("#card-preview svg").wait_for()


def test_long_non_latin_wording_is_previewed(owner_with_sites, page):
    server, location_id = owner_with_sites
    log_in_and_open_the_editor(page, server, location_id)
    page.get_by_label("Headline").fill("Ваше мнение важно для нас")
    page.get_by_label("Text", exact=True).fill(("Скажите честно, что вы думаете, на сайте, где вы пишете отзывы. " * 10)[:600])
    expect(page.locator("#card-preview svg")).to_contain_text("мнение")
    expect(page.locator("#preview-status")).to_be_hidden()


def test_a_failed_preview_says_so(owner_with_sites, page):
    server, location_id = owner_with_sites
    log_in_and_open_the_editor(page, server, location_id)
    page.route("**/campaigns/preview", lambda route: route.fulfill(status=500, body="<h1>Oops</h1>", content_type="text/html"))
    page.get_by_label("Headline").fill("Your opinion counts")
    expect(page.locator("#preview-status")).to_contain_text("The preview could not be updated")
    page.unroute("**/campaigns/preview")
    page.get_by_label("Headline").fill("Your opinion counts today")
    expect(page.locator("#preview-status")).to_be_hidden()
    expect(page.locator("#card-preview svg")).to_contain_text("today")

"""Around the campaign editor, in a real browser: asking before removing a review site, print
settings kept after a refusal, and a public address an owner sets in the app."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cta_kit.extensions import db
from cta_kit.models import Business, CardBatch, InstanceSetting, Location, ReviewDestination, utcnow
from cta_kit.services.accounts import SETUP_DONE_KEY
from tests.browser.conftest import keep_screenshot, serving
from tests.conftest import GOOGLE_URL, PASSWORD, TRIPADVISOR_URL, add_destination_row, make_campaign, make_user

pytestmark = pytest.mark.browser

@pytest.fixture
def server_without_address(make_app):
    """A live server whose configuration gives no public address: the owner sets it in the app."""
    yield from serving(make_app(PUBLIC_BASE_URL=None))


def bistro(headline: str = "Votre avis compte", link_mode: str = "direct") -> dict:
    """A French bistro in Paris with two review sites and one campaign; the owner reads English."""
    business = Business(name="Le Petit Zinc")
    location = Location(business=business, name="Le Petit Zinc", timezone="Europe/Paris", language="fr")
    google = add_destination_row(location, "google", GOOGLE_URL, "search.google.com", 0)
    tripadvisor = add_destination_row(location, "tripadvisor", TRIPADVISOR_URL, "tripadvisor.fr", 1)
    make_user(business, "Olivia", "olivia@example.com", "owner", [location])
    db.session.add_all([business, location, InstanceSetting(key=SETUP_DONE_KEY, value=utcnow().isoformat())])
    db.session.commit()
    campaign = make_campaign(location, [google, tripadvisor], name="Autumn", headline=headline, link_mode=link_mode)
    return {"location": location.id, "campaign": campaign.id, "google": google.id}


def log_in(page, server: str) -> None:
    page.goto(server + "/login")
    page.get_by_label("Email or staff login").fill("olivia@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Le Petit Zinc").wait_for()


def test_removing_a_review_site_asks_first_and_names_the_campaigns(live_server, app, page):
    ids = bistro()
    log_in(page, live_server)
    google = page.locator(".destination", has_text="search.google.com")
    google.get_by_role("link", name="Remove").click()

    page.get_by_role("heading", name="Remove Google?").wait_for()
    expect(page.locator("#campaigns-left")).to_contain_text("Autumn")
    keep_screenshot(page, "remove-confirm")
    page.get_by_role("link", name="Keep it").click()
    expect(page.locator(".destination")).to_have_count(2)  # asking removed nothing

    google.get_by_role("link", name="Remove").click()
    page.get_by_role("button", name="Remove this review site").click()
    expect(page.locator(".flash")).to_contain_text("It no longer appears on: Autumn.")
    expect(page.locator(".destination")).to_have_count(1)
    db.session.commit()
    assert db.session.get(ReviewDestination, ids["google"]) is None


def test_a_refused_print_keeps_the_layout_and_the_count(live_server, app, page):
    ids = bistro(headline="Laissez-nous 5 étoiles !")
    log_in(page, live_server)
    page.goto(f"{live_server}/locations/{ids['location']}/campaigns/{ids['campaign']}")
    # A Paris bistro prints on A4: the preview and the print form both start there.
    expect(page.locator("#preview-layout")).to_have_value("business-card-10up-a4")
    expect(page.locator("#layout")).to_have_value("business-card-10up-a4")
    page.locator("#card-preview svg").wait_for()

    page.locator("#layout").select_option("bill-insert-3up-a4")
    expect(page.locator("#preview-layout")).to_have_value("bill-insert-3up-a4")  # the preview follows
    page.get_by_label("Number of cards").fill("7")
    page.get_by_role("button", name="Print cards (PDF)").click()

    expect(page.locator(".flash-error")).to_have_count(1)
    expect(page.locator(".flash-error")).to_contain_text("Not printed")
    expect(page.locator("#layout")).to_have_value("bill-insert-3up-a4")
    expect(page.get_by_label("Number of cards")).to_have_value("7")
    expect(page.locator("#preview-layout")).to_have_value("bill-insert-3up-a4")
    expect(page.locator("#findings .finding-error").first.locator(".finding-field")).to_have_text("Headline:")
    page.locator("#card-preview svg").wait_for()
    keep_screenshot(page, "print-refused")
    db.session.commit()
    assert db.session.query(CardBatch).count() == 0


def test_the_owner_sets_the_public_address_then_prints_tracked_cards(server_without_address, app, page):
    server = server_without_address
    ids = bistro(link_mode="tracked")
    log_in(page, server)
    page.goto(f"{server}/locations/{ids['location']}/campaigns/{ids['campaign']}")
    expect(page.locator("#print-needs-address")).to_be_visible()
    expect(page.locator("#tracked-needs-address")).to_be_visible()
    keep_screenshot(page, "editor-needs-address")

    page.locator("#print-needs-address").get_by_role("link", name="Set the public address").click()
    page.get_by_role("heading", name="Settings").wait_for()
    page.get_by_label("Public address of this app").fill("http://192.168.1.10:5000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field .error")).to_contain_text("https://")
    page.get_by_label("Public address of this app").fill("https://avis.le-petit-zinc.fr/")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_contain_text("https://avis.le-petit-zinc.fr")
    keep_screenshot(page, "settings")

    page.goto(f"{server}/locations/{ids['location']}/campaigns/{ids['campaign']}")
    expect(page.locator("#print-needs-address")).to_have_count(0)
    page.get_by_role("button", name="Print cards (PDF)").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    db.session.commit()
    batch = db.session.query(CardBatch).one()
    assert batch.link_mode == "tracked" and '"base_url": "https://avis.le-petit-zinc.fr"' in batch.content

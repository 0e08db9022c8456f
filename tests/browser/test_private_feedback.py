"""The private feedback page in a real browser, on a phone and a tablet: a customer writes from the
card's link, then the owner logs in and reads it."""

from __future__ import annotations

import pytest

from cta_kit.domain.codes import format_code
from tests.browser.conftest import keep_screenshot, serving
from tests.conftest import PASSWORD
from tests.web.test_private_feedback import print_feedback_card

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

MESSAGE = "Le bruit en salle était fort vers 21 h.\nSinon <b>très</b> bon repas."


@pytest.fixture
def protected_server(make_app):
    """The customer's form as served for real: with its CSRF token checked."""
    yield from serving(make_app(WTF_CSRF_ENABLED=True))


def test_a_customer_writes_privately_and_the_owner_reads_it(protected_server, page, world):
    code = print_feedback_card(world.location)
    page.goto(f"{protected_server}/f/{code}")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    keep_screenshot(page, "feedback-form")
    page.locator("textarea[name=message]").fill("x" * 2001)
    page.locator("input[name=name]").fill("Léa")
    page.locator("button[type=submit]").click()
    expect(page.locator("#message-error")).to_be_visible()
    expect(page.locator("input[name=name]")).to_have_value("Léa")  # what was typed stays
    keep_screenshot(page, "feedback-too-long")

    page.locator("textarea[name=message]").fill(MESSAGE)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{protected_server}/f/{code}/thanks")
    expect(page.locator("ul.feedback-sites a")).to_have_count(2)
    keep_screenshot(page, "feedback-thanks")

    page.goto(protected_server + "/login")
    page.get_by_label("Login").fill(world.owner.login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{protected_server}/locations/{world.location.id}")
    page.get_by_role("link", name="Private feedback").click()
    item = page.locator(".feedback-item").first
    expect(item.locator(".feedback-message")).to_have_text(MESSAGE)
    expect(item).to_contain_text(f"card {format_code(code)}")
    expect(item).to_contain_text("Léa")
    keep_screenshot(page, "feedback-inbox")
    item.get_by_role("button", name="Mark as read").click()
    expect(page.locator(".feedback-item.unread")).to_have_count(0)

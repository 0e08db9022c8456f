"""A new owner's first minutes, in a real browser: setup, a review site, a hostile link refused."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_first_run_setup_then_review_sites(live_server, page):
    page.goto(live_server + "/")
    assert page.url.endswith("/setup")
    page.get_by_label("Business name").fill("Bistrot Éloïse")
    page.get_by_label("Your name").fill("Éloïse")
    page.get_by_label("Your email address").fill("eloise@example.com")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Password again").fill("a long enough password")
    page.get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Create my account").click()

    page.get_by_role("heading", name="Bistrot Éloïse").wait_for()
    page.get_by_role("link", name="Add a review site").click()
    page.get_by_label("Review site").select_option("google")
    page.get_by_label("Link or id").fill("https://search.google.com.evil.example/local/writereview?placeid=ChIJN1t_tDeuEmsRUsoyG83frY4")
    page.get_by_role("button", name="Add", exact=True).click()
    error = page.locator(".error")
    error.wait_for()
    assert "g.page" in error.inner_text() or "Place ID" in error.inner_text()
    # What was typed is still there to correct.
    assert "evil.example" in page.get_by_label("Link or id").input_value()

    page.get_by_label("Link or id").fill("ChIJN1t_tDeuEmsRUsoyG83frY4")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("search.google.com", exact=False).first.wait_for()
    page.get_by_role("link", name="Show QR").click()
    assert page.locator(".qr-box svg").count() == 1

    page.get_by_role("button", name="Log out").click()
    assert page.url.endswith("/login")

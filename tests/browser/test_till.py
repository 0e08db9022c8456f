"""The till in a real browser, on a tablet and a phone: taps, undo, QR, slip, redemption, offline."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from cta_kit.extensions import db
from cta_kit.models import Card, Preference, TillSetting
from tests.conftest import GOOGLE_URL, PASSWORD
from tests.pdf_readback import decoded_qr_codes_per_page

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def taps(platform: str | None = None, active_only: bool = True) -> int:
    db.session.commit()  # a fresh snapshot: see what the server wrote
    query = select(func.count()).select_from(Preference)
    if platform:
        query = query.where(Preference.platform == platform)
    if active_only:
        query = query.where(Preference.undone_at.is_(None))
    return db.session.scalar(query)


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def screenshot(page, tmp_path, name: str) -> None:
    folder = Path(os.environ.get("CTA_KIT_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=False)


def decoded(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_a_shift_at_the_till(live_server, page, printed_world, tmp_path):
    world = printed_world
    db.session.add(TillSetting(location_id=world.location.id, campaign_id=world.campaign_id))
    db.session.commit()
    till_path = f"/locations/{world.location.id}/till"

    page.goto(live_server + "/login")
    page.get_by_label("Login").fill(world.staff.login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server + till_path)
    screenshot(page, tmp_path, "till")

    google = page.locator('.till-site[data-platform="google"]')
    with page.expect_response(lambda r: r.url.endswith("/till/preferences")):
        google.click()
    assert taps("google") == 1
    expect(google.locator(".till-count")).to_have_text("1")
    screenshot(page, tmp_path, "till-after-tap")

    with page.expect_response(lambda r: r.url.endswith("/till/preferences/undo")):
        page.get_by_role("button", name="Undo").click()
    assert taps("google") == 0 and taps(active_only=False) == 1
    expect(google.locator(".till-count")).to_have_text("0")

    with page.expect_response(lambda r: r.url.endswith("/till/preferences")):
        google.click()
    assert taps("google") == 1

    page.get_by_role("button", name="Show QR").click()
    overlay = page.locator(".till-qr:not([hidden])")
    overlay.wait_for()
    screenshot(page, tmp_path, "till-qr")
    assert decoded(overlay.locator(".qr-box").screenshot()) == [GOOGLE_URL]
    overlay.get_by_role("button", name="Close").click()

    with page.context.expect_page() as popup, page.expect_response(lambda r: r.url.endswith("/till/slips")) as slip:
        page.get_by_role("button", name="Slip 80 mm").click()
    popup.value.close()
    pdf = page.request.get(live_server + slip.value.json()["pdf"])
    assert pdf.ok
    [[link]] = decoded_qr_codes_per_page(pdf.body())
    code = link.rsplit("/", 2)[1]
    assert link == f"https://cards.example.com/r/{code}/1"
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Card).where(Card.code == code)) == 1

    code_box = page.get_by_placeholder("KG65M-F8F54-7")
    answer = page.locator("#till-redeem-answer")
    for typed, expected in ((f"{code[:5]}-{code[5:10]}-{code[10]}".lower(), "Redeemed: "),
                            (code, "Already redeemed on"),
                            (code[:3] + ("0" if code[3] != "0" else "1") + code[4:], "typing mistake")):
        code_box.fill(typed)
        page.get_by_role("button", name="Redeem", exact=True).click()
        expect(answer).to_contain_text(expected)
        if expected == "Redeemed: ":
            screenshot(page, tmp_path, "till-redeemed")

    # The Wi-Fi drops: two taps wait on the device, then are stored once each.
    page.context.set_offline(True)
    page.locator('.till-site[data-platform="tripadvisor"]').click()
    page.locator('.till-site[data-platform="unsaid"]').click()
    page.get_by_text("2 waiting for the network").wait_for()
    # "Didn't say" names no site: nothing to show or print.
    expect(page.get_by_role("button", name="Show QR")).to_be_hidden()
    screenshot(page, tmp_path, "till-offline")
    assert taps("tripadvisor") == 0 and taps("unsaid") == 0
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(lambda: taps("tripadvisor") == 1 and taps("unsaid") == 1)
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("localStorage.getItem('cta-kit-till-%d')" % world.location.id) == "[]"
    assert (taps("tripadvisor"), taps("unsaid"), taps("google")) == (1, 1, 1)


def test_an_ended_session_keeps_the_queued_taps(live_server, page, printed_world):
    world = printed_world
    till_path = f"/locations/{world.location.id}/till"
    page.goto(live_server + "/login")
    page.get_by_label("Login").fill(world.staff.login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server + till_path)

    page.context.set_offline(True)
    page.locator('.till-site[data-platform="none"]').click()
    page.context.clear_cookies()  # the shift ended while the network was down
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.get_by_role("link", name="Log in again").wait_for()
    assert taps("none") == 0

    page.get_by_role("link", name="Log in again").click()
    page.get_by_label("Login").fill(world.staff.login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server + till_path)
    wait_until(lambda: taps("none") == 1)

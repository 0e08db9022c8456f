"""A live server on 127.0.0.1 and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return os.environ.get("CTA_KIT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    required = os.environ.get("CI") or os.environ.get("CTA_KIT_REQUIRE_BROWSER")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if path is None or sync_playwright is None:
        message = "Chromium and the playwright package are needed for the browser tests (apt-get install chromium)"
        if required:
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def serving(app):
    """Serve ``app`` on a free local port while the caller's fixture lasts; yields its address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def live_server(make_app):
    yield from serving(make_app())


def keep_screenshot(page, name: str) -> None:
    """A full-page picture in $CTA_KIT_SCREENSHOT_DIR when it is set, to look at the pages tested."""
    folder = os.environ.get("CTA_KIT_SCREENSHOT_DIR")
    if folder:
        width = page.viewport_size["width"]
        page.screenshot(path=os.path.join(folder, f"{name}-{width}.png"), full_page=True)


@pytest.fixture(params=[(1280, 800), (390, 844)], ids=["tablet", "phone"])
def page(browser, request):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()

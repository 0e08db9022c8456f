"""The print job page in a browser: the bar follows the worker, then the page offers the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from cta_kit.extensions import db
from cta_kit.models import PrintJob, utcnow
from tests.conftest import PASSWORD
from tests.web.test_print_jobs import running_job

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def move(job_id: int, **values) -> None:
    db.session.rollback()  # leave the snapshot taken before the server's own writes (the login)
    db.session.execute(update(PrintJob).where(PrintJob.id == job_id).values(updated_at=utcnow(), **values))
    db.session.commit()


def test_the_bar_moves_then_the_pdf_is_offered(live_server, printed_world, page):
    world = printed_world
    job = running_job(world, world.campaign_id, done=10, total=100)
    job_id, size = job.id, f"{page.viewport_size['width']}x{page.viewport_size['height']}"
    page.goto(live_server + "/login")
    page.get_by_label("Email or staff login").fill(world.owner.login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}/locations/{world.location.id}/print-jobs/{job_id}")
    assert page.eval_on_selector("#job-progress", "bar => bar.value") == 10

    move(job_id, cards_done=60)
    expect(page.locator("#job-done")).to_have_text("60", timeout=10_000)
    assert page.eval_on_selector("#job-progress", "bar => bar.value") == 60
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"print-job-running-{size}.png"), full_page=True)

    move(job_id, cards_done=100, status="done", batch_id=world.batch_id, finished_at=utcnow())
    download = page.get_by_role("link", name="Download the PDF")
    expect(download).to_be_visible(timeout=10_000)
    page.screenshot(path=str(SCREENSHOTS / f"print-job-done-{size}.png"), full_page=True)
    with page.expect_download() as started:
        download.click()
    assert started.value.suggested_filename.endswith(".pdf")

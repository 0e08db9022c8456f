"""The print job page: a progress bar while the worker draws, the PDF when it is done."""

from __future__ import annotations

from cta_kit.extensions import db
from cta_kit.models import Campaign, PrintJob
from tests.conftest import log_in


def running_job(world, campaign_id, done=40, total=100) -> PrintJob:
    job = PrintJob(location_id=world.location.id, campaign_id=campaign_id, requested_by_id=world.owner.id,
                   layout="business-card-10up-a4", card_count=total, status="running", cards_done=done)
    db.session.add(job)
    db.session.commit()
    return job


def test_a_running_job_shows_its_progress_and_a_reload_link(client, printed_world):
    world = printed_world
    job = running_job(world, world.campaign_id)
    url = f"/locations/{world.location.id}/print-jobs/{job.id}"
    log_in(client, world.owner)
    page = client.get(url).get_data(as_text=True)
    assert '<progress id="job-progress" max="100" value="40"' in page
    assert f'href="{url}" id="job-reload"' in page and "js/print-job.js" in page and "<script>" not in page
    assert client.get(url + ".json").get_json() == {
        "state": "running", "done": 40, "total": 100, "percent": 40, "finished": False, "pdf_url": None,
    }
    assert client.get(url + ".pdf").status_code == 404
    editor = client.get(f"/locations/{world.location.id}/campaigns/{world.campaign_id}").get_data(as_text=True)
    assert f'href="{url}"' in editor, "the campaign page links to the print in progress"


def test_a_finished_job_offers_its_pdf(client, printed_world):
    world = printed_world
    url = f"/locations/{world.location.id}/print-jobs/{world.job_id}"
    log_in(client, world.owner)
    page = client.get(url).get_data(as_text=True)
    assert f'href="{url}.pdf"' in page and "data-status-url" not in page
    status = client.get(url + ".json").get_json()
    assert status["state"] == "done" and status["pdf_url"] == url + ".pdf"
    pdf = client.get(url + ".pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    batch = db.session.get(PrintJob, world.job_id).batch_id
    assert client.get(f"/locations/{world.location.id}/batches/{batch}.pdf").data == pdf.data


def test_a_print_that_is_refused_says_why_on_the_form(client, printed_world):
    world = printed_world
    db.session.get(Campaign, world.campaign_id).body = "Laissez-nous un avis 5 étoiles sur Google !"
    db.session.commit()
    log_in(client, world.owner)
    answer = client.post(f"/locations/{world.location.id}/campaigns/{world.campaign_id}/print",
                         data={"layout": "business-card-10up-a4", "count": "5"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/campaigns/{world.campaign_id}")
    assert "Not printed" in client.get(answer.headers["Location"]).get_data(as_text=True)
    assert db.session.query(PrintJob).count() == 1  # the fixture's own job only

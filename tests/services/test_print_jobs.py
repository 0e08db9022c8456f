"""Print jobs, run at once by the queue's immediate mode: checked before queueing, followed page
by page, the PDF kept after the batch is recorded, a failure explained."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cta_kit.extensions import db
from cta_kit.models import Card, CardBatch, PrintJob
from cta_kit.services import print_jobs
from cta_kit.services.errors import NotFound, ServiceError
from cta_kit.services.print_jobs import ProgressReport, job_pdf, queue_print, run_print_job, state_of
from cta_kit.services.printing import PrintOrder, PrintRefused
from tests.conftest import GOOGLE_URL, TRIPADVISOR_URL, add_destination_row, make_campaign
from tests.pdf_readback import decoded_qr_codes_per_page


@pytest.fixture
def campaign(world):
    google = add_destination_row(world.location, "google", GOOGLE_URL, "search.google.com", 0)
    tripadvisor = add_destination_row(world.location, "tripadvisor", TRIPADVISOR_URL, "tripadvisor.fr", 1)
    return make_campaign(world.location, [google, tripadvisor])


def counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (PrintJob, CardBatch, Card))


def test_a_queued_print_records_its_batch_and_keeps_its_pdf(world, campaign):
    job = queue_print(PrintOrder(campaign.id, 12, "business-card-10up-a4"), world.owner, world.location.id)
    db.session.refresh(job)
    assert job.status == "done" and job.cards_done == 12 and job.finished_at is not None
    state = state_of(job)
    assert (state.state, state.percent, state.finished) == ("done", 100, True)
    assert db.session.scalar(select(func.count()).select_from(Card).where(Card.batch_id == job.batch_id)) == 12
    download = job_pdf(world.owner, world.location.id, job.id)
    assert download.path == print_jobs.stored_pdf_path(job.batch_id) and download.filename.endswith(".pdf")
    pages = decoded_qr_codes_per_page(download.path.read_bytes())
    assert pages == [sorted([GOOGLE_URL] * 10 + [TRIPADVISOR_URL] * 10), sorted([GOOGLE_URL] * 2 + [TRIPADVISOR_URL] * 2)]
    assert [p.name for p in download.path.parent.iterdir()] == [download.path.name], "no partial file is left"


def test_a_refused_print_is_refused_before_anything_is_queued(world, campaign):
    with pytest.raises(ServiceError) as error:
        queue_print(PrintOrder(campaign.id, 10_001, "business-card-10up-a4"), world.owner, world.location.id)
    assert "count" in error.value.errors
    campaign.body = "Laissez-nous un avis 5 étoiles sur Google !"
    db.session.commit()
    with pytest.raises(PrintRefused):
        queue_print(PrintOrder(campaign.id, 5, "business-card-10up-a4"), world.owner, world.location.id)
    assert counts() == (0, 0, 0)


def test_another_locations_owner_cannot_queue_or_see_a_job(world, campaign):
    with pytest.raises(NotFound):
        queue_print(PrintOrder(campaign.id, 5, "business-card-10up-a4"), world.foreign_owner, world.foreign_location.id)
    job = queue_print(PrintOrder(campaign.id, 1, "business-card-10up-a4"), world.owner, world.location.id)
    for user, location in ((world.other_location_owner, world.other_location), (world.foreign_owner, world.foreign_location)):
        with pytest.raises(NotFound):
            print_jobs.job_for(user, location.id, job.id)
        with pytest.raises(NotFound):
            job_pdf(user, location.id, job.id)


def queued_row(world, campaign, count=5) -> PrintJob:
    job = PrintJob(location_id=world.location.id, campaign_id=campaign.id, requested_by_id=world.owner.id,
                   layout="business-card-10up-a4", card_count=count, status="queued")
    db.session.add(job)
    db.session.commit()
    return job


def test_wording_broken_after_queueing_fails_the_job_with_its_reasons(world, campaign):
    job = queued_row(world, campaign)
    campaign.body = "Laissez-nous un avis 5 étoiles sur Google !"
    db.session.commit()
    run_print_job(job.id)
    db.session.refresh(job)
    assert job.status == "failed" and job.batch_id is None
    assert print_jobs.errors_of(job) and state_of(job).state == "failed"
    assert counts()[1:] == (0, 0)
    with pytest.raises(NotFound):
        job_pdf(world.owner, world.location.id, job.id)


def test_a_job_runs_once(world, campaign):
    job = queued_row(world, campaign)
    run_print_job(job.id)
    run_print_job(job.id)  # delivered twice: the second finds it taken
    assert counts()[1:] == (1, 5)


def test_progress_is_written_as_the_pages_are_drawn(world, campaign):
    job = queued_row(world, campaign, count=30)
    report = ProgressReport(job.id, interval=0)
    report(10, 30)
    db.session.rollback()  # a new snapshot: the report writes on a connection of its own
    assert (job.cards_done, state_of(job).percent) == (10, 33)
    slow = ProgressReport(job.id, interval=3600)
    slow(20, 30)  # too soon after the last write: skipped
    slow(30, 30)  # the last page is always written
    db.session.rollback()
    assert job.cards_done == 30

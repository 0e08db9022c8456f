"""The print worker as a real process (`cta-kit worker`), on the test database: a job killed half
way leaves nothing behind, and the queue works on SQLite and on Redis."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cta_kit.extensions import db
from cta_kit.models import Card, CardBatch, PrintJob, User
from cta_kit.services.print_jobs import queue_print, state_of, stored_pdf_path
from cta_kit.services.printing import PrintOrder
from tests.conftest import GOOGLE_URL, TRIPADVISOR_URL, add_destination_row, make_campaign
from tests.live_server import free_port, server_env
from tests.pdf_readback import decoded_qr_codes_per_page

WAIT = 120


@pytest.fixture
def campaign(world):
    google = add_destination_row(world.location, "google", GOOGLE_URL, "search.google.com", 0)
    tripadvisor = add_destination_row(world.location, "tripadvisor", TRIPADVISOR_URL, "tripadvisor.fr", 1)
    return make_campaign(world.location, [google, tripadvisor])


def start_worker(app) -> subprocess.Popen:
    env = server_env(app.instance_path, app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["HUEY_REDIS_URL"]:
        env["CTA_KIT_HUEY_REDIS_URL"] = app.config["HUEY_REDIS_URL"]
    env["CTA_KIT_PUBLIC_BASE_URL"] = app.config["PUBLIC_BASE_URL"]  # for tracked links
    return subprocess.Popen([sys.executable, "-m", "cta_kit", "worker"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(10)


def job_row(job_id: int) -> PrintJob:
    db.session.rollback()  # a fresh snapshot: the worker writes from another process
    return db.session.get(PrintJob, job_id)


def wait_for_job(job_id: int, condition) -> PrintJob:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        job = job_row(job_id)
        if condition(job):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} stayed {job.status} at {job.cards_done}/{job.card_count}")


def queue(app, world, campaign, count: int, link_mode: str | None = None) -> int:
    with app.app_context():
        owner = db.session.get(User, world.owner.id)
        job_id = queue_print(PrintOrder(campaign.id, count, "business-card-10up-a4", link_mode), owner, world.location.id).id
        db.session.remove()
    return job_id


def test_a_worker_killed_mid_render_records_no_batch_and_leaves_no_file(make_app, world, campaign):
    queue_app = make_app(HUEY_IMMEDIATE=False, PRINT_JOB_STALE_AFTER=timedelta(seconds=1))
    # Tracked links (a QR code per card) keep the render busy long enough to be caught half way.
    job_id = queue(queue_app, world, campaign, 3000, "tracked")
    worker = start_worker(queue_app)
    try:
        running = wait_for_job(job_id, lambda job: 0 < job.cards_done < job.card_count)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        stop(worker)
    assert running.status == "running"
    assert db.session.scalar(select(func.count()).select_from(CardBatch)) == 0
    assert db.session.scalar(select(func.count()).select_from(Card)) == 0
    with queue_app.app_context():
        folder = stored_pdf_path(1).parent
        time.sleep(1.5)
        assert state_of(db.session.get(PrintJob, job_id)).state == "interrupted"
        db.session.remove()
    assert not folder.exists() or list(folder.iterdir()) == []

    # Printing again, with a new worker, records the whole batch.
    again = queue(queue_app, world, campaign, 20)
    worker = start_worker(queue_app)
    try:
        done = wait_for_job(again, lambda job: job.status in ("done", "failed"))
    finally:
        stop(worker)
    assert done.status == "done" and done.cards_done == 20
    assert db.session.scalar(select(func.count()).select_from(Card).where(Card.batch_id == done.batch_id)) == 20
    assert [path.name for path in folder.iterdir()] == [f"batch-{done.batch_id}.pdf"]


@pytest.fixture
def redis_url(tmp_path):
    pytest.importorskip("redis")
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)


def test_several_servers_share_a_queue_in_redis(make_app, world, campaign, redis_url):
    """One app queues, a worker with another instance folder prints: what servers sharing Redis do."""
    from huey import RedisHuey

    web = make_app(HUEY_IMMEDIATE=False, HUEY_REDIS_URL=redis_url)
    printer = make_app(HUEY_IMMEDIATE=False, HUEY_REDIS_URL=redis_url)
    assert isinstance(web.extensions["task_queue"].huey, RedisHuey)
    job_id = queue(web, world, campaign, 10)
    worker = start_worker(printer)
    try:
        done = wait_for_job(job_id, lambda job: job.status in ("done", "failed"))
    finally:
        stop(worker)
    assert done.status == "done"
    with printer.app_context():
        pdf = stored_pdf_path(done.batch_id).read_bytes()
    assert decoded_qr_codes_per_page(pdf) == [sorted([GOOGLE_URL] * 10 + [TRIPADVISOR_URL] * 10)]


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_cta_kit_serve_starts_the_print_worker_and_stops_it(tmp_path, how):
    """`make run` serves with `cta-kit serve`: the worker starts with it, and stops with it, even
    when the server is killed without a chance to stop it (the worker sees its parent gone)."""
    from tests.test_production_print import children_of, is_running, wait_for

    port = free_port()
    env = server_env(tmp_path / "instance")
    serve = subprocess.Popen([sys.executable, "-m", "cta_kit", "serve", "--port", str(port)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers = wait_for(lambda: [pid for pid, cmd in children_of(serve.pid).items() if "cta_kit worker" in cmd], 60)
        assert len(workers) == 1
        serve.send_signal(how)
        serve.wait(30)
        assert wait_for(lambda: not is_running(workers[0]), timeout=15)
    finally:
        stop(serve)

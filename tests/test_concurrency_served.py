"""The app served by several gunicorn workers, as in production: prints, logins and command-line
prints at the same moment all succeed, and the login limits hold exactly under a parallel burst."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from cta_kit.extensions import db
from cta_kit.models import Card, CardBatch, LoginFailure
from tests.conftest import GOOGLE_URL, PASSWORD, TRIPADVISOR_URL, add_destination_row, make_campaign

WORKERS = 4
BURST = 40
MAX_PER_LOGIN = 5  # the default limits
ADDRESS_LIMIT = 8  # lowered from 20 to keep the burst short; above MAX_PER_LOGIN
# Enough cards that rendering takes about a second, so the prints overlap.
CARDS_PER_PRINT = 100
LAYOUT = "business-card-10up-a4"
BIN = Path(sys.executable).parent
TOO_MANY = "Too many failed attempts"
MISMATCH = "do not match"


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    cookie: str
    location: str = ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Server:
    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, fields: dict | None = None, cookie: str = "") -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": cookie} if cookie else {}
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            set_cookie = response.getheader("Set-Cookie", "")
            return Reply(response.status, response.getheader("Content-Type", ""), response.read(),
                         set_cookie.split(";", 1)[0] or cookie, response.getheader("Location", ""))
        finally:
            connection.close()

    def log_in(self, login: str, password: str) -> Reply:
        return self.request("POST", "/login", {"login": login, "password": password})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def served_environment(database_url: str, instance: Path) -> dict:
    return {
        **os.environ,
        "CTA_KIT_DATABASE_URL": database_url,
        "CTA_KIT_INSTANCE_PATH": str(instance),
        "CTA_KIT_SECRET_KEY": "served-test-secret-key-long-enough-to-pass",
        "CTA_KIT_AUTO_UPGRADE_DB": "false",
        "CTA_KIT_WTF_CSRF_ENABLED": "false",  # CSRF has its own tests; these are about the database
        "CTA_KIT_LOGIN_MAX_FAILURES_PER_ADDRESS": str(ADDRESS_LIMIT),
    }


@pytest.fixture(scope="module")
def served(migrated_database, tmp_path_factory):
    """gunicorn with several worker processes on the test database, for the tests of this module."""
    folder = tmp_path_factory.mktemp("served")
    port = free_port()
    log_path = folder / "gunicorn.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--preload", "--no-control-socket", "-w", str(WORKERS),
             "-b", f"127.0.0.1:{port}", "--timeout", "120", "cta_kit.wsgi:app"],
            env=served_environment(migrated_database, folder / "instance"),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_answering(Server(port), process)
        yield Server(port), log_path
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        process.wait(timeout=30)


@pytest.fixture
def server(world, served):
    """The served app, on this test's data; what it logged during the test must hold no traceback."""
    server, log_path = served
    logged_before = log_path.stat().st_size
    yield server
    with log_path.open("rb") as log:
        log.seek(logged_before)
        logged = log.read().decode("utf-8", "replace")
    assert "Traceback" not in logged, logged


def _wait_until_answering(served: Server, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn stopped"
        try:
            if served.request("GET", "/login").status < 500:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("gunicorn did not answer")


def in_parallel(calls) -> list:
    """Start every call at the same moment, each in its own thread."""
    start = threading.Barrier(len(calls))

    def run(call):
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def recorded_failures(**where) -> int:
    db.session.rollback()  # read what the server wrote since
    query = select(func.count()).select_from(LoginFailure)
    for column, value in where.items():
        query = query.where(getattr(LoginFailure, column) == value)
    return db.session.scalar(query)


@pytest.fixture
def owner_with_a_real_hash(world):
    """The owner's password hashed with the production cost, so each check takes its real time."""
    world.owner.password_hash = PasswordHasher().hash(PASSWORD)
    db.session.commit()
    return world.owner


def test_a_burst_of_wrong_passwords_records_exactly_the_limit(server, owner_with_a_real_hash):
    login = owner_with_a_real_hash.login
    replies = in_parallel([lambda: server.log_in(login, "wrong password")] * BURST)

    assert [reply.status for reply in replies] == [200] * BURST
    assert sum(MISMATCH in reply.text for reply in replies) == MAX_PER_LOGIN
    assert sum(TOO_MANY in reply.text for reply in replies) == BURST - MAX_PER_LOGIN
    assert recorded_failures(login=login) == MAX_PER_LOGIN

    # The right password, hidden in a second burst, does not get in either.
    calls = [lambda: server.log_in(login, "wrong again")] * 9 + [lambda: server.log_in(login, PASSWORD)]
    replies = in_parallel(calls)
    assert [reply.status for reply in replies] == [200] * 10
    assert all(TOO_MANY in reply.text for reply in replies)
    assert recorded_failures(login=login) == MAX_PER_LOGIN


def test_a_burst_from_one_address_records_exactly_its_limit(server, world):
    replies = in_parallel([lambda i=i: server.log_in(f"nobody{i}@example.com", "wrong password") for i in range(BURST)])

    assert [reply.status for reply in replies] == [200] * BURST
    assert sum(MISMATCH in reply.text for reply in replies) == ADDRESS_LIMIT
    assert sum(TOO_MANY in reply.text for reply in replies) == BURST - ADDRESS_LIMIT
    assert recorded_failures(address="127.0.0.1") == ADDRESS_LIMIT


@pytest.fixture
def campaign(world):
    google = add_destination_row(world.location, "google", GOOGLE_URL, "search.google.com", 0)
    tripadvisor = add_destination_row(world.location, "tripadvisor", TRIPADVISOR_URL, "tripadvisor.fr", 1)
    return make_campaign(world.location, [google, tripadvisor])


def test_prints_and_logins_at_the_same_time_all_succeed(server, world, campaign):
    owner = server.log_in(world.owner.login, PASSWORD)
    assert owner.status == 302
    print_path = f"/locations/{world.location.id}/campaigns/{campaign.id}/print"
    staff_login, campaign_id = world.staff.login, campaign.id  # the threads have no app context

    def print_cards():
        return server.request("POST", print_path, {"count": CARDS_PER_PRINT, "layout": LAYOUT}, owner.cookie)

    def staff_logs_in(delay: float):
        def call():
            time.sleep(delay)  # while the prints render
            return server.log_in(staff_login, PASSWORD)
        return call

    prints, logins = 4, 6
    replies = in_parallel([print_cards] * prints + [staff_logs_in(0.2 * i) for i in range(1, logins + 1)])

    queued, logged_in = replies[:prints], replies[prints:]
    # Web prints are background jobs: each answers with its job page, then its PDF arrives.
    assert [reply.status for reply in queued] == [302] * prints
    assert [reply.status for reply in logged_in] == [302] * logins
    for reply in queued:
        pdf = finished_pdf(server, urlsplit(reply.location).path, owner.cookie)
        assert pdf.startswith(b"%PDF-")
    assert_batches_recorded(campaign_id, prints)


def finished_pdf(server: Server, job_path: str, cookie: str, timeout: float = 300) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = json.loads(server.request("GET", job_path + ".json", cookie=cookie).body)
        if state["state"] == "done":
            reply = server.request("GET", state["pdf_url"], cookie=cookie)
            assert (reply.status, reply.content_type) == (200, "application/pdf")
            return reply.body
        assert state["state"] in ("queued", "running"), state
        time.sleep(0.5)
    raise AssertionError(f"{job_path} did not finish in {timeout} s")


def assert_batches_recorded(campaign_id: int, batches: int) -> None:
    db.session.rollback()
    counts = db.session.execute(
        select(CardBatch.card_count, func.count(Card.id))
        .join(Card, Card.batch_id == CardBatch.id)
        .where(CardBatch.campaign_id == campaign_id)
        .group_by(CardBatch.id)
    ).all()
    assert [tuple(row) for row in counts] == [(CARDS_PER_PRINT, CARDS_PER_PRINT)] * batches


def test_command_line_prints_started_together_all_succeed(world, campaign, migrated_database, tmp_path):
    environment = served_environment(migrated_database, tmp_path / "instance")
    campaign_id = campaign.id  # the threads have no app context

    def print_from_the_command_line(index: int):
        return subprocess.run(
            [str(BIN / "cta-kit"), "cards", "print", "--campaign", str(campaign_id), "--count", str(CARDS_PER_PRINT),
             "--layout", LAYOUT, "--out", str(tmp_path / f"cards{index}.pdf")],
            env=environment, capture_output=True, text=True, timeout=120,
        )

    runs = in_parallel([lambda i=i: print_from_the_command_line(i) for i in range(4)])

    assert [(run.returncode, "Traceback" in run.stderr) for run in runs] == [(0, False)] * 4, [r.stderr for r in runs]
    assert all((tmp_path / f"cards{index}.pdf").read_bytes().startswith(b"%PDF-") for index in range(4))
    assert_batches_recorded(campaign_id, 4)

"""The same code redeemed at once from 20 tills, served by gunicorn with 4 worker processes:
exactly one "redeemed", 19 "already_redeemed", in every round; the same tap sent at once from 20
tills is stored once (SQLite, or PostgreSQL with CTA_KIT_TEST_DATABASE_URL)."""

from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from cta_kit.extensions import db
from cta_kit.models import Card, Preference
from cta_kit.services.printing import PrintOrder, print_cards
from tests.conftest import CHEAP_ARGON2, PASSWORD

ROUNDS = 20
TILLS = 20
WORKERS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(migrated_database, tmp_path):
    binary = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    if binary is None:
        pytest.skip("gunicorn is not installed")
    port = free_port()
    env = {
        **os.environ,
        "CTA_KIT_INSTANCE_PATH": str(tmp_path / "instance"),
        "CTA_KIT_DATABASE_URL": migrated_database,
        "CTA_KIT_SECRET_KEY": "concurrency-test-secret-key-long-enough",
        "CTA_KIT_WTF_CSRF_ENABLED": "false",
        "CTA_KIT_AUTO_UPGRADE_DB": "false",
        "CTA_KIT_ARGON2_PARAMETERS": json.dumps(CHEAP_ARGON2),
    }
    log = tmp_path / "gunicorn.log"  # a file, not a pipe: a full pipe would stall the workers
    with open(log, "wb") as log_file:
        server = subprocess.Popen(
            [binary, "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
             "--graceful-timeout", "5", "cta_kit.wsgi:app"],
            env=env, stdout=subprocess.DEVNULL, stderr=log_file,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:  # refused, reset or timed out while the workers boot
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start: " + log.read_text(errors="replace")[-2000:])
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def logged_in_opener(base: str, login: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = urllib.parse.urlencode({"login": login, "password": PASSWORD}).encode()
    opener.open(base + "/login", data=form, timeout=10)
    return opener


def post_at_once(opener, url: str, body: bytes, answer: str, start: threading.Barrier, results: list) -> None:
    """POST the JSON body when every thread is ready; keep the answer's field, or what went wrong."""
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    start.wait()
    try:
        with opener.open(request, timeout=30) as response:
            results.append(json.load(response)[answer])
    except urllib.error.HTTPError as error:
        results.append(f"HTTP {error.code}")
    except OSError as error:
        results.append(repr(error))


def redeem(opener, url: str, code: str, start: threading.Barrier, results: list) -> None:
    post_at_once(opener, url, json.dumps({"code": code, "key": str(uuid.uuid4())}).encode(), "result", start, results)


def test_one_code_redeemed_at_once_by_twenty_tills_succeeds_once(gunicorn, printed_world):
    world = printed_world
    batch = print_cards(PrintOrder(world.campaign_id, ROUNDS, "business-card-10up-a4"))
    codes = db.session.scalars(select(Card.code).where(Card.batch_id == batch.batch_id).order_by(Card.position)).all()
    db.session.commit()
    url = f"{gunicorn}/locations/{world.location.id}/till/redemptions"
    # Each till is its own browser session; staff and owner alternate, as at a busy counter.
    openers = [logged_in_opener(gunicorn, (world.staff if i % 2 else world.owner).login) for i in range(TILLS)]
    tallies = []
    for code in codes:
        results: list[str] = []
        start = threading.Barrier(TILLS)
        threads = [threading.Thread(target=redeem, args=(opener, url, code, start, results)) for opener in openers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        tallies.append(Counter(results))
    assert tallies == [Counter({"redeemed": 1, "already_redeemed": TILLS - 1})] * ROUNDS
    db.session.commit()
    redeemed = db.session.scalars(select(Card.redeemed_at).where(Card.batch_id == batch.batch_id)).all()
    assert all(moment is not None for moment in redeemed)


def test_one_tap_sent_at_once_by_twenty_tills_is_stored_once(gunicorn, printed_world):
    """A queued tap resent by several tabs at once: its key lets exactly one insert through."""
    world = printed_world
    url = f"{gunicorn}/locations/{world.location.id}/till/preferences"
    openers = [logged_in_opener(gunicorn, (world.staff if i % 2 else world.owner).login) for i in range(TILLS)]
    answers = []
    keys = [str(uuid.uuid4()) for _ in range(5)]
    for key in keys:
        body = json.dumps({"platform": "google", "key": key}).encode()
        results: list = []
        start = threading.Barrier(TILLS)
        threads = [threading.Thread(target=post_at_once, args=(opener, url, body, "id", start, results)) for opener in openers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        answers.append(results)
    db.session.commit()
    stored = db.session.execute(select(Preference.client_key, Preference.id).where(Preference.client_key.in_(keys))).all()
    assert len(stored) == len(keys)
    ids = dict(stored)
    assert answers == [[ids[key]] * TILLS for key in keys]

"""Tracked-link and till-tap speed: cta-kit's `/r/` and preference tap against a minimal Flask app
doing the same work.

    .venv/bin/python bench/bench_redirect.py [--seconds 10] [--clients 4] [--slices 10] [--cards 500]

Both apps are served by gunicorn (2 sync workers) on copies of one SQLite database holding a
printed batch of tracked cards with two QR codes each. The load comes from other processes
(--clients of them, each one request at a time on a new connection, as gunicorn's sync workers
close them), walking through every card and position so that scans are inserted, then repeat
inside the half-hour window. The baseline is bench/minimal_redirect.py: the same lookup, scan
insert and 302, without sessions, extensions, code checking or user-agent reading.
Both servers run at once and the load alternates between them in short slices, so that both
meet the same machine load (it may be shared with other work).
The till's tap is loaded the same way: staff logged in (one session, its CSRF token in the
header, as the till's page sends it) log a customer's site as JSON with a fresh client key each
time. Both apps get the same session cookie and token, and the baseline does the same honest
work by hand: it reads the signed session, checks the CSRF token, checks in one query that the
session's user is current, active and works at the location while finding the tapped site,
inserts once per key and answers the id with the day's tally (see bench/minimal_redirect.py).
Then the same requests are timed in process, without HTTP, as CPU microseconds per request.
Goal: cta-kit's throughput within 1.5x of the baseline's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import uuid
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
         "Version/17.5 Mobile/15E148 Safari/604.1")
GOAL = 1.5
STAFF_LOGIN, STAFF_PASSWORD = "bench-staff", "bench staff password"


def app_config(database: Path, instance: Path) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "SECRET_KEY": "bench-secret-key-that-is-long-enough-to-pass",
        "PUBLIC_BASE_URL": "https://cards.example.com",
        "AUTO_UPGRADE_DB": False,
    }


def build_database(database: Path, instance: Path, cards: int) -> list[str]:
    """A migrated database with one location, two review sites and a printed tracked batch."""
    from datetime import date

    from flask_migrate import upgrade
    from sqlalchemy import select

    from cta_kit import create_app
    from cta_kit.extensions import db
    from cta_kit.models import Business, Campaign, CampaignDestination, Card, Location, ReviewDestination
    from cta_kit.services.printing import PrintOrder, print_cards

    os.environ["CTA_KIT_INSTANCE_PATH"] = str(instance)
    app = create_app(app_config(database, instance))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        business = Business(name="Bench Bistro")
        location = Location(business=business, name="Bench Bistro", timezone="Europe/Paris", language="en")
        sites = [
            ReviewDestination(location=location, platform="google", entered="x", display_url="g.page",
                              url="https://g.page/r/CRxVbH3c9kBFEAE/review", position=0),
            ReviewDestination(location=location, platform="tripadvisor", entered="x", display_url="tripadvisor.com",
                              url="https://www.tripadvisor.com/UserReviewEdit-g187147-d1234567.html", position=1),
        ]
        campaign = Campaign(
            location=location, name="Bench", language="en", headline="Your opinion counts",
            body="Where do you leave your reviews? Scan the code.", link_mode="tracked",
            starts_on=date(2026, 1, 1),
            featured=[CampaignDestination(destination=site, position=i) for i, site in enumerate(sites, 1)],
        )
        from cta_kit.models import ROLE_STAFF, InstanceSetting, User, utcnow
        from cta_kit.services.accounts import SETUP_DONE_KEY
        from cta_kit.services.passwords import hash_password

        staff = User(business=business, name="Bench Staff", login=STAFF_LOGIN, password_hash=hash_password(STAFF_PASSWORD),
                     role=ROLE_STAFF, language="en", locations=[location])
        setup_done = InstanceSetting(key=SETUP_DONE_KEY, value=utcnow().isoformat())
        db.session.add_all([business, campaign, staff, setup_done])
        db.session.commit()
        batch_id = print_cards(PrintOrder(campaign.id, cards, "business-card-10up-a4")).batch_id
        codes = list(db.session.scalars(select(Card.code).where(Card.batch_id == batch_id)))
        db.session.remove()
        db.engine.dispose()
    return codes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(target: str, database: Path, instance: Path, port: int) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CTA_KIT_")}
    env.update(
        BENCH_SQLITE_PATH=str(database),
        CTA_KIT_DATABASE_URL=f"sqlite:///{database}",
        CTA_KIT_INSTANCE_PATH=str(instance),
        CTA_KIT_SECRET_KEY="bench-secret-key-that-is-long-enough-to-pass",
        CTA_KIT_PUBLIC_BASE_URL="https://cards.example.com",
        CTA_KIT_AUTO_UPGRADE_DB="false",
    )
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--chdir", str(ROOT), "--log-level", "warning", target],
        env=env,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            # An answer, not only an open port: gunicorn's master listens before its workers
            # have built the app, which takes a while on a busy machine.
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", "/")
            connection.getresponse().read()
            connection.close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{target} did not start")


def client(args) -> list[float]:
    port, requests, deadline = args
    latencies = []
    index = 0
    while time.monotonic() < deadline:
        method, path, body, headers, expected = requests[index % len(requests)]
        index += 1
        if body is not None:
            body = json.dumps({**body, "key": str(uuid.uuid4())})  # every tap is a new one
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status != expected:
            raise RuntimeError(f"{method} {path}: HTTP {response.status}")
        latencies.append(time.perf_counter() - started)
    return latencies


def redirect_requests(codes: list[str]) -> list[tuple]:
    return [("GET", f"/r/{code}/{position}", None, {"User-Agent": PHONE}, 302) for code in codes for position in (1, 2)]


def tap_requests(headers: dict[str, str]) -> list[tuple]:
    sites = ("google", "tripadvisor", "none", "unsaid")
    return [("POST", "/locations/1/till/preferences", {"platform": site}, {**headers, "Content-Type": "application/json"}, 200)
            for site in sites]


def staff_session(port: int) -> dict[str, str]:
    """Log the staff member in once and read the till page's CSRF token, as the till does."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = f"login={STAFF_LOGIN}&password={STAFF_PASSWORD.replace(' ', '+')}"
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    connection.request("POST", "/login", body=body + f"&csrf_token={token}",
                       headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = connection.getresponse()
    response.read()
    cookie = (response.getheader("Set-Cookie") or "").split(";", 1)[0] or cookie
    if response.status != 302:
        raise RuntimeError(f"staff login: HTTP {response.status}")
    connection.request("GET", "/locations/1/till", headers={"Cookie": cookie})
    response = connection.getresponse()
    page = response.read().decode()
    connection.close()
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    return {"Cookie": cookie, "X-CSRFToken": token}


def load(ports: dict[str, int], requests: dict[str, list[tuple]], clients: int, seconds: float, slices: int) -> dict[str, dict]:
    """Load each server in turn for short slices, so that both meet the same machine load."""
    latencies: dict[str, list[float]] = {name: [] for name in ports}
    busy: dict[str, float] = {name: 0.0 for name in ports}
    offset = 0
    with multiprocessing.Pool(clients) as pool:
        for name, port in ports.items():  # warm-up: caches, connection pools, regexes
            pool.map(client, [(port, requests[name][-50:], time.monotonic() + 1.0)] * clients)
        for _ in range(slices):
            for name, port in ports.items():
                started = time.monotonic()
                deadline = started + seconds / slices
                jobs = [(port, requests[name][offset + i::clients] or requests[name], deadline) for i in range(clients)]
                for result in pool.map(client, jobs):
                    latencies[name].extend(result)
                busy[name] += time.monotonic() - started
            offset = (offset + 1) % clients
    results = {}
    for name, values in latencies.items():
        values.sort()
        results[name] = {
            "rps": len(values) / busy[name],
            "p50": statistics.median(values) * 1000,
            "p99": values[int(len(values) * 0.99)] * 1000,
        }
    return results


def in_process(database: Path, instance: Path, codes: list[str], requests: int, tap_headers: dict[str, str],
               repeat: int = 5) -> dict[str, dict[str, float]]:
    """CPU microseconds per request through each app's WSGI callable, without HTTP (best of
    ``repeat``, the apps alternating), for tracked links and for taps."""
    from werkzeug.test import EnvironBuilder

    os.environ["BENCH_SQLITE_PATH"] = str(database)
    os.environ["CTA_KIT_SECRET_KEY"] = app_config(database, instance)["SECRET_KEY"]
    from bench.minimal_redirect import app as minimal
    from cta_kit import create_app

    apps = {"minimal Flask": minimal, "cta-kit": create_app(app_config(database, instance))}
    paths = [f"/r/{code}/{position}" for code in codes for position in (1, 2)][:requests]
    links = [EnvironBuilder(path=path, headers={"User-Agent": PHONE}).get_environ() for path in paths]

    def taps(count: int) -> list[dict]:  # new keys each time: a repeated key is a cheaper request
        environs = []
        for _method, path, body, _headers, _expected in (tap_requests({}) * count)[:count]:
            environs.append(EnvironBuilder(path=path, method="POST", json={**body, "key": str(uuid.uuid4())},
                                           headers=tap_headers).get_environ())
        return environs

    def run(app, batch, expected):
        def start_response(status, headers, exc_info=None):
            assert status.startswith(expected), status

        for environ in batch:
            for _chunk in app.wsgi_app(environ, start_response):
                pass

    timings = {}
    for title, batch_of, expected in (("tracked link", lambda: [dict(e) for e in links], "302"),
                                      ("till tap", lambda: taps(min(requests, 300)), "200")):
        for app in apps.values():
            run(app, batch_of()[:50], expected)
        best = {name: float("inf") for name in apps}
        for _ in range(repeat):
            for name, app in apps.items():
                batch = batch_of()
                started = time.process_time()  # CPU time: the machine may be shared
                run(app, batch, expected)
                best[name] = min(best[name], (time.process_time() - started) / len(batch) * 1e6)
        timings[title] = best
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--slices", type=int, default=10)
    parser.add_argument("--cards", type=int, default=500)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seed = tmp / "seed.sqlite3"
        codes = build_database(seed, tmp / "instance", args.cards)
        targets = {"minimal Flask": "bench.minimal_redirect:app", "cta-kit": "cta_kit.wsgi:app"}
        ports, servers = {}, []
        try:
            for name, target in targets.items():
                database = tmp / f"{name.split()[0]}.sqlite3"
                shutil.copy(seed, database)
                ports[name] = free_port()
                servers.append(serve(target, database, tmp / "instance", ports[name]))
            redirects = {name: redirect_requests(codes) for name in ports}
            results = load(ports, redirects, args.clients, args.seconds, args.slices)
            logged_in = staff_session(ports["cta-kit"])  # the baseline reads the same signed cookie
            taps = {name: tap_requests(logged_in) for name in ports}
            tap_results = load(ports, taps, args.clients, args.seconds, args.slices)
        finally:
            for server in servers:
                server.terminate()
                server.wait()

        print(f"gunicorn, 2 workers each, {args.clients} clients, {args.seconds:g} s per app "
              f"in {args.slices} alternating slices")
        baselines = {
            "tracked link GET /r/<code>/<n>": "baseline: the same lookup, scan insert and 302 on sqlite3, "
                                              "without sessions or extensions",
            "till tap POST .../till/preferences": "baseline: the same session cookie and CSRF token checked by hand, "
                                                  "one query for user, access and site, INSERT ... ON CONFLICT DO "
                                                  "NOTHING, the day's tally, on sqlite3 without Flask-Login, "
                                                  "Flask-WTF or SQLAlchemy",
        }
        for title, measured in (("tracked link GET /r/<code>/<n>", results), ("till tap POST .../till/preferences", tap_results)):
            print(f"\n{title}\n{baselines[title]}")
            print(f"{'':16}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}")
            for name, result in measured.items():
                print(f"{name:16}{result['rps']:8.0f}{result['p50']:9.2f}{result['p99']:9.2f}")
            ratio = measured["minimal Flask"]["rps"] / measured["cta-kit"]["rps"]
            print(f"baseline / cta-kit throughput: {ratio:.2f}x (goal: {GOAL}x or less)")

        database = tmp / "in-process.sqlite3"
        shutil.copy(seed, database)
        timings = in_process(database, tmp / "instance", codes, min(1000, len(codes) * 2), logged_in)
        print("\nin process, CPU per request:")
        for title, measured in timings.items():
            print(f"  {title}: " + ", ".join(f"{name} {us:.0f} µs" for name, us in measured.items()))


if __name__ == "__main__":
    main()

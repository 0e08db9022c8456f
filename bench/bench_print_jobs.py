"""A big print from the web under the README's production command, and a customer's scan meanwhile.

    .venv/bin/python bench/bench_print_jobs.py [--cards 10000] [--probe-rate 20] [--tracked]

Starts `gunicorn --preload --workers 2 'cta_kit.wsgi:app'` on SQLite in a temporary instance folder
(the app starts its print worker itself), creates the demo restaurant, then from the web asks
for --cards cards. Reports how long the print request took to answer, the time until the PDF
is ready and downloaded, and the latency of `/r/<code>/google` measured by a second process
(--probe-rate requests a second), first with nothing printing (the baseline), then during the
print; the ratio is p99 during the print over p99 of the baseline. --tracked switches the demo
campaign to tracked links (a link per card) in the database first: a batch whose QR codes the
worker encodes on every core when the machine is otherwise idle (cta_kit/pdf/parallel.py). Before print jobs, the same
request drew the cards inside the web request, beyond gunicorn's 30 s worker timeout.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cta_kit.config import SQLITE_FILE  # noqa: E402
from cta_kit.services.public_address import PUBLIC_ADDRESS_KEY  # noqa: E402
from tests.live_server import Visitor, create_demo, gunicorn  # noqa: E402

LAYOUT = "business-card-10up-a4"


def probe(url: str, seconds: float, rate: float, stop_file: Path) -> list[float]:
    """Milliseconds per request to url, one request every 1/rate s, for `seconds` or until
    stop_file exists (run in its own process)."""
    opener = urllib.request.build_opener(_KeepRedirect)
    latencies = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not stop_file.exists():
        started = time.perf_counter()
        with opener.open(url, timeout=30) as response:
            response.read()
            assert response.status == 302, response.status
        latencies.append((time.perf_counter() - started) * 1000)
        time.sleep(max(0.0, 1 / rate - (time.perf_counter() - started)))
    return latencies


class _KeepRedirect(urllib.request.HTTPRedirectHandler):
    def http_error_302(self, request, response, code, message, headers):
        return response


def start_probe(url: str, seconds: float, rate: float, stop_file: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, __file__, "--probe", url, "--seconds", str(seconds), "--probe-rate", str(rate),
         "--stop-file", str(stop_file)],
        stdout=subprocess.PIPE, text=True,
    )


def summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"n={len(ordered)} p50={statistics.median(ordered):.1f} ms p99={p99:.1f} ms max={ordered[-1]:.1f} ms"


def p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def print_job(owner: Visitor, editor: str, count: int) -> tuple[float, str]:
    started = time.perf_counter()
    queued = owner.post_form(editor, editor + "/print", {"layout": LAYOUT, "count": str(count)}, timeout=120)
    answered = time.perf_counter() - started
    assert queued.status == 302 and "/print-jobs/" in queued.headers["Location"], (queued.status, queued.text[:500])
    return answered, queued.headers["Location"]


def wait_for_pdf(owner: Visitor, job_page: str, timeout: float = 900) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = json.loads(owner.get(job_page + ".json").body)
        if status["finished"]:
            return status
        time.sleep(0.5)
    raise RuntimeError("the print did not finish in time")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--probe-rate", type=float, default=20.0)
    parser.add_argument("--baseline-seconds", type=float, default=15.0)
    parser.add_argument("--probe")
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--stop-file", type=Path)
    parser.add_argument("--tracked", action="store_true")
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.probe, args.seconds, args.probe_rate, args.stop_file)))
        return

    with tempfile.TemporaryDirectory() as tmp, gunicorn(Path(tmp) / "instance", workers=2) as server:
        login, password, campaign_id = create_demo(server.env)
        if args.tracked:
            with sqlite3.connect(Path(tmp) / "instance" / SQLITE_FILE) as database:
                database.execute("UPDATE campaign SET link_mode = 'tracked' WHERE id = ?", (campaign_id,))
                database.execute("INSERT OR REPLACE INTO instance_setting (key, value, updated_at) "
                                 "VALUES (?, 'https://cards.example.com', CURRENT_TIMESTAMP)", (PUBLIC_ADDRESS_KEY,))
        owner = Visitor(server.base_url)
        owner.log_in(login, password)
        editor = f"/locations/1/campaigns/{campaign_id}"

        # A first small batch gives the probe a real card code to scan.
        _, job_page = print_job(owner, editor, 10)
        wait_for_pdf(owner, job_page)
        manifest = next(line.split('href="')[1].split('"')[0] for line in owner.get(job_page).text.splitlines()
                        if "manifest.csv" in line)
        code = next(csv.DictReader(io.StringIO(owner.get(manifest).text)))["code"]
        scan = f"{server.base_url}/r/{code}/google"
        stop_file = Path(tmp) / "stop-probe"

        idle = json.loads(start_probe(scan, args.baseline_seconds, args.probe_rate, stop_file).communicate()[0])

        during_probe = start_probe(scan, 1800, args.probe_rate, stop_file)
        time.sleep(1)  # the probe's interpreter is up before the print starts
        answered, job_page = print_job(owner, editor, args.cards)
        started = time.perf_counter()
        status = wait_for_pdf(owner, job_page)
        ready = time.perf_counter() - started
        stop_file.touch()
        during = json.loads(during_probe.communicate()[0])
        download_started = time.perf_counter()
        pdf = owner.get(status["pdf_url"], timeout=300)
        downloaded = time.perf_counter() - download_started
        assert pdf.status == 200 and pdf.body.startswith(b"%PDF"), pdf.status

    print(f"{args.cards} cards, {'tracked' if args.tracked else 'direct'} links, on {LAYOUT}; gunicorn --preload --workers 2 'cta_kit.wsgi:app'; SQLite")
    print(f"print request answered in {answered * 1000:.0f} ms (a redirect to the job page)")
    print(f"job {status['state']} {ready:.1f} s after the request; PDF {len(pdf.body) / 1e6:.1f} MB "
          f"downloaded in {downloaded * 1000:.0f} ms")
    print(f"/r/ baseline, nothing printing: {summary(idle)}")
    print(f"/r/ during the print:          {summary(during)}")
    print(f"ratio p99 during / p99 baseline: {p99(during) / p99(idle):.2f}")


if __name__ == "__main__":
    main()

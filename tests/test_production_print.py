"""A print from the web under the README's production command: gunicorn --preload, two web
workers, and the print worker process the app starts itself."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from tests.live_server import Visitor, create_demo, gunicorn
from tests.pdf_readback import decoded_qr_codes_per_page

CARDS = 200
CARDS_PER_PAGE = 10
SITES_PER_CARD = 2  # the demo campaign features Google and Tripadvisor


def children_of(pid: int) -> dict[int, str]:
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children[int(entry.name)] = cmdline
    return children


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and " Z " not in Path(f"/proc/{pid}/stat").read_text()


def wait_for(condition, timeout: float, step: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


def test_a_web_print_runs_in_the_print_worker_and_its_pdf_downloads(tmp_path):
    with gunicorn(tmp_path / "instance", workers=2) as server:
        workers = {pid: cmd for pid, cmd in children_of(server.process.pid).items() if "cta_kit worker" in cmd}
        assert len(workers) == 1, children_of(server.process.pid)
        login, password, campaign_id = create_demo(server.env)
        owner = Visitor(server.base_url)
        owner.log_in(login, password)
        editor = f"/locations/1/campaigns/{campaign_id}"

        queued = owner.post_form(editor, editor + "/print", {"layout": "business-card-10up-a4", "count": str(CARDS)})
        assert queued.status == 302 and "/print-jobs/" in queued.headers["Location"], queued.text
        job_page = queued.headers["Location"]
        assert "<progress" in owner.get(job_page).text

        def finished():
            status = json.loads(owner.get(job_page + ".json").body)
            return status if status["finished"] else None

        status = wait_for(finished, timeout=180)
        assert status and status["state"] == "done" and status["done"] == CARDS
        assert "Download" in owner.get(job_page).text or "Télécharger" in owner.get(job_page).text
        pdf = owner.get(status["pdf_url"])
        assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf"
        pages = decoded_qr_codes_per_page(pdf.body)
        assert len(pages) == CARDS // CARDS_PER_PAGE
        assert all(len(page) == CARDS_PER_PAGE * SITES_PER_CARD for page in pages)
        urls = {url for page in pages for url in page}
        assert len(urls) == SITES_PER_CARD and all(url.startswith("https://") for url in urls)
        assert list((tmp_path / "instance" / "prints").glob("*.pdf")), "the PDF is kept, not drawn again"
    (worker_pid,) = workers
    assert wait_for(lambda: not is_running(worker_pid), timeout=15), "the print worker stops with the server"

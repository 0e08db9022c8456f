"""The app served by the README's production command, and a visitor with cookies, for tests and
benchmarks that need real processes (gunicorn's master, its workers and the print worker)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
DEMO_OWNER = re.compile(r"owner: (\S+)\s+password: (\S+)")
DEMO_CAMPAIGN = re.compile(r"--campaign (\d+)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(instance: Path, database_url: str | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CTA_KIT_")}
    env["CTA_KIT_INSTANCE_PATH"] = str(instance)
    if database_url:
        env["CTA_KIT_DATABASE_URL"] = database_url
    return env


@dataclass
class LiveServer:
    base_url: str
    process: subprocess.Popen
    env: dict[str, str]


@contextmanager
def gunicorn(instance: Path, database_url: str | None = None, workers: int = 2, timeout: float = 60):
    """`gunicorn --preload 'cta_kit.wsgi:app'` on a free port; stopped (SIGTERM) at the end."""
    env = server_env(instance, database_url)
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--preload", "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "cta_kit.wsgi:app"]
    log = open(instance.parent / f"gunicorn-{port}.log", "wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = LiveServer(f"http://127.0.0.1:{port}", process, env)
    try:
        _wait_until_up(server, timeout)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_up(server: LiveServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}")
        try:
            with urllib.request.urlopen(server.base_url + "/healthz", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def create_demo(env: dict[str, str]) -> tuple[str, str, int]:
    """The demo restaurant's owner login, password and campaign id."""
    result = subprocess.run([sys.executable, "-m", "cta_kit", "demo"], env=env, capture_output=True, text=True, check=True)
    login, password = DEMO_OWNER.search(result.stdout).groups()
    return login, password, int(DEMO_CAMPAIGN.search(result.stdout).group(1))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Visitor:
    """A browser's cookies, without its redirects: each answer is seen as it comes."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect
        )

    def get(self, path: str, timeout: float = 30) -> Answer:
        return self._open(urllib.request.Request(self._url(path)), timeout)

    def post_form(self, form_page: str, path: str, data: dict, timeout: float = 30) -> Answer:
        """Post `data` with the CSRF token of the form on `form_page`."""
        token = CSRF_TOKEN.search(self.get(form_page).text).group(1)
        body = urllib.parse.urlencode({**data, "csrf_token": token}).encode()
        return self._open(urllib.request.Request(self._url(path), data=body, method="POST"), timeout)

    def log_in(self, login: str, password: str) -> None:
        answer = self.post_form("/login", "/login", {"login": login, "password": password})
        assert answer.status == 302, answer.text

    def _url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    def _open(self, request, timeout: float) -> Answer:
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())

"""The print worker: a process of its own that runs the task queue's consumer.

Drawing thousands of cards is CPU-bound: in a web process it would hold the GIL and stall every
other request, a customer's /r/ scan included. So `cta-kit serve` and the WSGI app start a worker
process themselves (PRINT_WORKER_AUTOSTART): restarted when it dies, stopped with the server,
and stopping itself when its server disappears. `cta-kit worker` runs one in the foreground.
"""

from __future__ import annotations

import atexit
import fcntl
import logging
import os
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

from .tasks import task_queue

LOCK_FILE = "print-worker.lock"
AUTOSTART_NICENESS = 10  # drawing cards gives way to web requests
RESTART_DELAY = 2.0  # seconds before a worker that died is started again
STOP_TIMEOUT = 10.0
PARENT_CHECK_INTERVAL = 1.0

logger = logging.getLogger(__name__)


def run_worker(app: Flask, threads: int = 1, parent_pid: int | None = None, niceness: int = 0) -> None:
    """Consume print jobs until stopped (SIGTERM stops now, SIGINT after the job in hand)."""
    if parent_pid is not None:
        _stop_when_orphaned(parent_pid)
    if niceness:
        os.nice(niceness)
    huey = task_queue(app).huey
    with _one_worker_per_instance(Path(app.instance_path)):
        # An idle SQLite queue is polled with a growing delay; one second at most keeps a new
        # print from waiting long. Redis hands a job over at once. Periodic: the daily clean-up.
        consumer = huey.create_consumer(workers=threads, worker_type="thread", periodic=True, max_delay=1.0)
        consumer.run()


@contextmanager
def _one_worker_per_instance(instance: Path):
    """A second worker on the same instance folder (a server started without --preload starts
    one per web process) waits here, and takes over if the first one stops."""
    instance.mkdir(parents=True, exist_ok=True)
    with open(instance / LOCK_FILE, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _stop_when_orphaned(parent_pid: int) -> None:
    def watch() -> None:
        while os.getppid() == parent_pid:
            stop.wait(PARENT_CHECK_INTERVAL)
        logger.warning("the server that started this print worker is gone: stopping")
        os.kill(os.getpid(), signal.SIGTERM)

    stop = threading.Event()
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class SupervisedWorker:
    """A `cta-kit worker` child process, started again when it dies, stopped at exit."""

    def __init__(self, app: Flask):
        self.owner_pid = os.getpid()
        self.command = [
            sys.executable, "-m", "cta_kit", "worker",
            "--parent", str(self.owner_pid), "--nice", str(AUTOSTART_NICENESS),
        ]
        # The same settings as this server, and the same instance folder whatever the working directory.
        self.env = {**os.environ, "CTA_KIT_INSTANCE_PATH": app.instance_path}
        self.process: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def start(self) -> SupervisedWorker:
        self._spawn()
        threading.Thread(target=self._supervise, name="print-worker-supervisor", daemon=True).start()
        atexit.register(self.stop)
        return self

    def _spawn(self) -> None:
        with self.lock:
            if not self.stopping.is_set():
                # Its own session: a Ctrl+C meant for the server reaches the worker through stop().
                self.process = subprocess.Popen(self.command, env=self.env, start_new_session=True)

    def _supervise(self) -> None:
        while not self.stopping.is_set():
            code = self.process.wait()
            if self.stopping.wait(RESTART_DELAY):
                return
            logger.warning("the print worker stopped (exit code %s): starting it again", code)
            self._spawn()

    def stop(self) -> None:
        if os.getpid() != self.owner_pid:
            return  # a forked web worker inherits the exit hook, not the child
        with self.lock:
            self.stopping.set()
            process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_print_worker(app: Flask) -> SupervisedWorker | None:
    if not app.config["PRINT_WORKER_AUTOSTART"] or app.config["HUEY_IMMEDIATE"]:
        return None
    return SupervisedWorker(app).start()

"""The background task queue (Huey): a SQLite file in the instance folder by default, or Redis
when HUEY_REDIS_URL is set, so that the web servers and print workers of several machines share it.

The tasks are registered on each app's own queue, inside ``create_app``; a worker process
builds the same app and so knows the same tasks by the same names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import TaskWrapper

QUEUE_NAME = "cta-kit"
QUEUE_FILE = "task-queue.sqlite3"


@dataclass(frozen=True)
class TaskQueue:
    huey: Huey
    print_job: TaskWrapper
    clean_up: TaskWrapper


def init_task_queue(app: Flask) -> None:
    huey = _huey(app)

    @huey.task(name="print_job")
    def print_job(job_id: int) -> None:
        from .services.print_jobs import run_print_job

        with app.app_context():
            run_print_job(job_id)

    @huey.periodic_task(crontab(hour="4", minute="17"), name="clean_up")
    def clean_up() -> None:
        from .services.housekeeping import clean_up

        with app.app_context():
            clean_up()

    app.extensions["task_queue"] = TaskQueue(huey, print_job, clean_up)


def task_queue(app: Flask | None = None) -> TaskQueue:
    return (app or current_app).extensions["task_queue"]


def _huey(app: Flask) -> Huey:
    if app.config["HUEY_IMMEDIATE"]:
        return MemoryHuey(QUEUE_NAME, immediate=True, results=False)
    if app.config["HUEY_REDIS_URL"]:
        return RedisHuey(QUEUE_NAME, url=app.config["HUEY_REDIS_URL"], results=False)
    return SqliteHuey(QUEUE_NAME, filename=str(Path(app.instance_path) / QUEUE_FILE), results=False)

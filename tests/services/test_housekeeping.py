"""The daily clean-up: old PDFs (made again on demand), failed logins past their window, uploads never imported."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from cta_kit.extensions import db
from cta_kit.models import LoginFailure, ReviewImport, utcnow
from cta_kit.services.housekeeping import clean_up
from cta_kit.services.print_jobs import PRINTS_FOLDER
from cta_kit.tasks import task_queue


def _file(folder: Path, name: str, age: timedelta) -> Path:
    path = folder / name
    path.write_bytes(b"%PDF-1.4")
    stamp = (utcnow() - age).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_old_pdfs_and_leftovers_go_recent_ones_stay(app):
    folder = Path(current_app.instance_path) / PRINTS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    old = _file(folder, "batch-1.pdf", timedelta(days=31))
    recent = _file(folder, "batch-2.pdf", timedelta(days=29))
    leftover = _file(folder, ".batch-3.pdf.4242.part", timedelta(days=2))
    writing = _file(folder, ".batch-4.pdf.4243.part", timedelta(minutes=5))
    unrelated = _file(folder, "notes.pdf", timedelta(days=400))

    assert clean_up().pdfs == 2
    assert [p.exists() for p in (old, recent, leftover, writing, unrelated)] == [False, True, False, True, True]


def test_failed_logins_past_the_window_and_stale_uploads_are_removed(world):
    now = utcnow()
    window = current_app.config["LOGIN_FAILURE_WINDOW"]
    db.session.add_all([
        LoginFailure(login="a@example.com", address="198.51.100.1", created_at=now - window - timedelta(seconds=1)),
        LoginFailure(login="b@example.com", address="198.51.100.1", created_at=now - window + timedelta(minutes=1)),
    ])
    upload = dict(location_id=world.location.id, user_id=world.owner.id, filename="r.csv", source="csv", data=b"a;b\n")
    db.session.add_all([
        ReviewImport(**upload, created_at=now - timedelta(days=8)),
        ReviewImport(**upload, created_at=now - timedelta(days=6)),
        ReviewImport(**{**upload, "data": None}, created_at=now - timedelta(days=90), imported_at=now - timedelta(days=90)),
    ])
    db.session.commit()

    removed = clean_up(now)

    assert (removed.login_failures, removed.uploads) == (1, 1)
    assert db.session.scalars(select(LoginFailure.login)).all() == ["b@example.com"]
    kept = db.session.scalars(select(ReviewImport).order_by(ReviewImport.created_at)).all()
    assert [(u.imported_at is not None, (now - u.created_at).days) for u in kept] == [(True, 90), (False, 6)]


def test_the_worker_runs_the_clean_up_once_a_day(app):
    huey = task_queue(app).huey
    due = {task.name for minute in range(24 * 60) for task in huey.read_periodic(datetime(2026, 11, 27) + timedelta(minutes=minute))}
    assert due == {"clean_up"}
    assert sum(
        len(huey.read_periodic(datetime(2026, 11, 27) + timedelta(minutes=minute))) for minute in range(24 * 60)
    ) == 1

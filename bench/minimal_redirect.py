"""The baseline for bench_redirect.py: the least a Flask app can do for a tracked link and a till tap.

For a tracked link: the same SQLite lookup (card code and printed position to the printed URL),
the same scan insert with its half-hour repeat check, and the same 302 with no-store; no sessions,
extensions, code check or user-agent reading. For a tap: the JSON read, the same insert into
``preference`` keyed by the till's client key, and the entry's id as JSON; no login, CSRF or
day's tally. Served by gunicorn as ``bench.minimal_redirect:app``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import datetime, timedelta, timezone

from flask import Flask, abort, jsonify, redirect, request

app = Flask(__name__)
_local = threading.local()

LOOKUP = (
    "SELECT batch_destination.id, batch_destination.url, card.id, card.location_id FROM batch_destination "
    "JOIN card ON card.batch_id = batch_destination.batch_id WHERE card.code = ? AND batch_destination.position = ?"
)
RECORD = (
    "INSERT INTO scan (card_id, batch_destination_id, location_id, scanned_at, device_class) "
    "SELECT ?, ?, ?, ?, 'phone' WHERE NOT EXISTS (SELECT 1 FROM scan WHERE card_id = ? "
    "AND batch_destination_id = ? AND scanned_at > ?)"
)


def connection() -> sqlite3.Connection:
    if not hasattr(_local, "connection"):
        connection = sqlite3.connect(os.environ["BENCH_SQLITE_PATH"], isolation_level=None)
        connection.execute("PRAGMA busy_timeout=5000")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        _local.connection = connection
    return _local.connection


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


@app.get("/r/<code>/<int:position>")
def follow(code: str, position: int):
    db = connection()
    row = db.execute(LOOKUP, (code, position)).fetchone()
    if row is None:
        abort(404)
    destination_id, url, card_id, location_id = row
    now = datetime.now(timezone.utc)
    since = now - timedelta(minutes=30)
    db.execute(RECORD, (card_id, destination_id, location_id, _stamp(now), card_id, destination_id, _stamp(since)))
    response = redirect(url, code=302)
    response.headers["Cache-Control"] = "no-store"
    return response


TAP = (
    "INSERT INTO preference (location_id, user_id, created_at, platform, destination_id, table_or_bill, card_code, "
    "customer_name, client_key) SELECT ?, NULL, ?, ?, (SELECT id FROM review_destination WHERE location_id = ? "
    "AND platform = ? ORDER BY position LIMIT 1), '', '', '', ? ON CONFLICT (client_key) DO NOTHING"
)


@app.post("/locations/<int:location_id>/till/preferences")
def tap(location_id: int):
    body = request.get_json(silent=True) or {}
    platform, key = str(body.get("platform", "")), str(body.get("key", ""))
    if not platform or not key:
        abort(400)
    db = connection()
    db.execute(TAP, (location_id, _stamp(datetime.now(timezone.utc)), platform, location_id, platform, key))
    (entry_id,) = db.execute("SELECT id FROM preference WHERE client_key = ?", (key,)).fetchone()
    return jsonify(id=entry_id, platform=platform)

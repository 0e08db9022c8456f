"""The baseline for bench_redirect.py: the least a Flask app can do for a tracked link and a till tap.

For a tracked link: the same SQLite lookup (card code and printed position to the printed URL),
the same scan insert with its half-hour repeat check, and the same 302 with no-store; no sessions,
extensions, code check or user-agent reading.

For a till tap, the same honest work as cta-kit's, written by hand: Flask's signed session cookie
(cta-kit's cookie, same secret key) gives the user and when they logged in; the X-CSRFToken header
is checked against the session's token as Flask-WTF signs it; one query checks that the user's
session version is current, that the account is active and works at the location, and finds the
tapped site; one INSERT ... ON CONFLICT (client_key) DO NOTHING stores the tap once per key; one
aggregate counts the location's day; the answer is the same JSON (id, platform, tally). Left out:
Flask-Login, Flask-WTF, SQLAlchemy, the owner's longer session, a queued tap's own time and the
optional fields' checks. Served by gunicorn as ``bench.minimal_redirect:app``.
"""

from __future__ import annotations

import hmac
import os
import sqlite3
import threading
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import Flask, abort, jsonify, redirect, request, session
from itsdangerous import BadData, URLSafeTimedSerializer

app = Flask(__name__)
app.secret_key = os.environ.get("CTA_KIT_SECRET_KEY", "")
app.config["SESSION_COOKIE_NAME"] = "cta_kit_session"
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


STAFF_SESSION = timedelta(hours=12)
ACCESS = (
    "SELECT location.timezone, review_destination.id FROM user_account "
    "JOIN user_location ON user_location.user_id = user_account.id "
    "JOIN location ON location.id = user_location.location_id "
    "LEFT JOIN review_destination ON review_destination.location_id = location.id AND review_destination.platform = ? "
    "WHERE user_account.id = ? AND user_account.session_version = ? AND user_account.is_active "
    "AND location.id = ? ORDER BY review_destination.position LIMIT 1"
)
TAP = (
    "INSERT INTO preference (location_id, user_id, created_at, platform, destination_id, table_or_bill, card_code, "
    "customer_name, client_key) VALUES (?, ?, ?, ?, ?, '', '', '', ?) ON CONFLICT (client_key) DO NOTHING RETURNING id"
)
TALLY = (
    "SELECT platform, count(*) FROM preference WHERE location_id = ? AND created_at >= ? AND created_at < ? "
    "AND undone_at IS NULL GROUP BY platform"
)


@app.post("/locations/<int:location_id>/till/preferences")
def tap(location_id: int):
    try:
        user_id, version = (int(part) for part in session["_user_id"].split(":"))
        logged_in = float(session["auth_at"])
        token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").loads(request.headers["X-CSRFToken"])
    except (KeyError, ValueError, BadData):
        abort(400)
    if not hmac.compare_digest(session.get("csrf_token", ""), token):
        abort(400)
    now = datetime.now(timezone.utc)
    if now.timestamp() - logged_in > STAFF_SESSION.total_seconds():
        abort(401)
    body = request.get_json(silent=True) or {}
    platform, key = str(body.get("platform", "")), str(body.get("key", ""))
    if not platform or not key:
        abort(400)
    db = connection()
    row = db.execute(ACCESS, (platform, user_id, version, location_id)).fetchone()
    if row is None:
        abort(404)
    zone, destination_id = row
    if destination_id is None and platform not in ("none", "unsaid"):
        abort(400)
    inserted = db.execute(TAP, (location_id, user_id, _stamp(now), platform, destination_id, key)).fetchone()
    entry_id = inserted[0] if inserted else db.execute("SELECT id FROM preference WHERE client_key = ?", (key,)).fetchone()[0]
    local = ZoneInfo(zone)
    midnight = datetime.combine(now.astimezone(local).date(), time.min, tzinfo=local)
    start, end = midnight.astimezone(timezone.utc), (midnight + timedelta(days=1)).astimezone(timezone.utc)
    tally = dict(db.execute(TALLY, (location_id, _stamp(start), _stamp(end))).fetchall())
    return jsonify(id=entry_id, platform=platform, tally=tally)

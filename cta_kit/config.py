"""Configuration in layers: defaults, then ``instance/config.py``, then ``CTA_KIT_*`` variables."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask

ENV_PREFIX = "CTA_KIT"
SECRET_KEY_FILE = "secret_key"
SQLITE_FILE = "cta-kit.sqlite3"

DEFAULTS = {
    "PUBLIC_BASE_URL": None,
    "SQLALCHEMY_DATABASE_URI": None,  # filled in with a SQLite file in the instance folder
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    # Flask's defaults are unsafe for this app (see FIELD-NOTES): set every cookie flag on purpose.
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_NAME": "cta_kit_session",
    "PERMANENT_SESSION_LIFETIME": timedelta(days=7),
    "STAFF_SESSION_LIFETIME": timedelta(hours=12),
    "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
    # A till page stays open for a whole service: tokens are tied to the session, not to a clock.
    "WTF_CSRF_TIME_LIMIT": None,
    # CSRF is checked in one before_request hook (cta_kit.web.security) so that a failed check
    # can re-render the form with what was typed instead of a bare 400.
    "WTF_CSRF_CHECK_DEFAULT": False,
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DEFAULT_TIMEZONE": "UTC",
    "LANGUAGES": ("en", "fr"),
    "LOGIN_MAX_FAILURES_PER_LOGIN": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
    "LOGIN_FAILURE_WINDOW": timedelta(minutes=15),
    "AUTO_UPGRADE_DB": True,
    "TRUSTED_PROXIES": 0,  # how many reverse proxies stand in front (sets Werkzeug's ProxyFix)
    # Prints run in a separate worker process (Huey). Its queue is a SQLite file in the instance
    # folder, or Redis (e.g. redis://queue.internal:6379/0) so that several servers share it.
    "HUEY_REDIS_URL": None,
    "HUEY_IMMEDIATE": False,  # run tasks in the calling process (tests)
    "PRINT_WORKER_AUTOSTART": True,  # `cta-kit serve` and the WSGI app start the worker themselves
    "PRINT_JOB_STALE_AFTER": timedelta(minutes=1),  # a running job silent this long was interrupted
}


def instance_path_from_env() -> str | None:
    path = os.environ.get(f"{ENV_PREFIX}_INSTANCE_PATH")
    return str(Path(path).resolve()) if path else None


def load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env(prefix=ENV_PREFIX)
        _apply_env_aliases(app)
    else:
        app.config.from_mapping(test_config)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / SQLITE_FILE)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file cannot drop a connection the way a database server can: no ping before each use.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_pre_ping": False}
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _kept_secret_key(Path(app.instance_path))


def _apply_env_aliases(app: Flask) -> None:
    """Short variable names for the settings self-hosters change most."""
    aliases = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI"}
    for short, full in aliases.items():
        if short in app.config:
            app.config[full] = app.config.pop(short)
    for key in ("PERMANENT_SESSION_LIFETIME", "STAFF_SESSION_LIFETIME", "LOGIN_FAILURE_WINDOW", "PRINT_JOB_STALE_AFTER"):
        if isinstance(app.config[key], (int, float)):
            app.config[key] = timedelta(seconds=app.config[key])


def _kept_secret_key(instance: Path) -> str:
    """A random key made on first run and kept, so sessions survive restarts."""
    key_file = instance / SECRET_KEY_FILE
    if key_file.exists():
        key = key_file.read_text().strip()
        if key:
            return key
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key

"""Reading the running configuration for ``cta-kit check-deploy``."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ..domain.deployment import DeploymentSettings, deployment_problems, filesystem_of
from ..extensions import db
from .database import sqlite_path
from .public_address import public_base_url

MOUNTS_FILE = Path("/proc/mounts")


def current_problems(app: Flask) -> list[str]:
    """The problems of ``app``'s configuration; give it the app the production entry point builds."""
    config = app.config
    uri = config["SQLALCHEMY_DATABASE_URI"]
    sqlite_file = sqlite_path(uri)
    filesystem = None
    if sqlite_file is not None and MOUNTS_FILE.exists():
        filesystem = filesystem_of(str(sqlite_file.resolve()), MOUNTS_FILE.read_text())
    settings = DeploymentSettings(
        debug=bool(config.get("DEBUG")),
        testing=bool(config.get("TESTING")),
        secret_key=str(config.get("SECRET_KEY") or ""),
        public_base_url=_public_base_url(config),
        session_cookie_secure=bool(config.get("SESSION_COOKIE_SECURE")),
        session_cookie_httponly=bool(config.get("SESSION_COOKIE_HTTPONLY")),
        session_cookie_samesite=config.get("SESSION_COOKIE_SAMESITE"),
        csrf_enabled=bool(config.get("WTF_CSRF_ENABLED", True)),
        database_backend=make_url(uri).get_backend_name(),
        sqlite_filesystem=filesystem,
    )
    return deployment_problems(settings)


def _public_base_url(config) -> str | None:
    """The address tracked codes print: the configuration's, or the one an owner set in the app."""
    try:
        return public_base_url() or None
    except SQLAlchemyError:  # a database not created yet: only the configuration can say
        db.session.rollback()
        return config.get("PUBLIC_BASE_URL") or None

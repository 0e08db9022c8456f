"""Transactions that read then write, and schema upgrades with a backup first."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask_migrate import upgrade as alembic_upgrade
from sqlalchemy.engine import make_url

from ..extensions import db


def begin_immediate() -> None:
    """Start the session's transaction holding SQLite's write lock.

    A read-then-write in a deferred transaction fails with "database is locked" when another
    writer slips in between; PostgreSQL needs nothing here (its unique constraints and
    conditional updates decide).
    """
    db.session.connection(execution_options={"sqlite_begin_immediate": True})


def sqlite_path(uri: str) -> Path | None:
    url = make_url(uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def pending_revisions(app: Flask) -> tuple[str | None, str]:
    """The database's revision and the code's head revision."""
    migrate_ext = app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate_ext.migrate.get_config(migrate_ext.directory))
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, script.get_current_head()


def backup_sqlite(source: Path, destination: Path) -> Path:
    """A consistent copy while the app keeps writing (SQLite's online backup API)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".part")
    src, dst = sqlite3.connect(source), sqlite3.connect(tmp)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    shutil.move(tmp, destination)
    return destination


def upgrade_database(app: Flask) -> Path | None:
    """Bring the schema to the code's head; back the SQLite file up first. Returns the backup path."""
    with app.app_context():
        current, head = pending_revisions(app)
        if current == head:
            return None
        backup = None
        path = sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])
        if current is not None and path is not None and path.exists():
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            backup = backup_sqlite(
                path, Path(app.instance_path) / "backups" / f"{path.stem}-{stamp}-before-upgrade{path.suffix}"
            )
            current_app.logger.info("database backed up to %s before upgrading", backup)
        alembic_upgrade(directory=app.extensions["migrate"].directory)
        return backup

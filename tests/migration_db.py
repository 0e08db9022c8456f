"""An app on a database of its own, migrated to an older revision, for tests of one upgrade."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cta_kit import create_app
from cta_kit.extensions import db
from tests.conftest import app_config, is_postgres


@contextmanager
def app_at_revision(migrated_database: str, folder: Path, revision: str, name: str) -> Iterator[Flask]:
    """Inside its app context; the database (``<test database>_<name>`` on PostgreSQL) is dropped after."""
    url = make_url(migrated_database)
    admin = None
    if is_postgres(migrated_database):
        target = url.set(database=f"{url.database}_{name}")
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    else:
        target = make_url(f"sqlite:///{folder}/{name}.sqlite3")
    app = create_app(app_config(target.render_as_string(hide_password=False), str(folder / "instance")))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory, revision=revision)
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        admin.dispose()

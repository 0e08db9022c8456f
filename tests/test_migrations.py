"""Migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cta_kit.extensions import db
from tests.conftest import is_postgres


def drift(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
    return compare_metadata(context, db.metadata)


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        assert drift(connection) == []


def test_cta_kit_db_upgrade_on_an_empty_database(app, tmp_path):
    """`cta-kit db upgrade` from nothing, on the same kind of database the suite runs on."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if is_postgres(url):
        target = make_url(url).set(database=make_url(url).database + "_upgrade")
        admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    else:
        target = make_url(f"sqlite:///{tmp_path}/empty.sqlite3")
    env = {key: value for key, value in os.environ.items() if not key.startswith("CTA_KIT_")}
    env.update(CTA_KIT_DATABASE_URL=target.render_as_string(hide_password=False), CTA_KIT_INSTANCE_PATH=str(tmp_path / "i"))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "cta_kit", "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        engine = create_engine(target)
        with engine.connect() as connection:
            assert drift(connection) == []
            assert connection.scalar(text("SELECT count(*) FROM alembic_version")) == 1
        engine.dispose()
    finally:
        if is_postgres(url):
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            admin.dispose()


def test_upgrade_on_start_backs_up_the_sqlite_file_first(make_app, tmp_path):
    from flask_migrate import downgrade

    from cta_kit.services.database import upgrade_database

    path = tmp_path / "selfhosted.sqlite3"
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=app.extensions["migrate"].directory)
        db.session.execute(text("INSERT INTO business (name, created_at) VALUES ('Kept', CURRENT_TIMESTAMP)"))
        db.session.commit()
        downgrade(directory=app.extensions["migrate"].directory, revision="0001")
        db.engine.dispose()
    if app.extensions["migrate"].directory and _head_is_first_revision(app):
        pytest.skip("only one revision so far: nothing to upgrade over")
    backup = upgrade_database(app)
    assert backup is not None and backup.exists()
    with app.app_context():
        assert db.session.execute(text("SELECT name FROM business")).scalar() == "Kept"


def _head_is_first_revision(app) -> bool:
    from cta_kit.services.database import pending_revisions

    with app.app_context():
        current, head = pending_revisions(app)
    return current == head

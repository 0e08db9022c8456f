"""Revision 0008 gives every existing location a print offset of 0: its sheets print as before."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url

from cta_kit import create_app
from cta_kit.extensions import db
from cta_kit.models import Location
from cta_kit.services.printer_setup import print_offset_of
from tests.conftest import app_config, is_postgres


@pytest.fixture
def app_at_0006(migrated_database, tmp_path):
    """An app on a database of its own, migrated to 0006, with two locations."""
    url = make_url(migrated_database)
    if is_postgres(migrated_database):
        target = url.set(database=url.database + "_m0008")
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    else:
        target = make_url(f"sqlite:///{tmp_path}/at0006.sqlite3")
    app = create_app(app_config(target.render_as_string(hide_password=False), str(tmp_path / "instance")))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory, revision="0006")
        tables = MetaData()
        tables.reflect(db.engine)
        now = datetime(2026, 11, 20, tzinfo=timezone.utc)
        with db.engine.begin() as connection:
            business = connection.execute(
                tables.tables["business"].insert().values(name="Chez Nous", created_at=now)
            ).inserted_primary_key[0]
            for name in ("Chez Nous Paris", "Chez Nous Lyon"):
                connection.execute(tables.tables["location"].insert().values(
                    business_id=business, name=name, address="", timezone="Europe/Paris", language="fr", created_at=now))
        yield app
        db.session.remove()
        db.engine.dispose()
    if is_postgres(migrated_database):
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        admin.dispose()


def test_locations_made_before_0008_get_no_offset(app_at_0006):
    directory = app_at_0006.extensions["migrate"].directory
    upgrade(directory=directory, revision="0008_print_offset")
    locations = db.session.scalars(db.select(Location).order_by(Location.id)).all()
    assert [location.name for location in locations] == ["Chez Nous Paris", "Chez Nous Lyon"]
    assert [(location.print_offset_x_mm, location.print_offset_y_mm) for location in locations] == [(0, 0), (0, 0)]
    assert all(print_offset_of(location).is_zero for location in locations)
    db.session.remove()
    downgrade(directory=directory, revision="0006")
    with db.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM location")) == 2

"""Revision 0008 gives every existing location a print offset of 0: its sheets print as before."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, text

from cta_kit.extensions import db
from cta_kit.models import Location
from cta_kit.services.printer_setup import print_offset_of
from tests.migration_db import app_at_revision


@pytest.fixture
def app_at_0006(migrated_database, tmp_path):
    """An app on a database of its own, migrated to 0006, with two locations."""
    with app_at_revision(migrated_database, tmp_path, "0006", "m0008") as app:
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

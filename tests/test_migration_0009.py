"""Revision 0009 counts the reviews, scans and preferences stored before it into the summary's
tallies, with each review's reply time and attribution, as its triggers would have."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade

from cta_kit.extensions import db
from cta_kit.models import Business, Location
from cta_kit.services.summary import summary_for
from cta_kit.services.summary_tallies import tally_rows
from cta_kit.domain.summary import parse_month, summarise
from tests.migration_db import app_at_revision
from tests.services.test_summary_tallies import counted_in_python
from tests.summary_db import stored_rows


@pytest.fixture
def app_before_0009(migrated_database, tmp_path):
    with app_at_revision(migrated_database, tmp_path, "0008_print_offset", "m0009") as app:
        yield app


def test_upgrade_counts_the_rows_already_stored(app_before_0009):
    business = Business(name="Chez Nous")
    paris = Location(business=business, name="Paris", timezone="Europe/Paris", language="fr")
    new_york = Location(business=business, name="New York", timezone="America/New_York", language="en")
    db.session.add_all([business, paris, new_york])
    db.session.commit()
    rows = {paris.id: stored_rows(paris, seed=5, count=300), new_york.id: stored_rows(new_york, seed=6, count=300)}
    db.session.remove()

    upgrade(directory=app_before_0009.extensions["migrate"].directory)

    assert tally_rows() == counted_in_python()
    for location_id, location_rows in rows.items():
        for month in ("2025-03", "2025-11", "2026-10"):
            assert (summary_for(location_id, month).to_json()
                    == summarise(location_rows, parse_month(month)).to_json())

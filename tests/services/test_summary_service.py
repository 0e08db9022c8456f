"""The summary counted by the database against an independent computation over the same rows.

The rows are generated dense around month ends and changes of clocks in Paris and New York, stored
as the app stores them, and read back by the service's grouped queries; the expected figures are
computed in plain Python, each row's month read with ``astimezone``.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import event

from cta_kit.domain.summary import InvalidMonthError, combine_summaries, parse_month, summarise
from cta_kit.extensions import db
from cta_kit.services.errors import NotFound
from cta_kit.services.summary import summary_for, summary_page
from tests.domain.test_summary import MONTHS, expected_figures, previous_label
from tests.summary_db import stored_rows


@pytest.fixture
def stored(world):
    """Paris (location X) and New York (location Y, both the owner's), each with its own records."""
    world.other_location.timezone = "America/New_York"
    db.session.commit()
    paris = stored_rows(world.location, seed=1, count=900)
    new_york = stored_rows(world.other_location, seed=2, count=900)
    return world, {world.location.id: paris, world.other_location.id: new_york}


def assert_equal_to_expected(data: dict, rows, month: str) -> None:
    expected = expected_figures(rows, month)
    before = expected_figures(rows, previous_label(month))
    assert data["month"] == month and data["timezone"] == rows.timezone
    for key, value in expected["totals"].items():
        assert data["totals"][key] == value, (month, key)
    for site in data["platforms"]:
        for key, value in expected["platforms"][site["platform"]].items():
            assert site[key] == value, (month, site["platform"], key)
    assert {site["platform"] for site in data["platforms"]} == set(expected["platforms"])
    for key in ("reviews", "cards_printed", "till_slips", "scans", "preferences", "redemptions",
                "reviews_attributed", "reviews_attributed_suggested"):
        assert data["change"][key] == expected["totals"][key] - before["totals"][key], (month, key)


def test_every_figure_equals_the_independent_computation(stored):
    world, rows = stored
    for location_id, location_rows in rows.items():
        for month in MONTHS:
            summary = summary_for(location_id, parse_month(month))
            assert_equal_to_expected(summary.to_json(), location_rows, month)
            # And the whole summary, trend included, equals the domain's roll-up of the rows.
            assert summary.to_json() == summarise(location_rows, parse_month(month)).to_json()


def test_all_my_locations_adds_each_locations_own_months(stored):
    world, rows = stored
    for month in ("2025-11", "2026-03"):
        page = summary_page(world.owner, None, month)
        expected = combine_summaries([summarise(rows[location.id], parse_month(month)) for location in page.locations])
        assert page.location is None
        assert page.summary.to_json() == expected.to_json()
        assert page.summary.to_json()["timezone"] is None  # Paris and New York


def test_a_months_summary_takes_a_few_queries_whatever_the_rows(stored):
    world, _ = stored
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        summary_page(world.owner, world.location.id, "2026-03")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    counting = [sql for sql in statements if "GROUP BY" in sql or "review_month_count" in sql]
    assert len(counting) <= 8, statements
    assert all("strftime" not in sql and "date_trunc" not in sql for sql in statements)


def test_only_the_owners_of_a_location_see_its_summary(stored):
    world, _ = stored
    with pytest.raises(NotFound):
        summary_page(world.other_location_owner, world.location.id, "2026-03")
    with pytest.raises(NotFound):
        summary_page(world.foreign_owner, world.location.id, "2026-03")
    with pytest.raises(NotFound):
        summary_page(world.staff, world.location.id, "2026-03")  # staff work there, but it is the owner's
    only_lyon = summary_page(world.other_location_owner, None, "2026-03")
    assert only_lyon.summary.location_ids == (world.other_location.id,)


def test_a_bad_month_is_refused_and_the_current_one_is_the_default(stored):
    world, _ = stored
    with pytest.raises(InvalidMonthError):
        summary_page(world.owner, world.location.id, "2026-13")
    # 23:30 UTC on 31 October is already November in Paris.
    page = summary_page(world.owner, world.location.id, None, now=datetime(2026, 10, 31, 23, 30, tzinfo=timezone.utc))
    assert str(page.summary.month) == "2026-11"
    assert str(page.months[0]) == "2026-11"


def test_an_unknown_location_is_not_found(app):
    with pytest.raises(NotFound):
        summary_for(4242, parse_month("2026-10"))

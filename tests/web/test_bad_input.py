"""Garbage in every field of every route: a clear answer, never a 500."""

from __future__ import annotations

import pytest

from tests.conftest import log_in
from tests.web.test_access_matrix import ROUTES, add_reviews, url_for_rule

FIELDS = (
    "name login password password_again business_name owner_name language timezone address platform entered label "
    "role location_ids is_active current_password new_password new_password_again headline body destination_1 "
    "destination_2 destination_3 destination_4 presence_line offer_kind offer_text offer_validity_days link_mode distribution "
    "every_nth starts_on ends_on layout count preview_layout next file source month review_count average_rating "
    "posted_on rating author_name text code destination_id site campaign column_posted_at column_platform "
    "column_rating column_author column_text column_reply column_replied_at column_external_id"
).split()

GARBAGE = ["abc", "-1", "99999999999999999999", "\x00", "<script>alert(1)</script>", "=1+1", "é" * 5000, "2026-02-30", ""]


@pytest.mark.parametrize("visitor", ["anonymous", "owner"])
@pytest.mark.parametrize("garbage", GARBAGE, ids=range(len(GARBAGE)))
def test_no_route_answers_garbage_with_a_server_error(app, printed_world, garbage, visitor):
    world = printed_world
    add_reviews(world)
    destination = world.location.destinations[0]
    data = {field: garbage for field in FIELDS}
    failures = []
    for endpoint, rule, method in ROUTES:
        if endpoint in ("auth.logout", "destinations.delete"):
            continue
        client = app.test_client()
        if visitor == "owner":
            log_in(client, world.owner)
        url = url_for_rule(rule, world, destination.id)
        if method == "GET":
            response = client.get(url, query_string=data)
        else:
            response = client.open(url, method=method, data=data)
        if response.status_code >= 500:
            failures.append(f"{method} {url}: {response.status_code}")
    assert failures == []


def test_control_characters_are_dropped_from_otherwise_good_input(client, world):
    """PostgreSQL refuses NUL bytes: they are removed before they reach a query."""
    response = client.post("/login", data={"login": "owner@example.com\x00", "password": "correct horse battery"})
    assert response.status_code == 302
    response = client.post(
        "/locations/new", data={"name": "Bistrot\x00 du\x07 Port", "address": "", "timezone": "Europe/Paris", "language": "fr"}
    )
    assert response.status_code == 302
    assert "Bistrot du Port" in client.get(response.headers["Location"]).get_data(as_text=True)

"""With CSRF on, every state-changing route refuses a request without a token."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from cta_kit.extensions import db
from cta_kit.models import Location, ReviewDestination, User
from tests.conftest import PASSWORD
from tests.web.test_access_matrix import ROUTES, add_reviews, url_for_rule

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str) -> str:
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def log_in_with_token(client, user) -> None:
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"login": user.login, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


@pytest.fixture
def csrf_app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


def row_counts():
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (User, Location, ReviewDestination))


def test_every_state_changing_route_rejects_a_missing_token(csrf_app, printed_world):
    world = printed_world
    add_reviews(world)
    destination = world.location.destinations[0]
    client = csrf_app.test_client()
    log_in_with_token(client, world.owner)
    before = row_counts()
    checked = []
    for endpoint, rule, method in ROUTES:
        if method in ("GET", "HEAD", "OPTIONS"):
            continue
        url = url_for_rule(rule, world, destination.id)
        response = client.open(url, method=method, data={"name": "Changed", "language": "en"})
        # Setup is closed once done (404); it is checked on a fresh install below.
        expected = 404 if endpoint == "auth.setup" else 400
        assert response.status_code == expected, f"{method} {url} answered {response.status_code} without a token"
        checked.append(endpoint)
    db.session.expire_all()
    assert row_counts() == before
    assert {"auth.login", "auth.logout", "locations.create", "destinations.delete", "users.create"} <= set(checked)
    # Still logged in: the refused logout did nothing.
    assert client.get("/account/").status_code == 200


def test_a_refused_form_comes_back_with_what_was_typed(csrf_app, world):
    client = csrf_app.test_client()
    log_in_with_token(client, world.owner)
    response = client.post(
        "/locations/new", data={"name": "Bistrot du Port", "address": "3 quai Est", "timezone": "Europe/Paris", "language": "fr"}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Bistrot du Port"' in body and 'value="3 quai Est"' in body
    assert "send the form again" in body
    assert db.session.scalar(select(func.count()).select_from(Location).where(Location.name == "Bistrot du Port")) == 0
    # Sending it again with the fresh token from the re-rendered page works.
    token = TOKEN.search(body)
    response = client.post(
        "/locations/new",
        data={"name": "Bistrot du Port", "address": "3 quai Est", "timezone": "Europe/Paris", "language": "fr",
              "csrf_token": token.group(1) or token.group(2)},
    )
    assert response.status_code == 302


def test_tokens_do_not_expire_while_a_page_stays_open(csrf_app):
    assert csrf_app.config["WTF_CSRF_TIME_LIMIT"] is None


def test_setup_on_a_fresh_install_needs_a_token(csrf_app):
    client = csrf_app.test_client()
    data = {"business_name": "Chez Moi", "owner_name": "Me", "login": "me@example.com", "password": "long enough pw",
            "password_again": "long enough pw", "language": "en", "timezone": "Europe/Paris"}
    response = client.post("/setup", data=data)
    assert response.status_code == 400
    assert 'value="Chez Moi"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    response = client.post("/setup", data={**data, "csrf_token": csrf_token(client, "/setup")})
    assert response.status_code == 302


def test_the_till_sends_its_token_in_a_header_and_a_refusal_is_json(csrf_app, printed_world):
    from cta_kit.models import Preference, RedemptionAttempt

    world = printed_world
    client = csrf_app.test_client()
    log_in_with_token(client, world.staff)
    till = f"/locations/{world.location.id}/till"
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', client.get(till).get_data(as_text=True))
    assert meta
    for path, body in (("/preferences", {"platform": "google", "key": "till-csrf-0001"}),
                       ("/redemptions", {"code": world.card_code, "key": "till-csrf-0002"}),
                       ("/preferences/undo", {"key": "till-csrf-0001"}),
                       ("/slips", {"destination": world.location.destinations[0].id})):
        refused = client.post(till + path, json=body)
        assert refused.status_code == 400 and refused.get_json()["error"] == "csrf", path
    assert db.session.scalar(select(func.count()).select_from(Preference)) == 0
    assert db.session.scalar(select(func.count()).select_from(RedemptionAttempt)) == 0
    accepted = client.post(till + "/preferences", json={"platform": "google", "key": "till-csrf-0001"},
                           headers={"X-CSRFToken": meta.group(1)})
    assert accepted.status_code == 200 and accepted.get_json()["id"]
    answered = client.post(till + "/redemptions", json={"code": world.card_code, "key": "till-csrf-0002"},
                           headers={"X-CSRFToken": meta.group(1)})
    assert answered.get_json()["result"] == "redeemed"

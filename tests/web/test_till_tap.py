"""The till's tap checks the session in its own query: every session that a page refuses, the tap
refuses the same way, and every tap is stored once under its key, at the location it was sent to."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, func, select, update

from cta_kit.extensions import db
from cta_kit.models import Preference, ReviewDestination, User
from cta_kit.services.accounts import end_sessions
from tests.conftest import log_in


def key() -> str:
    return str(uuid.uuid4())


def tap_url(location) -> str:
    return f"/locations/{location.id}/till/preferences"


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Preference))


def signed_in(app, user):
    client = app.test_client()
    log_in(client, user)
    return client


def sent_to_login(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def end_by_logout(app, world):
    client = signed_in(app, world.staff)
    stolen = client.get_cookie("cta_kit_session").value
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("cta_kit_session", stolen)
    return thief


def end_everywhere(app, world):
    client = signed_in(app, world.staff)
    end_sessions(db.session.get(User, world.staff.id))
    return client


def end_by_disabling(app, world):
    client = signed_in(app, world.staff)
    db.session.execute(update(User).where(User.id == world.staff.id).values(is_active=False))
    db.session.commit()
    return client


def end_with_the_shift(app, world):
    client = signed_in(app, world.staff)
    with client.session_transaction() as session:
        session["auth_at"] = (datetime.now(timezone.utc) - timedelta(hours=12, minutes=1)).timestamp()
    return client


@pytest.mark.parametrize("ended", [end_by_logout, end_everywhere, end_by_disabling, end_with_the_shift])
def test_an_ended_session_is_sent_to_the_login_like_any_page_and_stores_nothing(app, printed_world, ended):
    client = ended(app, printed_world)
    response = client.post(tap_url(printed_world.location), json={"platform": "google", "key": key()})
    assert sent_to_login(response)
    assert sent_to_login(client.get(f"/locations/{printed_world.location.id}/till"))
    assert stored() == 0


def test_an_owner_still_taps_after_a_shift_length(app, printed_world):
    client = signed_in(app, printed_world.owner)
    with client.session_transaction() as session:
        session["auth_at"] = (datetime.now(timezone.utc) - timedelta(hours=13)).timestamp()
    response = client.post(tap_url(printed_world.location), json={"platform": "google", "key": key()})
    assert response.status_code == 200 and response.get_json()["tally"] == {"google": 1}


@pytest.mark.parametrize("who", ["other_location_owner", "foreign_owner"])
def test_someone_who_does_not_work_at_the_location_gets_a_404(app, printed_world, who):
    client = signed_in(app, getattr(printed_world, who))
    response = client.post(tap_url(printed_world.location), json={"platform": "none", "key": key()})
    assert response.status_code == 404 and stored() == 0


def test_a_key_already_used_at_another_location_is_refused_there(app, printed_world):
    client = signed_in(app, printed_world.owner)  # works at both locations of the business
    tap = {"platform": "unsaid", "key": key()}
    first = client.post(tap_url(printed_world.location), json=tap)
    elsewhere = client.post(tap_url(printed_world.other_location), json=tap)
    assert first.status_code == 200
    assert elsewhere.status_code == 400 and "another location" in elsewhere.get_json()["message"]
    assert stored() == 1


def test_a_named_site_is_stored_with_its_own_platform_and_another_locations_site_is_refused(app, printed_world):
    client = signed_in(app, printed_world.staff)
    tripadvisor = next(d for d in printed_world.location.destinations if d.platform == "tripadvisor")
    named = client.post(tap_url(printed_world.location),
                        json={"platform": "google", "destination": tripadvisor.id, "key": key()}).get_json()
    assert named["platform"] == "tripadvisor" and named["tally"] == {"tripadvisor": 1}
    elsewhere = ReviewDestination(location=printed_world.other_location, platform="google", entered="x",
                                  url="https://g.page/r/other/review", display_url="g.page", position=0)
    db.session.add(elsewhere)
    db.session.commit()
    refused = client.post(tap_url(printed_world.location),
                          json={"platform": "google", "destination": elsewhere.id, "key": key()})
    assert refused.status_code == 400 and refused.get_json()["error"] == "bad_request"
    assert stored() == 1


def test_a_tap_resent_after_its_site_was_deleted_gets_its_first_answer(app, printed_world):
    client = signed_in(app, printed_world.staff)
    tap = {"platform": "tripadvisor", "key": key()}
    first = client.post(tap_url(printed_world.location), json=tap).get_json()
    db.session.execute(delete(ReviewDestination).where(ReviewDestination.platform == "tripadvisor"))
    db.session.commit()
    again = client.post(tap_url(printed_world.location), json=tap)
    assert again.status_code == 200 and again.get_json()["id"] == first["id"]
    new = client.post(tap_url(printed_world.location), json={"platform": "tripadvisor", "key": key()})
    assert new.status_code == 400 and stored() == 1


def test_a_tap_needs_the_pages_csrf_token_in_its_header(make_app, printed_world):
    from tests.web.test_csrf import log_in_with_token

    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    log_in_with_token(client, printed_world.staff)
    refused = client.post(tap_url(printed_world.location), json={"platform": "google", "key": key()})
    assert refused.status_code == 400 and stored() == 0
    page = client.get(f"/locations/{printed_world.location.id}/till").get_data(as_text=True)
    token = page.split('<meta name="csrf-token" content="', 1)[1].split('"', 1)[0]
    accepted = client.post(tap_url(printed_world.location), json={"platform": "google", "key": key()},
                           headers={"X-CSRFToken": token})
    assert accepted.status_code == 200 and stored() == 1

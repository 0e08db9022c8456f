"""Owners manage their team: staff accounts limited to locations, roles, disabling."""

from __future__ import annotations

from sqlalchemy import select

from cta_kit.extensions import db
from cta_kit.models import User
from tests.conftest import PASSWORD, log_in


def account_form(world, **overrides):
    data = {
        "name": "Marie Dupont",
        "login": "Marie.D",
        "role": "staff",
        "language": "fr",
        "location_ids": [world.location.id],
        "password": "une phrase assez longue",
    }
    data.update(overrides)
    return data


def test_owner_adds_a_staff_member_who_can_log_in(app, client, world):
    log_in(client, world.owner)
    assert client.post("/users/new", data=account_form(world)).status_code == 302
    marie = db.session.scalar(select(User).where(User.login == "marie.d"))
    assert marie.is_active and marie.role == "staff" and [l.id for l in marie.locations] == [world.location.id]
    staff = app.test_client()
    assert staff.post("/login", data={"login": "MARIE.D", "password": "une phrase assez longue"}).status_code == 302
    assert staff.get("/users/").status_code == 403


def test_bad_account_input_is_explained_and_kept(client, world):
    log_in(client, world.owner)
    response = client.post(
        "/users/new", data=account_form(world, login="sam", password="short", location_ids=[world.foreign_location.id])
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Another account already uses this login." in body
    assert "Use at least 10 characters." in body
    assert "Marie Dupont" in body
    assert db.session.scalar(select(User).where(User.name == "Marie Dupont")) is None


def test_the_only_owner_cannot_demote_themselves(client, world):
    log_in(client, world.foreign_owner)
    response = client.post(
        f"/users/{world.foreign_owner.id}/edit",
        data=account_form(world, login="fiona@example.com", role="staff", location_ids=[world.foreign_location.id], password=""),
    )
    assert "only owner" in response.get_data(as_text=True)


def test_owner_only_sees_people_of_their_locations(client, world):
    log_in(client, world.other_location_owner)
    page = client.get("/users/").get_data(as_text=True)
    assert "Yann Lyon" in page and "Sam Staff" not in page and "Fiona" not in page


def test_editing_keeps_locations_the_editor_does_not_work_at(app, client, world):
    world.staff.locations.append(world.other_location)
    db.session.commit()
    log_in(client, world.other_location_owner)
    response = client.post(
        f"/users/{world.staff.id}/edit",
        data=account_form(world, name="Sam S.", login="sam", location_ids=[world.other_location.id], password="", is_active="y"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    staff = db.session.get(User, world.staff.id)
    assert staff.name == "Sam S." and {l.id for l in staff.locations} == {world.location.id, world.other_location.id}
    assert app.test_client().post("/login", data={"login": "sam", "password": PASSWORD}).status_code == 302

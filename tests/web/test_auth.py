"""First-run setup, login limits, and sessions that end server-side."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from cta_kit.extensions import db
from cta_kit.models import Location, User
from tests.conftest import PASSWORD, log_in

SETUP = {
    "business_name": "Café Éloïse",
    "owner_name": "Éloïse Martin",
    "login": "Eloise@Example.com",
    "password": "a long enough password",
    "password_again": "a long enough password",
    "language": "fr",
    "timezone": "Europe/Paris",
}


def test_a_fresh_install_opens_on_the_setup_page(client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/setup")
    assert client.get("/login").headers["Location"].endswith("/setup")
    assert "Café" not in client.get("/setup").get_data(as_text=True)


def test_setup_creates_the_owner_and_a_first_location(client):
    response = client.post("/setup", data=SETUP)
    assert response.status_code == 302
    owner = db.session.scalar(select(User))
    assert owner.login == "eloise@example.com" and owner.is_owner and owner.password_hash.startswith("$argon2id$")
    assert [location.name for location in owner.locations] == ["Café Éloïse"]
    assert owner.locations[0].timezone == "Europe/Paris"
    # Logged in straight away, on the page that says what to do next.
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    # Setup is closed from now on.
    assert client.get("/setup").status_code == 404
    assert client.post("/setup", data={**SETUP, "login": "evil@example.com"}).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_setup_keeps_what_was_typed_and_says_what_is_wrong(client):
    response = client.post("/setup", data={**SETUP, "password": "short", "password_again": "short", "login": "not-an-email@"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Café Éloïse"' in body or 'value="Caf&eacute; &Eacute;lo&iuml;se"' in body or "Café Éloïse" in body
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert db.session.scalar(select(func.count()).select_from(Location)) == 0


def test_wrong_password_then_rate_limit(client, world):
    for _ in range(5):
        response = client.post("/login", data={"login": world.owner.login, "password": "wrong password"})
        assert response.status_code == 200
        assert "do not match" in response.get_data(as_text=True)
    response = client.post("/login", data={"login": world.owner.login, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed attempts" in response.get_data(as_text=True)


def test_login_accepts_any_case_and_spaces(client, world):
    response = client.post("/login", data={"login": "  OWNER@example.COM ", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_ends_the_session_on_the_server(app, world):
    client = app.test_client()
    log_in(client, world.owner)
    stolen_cookie = client.get_cookie("cta_kit_session").value
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("cta_kit_session", stolen_cookie)
    assert thief.get("/account/").status_code == 302


def test_password_change_logs_out_other_devices(app, world):
    phone, laptop = app.test_client(), app.test_client()
    log_in(phone, world.owner)
    log_in(laptop, world.owner)
    response = laptop.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "another long password", "new_password_again": "another long password"},
    )
    assert response.status_code == 302
    assert laptop.get("/account/").status_code == 200
    assert phone.get("/account/").status_code == 302


def test_disabling_an_account_ends_its_sessions(app, world):
    staff_client, owner_client = app.test_client(), app.test_client()
    log_in(staff_client, world.staff)
    log_in(owner_client, world.owner)
    response = owner_client.post(
        f"/users/{world.staff.id}/edit",
        data={"name": "Sam Staff", "login": "sam", "role": "staff", "language": "en", "location_ids": [world.location.id]},
    )
    assert response.status_code == 302
    assert staff_client.get("/account/").status_code == 302
    assert client_cannot_log_in(app, world.staff)


def client_cannot_log_in(app, user) -> bool:
    response = app.test_client().post("/login", data={"login": user.login, "password": PASSWORD})
    return response.status_code == 200


def test_staff_sessions_last_one_shift(app, world):
    client = app.test_client()
    log_in(client, world.staff)
    assert client.get("/account/").status_code == 200
    with client.session_transaction() as session:
        session["auth_at"] = (datetime.now(timezone.utc) - timedelta(hours=12, minutes=1)).timestamp()
    assert client.get("/account/").status_code == 302


def test_owner_sessions_outlast_a_shift(app, world):
    client = app.test_client()
    log_in(client, world.owner)
    with client.session_transaction() as session:
        session["auth_at"] = (datetime.now(timezone.utc) - timedelta(hours=13)).timestamp()
    assert client.get("/account/").status_code == 200


def test_interface_language_follows_the_user(app, world):
    client = app.test_client()
    world.owner.language = "fr"
    db.session.commit()
    log_in(client, world.owner)
    body = client.get("/account/").get_data(as_text=True)
    assert 'lang="fr"' in body and "Votre compte" in body


def test_visitors_choose_a_language(client, world):
    response = client.post("/language", data={"language": "fr", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"
    assert "Connexion" in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example",
        " //evil.example", "\x00//evil.example", "\x1f/\x0c/evil.example", "/\\evil.example", "\\/evil.example",
        "\\\\evil.example", "/\t\\evil.example", "///evil.example", "https://evil.example", "https:evil.example",
        "javascript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "evil.example", "",
        "/\x00/evil.example", "/login\x7f",
    ],
)
def test_the_language_switch_never_leaves_the_site(client, world, target):
    response = client.post("/language", data={"language": "fr", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "target, location",
    [
        ("/login", "/login"),
        ("/locations/1/campaigns/?page=2", "/locations/1/campaigns/?page=2"),
        ("  /login\n", "/login"),
        ("/log\tin", "/login"),
        ("/a/b\\c", "/a/b/c"),
        ("/\r\nSet-Cookie: x=1", "/Set-Cookie:%20x=1"),  # one path, no header of its own
    ],
)
def test_the_language_switch_returns_to_the_page_as_a_browser_reads_it(client, world, target, location):
    response = client.post("/language", data={"language": "fr", "next": target})
    assert response.headers["Location"] == location


def test_two_setups_at_once_create_exactly_one_owner(app):
    import threading

    results = []
    barrier = threading.Barrier(4)

    def submit(index):
        client = app.test_client()
        barrier.wait()
        response = client.post("/setup", data={**SETUP, "login": f"owner{index}@example.com"})
        results.append(response.status_code)

    threads = [threading.Thread(target=submit, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results).count(302) == 1 and all(code in (200, 302, 404) for code in results), results
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_the_log_in_reminder_speaks_the_visitors_language(client, world):
    page = client.get("/locations/", headers={"Accept-Language": "fr"}, follow_redirects=True).get_data(as_text=True)
    assert "Connectez-vous pour accéder à cette page." in page
    assert "Please log in" not in page

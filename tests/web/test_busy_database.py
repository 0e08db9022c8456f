"""A write that cannot get the database in time tells the user to send it again: never a 500."""

from __future__ import annotations

from tests.conftest import log_in


def test_a_form_says_the_database_is_busy(client, world, impatient_sqlite):
    with impatient_sqlite():
        response = client.post("/login", data={"login": world.owner.login, "password": "wrong password"})
    assert response.status_code == 200
    assert "The database is busy with another change" in response.get_data(as_text=True)


def test_an_action_without_a_form_gets_a_try_again_page(client, world, impatient_sqlite):
    log_in(client, world.owner)
    with impatient_sqlite():
        response = client.post("/logout")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert "Go back and try again." in response.get_data(as_text=True)

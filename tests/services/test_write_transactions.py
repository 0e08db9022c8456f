"""Writes made while another request is busy: a print or a login in progress does not fail, and
attempts made during a slow password check count against the login limit."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, update

import cta_kit
from cta_kit.extensions import db
from cta_kit.models import Card, CardBatch, LoginFailure, User
from cta_kit.services import accounts, printing
from cta_kit.services.accounts import LoginInput, authenticate
from cta_kit.services.database import DatabaseBusy, write_transaction
from cta_kit.services.errors import ServiceError
from cta_kit.services.printing import PrintOrder, print_cards
from tests.conftest import GOOGLE_URL, PASSWORD, add_destination_row, make_campaign

TOO_MANY = "Too many failed attempts"


@pytest.fixture
def campaign(world):
    google = add_destination_row(world.location, "google", GOOGLE_URL, "search.google.com", 0)
    return make_campaign(world.location, [google])


def write_elsewhere(user_id: int) -> None:
    """A write committed by another connection, as a staff login at the till would make."""
    with db.engine.begin() as connection:
        connection.execute(update(User).where(User.id == user_id).values(last_login_at=func.now()))


def test_a_write_while_the_cards_render_does_not_fail_the_print(campaign, world, monkeypatch):
    render = printing._render
    staff_id = world.staff.id

    def render_while_someone_logs_in(*args):
        write_elsewhere(staff_id)
        return render(*args)

    monkeypatch.setattr(printing, "_render", render_while_someone_logs_in)
    printed = print_cards(PrintOrder(campaign.id, 3, "business-card-10up-a4"), world.owner, world.location.id)

    assert db.session.scalar(select(CardBatch.card_count).where(CardBatch.id == printed.batch_id)) == 3
    assert db.session.scalar(select(func.count()).select_from(Card).where(Card.batch_id == printed.batch_id)) == 3
    assert db.session.get(User, staff_id).last_login_at is not None


def test_an_attempt_during_a_password_check_counts_against_the_limit(app, world, monkeypatch):
    """Attempt B arrives while attempt A's password is being checked, with room for one failure."""
    app.config["LOGIN_MAX_FAILURES_PER_LOGIN"] = 1
    verify = accounts.verify_password
    second_attempt: dict[str, object] = {}

    def attempt_b() -> None:
        with app.app_context():
            try:
                authenticate(LoginInput(world.owner.login, "wrong password B"), "198.51.100.2")
            except ServiceError as error:
                second_attempt["refusal"] = " ".join(message.render() for message in error.errors.values())

    def verify_while_b_tries(password_hash, password):
        if password == "wrong password A":
            thread = threading.Thread(target=attempt_b)
            thread.start()
            thread.join()
        return verify(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", verify_while_b_tries)
    with pytest.raises(ServiceError, match="do not match"):
        authenticate(LoginInput(world.owner.login, "wrong password A"), "198.51.100.1")

    assert TOO_MANY in second_attempt["refusal"]
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 1
    with pytest.raises(ServiceError, match=TOO_MANY):
        authenticate(LoginInput(world.owner.login, PASSWORD), "198.51.100.3")


def test_a_right_password_forgives_the_attempts_before_it(world):
    for _ in range(2):
        with pytest.raises(ServiceError, match="do not match"):
            authenticate(LoginInput(world.owner.login, "wrong password"), "198.51.100.1")
    assert authenticate(LoginInput(world.owner.login, PASSWORD), "198.51.100.1").id == world.owner.id
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 0


def test_a_refused_change_writes_nothing(world):
    with pytest.raises(ServiceError):
        with write_transaction():
            db.session.execute(insert(LoginFailure).values(login="x", address="y"))
            raise ServiceError({})
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 0


def test_a_lock_held_too_long_is_a_clear_message(world, impatient_sqlite):
    with impatient_sqlite():
        with pytest.raises(DatabaseBusy, match="busy with another change"):
            with write_transaction():
                db.session.execute(insert(LoginFailure).values(login="x", address="y"))


def test_every_change_goes_through_write_transaction():
    """A bare commit would write from a transaction that may have read first (see services/database.py)."""
    package = Path(cta_kit.__file__).parent
    committing = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if ".commit()" in path.read_text(encoding="utf-8") and path.name != "database.py"
    )
    assert committing == [], "use services.database.write_transaction() instead of commit() in: " + ", ".join(committing)

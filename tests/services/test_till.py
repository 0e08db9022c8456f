"""Logging a tap from the session's claim: the claim is checked in the tap's own query, as
load_user checks a session, and a key is stored once."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from cta_kit.extensions import db
from cta_kit.models import Preference
from cta_kit.services.accounts import SessionClaim
from cta_kit.services.errors import NotFound, NotSignedIn, ServiceError
from cta_kit.services.till import PreferenceInput, log_preference


def claim_of(user, *, version_offset: int = 0, owner_ok: bool = True, staff_ok: bool = True) -> SessionClaim:
    return SessionClaim(user.id, user.session_version + version_offset, owner_ok, staff_ok)


def tap(platform: str = "google", key: str | None = None) -> PreferenceInput:
    return PreferenceInput(platform=platform, key=key or str(uuid.uuid4()))


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Preference))


def test_the_same_key_twice_stores_one_entry_and_gives_the_same_answer(printed_world):
    world = printed_world
    same = tap("google")
    first = log_preference(claim_of(world.staff), world.location.id, same)
    again = log_preference(claim_of(world.staff), world.location.id, same)
    assert first == again and first.tally == {"google": 1} and stored() == 1


@pytest.mark.parametrize("claim", [
    {"version_offset": -1},  # signed out everywhere since
    {"staff_ok": False},  # older than a shift
    {"owner_ok": False, "staff_ok": False},
])
def test_a_staff_claim_that_load_user_would_refuse_stores_nothing(printed_world, claim):
    with pytest.raises(NotSignedIn):
        log_preference(claim_of(printed_world.staff, **claim), printed_world.location.id, tap())
    assert stored() == 0


def test_an_owner_claim_only_needs_the_owners_lifetime(printed_world):
    world = printed_world
    logged = log_preference(claim_of(world.owner, staff_ok=False), world.location.id, tap("none"))
    assert logged.tally == {"none": 1}
    with pytest.raises(NotSignedIn):
        log_preference(claim_of(world.owner, owner_ok=False), world.location.id, tap("none"))


def test_a_deactivated_account_is_not_signed_in(printed_world):
    printed_world.staff.is_active = False
    db.session.commit()
    with pytest.raises(NotSignedIn):
        log_preference(claim_of(printed_world.staff), printed_world.location.id, tap())


def test_another_locations_user_gets_not_found_and_an_unknown_site_a_clear_error(printed_world):
    world = printed_world
    with pytest.raises(NotFound):
        log_preference(claim_of(world.other_location_owner), world.location.id, tap())
    with pytest.raises(ServiceError) as refused:
        log_preference(claim_of(world.staff), world.location.id, tap("myspace"))
    assert "review sites" in str(refused.value)
    assert stored() == 0

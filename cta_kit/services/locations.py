"""Locations, and the rule that nobody sees another location's data."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import available_timezones

from ..domain.i18n import Message, N_
from ..domain.wording import LANGUAGES  # the languages cards and customer pages can be printed in
from ..extensions import db
from ..models import ROLE_OWNER, Location, User
from .database import write_transaction
from .errors import NotFound, ServiceError



@dataclass(frozen=True)
class LocationInput:
    name: str
    address: str
    timezone: str
    language: str


def location_for(user: User, location_id: int) -> Location:
    """The location if this user works there; otherwise a 404, whether it exists or not."""
    for location in user.locations:
        if location.id == location_id:
            return location
    raise NotFound()


def create_location(owner: User, data: LocationInput) -> Location:
    _check(data)
    with write_transaction():
        location = Location(business_id=owner.business_id, **_fields(data))
        # Every owner of the business works with a new location; staff are given it explicitly.
        location.users = [user for user in owner.business.users if user.role == ROLE_OWNER and user.is_active]
        db.session.add(location)
    return location


def update_location(owner: User, location_id: int, data: LocationInput) -> Location:
    _check(data)
    with write_transaction():
        location = location_for(owner, location_id)
        for key, value in _fields(data).items():
            setattr(location, key, value)
    return location


def _fields(data: LocationInput) -> dict:
    return {
        "name": data.name.strip(),
        "address": data.address.strip(),
        "timezone": data.timezone,
        "language": data.language,
    }


def _check(data: LocationInput) -> None:
    errors = {}
    if not data.name.strip():
        errors["name"] = Message(N_("Give the location a name."))
    if data.timezone not in available_timezones():
        errors["timezone"] = Message(
            N_("Choose a time zone from the list, such as %(example)s."), {"example": "Europe/Paris"}
        )
    if data.language not in LANGUAGES:
        errors["language"] = Message(N_("Choose French or English."))
    if errors:
        raise ServiceError(errors)

"""Exceptions services raise; views turn them into form errors or error pages."""

from __future__ import annotations

from ..domain.i18n import Message


class ServiceError(Exception):
    """Every reason a request was refused, by form field ('' for the form as a whole)."""

    def __init__(self, errors: dict[str, Message]):
        super().__init__("; ".join(f"{field}: {message.render()}" for field, message in errors.items()))
        self.errors = errors


class NotFound(Exception):
    """The thing does not exist, or belongs to a location the user cannot see: both are a 404."""


class NotSignedIn(Exception):
    """The session names a user who is gone, deactivated, signed out everywhere or signed in too
    long ago: the request is answered as for a visitor who never signed in."""

"""The base of every error the domain raises for a person to read.

A domain error carries a translatable ``Message`` rather than a finished sentence, so the
web layer can translate it and put it on the right form field, and the CLI can print
``message.render()``. ``code`` is a stable identifier for tests, logs and views.
"""

from .i18n import Message


class DomainError(Exception):
    """A rule refused the input; ``message`` says why and what is expected instead."""

    def __init__(self, message: Message, code: str = "") -> None:
        super().__init__(message.render())
        self.message = message
        self.code = code


class UnknownPlatformError(DomainError):
    """A platform key that the registry does not know."""

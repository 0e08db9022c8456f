"""Marking messages for translation without importing Flask.

Domain code raises errors whose messages are English source strings with ``%(name)s``
placeholders; the web layer translates them with ``gettext(message, **params)``.
``N_`` only marks a string so that ``pybabel extract`` finds it.
"""

from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:
    return message


@dataclass(frozen=True)
class Message:
    """A translatable message and the values for its placeholders."""

    text: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        """The English text, for the CLI, logs and tests."""
        return self.text % self.params if self.params else self.text

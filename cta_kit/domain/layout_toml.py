"""The loader's reading tools: typed TOML tables and problems that name the file.

Lengths in messages are formatted here, so every message rounds the same way.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from cta_kit.domain.i18n import N_, Message
from cta_kit.domain.layout_model import LayoutError

EPSILON = 1e-6
MISSING = object()


def mm(value: float) -> str:
    # An excess of 0.03 mm still fails, so it must not read as 0.0.
    return f"{value:.2f}" if 0 < abs(value) < 0.05 else f"{value:.1f}"


def mm_up(value: float) -> str:
    """A requirement, rounded up: 14.85 mm needed must not read as 14.8."""
    return f"{math.ceil(value * 10 - 1e-6) / 10:.1f}"


class Context:
    """One file being loaded: its errors name it, its warnings are kept for the layout."""

    def __init__(self, path: Path):
        self.file = path.name
        self.warnings: list[Message] = []

    def fail(self, text: str, /, **params: Any) -> LayoutError:
        return LayoutError(Message(text, {"file": self.file, **params}))

    def warn(self, text: str, /, **params: Any) -> None:
        self.warnings.append(Message(text, {"file": self.file, **params}))


class Table:
    """Typed access to one TOML table; every key must be read, so typos are errors."""

    def __init__(self, ctx: Context, data: Any, where: str):
        if not isinstance(data, dict):
            raise ctx.fail(N_("%(file)s: %(where)s must be a table"), where=where)
        self.ctx, self.data, self.where, self.read = ctx, data, where, set()

    def _get(self, key: str, default: Any) -> Any:
        self.read.add(key)
        if key in self.data:
            return self.data[key]
        if default is MISSING:
            raise self.ctx.fail(N_("%(file)s: %(where)s needs '%(key)s'"), where=self.where, key=key)
        return default

    def number(self, key: str, default: Any = MISSING, *, positive: bool = False, signed: bool = False) -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.ctx.fail(
                N_("%(file)s: %(where)s: '%(key)s' must be a number"),
                where=self.where,
                key=key,
            )
        if positive and value <= 0:
            raise self.ctx.fail(
                N_("%(file)s: %(where)s: '%(key)s' must be greater than zero"), where=self.where, key=key
            )
        if value < 0 and not signed:
            raise self.ctx.fail(
                N_("%(file)s: %(where)s: '%(key)s' cannot be negative"), where=self.where, key=key
            )
        return float(value)

    def number_or(self, key: str, word: str, default: Any = MISSING) -> float | str:
        if self.data.get(key, default) == word:
            self.read.add(key)
            return word
        return self.number(key, default)

    def integer(self, key: str, default: Any = MISSING, *, low: int = 1, high: int = 1000) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.ctx.fail(
                N_("%(file)s: %(where)s: '%(key)s' must be a whole number from %(low)s to %(high)s"),
                where=self.where,
                key=key,
                low=low,
                high=high,
            )
        return value

    def string(self, key: str, default: Any = MISSING, choices: tuple[str, ...] = ()) -> str:
        value = self._get(key, default)
        if not isinstance(value, str) or (choices and value not in choices):
            if choices:
                raise self.ctx.fail(
                    N_("%(file)s: %(where)s: '%(key)s' must be one of %(choices)s"),
                    where=self.where,
                    key=key,
                    choices=", ".join(choices),
                )
            raise self.ctx.fail(N_("%(file)s: %(where)s: '%(key)s' must be text"), where=self.where, key=key)
        return value

    def boolean(self, key: str, default: Any = MISSING) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.ctx.fail(
                N_("%(file)s: %(where)s: '%(key)s' must be true or false"), where=self.where, key=key
            )
        return value

    def table(self, key: str) -> Table:
        return Table(self.ctx, self._get(key, {}), f"[{key}]")

    def array(self, key: str) -> list:
        value = self._get(key, [])
        if not isinstance(value, list):
            raise self.ctx.fail(N_("%(file)s: %(where)s: '%(key)s' must be a list"), where=self.where, key=key)
        return value

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            raise self.ctx.fail(
                N_("%(file)s: %(where)s has an unknown setting '%(key)s'"), where=self.where, key=unknown[0]
            )

"""The registry of review platforms: what each accepts and what its rules allow.

The facts live in ``cta_kit/platforms.json`` so they can be updated (with their sources
and "last checked" dates) without touching code. The file is validated when loaded: a
missing or mistyped field is a packaging bug and fails loudly, naming the field.
"""

import functools
import json
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from types import MappingProxyType
from typing import Any, Mapping

from .errors import UnknownPlatformError
from .i18n import Message, N_

REGISTRY_RESOURCE = "platforms.json"
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class RegistryError(ValueError):
    """``platforms.json`` is malformed: a bug in the shipped data, not in user input."""


@dataclass(frozen=True)
class PolicyNote:
    text: str
    source: str
    last_checked: date


@dataclass(frozen=True)
class PlatformPolicy:
    may_ask_for_reviews: bool
    incentives_allowed: bool
    presence_only: bool
    notes: tuple[PolicyNote, ...]


@dataclass(frozen=True)
class Platform:
    key: str
    label: str
    example: str
    accepted_forms: tuple[str, ...]
    hosts: tuple[str, ...]
    policy: PlatformPolicy


def _field(obj: Any, name: str, kind: type, where: str) -> Any:
    if not isinstance(obj, dict):
        raise RegistryError(f"{where}: expected an object")
    if name not in obj:
        raise RegistryError(f"{where}: missing field {name!r}")
    value = obj[name]
    # bool is a subclass of int; no field here is an int, but be explicit about bools.
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise RegistryError(f"{where}: field {name!r} must be of type {kind.__name__}")
    if kind is str and not value.strip():
        raise RegistryError(f"{where}: field {name!r} must not be empty")
    return value


def _strings(obj: Any, name: str, where: str, allow_empty: bool = False) -> tuple[str, ...]:
    items = _field(obj, name, list, where)
    if not items and not allow_empty:
        raise RegistryError(f"{where}: field {name!r} must not be empty")
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise RegistryError(f"{where}: {name}[{index}] must be a non-empty string")
    return tuple(items)


def _parse_note(obj: Any, where: str) -> PolicyNote:
    text = _field(obj, "text", str, where)
    source = _field(obj, "source", str, where)
    if not source.startswith("https://"):
        raise RegistryError(f"{where}: field 'source' must be an https:// URL")
    checked = _field(obj, "last_checked", str, where)
    try:
        last_checked = date.fromisoformat(checked)
    except ValueError:
        raise RegistryError(f"{where}: field 'last_checked' must be a date such as 2026-11-24") from None
    return PolicyNote(text=text, source=source, last_checked=last_checked)


def _parse_policy(obj: Any, where: str) -> PlatformPolicy:
    notes = _field(obj, "notes", list, where)
    if not notes:
        raise RegistryError(f"{where}: field 'notes' must not be empty")
    return PlatformPolicy(
        may_ask_for_reviews=_field(obj, "may_ask_for_reviews", bool, where),
        incentives_allowed=_field(obj, "incentives_allowed", bool, where),
        presence_only=_field(obj, "presence_only", bool, where),
        notes=tuple(_parse_note(note, f"{where}.notes[{i}]") for i, note in enumerate(notes)),
    )


def _parse_platform(obj: Any, where: str) -> Platform:
    key = _field(obj, "key", str, where)
    if not _KEY_RE.match(key):
        raise RegistryError(f"{where}: key {key!r} must be lower-case letters, digits or _")
    where = f"{where} ({key})"
    return Platform(
        key=key,
        label=_field(obj, "label", str, where),
        example=_field(obj, "example", str, where),
        accepted_forms=_strings(obj, "accepted_forms", where),
        hosts=tuple(h.lower() for h in _strings(obj, "hosts", where, allow_empty=True)),
        policy=_parse_policy(_field(obj, "policy", dict, where), f"{where}.policy"),
    )


def parse_registry(data: Any) -> Mapping[str, Platform]:
    """Validate decoded JSON and return platforms by key, in display order."""
    entries = _field(data, "platforms", list, REGISTRY_RESOURCE)
    if not entries:
        raise RegistryError(f"{REGISTRY_RESOURCE}: no platforms")
    platforms: dict[str, Platform] = {}
    for index, entry in enumerate(entries):
        platform = _parse_platform(entry, f"{REGISTRY_RESOURCE}: platforms[{index}]")
        if platform.key in platforms:
            raise RegistryError(f"{REGISTRY_RESOURCE}: duplicate platform key {platform.key!r}")
        platforms[platform.key] = platform
    return MappingProxyType(platforms)


@functools.cache
def load_registry() -> Mapping[str, Platform]:
    """The shipped registry, read once per process."""
    text = resources.files("cta_kit").joinpath(REGISTRY_RESOURCE).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RegistryError(f"{REGISTRY_RESOURCE}: invalid JSON: {exc}") from None
    return parse_registry(data)


def platform_keys() -> tuple[str, ...]:
    """Platform keys in display order (the order of the JSON file)."""
    return tuple(load_registry())


def get_platform(key: str) -> Platform:
    try:
        return load_registry()[key]
    except (KeyError, TypeError):
        raise UnknownPlatformError(
            Message(
                N_("Unknown review site “%(key)s”. Choose one of: %(keys)s."),
                {"key": str(key)[:40], "keys": ", ".join(platform_keys())},
            ),
            code="unknown_platform",
        ) from None

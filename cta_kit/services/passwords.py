"""Argon2id password hashing. argon2-cffi's defaults (RFC 9106 low-memory: 64 MiB, t=3) meet OWASP."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD_LENGTH = 10


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config.get("ARGON2_PARAMETERS", {}))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Always does the work of one verification, so unknown logins take as long as known ones."""
    hasher = _hasher()
    if password_hash is None:
        password_hash = hasher.hash("no account has this password")
        password = password + "\0"
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)

"""First-run setup, logging in and out, passwords, and the owner's management of accounts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..domain.i18n import Message, N_
from ..extensions import db
from ..models import ROLE_OWNER, ROLES, Business, InstanceSetting, Location, LoginFailure, User, utcnow
from .database import end_read, lock_table, write_transaction
from .errors import NotFound, ServiceError
from .passwords import MIN_PASSWORD_LENGTH, hash_password, needs_rehash, verify_password
from .public_address import record_installing_business

SETUP_DONE_KEY = "setup_completed_at"
STAFF_LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class SessionClaim:
    """Who a session cookie says is signed in, for a service to check in its own query."""

    user_id: int
    session_version: int
    owner_within_lifetime: bool  # the session is young enough for an owner's account
    staff_within_lifetime: bool  # ... and for a staff account


@dataclass(frozen=True)
class SetupInput:
    business_name: str
    owner_name: str
    login: str
    password: str
    language: str
    timezone: str


@dataclass(frozen=True)
class LoginInput:
    login: str
    password: str


@dataclass(frozen=True)
class AccountInput:
    name: str
    login: str
    role: str
    language: str
    location_ids: tuple[int, ...]
    is_active: bool = True
    password: str = ""  # required for a new account; on an edit, blank keeps the password


def normalise_login(login: str) -> str:
    return login.strip().lower()


def login_problem(login: str) -> Message | None:
    if "@" in login:
        if not EMAIL_PATTERN.match(login) or len(login) > 254:
            return Message(N_("Enter a valid email address, such as name@example.com."))
    elif not STAFF_LOGIN_PATTERN.match(login):
        return Message(
            N_("A staff login is 2 to 32 letters, digits, dots, hyphens or underscores, such as %(example)s."),
            {"example": "marie.d"},
        )
    return None


def password_problem(password: str) -> Message | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return Message(N_("Use at least %(count)s characters."), {"count": MIN_PASSWORD_LENGTH})
    return None


def needs_setup() -> bool:
    return db.session.get(InstanceSetting, SETUP_DONE_KEY) is None


def complete_setup(data: SetupInput) -> User:
    """Create the business, its first location and its owner, exactly once per install."""
    login = normalise_login(data.login)
    errors = {}
    if problem := login_problem(login):
        errors["login"] = problem
    if problem := password_problem(data.password):
        errors["password"] = problem
    if errors:
        raise ServiceError(errors)
    password_hash = hash_password(data.password)  # slow on purpose: before the write lock
    already_set_up = ServiceError({"": Message(N_("This cta-kit is already set up. Log in instead."))})
    try:
        # Read then write under the write lock: a second setup submitted at the same moment waits,
        # then finds the install set up. On PostgreSQL the instance_setting key lets one through.
        with write_transaction():
            if not needs_setup():
                raise already_set_up
            business = Business(name=data.business_name.strip())
            location = Location(
                business=business, name=data.business_name.strip(), timezone=data.timezone, language=data.language
            )
            owner = User(
                business=business,
                name=data.owner_name.strip(),
                login=login,
                password_hash=password_hash,
                role=ROLE_OWNER,
                language=data.language,
                locations=[location],
            )
            db.session.add_all([business, location, owner, InstanceSetting(key=SETUP_DONE_KEY, value=utcnow().isoformat())])
            record_installing_business(business)
    except IntegrityError:
        raise already_set_up from None
    return owner


def authenticate(data: LoginInput, address: str) -> User:
    """Check a login and password, within the limits on failed attempts per login and per address."""
    login = normalise_login(data.login)
    recorded_login = login[:254]  # the column's size; no account's login is longer
    _admit_attempt(recorded_login, address[:64])
    user = db.session.scalar(select(User).where(User.login == login))
    password_hash, is_active = (user.password_hash, user.is_active) if user else (None, False)
    end_read()
    if not verify_password(password_hash, data.password) or not is_active:
        # The attempt stays recorded as a failure.
        raise ServiceError({"": Message(N_("That login and password do not match an active account."))})

    rehashed = hash_password(data.password) if needs_rehash(password_hash) else None
    with write_transaction():
        if rehashed:
            user.password_hash = rehashed
        user.last_login_at = utcnow()
        # Success forgives this login's failures, this attempt's included.
        db.session.execute(delete(LoginFailure).where(LoginFailure.login == recorded_login))
    return user


def _admit_attempt(login: str, address: str) -> None:
    """Refuse the attempt past the limits, or record it as a failure until its password proves right.

    Counting and recording happen in one transaction that excludes every other, so attempts made
    in parallel (while the slow password check runs) count each other and the limits hold exactly.
    """
    config = current_app.config
    since = datetime.now(timezone.utc) - config["LOGIN_FAILURE_WINDOW"]
    with write_transaction():
        lock_table(LoginFailure.__tablename__)
        by_login = _failures_since(LoginFailure.login == login, since)
        by_address = _failures_since(LoginFailure.address == address, since)
        if by_login >= config["LOGIN_MAX_FAILURES_PER_LOGIN"] or by_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
            minutes = int(config["LOGIN_FAILURE_WINDOW"].total_seconds() // 60)
            raise ServiceError(
                {"": Message(N_("Too many failed attempts. Wait %(minutes)s minutes, then try again."), {"minutes": minutes})}
            )
        db.session.add(LoginFailure(login=login, address=address))


def _failures_since(condition, since: datetime) -> int:
    return db.session.scalar(
        select(func.count()).select_from(LoginFailure).where(condition, LoginFailure.created_at >= since)
    )


def end_sessions(user: User) -> None:
    """Invalidate every session of this user, on every device."""
    with write_transaction():
        user.session_version += 1


def change_password(user: User, current_password: str, new_password: str) -> None:
    errors = {}
    if not verify_password(user.password_hash, current_password):
        errors["current_password"] = Message(N_("That is not your current password."))
    if problem := password_problem(new_password):
        errors["new_password"] = problem
    if errors:
        raise ServiceError(errors)
    password_hash = hash_password(new_password)
    with write_transaction():
        user.password_hash = password_hash
        user.session_version += 1


def set_language(user: User, language: str) -> None:
    if language not in current_app.config["LANGUAGES"]:
        raise ServiceError({"language": Message(N_("Choose one of the offered languages."))})
    with write_transaction():
        user.language = language


def _manages(owner: User, user: User) -> bool:
    """Owners see their own account and the accounts of people who work at one of their locations."""
    if user.business_id != owner.business_id:
        return False
    return user.id == owner.id or bool(set(user.locations) & set(owner.locations))


def accounts_of(owner: User) -> list[User]:
    users = db.session.scalars(select(User).where(User.business_id == owner.business_id).order_by(User.name))
    return [user for user in users if _manages(owner, user)]


def account_of(owner: User, user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not _manages(owner, user):
        raise NotFound()
    return user


def create_account(owner: User, data: AccountInput) -> User:
    return _save_account(owner, None, data)


def update_account(owner: User, user_id: int, data: AccountInput) -> User:
    return _save_account(owner, user_id, data)


def _save_account(owner: User, user_id: int | None, data: AccountInput) -> User:
    # Hashing is slow on purpose: done before the write lock, and only for a password that passes.
    password_hash = hash_password(data.password) if data.password and not password_problem(data.password) else ""
    try:
        with write_transaction():
            user = account_of(owner, user_id) if user_id is not None else User(business_id=owner.business_id, password_hash="")
            _apply_account(owner, user, data, password_hash, is_new=user_id is None)
    except IntegrityError:
        raise ServiceError({"login": Message(N_("Another account already uses this login."))}) from None
    return user


def _apply_account(owner: User, user: User, data: AccountInput, password_hash: str, is_new: bool) -> None:
    login = normalise_login(data.login)
    errors: dict[str, Message] = {}
    if problem := login_problem(login):
        errors["login"] = problem
    elif db.session.scalar(select(User.id).where(User.login == login, User.id != user.id)) is not None:
        errors["login"] = Message(N_("Another account already uses this login."))
    if data.role not in ROLES:
        errors["role"] = Message(N_("Choose owner or staff."))
    if is_new or data.password:
        if problem := password_problem(data.password):
            errors["password"] = problem
    locations = _owned_locations(owner, data.location_ids)
    if locations is None:
        errors["location_ids"] = Message(N_("Choose locations among yours."))
    elif not locations:
        errors["location_ids"] = Message(N_("Choose at least one location."))
    demoting_self = user.id == owner.id and (data.role != ROLE_OWNER or not data.is_active)
    if demoting_self and _active_owner_count(owner.business_id) <= 1:
        errors["role"] = Message(N_("You are the only owner: add another owner before changing your own role."))
    if errors:
        raise ServiceError(errors)

    was_active, old_login = user.is_active, user.login
    user.name = data.name.strip()
    user.login = login
    user.role = data.role
    user.language = data.language
    user.is_active = data.is_active
    # Locations this owner does not work at are not theirs to take away.
    user.locations = locations + [location for location in user.locations if location not in owner.locations]
    if data.password:
        user.password_hash = password_hash
    if not is_new and (data.password or (was_active and not data.is_active) or old_login != login):
        user.session_version += 1
    db.session.add(user)


def _owned_locations(owner: User, location_ids: tuple[int, ...]) -> list[Location] | None:
    own = {location.id: location for location in owner.locations}
    if any(location_id not in own for location_id in location_ids):
        return None
    return [own[location_id] for location_id in dict.fromkeys(location_ids)]


def _active_owner_count(business_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.business_id == business_id, User.role == ROLE_OWNER, User.is_active.is_(True))
    )

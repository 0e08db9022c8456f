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
from .database import begin_immediate
from .errors import NotFound, ServiceError
from .passwords import MIN_PASSWORD_LENGTH, hash_password, needs_rehash, verify_password

SETUP_DONE_KEY = "setup_completed_at"
STAFF_LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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
    # Read then write: hold SQLite's write lock from the check on, so a second setup submitted
    # at the same moment waits and then finds the install set up. On PostgreSQL the
    # instance_setting primary key lets exactly one through.
    db.session.commit()
    begin_immediate()
    if not needs_setup():
        db.session.rollback()
        raise ServiceError({"": Message(N_("This cta-kit is already set up. Log in instead."))})

    business = Business(name=data.business_name.strip())
    location = Location(
        business=business, name=data.business_name.strip(), timezone=data.timezone, language=data.language
    )
    owner = User(
        business=business,
        name=data.owner_name.strip(),
        login=login,
        password_hash=hash_password(data.password),
        role=ROLE_OWNER,
        language=data.language,
        locations=[location],
    )
    db.session.add_all([business, location, owner, InstanceSetting(key=SETUP_DONE_KEY, value=utcnow().isoformat())])
    try:
        db.session.commit()
    except IntegrityError:
        # Two setup forms submitted at once: the instance_setting key lets exactly one through.
        db.session.rollback()
        raise ServiceError({"": Message(N_("This cta-kit is already set up. Log in instead."))}) from None
    return owner


def authenticate(data: LoginInput, address: str) -> User:
    login = normalise_login(data.login)
    config = current_app.config
    since = datetime.now(timezone.utc) - config["LOGIN_FAILURE_WINDOW"]
    minutes = int(config["LOGIN_FAILURE_WINDOW"].total_seconds() // 60)
    by_login = _failures_since(LoginFailure.login == login, since)
    by_address = _failures_since(LoginFailure.address == address, since)
    if by_login >= config["LOGIN_MAX_FAILURES_PER_LOGIN"] or by_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        raise ServiceError(
            {"": Message(N_("Too many failed attempts. Wait %(minutes)s minutes, then try again."), {"minutes": minutes})}
        )

    user = db.session.scalar(select(User).where(User.login == login))
    if not verify_password(user.password_hash if user else None, data.password) or not user.is_active:
        db.session.add(LoginFailure(login=login[:254], address=address[:64]))
        db.session.commit()
        raise ServiceError({"": Message(N_("That login and password do not match an active account."))})

    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(data.password)
    user.last_login_at = utcnow()
    db.session.execute(delete(LoginFailure).where(LoginFailure.login == login))
    db.session.commit()
    return user


def _failures_since(condition, since: datetime) -> int:
    return db.session.scalar(
        select(func.count()).select_from(LoginFailure).where(condition, LoginFailure.created_at >= since)
    )


def end_sessions(user: User) -> None:
    """Invalidate every session of this user, on every device."""
    user.session_version += 1
    db.session.commit()


def change_password(user: User, current_password: str, new_password: str) -> None:
    errors = {}
    if not verify_password(user.password_hash, current_password):
        errors["current_password"] = Message(N_("That is not your current password."))
    if problem := password_problem(new_password):
        errors["new_password"] = problem
    if errors:
        raise ServiceError(errors)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    db.session.commit()


def set_language(user: User, language: str) -> None:
    if language not in current_app.config["LANGUAGES"]:
        raise ServiceError({"language": Message(N_("Choose one of the offered languages."))})
    user.language = language
    db.session.commit()


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
    user = User(business_id=owner.business_id, password_hash="")
    _apply_account(owner, user, data, is_new=True)
    return user


def update_account(owner: User, user_id: int, data: AccountInput) -> User:
    user = account_of(owner, user_id)
    _apply_account(owner, user, data, is_new=False)
    return user


def _apply_account(owner: User, user: User, data: AccountInput, is_new: bool) -> None:
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
        user.password_hash = hash_password(data.password)
    if not is_new and (data.password or (was_active and not data.is_active) or old_login != login):
        user.session_version += 1
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError({"login": Message(N_("Another account already uses this login."))}) from None


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

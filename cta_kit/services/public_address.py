"""The app's public address, printed in tracked QR codes: from the server's configuration, or
set in the app, when the configuration leaves it out, by an owner of the business that set up
this cta-kit. It serves every business of the install, so an owner of another one (the demo
business, say, whose passwords `cta-kit demo` prints) only reads it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from ..domain.deployment import normalised_public_address, public_address_problem
from ..extensions import db
from ..models import Business, InstanceSetting, User, utcnow
from .database import write_transaction
from .errors import ServiceError

PUBLIC_ADDRESS_KEY = "public_base_url"
INSTALLING_BUSINESS_KEY = "installing_business_id"


@dataclass(frozen=True)
class PublicAddress:
    url: str  # "" when none is set
    from_configuration: bool  # CTA_KIT_PUBLIC_BASE_URL or instance/config.py: it wins over the app's setting


def public_address() -> PublicAddress:
    configured = (current_app.config.get("PUBLIC_BASE_URL") or "").strip().rstrip("/")
    if configured:
        return PublicAddress(configured, True)
    setting = db.session.get(InstanceSetting, PUBLIC_ADDRESS_KEY)
    return PublicAddress(setting.value if setting else "", False)


def public_base_url() -> str:
    return public_address().url


def installing_business_id() -> int | None:
    """The business created when this cta-kit was set up (installs set up before it was recorded: the oldest)."""
    setting = db.session.get(InstanceSetting, INSTALLING_BUSINESS_KEY)
    return int(setting.value) if setting else db.session.scalar(select(func.min(Business.id)))


def record_installing_business(business: Business) -> None:
    """Inside the setup's write transaction, once the business has its id."""
    db.session.flush()
    db.session.add(InstanceSetting(key=INSTALLING_BUSINESS_KEY, value=str(business.id), updated_at=utcnow()))


def may_change_public_address(user: User) -> bool:
    return user.is_owner and user.business_id == installing_business_id()


def set_public_address(owner: User, address: str) -> str:
    """Keep the address an owner typed (checked and normalised); an empty one removes it."""
    if not may_change_public_address(owner):
        raise PermissionError("only the installing business's owners set the public address")
    address = address.strip()
    if address and (problem := public_address_problem(address)) is not None:
        raise ServiceError({"public_address": problem})
    value = normalised_public_address(address) if address else ""
    with write_transaction():
        setting = db.session.get(InstanceSetting, PUBLIC_ADDRESS_KEY)
        if not value:
            if setting is not None:
                db.session.delete(setting)
        elif setting is None:
            db.session.add(InstanceSetting(key=PUBLIC_ADDRESS_KEY, value=value, updated_at=utcnow()))
        else:
            setting.value, setting.updated_at = value, utcnow()
    return value

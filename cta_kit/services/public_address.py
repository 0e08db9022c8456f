"""The app's public address, printed in tracked QR codes: from the server's configuration, or
set by an owner in the app when the configuration leaves it out."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from ..domain.deployment import normalised_public_address, public_address_problem
from ..extensions import db
from ..models import InstanceSetting, User, utcnow
from .database import write_transaction
from .errors import ServiceError

PUBLIC_ADDRESS_KEY = "public_base_url"


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


def set_public_address(owner: User, address: str) -> str:
    """Keep the address an owner typed (checked and normalised); an empty one removes it."""
    if not owner.is_owner:
        raise PermissionError("only owners set the public address")
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

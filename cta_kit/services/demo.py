"""A demo restaurant for newcomers: grows with each capability of the app."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from ..domain.wording import default_wording
from ..extensions import db
from ..models import ROLE_OWNER, ROLE_STAFF, Business, Campaign, InstanceSetting, Location, User, utcnow
from .accounts import SETUP_DONE_KEY
from .campaigns import CampaignInput, create_campaign
from .database import write_transaction
from .destinations import DestinationInput, add_destination
from .passwords import hash_password

DEMO_OWNER_LOGIN = "demo-owner@example.com"
DEMO_STAFF_LOGIN = "demo.staff"
DEMO_DESTINATIONS = (
    DestinationInput("google", "ChIJD7fiBh9u5kcRYJSMaMOCCwQ", "Google"),
    DestinationInput(
        "tripadvisor",
        "https://www.tripadvisor.fr/Restaurant_Review-g187147-d1234567-Reviews-Le_Petit_Zinc-Paris_Ile_de_France.html",
        "Tripadvisor",
    ),
    DestinationInput("facebook", "https://www.facebook.com/lepetitzinc.demo", "Facebook"),
    DestinationInput("yelp", "https://www.yelp.fr/biz/le-petit-zinc-paris", "Yelp"),
)


def create_demo() -> list[str]:
    """Create the demo once; run again, it only gives the demo accounts new passwords."""
    owner = db.session.scalar(select(User).where(User.login == DEMO_OWNER_LOGIN))
    owner_password, staff_password = _new_password(), _new_password()
    if owner is None:
        owner = _create_restaurant(owner_password, staff_password)
        lines = ["Demo restaurant created: Le Petit Zinc (Paris)."]
    else:
        owner_hash, staff_hash = hash_password(owner_password), hash_password(staff_password)
        with write_transaction():
            owner.password_hash = owner_hash
            owner.session_version += 1
            staff = db.session.scalar(select(User).where(User.login == DEMO_STAFF_LOGIN))
            if staff is not None:
                staff.password_hash = staff_hash
                staff.session_version += 1
        lines = ["The demo restaurant exists already; its accounts have new passwords."]
    campaign = db.session.scalar(select(Campaign).join(Location).where(Location.business_id == owner.business_id))
    return lines + [
        f"Print a sheet: cta-kit cards print --campaign {campaign.id} --count 10 --layout business-card-10up-a4 --out cards.pdf",
        "Log in at /login with:",
        f"  owner: {DEMO_OWNER_LOGIN}   password: {owner_password}",
        f"  staff: {DEMO_STAFF_LOGIN}   password: {staff_password}",
    ]


def _create_restaurant(owner_password: str, staff_password: str) -> User:
    owner_hash, staff_hash = hash_password(owner_password), hash_password(staff_password)
    with write_transaction():
        owner = _restaurant_and_accounts(owner_hash, staff_hash)
    location = owner.locations[0]
    added = [add_destination(owner, location.id, destination) for destination in DEMO_DESTINATIONS]
    wording = default_wording("fr")
    create_campaign(
        owner,
        location.id,
        CampaignInput(
            name="Cartes de l'addition",
            language="fr",
            headline=wording.headline,
            body=wording.body,
            destination_ids=tuple(d.id for d in added if d.platform in ("google", "tripadvisor")),
            presence_line=wording.presence_line,
            offer_kind="thank_you",
            offer_text="Un café offert à votre prochaine visite",
            offer_validity_days=60,
        ),
    )
    return owner


def _restaurant_and_accounts(owner_hash: str, staff_hash: str) -> User:
    business = Business(name="Le Petit Zinc (démo)")
    location = Location(
        business=business,
        name="Le Petit Zinc",
        address="12 rue de l'Exemple, 75011 Paris",
        timezone="Europe/Paris",
        language="fr",
    )
    owner = User(
        business=business,
        name="Camille (démo)",
        login=DEMO_OWNER_LOGIN,
        password_hash=owner_hash,
        role=ROLE_OWNER,
        language="fr",
        locations=[location],
    )
    staff = User(
        business=business,
        name="Léo (démo)",
        login=DEMO_STAFF_LOGIN,
        password_hash=staff_hash,
        role=ROLE_STAFF,
        language="fr",
        locations=[location],
    )
    db.session.add_all([business, location, owner, staff])
    if db.session.get(InstanceSetting, SETUP_DONE_KEY) is None:
        db.session.add(InstanceSetting(key=SETUP_DONE_KEY, value=utcnow().isoformat()))
    return owner


def _new_password() -> str:
    return secrets.token_urlsafe(12)

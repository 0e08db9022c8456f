"""A demo restaurant for newcomers: grows with each capability of the app."""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, update

from ..domain.wording import default_wording
from ..extensions import db
from ..models import (
    ROLE_OWNER,
    ROLE_STAFF,
    BatchDestination,
    Business,
    Campaign,
    Card,
    CardBatch,
    InstanceSetting,
    Location,
    Preference,
    RedemptionAttempt,
    Scan,
    TillSetting,
    User,
    utcnow,
)
from .accounts import SETUP_DONE_KEY
from .campaigns import CampaignInput, create_campaign
from .database import write_transaction
from .destinations import DestinationInput, add_destination
from .passwords import hash_password
from .printing import PrintOrder, print_cards
from .public_address import record_installing_business

DEMO_OWNER_LOGIN = "demo-owner@example.com"
DEMO_STAFF_LOGIN = "demo.staff"
DEMO_SECOND_STAFF_LOGIN = "demo.staff2"
DEMO_SECOND_STAFF_NAME = "Inès (démo)"
# `make run` serves here: the demo's tracked cards lead somewhere when no public address is set.
LOCAL_BASE_URL = "http://127.0.0.1:5000"
HISTORY_DAYS = 21
# What customers of a Paris bistro might name at the till, roughly (platform, weight).
DEMO_MIX = (("google", 45), ("tripadvisor", 22), ("facebook", 8), ("yelp", 5), ("none", 13), ("unsaid", 7))
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
    """Create the demo once; run again, it only gives the demo accounts new passwords (and adds
    what a demo made by an older version lacks: the second staff member and the till's history)."""
    owner = db.session.scalar(select(User).where(User.login == DEMO_OWNER_LOGIN))
    owner_password, staff_password, second_password = _new_password(), _new_password(), _new_password()
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
    location = owner.locations[0]
    _second_staff(owner, location, second_password)
    campaign = db.session.scalar(select(Campaign).join(Location).where(Location.business_id == owner.business_id))
    if db.session.scalar(select(Preference.id).where(Preference.location_id == location.id).limit(1)) is None:
        _till_history(owner, location, campaign)
        lines.append(f"The till has {HISTORY_DAYS} days of history, and a sheet of tracked cards was printed.")
    return lines + [
        f"Print a sheet: cta-kit cards print --campaign {campaign.id} --count 10 --layout business-card-10up-a4 --out cards.pdf",
        "Log in at /login with:",
        f"  owner: {DEMO_OWNER_LOGIN}   password: {owner_password}",
        f"  staff: {DEMO_STAFF_LOGIN}   password: {staff_password}",
        f"  staff: {DEMO_SECOND_STAFF_LOGIN}   password: {second_password}",
    ]


def _second_staff(owner: User, location: Location, password: str) -> None:
    password_hash = hash_password(password)  # slow: before the write transaction
    with write_transaction():
        staff = db.session.scalar(select(User).where(User.login == DEMO_SECOND_STAFF_LOGIN))
        if staff is None:
            staff = User(business=owner.business, name=DEMO_SECOND_STAFF_NAME, login=DEMO_SECOND_STAFF_LOGIN,
                         role=ROLE_STAFF, language="fr", locations=[location])
            db.session.add(staff)
        else:
            staff.session_version += 1
        staff.password_hash = password_hash


def _till_history(owner: User, location: Location, campaign: Campaign) -> None:
    """Three weeks of lunches and dinners: taps at the till, a tracked sheet of cards handed out,
    some of them scanned and redeemed. Seeded, so every demo tells the same story."""
    rng = Random(12)
    zone = ZoneInfo(location.timezone)
    staff = list(db.session.scalars(select(User).where(User.business_id == owner.business_id, User.role == ROLE_STAFF)))
    destinations = {d.platform: d for d in location.destinations}
    start_day = utcnow().astimezone(zone).date() - timedelta(days=HISTORY_DAYS)
    first_moment = datetime.combine(start_day, time(11, 0), tzinfo=zone)
    campaign.starts_on = start_day

    batch = _tracked_batch(owner, location, campaign, first_moment)
    with write_transaction():
        cards = list(db.session.scalars(select(Card).where(Card.batch_id == batch.id).order_by(Card.position)))
        printed = list(db.session.scalars(select(BatchDestination).where(BatchDestination.batch_id == batch.id)))
        db.session.add(TillSetting(location_id=location.id, campaign_id=campaign.id))

        handed_out = iter(cards)
        for offset in range(1, HISTORY_DAYS):  # up to yesterday: the history is in the past
            day = start_day + timedelta(days=offset)
            if day.weekday() == 0:  # closed on Mondays
                continue
            for _ in range(rng.randint(8, 16)):
                moment = datetime.combine(day, time(rng.choice((12, 13, 19, 20, 21)), rng.randint(0, 59)), tzinfo=zone)
                platform = rng.choices([p for p, _ in DEMO_MIX], [w for _, w in DEMO_MIX])[0]
                card = next(handed_out, None) if platform in ("google", "tripadvisor") and rng.random() < 0.6 else None
                member = rng.choice(staff)
                db.session.add(Preference(
                    location_id=location.id, user_id=member.id, created_at=moment, platform=platform,
                    destination_id=destinations[platform].id if platform in destinations else None,
                    card_code=card.code if card else "", client_key=f"demo-{secrets.token_hex(12)}",
                ))
                if card is None:
                    continue
                if rng.random() < 0.45:
                    slot = next(p for p in printed if p.platform == platform)
                    db.session.add(Scan(card_id=card.id, batch_destination_id=slot.id, location_id=location.id,
                                        scanned_at=moment + timedelta(minutes=rng.randint(5, 240)),
                                        device_class=rng.choice(("phone", "phone", "phone", "tablet"))))
                if rng.random() < 0.35:
                    redeemed_at = moment + timedelta(days=rng.randint(3, 10))
                    if redeemed_at < utcnow():
                        card.redeemed_at, card.redeemed_by_id = redeemed_at, rng.choice(staff).id
                        db.session.add(RedemptionAttempt(
                            location_id=location.id, user_id=card.redeemed_by_id, created_at=redeemed_at,
                            result="redeemed", client_key=f"demo-{secrets.token_hex(12)}", code=card.code, card_id=card.id))


def _tracked_batch(owner: User, location: Location, campaign: Campaign, printed_at: datetime) -> CardBatch:
    """A sheet of tracked cards, dated from the start of the history. Without a public address,
    its links point at the local server the demo runs on."""
    config = current_app.config
    configured = config.get("PUBLIC_BASE_URL")
    config["PUBLIC_BASE_URL"] = configured or LOCAL_BASE_URL
    try:
        printed = print_cards(PrintOrder(campaign.id, 60, "business-card-10up-a4", "tracked"), owner, location.id)
    finally:
        config["PUBLIC_BASE_URL"] = configured
    with write_transaction():
        db.session.execute(update(CardBatch).where(CardBatch.id == printed.batch_id).values(printed_at=printed_at))
        db.session.execute(update(Card).where(Card.batch_id == printed.batch_id).values(printed_at=printed_at))
    return db.session.get(CardBatch, printed.batch_id)


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
    if db.session.get(InstanceSetting, SETUP_DONE_KEY) is None:  # a demo-only install: the demo business runs it
        db.session.add(InstanceSetting(key=SETUP_DONE_KEY, value=utcnow().isoformat()))
        record_installing_business(business)
    return owner


def _new_password() -> str:
    return secrets.token_urlsafe(12)

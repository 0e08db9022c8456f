"""Campaigns: what a location's cards say, which review sites they feature, and the policy check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..domain.i18n import Message, N_
from ..domain.policy import CampaignDraft, Finding, check_campaign
from ..domain.wording import LANGUAGES
from ..extensions import db
from ..models import DISTRIBUTIONS, LINK_MODES, OFFER_KINDS, Campaign, CampaignDestination, User
from .database import write_transaction
from .errors import NotFound, ServiceError
from .locations import location_for

MAX_FEATURED = 4  # the roomiest layouts take four; print refuses a layout with fewer QR boxes

@dataclass(frozen=True)
class CampaignInput:
    name: str
    language: str
    headline: str
    body: str
    destination_ids: tuple[int, ...]
    presence_line: str = ""
    offer_kind: str = "none"
    offer_text: str = ""
    offer_validity_days: int | None = None
    link_mode: str = "direct"
    distribution: str = "every_customer"
    every_nth: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None

def campaigns_of(user: User, location_id: int) -> list[Campaign]:
    location = location_for(user, location_id)
    return list(
        db.session.scalars(select(Campaign).where(Campaign.location_id == location.id).order_by(Campaign.starts_on.desc()))
    )

def campaign_for(user: User, location_id: int, campaign_id: int) -> Campaign:
    location = location_for(user, location_id)
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.location_id != location.id:
        raise NotFound()
    return campaign

def _draft(source, platforms) -> CampaignDraft:
    """The policy check's view of a Campaign or a CampaignInput (they share these fields)."""
    return CampaignDraft(
        language=source.language,
        headline=source.headline,
        body=source.body,
        offer_text=source.offer_text,
        offer_kind=source.offer_kind,
        platforms=tuple(platforms),
        distribution=source.distribution,
        every_nth=source.every_nth,
    )

def findings_for(campaign: Campaign, destinations=None) -> list[Finding]:
    """The policy check of a campaign's cards, or of its wording with other sites (a till slip)."""
    chosen = campaign.destinations if destinations is None else destinations
    return check_campaign(_draft(campaign, (destination.platform for destination in chosen)))

def draft_from_input(user: User, location_id: int, data: CampaignInput) -> CampaignDraft:
    """For a form that may not be saved yet (the editor's live check)."""
    by_id = {destination.id: destination for destination in location_for(user, location_id).destinations}
    return _draft(data, (by_id[i].platform for i in data.destination_ids if i in by_id))

def create_campaign(owner: User, location_id: int, data: CampaignInput) -> Campaign:
    with write_transaction():
        location = location_for(owner, location_id)
        campaign = Campaign(location=location)
        _apply(campaign, location, data)
        db.session.add(campaign)
    return campaign

def update_campaign(owner: User, location_id: int, campaign_id: int, data: CampaignInput) -> Campaign:
    with write_transaction():
        campaign = campaign_for(owner, location_id, campaign_id)
        _apply(campaign, campaign.location, data)
    return campaign

def _apply(campaign: Campaign, location, data: CampaignInput) -> None:
    errors: dict[str, Message] = {}
    if not data.name.strip():
        errors["name"] = Message(N_("Give the campaign a name, such as “Autumn cards”."))
    if data.language not in LANGUAGES:
        errors["language"] = Message(N_("Choose French or English."))
    if not data.headline.strip():
        errors["headline"] = Message(N_("Write a short headline."))
    if data.offer_kind not in OFFER_KINDS:
        errors["offer_kind"] = Message(N_("Choose one of the offer kinds."))
    if data.link_mode not in LINK_MODES:
        errors["link_mode"] = Message(N_("Choose direct or tracked links."))
    if data.distribution not in DISTRIBUTIONS:
        errors["distribution"] = Message(N_("Choose every customer or every Nth bill."))
    elif data.distribution == "every_nth" and not (data.every_nth and 2 <= data.every_nth <= 100):
        errors["every_nth"] = Message(N_("Give N between 2 and 100, e.g. 3 for every third bill."))
    if data.offer_validity_days is not None and not 1 <= data.offer_validity_days <= 730:
        errors["offer_validity_days"] = Message(N_("Give a validity between 1 and 730 days, or leave it empty."))
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        errors["ends_on"] = Message(N_("The end date is before the start date."))

    usable = {d.id: d for d in location.destinations if not d.presence_only}
    chosen = list(dict.fromkeys(data.destination_ids))
    if not chosen:
        errors["destination_ids"] = Message(N_("Feature at least one review site."))
    elif len(chosen) > MAX_FEATURED:
        errors["destination_ids"] = Message(N_("Feature at most four review sites: no layout has room for more QR codes."))
    elif any(destination_id not in usable for destination_id in chosen):
        errors["destination_ids"] = Message(
            N_("Choose among this location's review sites. Presence-only sites such as Yelp cannot be featured.")
        )
    if errors:
        raise ServiceError(errors)

    campaign.name = data.name.strip()
    campaign.language = data.language
    campaign.headline = data.headline.strip()
    campaign.body = data.body.strip()
    campaign.presence_line = data.presence_line.strip()
    campaign.offer_kind = data.offer_kind
    campaign.offer_text = data.offer_text.strip() if data.offer_kind != "none" else ""
    campaign.offer_validity_days = data.offer_validity_days if data.offer_kind != "none" else None
    campaign.link_mode = data.link_mode
    campaign.distribution = data.distribution
    campaign.every_nth = data.every_nth if data.distribution == "every_nth" else None
    campaign.starts_on = data.starts_on or date.today()
    campaign.ends_on = data.ends_on
    campaign.featured = [
        CampaignDestination(destination=usable[destination_id], position=position)
        for position, destination_id in enumerate(chosen, start=1)
    ]

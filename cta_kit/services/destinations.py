"""Review destinations: what the owner typed, normalised to a checked write-review link."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..domain.destinations import DestinationError, normalise_destination
from ..domain.i18n import Message, N_
from ..extensions import db
from ..models import Campaign, CampaignDestination, ReviewDestination, User
from .database import write_transaction
from .errors import NotFound, ServiceError
from .locations import location_for


@dataclass(frozen=True)
class DestinationInput:
    platform: str
    entered: str
    label: str = ""


def add_destination(user: User, location_id: int, data: DestinationInput) -> ReviewDestination:
    try:
        normalised = normalise_destination(data.platform, data.entered)
    except DestinationError as error:
        raise ServiceError({"entered": error.message}) from None
    with write_transaction():
        location = location_for(user, location_id)
        duplicate = db.session.scalar(
            select(ReviewDestination.id).where(
                ReviewDestination.location_id == location.id, ReviewDestination.url == normalised.url
            )
        )
        if duplicate is not None:
            raise ServiceError({"entered": Message(N_("This location already has this review link."))})
        destination = ReviewDestination(
            location=location,
            platform=normalised.platform,
            label=data.label.strip(),
            entered=data.entered.strip(),
            url=normalised.url,
            display_url=normalised.display_url,
            presence_only=normalised.presence_only,
            position=len(location.destinations),
        )
        db.session.add(destination)
    return destination


def destination_for(user: User, location_id: int, destination_id: int) -> ReviewDestination:
    location = location_for(user, location_id)
    for destination in location.destinations:
        if destination.id == destination_id:
            return destination
    raise NotFound()


def campaigns_featuring(destination: ReviewDestination) -> list[Campaign]:
    """The campaigns whose cards show this site: removing it takes it off them."""
    return list(
        db.session.scalars(
            select(Campaign)
            .join(CampaignDestination, CampaignDestination.campaign_id == Campaign.id)
            .where(CampaignDestination.destination_id == destination.id)
            .order_by(Campaign.name, Campaign.id)
        )
    )


def remove_destination(user: User, location_id: int, destination_id: int) -> list[str]:
    """Remove the site; the names of the campaigns it was taken off, for the owner to check."""
    with write_transaction():
        destination = destination_for(user, location_id, destination_id)
        left = [campaign.name for campaign in campaigns_featuring(destination)]
        location = destination.location
        location.destinations.remove(destination)
        _renumber(location.destinations)
    return left


def move_destination(user: User, location_id: int, destination_id: int, offset: int) -> None:
    """Move one place up (-1) or down (+1) in the order staff and cards show them."""
    with write_transaction():
        destination = destination_for(user, location_id, destination_id)
        ordered = list(destination.location.destinations)
        index = ordered.index(destination)
        target = min(max(index + offset, 0), len(ordered) - 1)
        ordered.insert(target, ordered.pop(index))
        _renumber(ordered)


def _renumber(destinations) -> None:
    for position, destination in enumerate(destinations):
        destination.position = position

"""The layout the editor offers first: the one last chosen, else the one last printed at the
location, else the business-card sheet on the location's paper."""

from __future__ import annotations

from sqlalchemy import select

from ..domain.paper import default_layout, paper_for_timezone
from ..extensions import db
from ..models import CardBatch, Location
from .layouts import available_layouts


def layout_to_offer(location: Location, remembered: str | None = None) -> str:
    layouts = available_layouts()
    if remembered in layouts:
        return remembered
    last_printed = db.session.scalar(
        select(CardBatch.layout).where(CardBatch.location_id == location.id).order_by(CardBatch.id.desc()).limit(1)
    )
    if last_printed in layouts:
        return last_printed
    return default_layout(layouts.values(), paper_for_timezone(location.timezone)) or next(iter(layouts))

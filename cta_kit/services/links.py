"""Tracked links printed on cards: where ``/r/<code>/<platform>`` leads."""

from __future__ import annotations

import json

from sqlalchemy import select

from ..domain.codes import check_code
from ..extensions import db
from ..models import Card, CardBatch, ReviewDestination
from .errors import NotFound


def tracked_destination(typed_code: str, platform: str) -> str:
    """The location's stored, validated link for a platform printed on that card.

    Nothing from the request becomes the target. The link is looked up now rather than
    copied at print time, so an owner who corrects a review link corrects the cards already
    handed out. Recording the scan comes with the till: it is measurement, never a condition.
    """
    check = check_code(typed_code)
    if not check.ok:
        raise NotFound()
    row = db.session.execute(
        select(Card.location_id, CardBatch.content).join(CardBatch, Card.batch_id == CardBatch.id).where(Card.code == check.code)
    ).first()
    if row is None:
        raise NotFound()
    printed = {destination["platform"] for destination in json.loads(row.content)["destinations"]}
    if platform not in printed:
        raise NotFound()
    url = db.session.scalar(
        select(ReviewDestination.url)
        .where(
            ReviewDestination.location_id == row.location_id,
            ReviewDestination.platform == platform,
            ReviewDestination.presence_only.is_(False),
        )
        .order_by(ReviewDestination.position)
        .limit(1)
    )
    if url is None:
        raise NotFound()
    return url

"""Tracked links printed on cards: where ``/r/<code>/<slot>`` leads."""

from __future__ import annotations

from sqlalchemy import select

from ..domain.cards import read_slot
from ..domain.codes import check_code
from ..extensions import db
from ..models import BatchDestination, Card
from .errors import NotFound


def tracked_destination(typed_code: str, slot: str) -> str:
    """The URL printed on that card for that QR code.

    Nothing from the request becomes the target: the code and the slot (a printed position, or the
    platform key of cards printed before positions were recorded) only pick a row written when the
    card was printed. Editing, reordering or deleting a review destination afterwards never
    changes where a card already handed out leads.
    """
    check = check_code(typed_code)
    which = read_slot(slot)
    if not check.ok or which is None:
        raise NotFound()
    query = select(BatchDestination.url).join(Card, Card.batch_id == BatchDestination.batch_id).where(Card.code == check.code)
    if isinstance(which, int):
        query = query.where(BatchDestination.position == which)
    else:
        query = query.where(BatchDestination.platform == which).order_by(BatchDestination.position).limit(1)
    url = db.session.scalar(query)
    if url is None:
        raise NotFound()
    return url

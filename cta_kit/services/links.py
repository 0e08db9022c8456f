"""Tracked links printed on cards: where ``/r/<code>/<slot>`` leads, and counting their scans.

This runs on a customer's phone between scanning and the review site, so it does one indexed
read and at most one insert, with statements built once at import.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Integer, String, bindparam, exists, insert, select

from ..domain.cards import FEEDBACK_PLATFORM, read_slot
from ..domain.codes import check_code
from ..domain.scans import REPEAT_WINDOW, device_class, is_link_preview
from ..extensions import db
from ..models import BatchDestination, Card, Location, Scan, UTCDateTime, utcnow
from .database import driver_connection
from .errors import NotFound
from .statements import prepared

log = logging.getLogger(__name__)

class UnknownLink(NotFound):
    """No card printed that link. ``language`` is the location's when the code is one of its cards."""

    def __init__(self, language: str | None = None):
        super().__init__()
        self.language = language


@dataclass(frozen=True)
class Visit:
    """What the request says about who opened the link; the IP address is never part of it."""

    method: str
    user_agent: str

    @property
    def is_scan(self) -> bool:
        # HEAD requests and link previews in messaging apps are not a customer opening the card.
        return self.method == "GET" and not is_link_preview(self.user_agent)


_CARD_CODE = bindparam("code", type_=String)
_PRINTED = (
    select(BatchDestination.id, BatchDestination.url, Card.id.label("card_id"), Card.location_id)
    .join(Card, Card.batch_id == BatchDestination.batch_id)
    .where(Card.code == _CARD_CODE)
    # The feedback page's QR code is printed as its own link, never as `/r/`.
    .where(BatchDestination.platform != FEEDBACK_PLATFORM)
)
_AT_POSITION = _PRINTED.where(BatchDestination.position == bindparam("position", type_=Integer))
# Cards printed before positions were recorded name the platform: its first printed QR code.
_FOR_PLATFORM = (
    _PRINTED.where(BatchDestination.platform == bindparam("platform", type_=String))
    .order_by(BatchDestination.position)
    .limit(1)
)

_SCANNED_RECENTLY = exists().where(
    Scan.card_id == bindparam("card_id", type_=Integer),
    Scan.batch_destination_id == bindparam("destination_id", type_=Integer),
    Scan.scanned_at > bindparam("since", type_=UTCDateTime()),
)
# One statement, so that two requests at once cannot both find no recent scan on SQLite.
_RECORD_SCAN = insert(Scan.__table__).from_select(
    ["card_id", "batch_destination_id", "location_id", "scanned_at", "device_class"],
    select(
        bindparam("card_id", type_=Integer),
        bindparam("destination_id", type_=Integer),
        bindparam("location_id", type_=Integer),
        bindparam("now", type_=UTCDateTime()),
        bindparam("device_class", type_=String),
    ).where(~_SCANNED_RECENTLY),
)


def follow_tracked_link(typed_code: str, slot: str, visit: Visit) -> str:
    """The URL printed on that card for that QR code, recording the scan.

    Nothing from the request becomes the target: the code and the slot (a printed position, or the
    platform key of cards printed before positions were recorded) only pick a row written when the
    card was printed. Editing, reordering or deleting a review destination afterwards never
    changes where a card already handed out leads. A scan is measurement, never a condition.
    """
    check = check_code(typed_code)
    which = read_slot(slot)
    if not check.ok or which is None:
        raise UnknownLink(_language_of_card(check.code) if check.ok else None)
    if isinstance(which, int):
        statement, params = _AT_POSITION, {"code": check.code, "position": which}
    else:
        statement, params = _FOR_PLATFORM, {"code": check.code, "platform": which}
    with driver_connection() as connection:
        cursor = connection.cursor()
        row = prepared(statement).run(cursor, params).fetchone()
        if row is not None and visit.is_scan:
            now = utcnow()
            try:
                prepared(_RECORD_SCAN).run(cursor, {
                    "card_id": row[2], "destination_id": row[0], "location_id": row[3], "now": now,
                    "since": now - REPEAT_WINDOW, "device_class": device_class(visit.user_agent),
                })
            except db.engine.dialect.loaded_dbapi.Error:
                # Counting is measurement: the customer is sent on even if the count is lost.
                log.exception("scan not recorded")
                connection.rollback()
        cursor.close()
    if row is None:
        raise UnknownLink(_language_of_card(check.code))
    return row[1]


def _language_of_card(code: str) -> str | None:
    return db.session.scalar(select(Location.language).join(Card, Card.location_id == Location.id).where(Card.code == code))


def shared_location_language() -> str | None:
    """For a link that names no card: the language every location speaks, if they share one."""
    languages = db.session.scalars(select(Location.language).distinct().limit(2)).all()
    return languages[0] if len(languages) == 1 else None

"""Redeeming a card's offer at the till: one conditional UPDATE, every attempt recorded.

The same code typed at once on several tablets, served by several processes, is redeemed once:
the UPDATE only matches while ``redeemed_at`` is empty, and the database decides who wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..domain import redemption as rules
from ..domain.cards import local_day
from ..domain.codes import check_code
from ..domain.i18n import Message, N_
from ..extensions import db
from ..models import Campaign, Card, CardBatch, RedemptionAttempt, TillSetting, User, utcnow
from .database import write_transaction
from .errors import ServiceError
from .locations import location_for

MAX_KEY_LENGTH = 64
MAX_TYPED_LENGTH = 64


@dataclass(frozen=True)
class RedemptionRequest:
    code: str
    key: str  # chosen by the till's browser for this attempt, so that a retry gets the same answer
    device: str = ""  # the till's own key, kept in its browser


@dataclass(frozen=True)
class RedemptionAnswer:
    result: str
    code: str = ""  # normalised
    offer_text: str = ""
    offer_kind: str = ""
    redeemed_at: datetime | None = None
    redeemed_by: str = ""
    expires_on: date | None = None
    paused_until: datetime | None = None


def redeem(user: User, location_id: int, request: RedemptionRequest) -> RedemptionAnswer:
    location = location_for(user, location_id)
    replayed = _replay(request.key, location.id)
    if replayed is not None:
        return replayed
    location_id, timezone_name = location.id, location.timezone
    try:
        # Read then write under the write lock: a concurrent redemption cannot slip in between.
        with write_transaction():
            now = utcnow()
            setting = db.session.get(TillSetting, location_id)
            typed = request.code[:MAX_TYPED_LENGTH]
            card_id = None
            if setting is not None and setting.redemption_paused_until and setting.redemption_paused_until > now:
                result = rules.PAUSED
            else:
                result = rules.code_problem(typed)
                if result is None:
                    card_id, result = _redeem_card(check_code(typed).code, location_id, timezone_name, user,
                                                   request.device, now)
            db.session.add(RedemptionAttempt(location_id=location_id, user_id=user.id, created_at=now, result=result,
                                             client_key=request.key, code=typed, card_id=card_id))
            if result in rules.GUESS_RESULTS:
                _pause_if_guessing(location_id, setting, now)
    except IntegrityError:
        # The same key arrived twice at once: the other request's answer stands.
        replayed = _replay(request.key, location_id)
        if replayed is None:
            raise
        return replayed
    return _answer(result, typed, card_id, location_id)


def paused_until(location_id: int) -> datetime | None:
    setting = db.session.get(TillSetting, location_id)
    if setting is None or setting.redemption_paused_until is None:
        return None
    return setting.redemption_paused_until if setting.redemption_paused_until > utcnow() else None


def _redeem_card(code: str, location_id: int, timezone_name: str, user: User, device: str, now: datetime):
    row = db.session.execute(
        select(Card.id, Card.location_id, Card.redeemed_at, CardBatch.offer_kind, CardBatch.offer_expires_on,
               Campaign.starts_on, Campaign.ends_on)
        .join(CardBatch, CardBatch.id == Card.batch_id)
        .join(Campaign, Campaign.id == Card.campaign_id)
        .where(Card.code == code)
    ).first()
    if row is None:
        return None, rules.UNKNOWN
    facts = rules.CardFacts(row.location_id, row.offer_kind, row.offer_expires_on, row.starts_on, row.ends_on,
                            row.redeemed_at)
    problem = rules.card_problem(facts, location_id, local_day(now, timezone_name))
    if problem is not None:
        return row.id, problem
    won = db.session.execute(
        update(Card)
        .where(Card.id == row.id, Card.redeemed_at.is_(None))
        .values(redeemed_at=now, redeemed_by_id=user.id, redeemed_device=device[:MAX_KEY_LENGTH] or None)
        .execution_options(synchronize_session=False)
    ).rowcount
    return row.id, rules.REDEEMED if won == 1 else rules.ALREADY_REDEEMED


def _pause_if_guessing(location_id: int, setting: TillSetting | None, now: datetime) -> None:
    db.session.flush()
    since = rules.failure_window_start(now, setting.redemption_paused_until if setting else None)
    failures = db.session.scalar(
        select(func.count()).select_from(RedemptionAttempt).where(
            RedemptionAttempt.location_id == location_id,
            RedemptionAttempt.created_at >= since,
            RedemptionAttempt.result.in_(rules.GUESS_RESULTS),
        )
    )
    until = rules.pause_after(failures, now)
    if until is None:
        return
    if setting is None:
        setting = TillSetting(location_id=location_id)
        db.session.add(setting)
    setting.redemption_paused_until = until


def _replay(key: str, location_id: int) -> RedemptionAnswer | None:
    attempt = db.session.scalar(select(RedemptionAttempt).where(RedemptionAttempt.client_key == key))
    if attempt is None:
        return None
    if attempt.location_id != location_id:
        raise ServiceError({"key": Message(N_("This entry was already sent from another location's till."))})
    return _answer(attempt.result, attempt.code, attempt.card_id, location_id)


def _answer(result: str, typed: str, card_id: int | None, location_id: int) -> RedemptionAnswer:
    code = check_code(typed).code
    if result == rules.PAUSED:
        return RedemptionAnswer(result, code, paused_until=paused_until(location_id))
    if card_id is None or result == rules.OTHER_LOCATION:
        # Nothing about another location's card is told.
        return RedemptionAnswer(result, code)
    row = db.session.execute(
        select(Card.redeemed_at, User.name, CardBatch.offer_text, CardBatch.offer_kind, CardBatch.offer_expires_on)
        .join(CardBatch, CardBatch.id == Card.batch_id)
        .outerjoin(User, User.id == Card.redeemed_by_id)
        .where(Card.id == card_id)
    ).one()
    return RedemptionAnswer(
        result,
        code,
        offer_text=row.offer_text,
        offer_kind=row.offer_kind,
        redeemed_at=row.redeemed_at,
        redeemed_by=row.name or "",
        expires_on=row.offer_expires_on,
    )

"""Printing cards: unique codes recorded in the same transaction that makes the PDF."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from babel.dates import format_date
from flask import current_app
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ..domain.codes import format_code, new_code
from ..domain.errors import DomainError
from ..domain.i18n import Message, N_
from ..domain.platforms import load_registry
from ..domain.policy import Finding, check_campaign, has_errors
from ..domain.spreadsheet import safe_cell
from ..extensions import db
from ..domain.wording import default_wording
from ..models import LINK_MODES, Campaign, Card, CardBatch, User, utcnow
from ..pdf.render import CardContent, DocumentInfo, QrItem, legibility_notes, render_cards, render_slip
from .campaigns import campaign_for, findings_for
from .database import end_read, write_transaction
from .errors import NotFound, ServiceError
from .layouts import layout_named
from .locations import location_for

MAX_CARDS_PER_BATCH = 10_000
CODE_ATTEMPTS = 3


class PrintRefused(ServiceError):
    """The policy check found errors: the findings say why, with their sources."""

    def __init__(self, findings: list[Finding]):
        # One entry per error: they belong to no form field, and every reason must reach the owner.
        errors = [finding for finding in findings if finding.severity == "error"]
        super().__init__({f"policy_{index}": finding.message for index, finding in enumerate(errors)})
        self.findings = findings


@dataclass(frozen=True)
class PrintOrder:
    campaign_id: int
    count: int
    layout: str
    link_mode: str | None = None  # None: the campaign's own


@dataclass(frozen=True)
class PrintedBatch:
    batch_id: int
    pdf: bytes
    filename: str
    warnings: tuple[Finding, ...]


@dataclass(frozen=True)
class CardWording:
    """What a card says, from a saved campaign, a form being edited, or the neutral defaults."""

    name: str
    language: str
    headline: str
    body: str
    presence_line: str = ""
    offer_kind: str = "none"
    offer_text: str = ""
    offer_validity_days: int | None = None
    ends_on: date | None = None

    @classmethod
    def of(cls, source) -> CardWording:
        """From a Campaign or a CampaignInput, which share these fields."""
        has_offer = source.offer_kind != "none"
        return cls(
            name=source.name,
            language=source.language,
            headline=source.headline,
            body=source.body,
            presence_line=source.presence_line,
            offer_kind=source.offer_kind,
            offer_text=source.offer_text if has_offer else "",
            offer_validity_days=source.offer_validity_days if has_offer else None,
            ends_on=source.ends_on,
        )


def print_cards(order: PrintOrder, user: User | None = None, location_id: int | None = None) -> PrintedBatch:
    """Print for a user at one of their locations, or (user None) from the command line."""
    campaign = _campaign(order.campaign_id, user, location_id)
    findings = findings_for(campaign)
    if has_errors(findings):
        raise PrintRefused(findings)
    layout = layout_named(order.layout)
    link_mode = order.link_mode or campaign.link_mode
    _check_order(order, campaign, layout, link_mode)

    content = _content(campaign.location, CardWording.of(campaign), campaign.destinations, link_mode)
    printed_at = utcnow().replace(microsecond=0)
    # Rendering takes seconds: hold no transaction meanwhile, so that a login or another print
    # can write, and write batch and codes afterwards in one short transaction. The PDF is
    # handed out only once its codes are committed.
    end_read()
    for attempt in range(CODE_ATTEMPTS):
        codes = _unique_codes(order.count)
        pdf = _render(layout.name, content, codes, printed_at)
        try:
            with write_transaction():
                batch = CardBatch(
                    campaign_id=campaign.id,
                    location_id=campaign.location_id,
                    layout=layout.name,
                    link_mode=link_mode,
                    card_count=order.count,
                    content=json.dumps(content, ensure_ascii=False, sort_keys=True),
                    printed_at=printed_at,
                    printed_by_id=user.id if user else None,
                )
                db.session.add(batch)
                db.session.flush()
                db.session.execute(
                    insert(Card),
                    [
                        {"code": code, "batch_id": batch.id, "campaign_id": campaign.id,
                         "location_id": campaign.location_id, "position": position, "printed_at": printed_at}
                        for position, code in enumerate(codes)
                    ],
                )
            break
        except IntegrityError:
            # 50 random bits per code: a clash with an earlier batch is rare, but possible.
            if attempt == CODE_ATTEMPTS - 1:
                raise
    warnings = tuple(finding for finding in findings if finding.severity == "warning")
    return PrintedBatch(batch.id, pdf, _filename(batch), warnings)


def reprint(batch_id: int, user: User | None = None, location_id: int | None = None) -> PrintedBatch:
    """The same PDF, byte for byte, from what the batch recorded."""
    batch = _batch(batch_id, user, location_id)
    content = json.loads(batch.content)
    pdf = _render(batch.layout, content, _codes(batch), batch.printed_at)
    return PrintedBatch(batch.id, pdf, _filename(batch), ())


def manifest_csv(batch_id: int, user: User | None = None, location_id: int | None = None) -> str:
    """One row per card: its code, then the URL of each QR code in print order."""
    batch = _batch(batch_id, user, location_id)
    content = json.loads(batch.content)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    destinations = content["destinations"]
    writer.writerow(["code"] + [f"url_{index}" for index in range(1, len(destinations) + 1)])
    for code in _codes(batch):
        writer.writerow([safe_cell(code)] + [safe_cell(_qr_url(content, d, code)) for d in destinations])
    return buffer.getvalue()


def batches_of(campaign: Campaign) -> list[CardBatch]:
    return list(
        db.session.scalars(select(CardBatch).where(CardBatch.campaign_id == campaign.id).order_by(CardBatch.id.desc()))
    )


def _campaign(campaign_id: int, user: User | None, location_id: int | None) -> Campaign:
    if user is not None:
        return campaign_for(user, location_id, campaign_id)
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound()
    return campaign


def _batch(batch_id: int, user: User | None, location_id: int | None) -> CardBatch:
    batch = db.session.get(CardBatch, batch_id)
    if batch is None:
        raise NotFound()
    if user is not None and location_for(user, location_id).id != batch.location_id:
        raise NotFound()
    return batch


def _check_order(order: PrintOrder, campaign: Campaign, layout, link_mode: str) -> None:
    errors: dict[str, Message] = {}
    if not 1 <= order.count <= MAX_CARDS_PER_BATCH:
        errors["count"] = Message(N_("Print between 1 and %(max)s cards at a time."), {"max": MAX_CARDS_PER_BATCH})
    if len(campaign.destinations) > layout.qr_slots:
        errors["layout"] = Message(
            N_("“%(layout)s” has room for %(slots)s QR codes and the campaign features %(count)s: choose another layout."),
            {"layout": layout.title, "slots": layout.qr_slots, "count": len(campaign.destinations)},
        )
    if link_mode not in LINK_MODES:
        errors["link_mode"] = Message(N_("Choose direct or tracked links."))
    elif link_mode == "tracked" and not _public_base_url():
        errors["link_mode"] = Message(
            N_("Tracked links need the app's public address (CTA_KIT_PUBLIC_BASE_URL); print direct links meanwhile.")
        )
    if campaign.ends_on and campaign.ends_on < date.today():
        errors[""] = Message(N_("This campaign ended on %(date)s: change its end date to print more cards."),
                             {"date": campaign.ends_on.isoformat()})
    if errors:
        raise ServiceError(errors)


def _public_base_url() -> str:
    from .public_address import public_base_url

    return public_base_url()


def _content(location, wording: CardWording, destinations, link_mode: str) -> dict:
    """Everything the cards of a batch share, as printed (later edits do not change a reprint)."""
    registry = load_registry()
    return {
        "language": wording.language,
        "link_mode": link_mode,
        "base_url": _public_base_url() if link_mode == "tracked" else "",
        "title": f"{wording.name} · {location.name}",
        "author": location.business.name,
        "subject": f"{len(destinations)} review site(s), {link_mode} links",
        "variables": {
            "headline": wording.headline,
            "body": wording.body,
            "offer": wording.offer_text,
            "business": location.business.name,
            "location": location.name,
            "presence_line": wording.presence_line,
            "validity": _validity(wording),
        },
        "destinations": [
            {
                "platform": destination.platform,
                "label": destination.label or registry[destination.platform].label,
                "url": destination.url,
                "display_url": destination.display_url,
            }
            for destination in destinations
        ],
    }


def _validity(wording: CardWording) -> str:
    if wording.offer_kind == "none" or not wording.offer_validity_days:
        return ""
    until = date.today() + timedelta(days=wording.offer_validity_days)
    if wording.ends_on and wording.ends_on < until:
        until = wording.ends_on
    template = default_wording(wording.language).offer_validity
    return template.format(date=format_date(until, format="long", locale=wording.language))


def _qr_url(content: dict, destination: dict, code: str) -> str:
    if content["link_mode"] == "tracked":
        return f"{content['base_url']}/r/{code}/{destination['platform']}"
    return destination["url"]


def _short_url(content: dict, destination: dict, code: str) -> str:
    if content["link_mode"] == "tracked":
        host = urlsplit(content["base_url"]).netloc
        return f"{host}/r/{code}/{destination['platform']}"
    return destination["display_url"]


def _card_content(content: dict, code: str) -> CardContent:
    return CardContent(
        variables={**content["variables"], "code": format_code(code)},
        qr_items=tuple(
            QrItem(url=_qr_url(content, d, code), label=d["label"], short_url=_short_url(content, d, code))
            for d in content["destinations"]
        ),
    )


def _render(layout_name: str, content: dict, codes: list[str], printed_at: datetime) -> bytes:
    layout = layout_named(layout_name)
    cards = [_card_content(content, code) for code in codes]
    info = DocumentInfo(title=content["title"], author=content["author"], subject=content["subject"], created_at=printed_at)
    try:
        return render_cards(layout, cards, info)
    except DomainError as error:
        # e.g. a link too long for the layout's QR boxes to stay scannable
        raise ServiceError({"layout": error.message}) from None


def _unique_codes(count: int) -> list[str]:
    codes: dict[str, None] = {}
    while len(codes) < count:
        codes[new_code()] = None
    return list(codes)


def _codes(batch: CardBatch) -> list[str]:
    return list(db.session.scalars(select(Card.code).where(Card.batch_id == batch.id).order_by(Card.position)))


def _filename(batch: CardBatch) -> str:
    stamp = batch.printed_at.strftime("%Y%m%d-%H%M")
    return f"cards-batch{batch.id}-{batch.layout}-{stamp}.pdf"


SAMPLE_CODE = "KG65MF8F547"


def preview_card(user: User, location_id: int, data, layout_name: str) -> tuple[str, list[Finding], list[Message]]:
    """The editor's live preview of one card, the policy findings, and printing notes (QR legibility),
    for a form not yet saved."""
    from ..pdf.preview import render_card_svg
    from .campaigns import draft_from_input

    location = location_for(user, location_id)
    layout = layout_named(layout_name)
    findings = check_campaign(draft_from_input(user, location_id, data))
    by_id = {destination.id: destination for destination in location.destinations if not destination.presence_only}
    chosen = [by_id[i] for i in dict.fromkeys(data.destination_ids) if i in by_id][: layout.qr_slots]
    if not chosen:
        return "", findings, []
    link_mode = data.link_mode if _public_base_url() else "direct"
    card = _card_content(_content(location, CardWording.of(data), chosen, link_mode), SAMPLE_CODE)
    try:
        return render_card_svg(layout, card), findings, legibility_notes(layout, card)
    except DomainError as error:
        raise ServiceError({"layout": error.message}) from None


def slip_for_destination(user: User, location_id: int, destination_id: int, layout_name: str = "thermal-80mm") -> bytes:
    """One thermal slip with the QR of the review site a customer says they use (for the till)."""
    from .destinations import destination_for

    destination = destination_for(user, location_id, destination_id)
    layout = layout_named(layout_name)
    if not layout.is_roll:
        raise ServiceError({"layout": Message(N_("Slips are printed on a receipt-printer roll layout."))})
    if destination.presence_only:
        raise ServiceError(
            {"": Message(N_("%(site)s forbids asking for reviews, so there is no slip for it."),
                         {"site": load_registry()[destination.platform].label})}
        )
    location = destination.location
    neutral = default_wording(location.language)
    wording = CardWording(destination.display_url, location.language, neutral.headline, neutral.body)
    content = _content(location, wording, [destination], "direct")
    card = CardContent(variables=content["variables"] | {"code": ""}, qr_items=_card_content(content, SAMPLE_CODE).qr_items)
    info = DocumentInfo(title=content["title"], author=content["author"], subject=content["subject"],
                        created_at=destination.created_at)
    try:
        return render_slip(layout, card, info)
    except DomainError as error:
        raise ServiceError({"": error.message}) from None

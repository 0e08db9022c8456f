"""Printing cards: unique codes recorded in the same transaction that makes the PDF."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ..domain.cards import (
    SLOT_PLATFORM,
    SLOT_POSITION,
    PrintedDestination,
    feedback_destination,
    offer_expires_on,
    printed_link,
    validity_sentence,
)
from ..domain.card_text import location_line, omitted_lines
from ..domain.codes import format_code, new_code
from ..domain.errors import DomainError
from ..domain.i18n import Message, N_
from ..domain.platforms import load_registry
from ..domain.policy import Finding, check_campaign, has_errors
from ..domain.print_offset import PrintOffset
from ..domain.spreadsheet import safe_cell
from ..extensions import db
from ..domain.wording import default_wording
from ..models import LINK_MODES, BatchDestination, Campaign, Card, CardBatch, User, utcnow
from ..pdf.parallel import encode_in_parallel
from ..pdf.qr import prepared
from ..pdf.render import CardContent, DocumentInfo, QrItem, legibility_notes, render_cards, render_slip
from .campaigns import campaign_for, findings_for
from .database import end_read, write_transaction
from .errors import NotFound, ServiceError
from .layouts import layout_named
from .locations import location_for
from .printer_setup import sheet_offset

MAX_CARDS_PER_BATCH = 10_000
PRINT_OFFSET_KEY = "print_offset_mm"  # in a batch's content: [x, y] when the sheets were moved
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

    def for_layout(self, layout) -> CardWording:
        """A standing piece (a table tent) stays put: it carries no offer, so no expiry either."""
        if not layout.standing:
            return self
        return replace(self, offer_kind="none", offer_text="", offer_validity_days=None)


def check_order(order: PrintOrder, user: User | None = None, location_id: int | None = None) -> None:
    """Raise every reason print_cards would refuse the order, before anything is rendered or queued."""
    _checked(order, user, location_id)


def _checked(order: PrintOrder, user: User | None, location_id: int | None):
    campaign = _campaign(order.campaign_id, user, location_id)
    findings = findings_for(campaign)
    if has_errors(findings):
        raise PrintRefused(findings)
    layout = layout_named(order.layout)
    link_mode = order.link_mode or campaign.link_mode
    _check_order(order, campaign, layout, link_mode)
    return campaign, findings, layout, link_mode


def print_cards(
    order: PrintOrder,
    user: User | None = None,
    location_id: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PrintedBatch:
    """Print for a user at one of their locations, or (user None) from the command line.

    ``progress(cards_drawn, total)`` follows the rendering, for a progress bar.
    """
    campaign, findings, layout, link_mode = _checked(order, user, location_id)
    findings = findings + layout_findings(layout, campaign)
    return _print_batch(campaign, campaign.destinations, order.count, layout, link_mode, user, findings, progress)


def print_till_slip(user: User, location_id: int, destination_id: int, layout_name: str) -> PrintedBatch:
    """A one-card batch of the till's campaign featuring the one site this customer uses: a real
    card, with a code to redeem and a tracked link when the app has a public address."""
    from .destinations import destination_for
    from .till import till_campaign

    destination = destination_for(user, location_id, destination_id)
    campaign = till_campaign(destination.location)
    if campaign is None:
        raise ServiceError({"": Message(N_("The owner has not chosen the till's campaign yet: show the QR code instead."))})
    if destination.presence_only:
        raise ServiceError(
            {"": Message(N_("%(site)s forbids asking for reviews, so there is no slip for it."),
                         {"site": load_registry()[destination.platform].label})}
        )
    layout = layout_named(layout_name)
    if not layout.is_roll:
        raise ServiceError({"layout": Message(N_("Slips are printed on a receipt-printer roll layout."))})
    findings = findings_for(campaign, [destination])
    if has_errors(findings):
        raise PrintRefused(findings)
    link_mode = "tracked" if _public_base_url() else "direct"
    _check_order(PrintOrder(campaign.id, 1, layout.name, link_mode), campaign, layout, link_mode, sites=1)
    return _print_batch(campaign, [destination], 1, layout, link_mode, user, findings)


def _print_batch(campaign: Campaign, destinations, count: int, layout, link_mode: str, user: User | None,
                 findings: list[Finding], progress: Callable[[int, int], None] | None = None) -> PrintedBatch:
    printed_at = utcnow().replace(microsecond=0)
    wording = CardWording.of(campaign).for_layout(layout)
    expires_on = _expiry(wording, printed_at, campaign.location.timezone)
    content = _content(campaign.location, wording, destinations, link_mode, expires_on)
    offset = sheet_offset(campaign.location, layout)
    if not offset.is_zero:
        # kept with the batch, so that a reprint places the cards as the first print did
        content[PRINT_OFFSET_KEY] = [offset.x_mm, offset.y_mm]
    # The feedback page, when printed, is the last QR code and no review destination of the location.
    destination_ids = [destination.id for destination in destinations]
    destination_ids += [None] * (len(content["destinations"]) - len(destination_ids))
    # Rendering takes seconds: hold no transaction meanwhile, so that a login, a progress update,
    # a till's slip or another print can write, and write batch and codes afterwards in one short
    # transaction. The PDF is handed out only once its codes are committed.
    end_read()
    for attempt in range(CODE_ATTEMPTS):
        codes = _unique_codes(count)
        pdf = _render(layout.name, content, codes, printed_at, progress)
        try:
            with write_transaction():
                batch = CardBatch(
                    campaign_id=campaign.id,
                    location_id=campaign.location_id,
                    layout=layout.name,
                    link_mode=link_mode,
                    offer_kind=wording.offer_kind,
                    offer_text=wording.offer_text,
                    offer_expires_on=expires_on,
                    card_count=count,
                    content=_stored_content(content),
                    printed_at=printed_at,
                    printed_by_id=user.id if user else None,
                    destinations=[
                        BatchDestination(destination_id=destination_id, **printed)
                        for destination_id, printed in zip(destination_ids, content["destinations"])
                    ],
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
    content = _batch_content(batch)
    pdf = _render(batch.layout, content, _codes(batch), batch.printed_at)
    return PrintedBatch(batch.id, pdf, _filename(batch), ())


def reprint_till_slip(user: User, location_id: int, batch_id: int) -> PrintedBatch:
    """A till slip again (the till opens the PDF it just printed). Staff see slips, never sheets
    of cards, whose codes are the owner's to hand out."""
    batch = _batch(batch_id, user, location_id)
    if batch.card_count != 1 or not layout_named(batch.layout).is_roll:
        raise NotFound()
    return reprint(batch.id, user, location_id)


def manifest_csv(batch_id: int, user: User | None = None, location_id: int | None = None) -> str:
    """One row per card: its code, then the URL of each QR code in print order."""
    batch = _batch(batch_id, user, location_id)
    content = _batch_content(batch)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    destinations = content["destinations"]
    writer.writerow(["code"] + [f"url_{index}" for index in range(1, len(destinations) + 1)])
    for code in _codes(batch):
        writer.writerow([safe_cell(code)] + [safe_cell(_qr_url(content, d, code)) for d in destinations])
    return buffer.getvalue()


def batch_for(batch_id: int, user: User | None = None, location_id: int | None = None) -> CardBatch:
    return _batch(batch_id, user, location_id)


def batch_filename(batch: CardBatch) -> str:
    return _filename(batch)


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


def layout_findings(layout, campaign: Campaign) -> list[Finding]:
    """Warnings about what the layout leaves out of this campaign, said before anything prints."""
    wording = CardWording.of(campaign)
    lines = {"headline": wording.headline, "body": wording.body, "offer": wording.offer_text,
             "presence_line": wording.presence_line}
    return _warnings(omitted_lines(layout, lines), "layout_omits_line")


def _check_order(order: PrintOrder, campaign: Campaign, layout, link_mode: str, sites: int | None = None) -> None:
    """``sites``: the review sites printed, when not all of the campaign's (a till slip has one)."""
    errors: dict[str, Message] = {}
    if not 1 <= order.count <= MAX_CARDS_PER_BATCH:
        errors["count"] = Message(N_("Print between 1 and %(max)s cards at a time."), {"max": MAX_CARDS_PER_BATCH})
    feedback_page = campaign.offer_kind == "private_feedback" and not layout.standing  # a tent carries no offer
    sites = len(campaign.destinations) if sites is None else sites
    if (problem := _room_problem(layout, sites, feedback_page)) is not None:
        errors["layout"] = problem
    if feedback_page and not _public_base_url():
        errors["offer_kind"] = FEEDBACK_NEEDS_ADDRESS
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


def _room_problem(layout, sites: int, feedback_page: bool) -> Message | None:
    """Why the layout cannot hold every QR code of the card; a review site is never left out for
    the feedback page, so the owner chooses another layout or fewer sites."""
    if feedback_page and sites + 1 > layout.qr_slots:
        return Message(
            N_("“%(layout)s” has room for %(slots)s QR codes: the campaign's %(count)s review sites and the QR code "
               "of the private feedback page need %(needed)s. Choose a layout with more room or feature fewer sites."),
            {"layout": layout.title, "slots": layout.qr_slots, "count": sites, "needed": sites + 1},
        )
    if sites > layout.qr_slots:
        return Message(
            N_("“%(layout)s” has room for %(slots)s QR codes and the campaign features %(count)s: choose another layout."),
            {"layout": layout.title, "slots": layout.qr_slots, "count": sites},
        )
    return None


FEEDBACK_NEEDS_ADDRESS = Message(
    N_("The private feedback page is printed as a QR code on the app's public address, which is not set yet: "
       "an owner sets it on the settings page.")
)


def _public_base_url() -> str:
    from .public_address import public_base_url

    return public_base_url()


def _expiry(wording: CardWording, printed_at: datetime, timezone_name: str) -> date | None:
    if wording.offer_kind == "none":
        return None
    return offer_expires_on(printed_at, timezone_name, wording.offer_validity_days, wording.ends_on)


def _content(location, wording: CardWording, destinations, link_mode: str, expires_on: date | None) -> dict:
    """Everything the cards of a batch share, as printed (later edits do not change a reprint).

    A private feedback campaign prints its feedback page after the review sites, with the same
    weight: one more QR code, never one instead of a site.
    """
    registry = load_registry()
    public_url = _public_base_url()
    printed = [
        {
            "position": position,
            "platform": destination.platform,
            "label": destination.label or registry[destination.platform].label,
            "url": destination.url,
            "display_url": destination.display_url,
        }
        for position, destination in enumerate(destinations, start=1)
    ]
    if wording.offer_kind == "private_feedback" and public_url:
        caption = default_wording(wording.language).private_feedback_caption
        printed.append(asdict(feedback_destination(len(printed) + 1, public_url, caption)))
    return {
        "language": wording.language,
        "link_mode": link_mode,
        "link_slot": SLOT_POSITION,
        "base_url": public_url if link_mode == "tracked" else "",
        "title": f"{wording.name} · {location.name}",
        "author": location.business.name,
        "subject": f"{len(destinations)} review site(s), {link_mode} links",
        "variables": {
            "headline": wording.headline,
            "body": wording.body,
            "offer": wording.offer_text,
            "business": location.business.name,
            "location": location_line(location.business.name, location.name),
            "presence_line": wording.presence_line,
            "validity": validity_sentence(expires_on, wording.language),
            "code_label": default_wording(wording.language).code_label_for(bool(wording.offer_text)),
        },
        "destinations": printed,
    }


# Facts kept as the batch's columns and rows rather than in its JSON.
_COLUMN_FACTS = ("destinations", "link_mode")


def _stored_content(content: dict) -> str:
    kept = {key: value for key, value in content.items() if key not in _COLUMN_FACTS}
    kept["variables"] = {key: value for key, value in content["variables"].items() if key != "offer"}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True)


def _batch_content(batch: CardBatch) -> dict:
    """A batch's content as it was printed: its JSON joined with its columns and printed QR rows."""
    content = json.loads(batch.content)
    content["link_mode"] = batch.link_mode
    content["variables"]["offer"] = batch.offer_text
    # Batches printed before codes were labelled: the label in the batch's language.
    content["variables"].setdefault(
        "code_label", default_wording(content["language"]).code_label_for(bool(batch.offer_text)))
    content["destinations"] = [
        {"position": d.position, "platform": d.platform, "label": d.label, "url": d.url, "display_url": d.display_url}
        for d in batch.destinations
    ]
    return content


def _qr_url(content: dict, destination: dict, code: str) -> str:
    return _printed_link(content, destination, code).url


def _printed_link(content: dict, destination: dict, code: str):
    return printed_link(PrintedDestination(**destination), code, content["link_mode"], content["base_url"],
                        content.get("link_slot", SLOT_PLATFORM))


def _card_content(content: dict, code: str) -> CardContent:
    links = [_printed_link(content, d, code) for d in content["destinations"]]
    return CardContent(
        variables={**content["variables"], "code": format_code(code)},
        qr_items=tuple(QrItem(url=link.url, label=link.label, short_url=link.short_url) for link in links),
    )


def _render(layout_name: str, content: dict, codes: list[str], printed_at: datetime, progress=None) -> bytes:
    layout = layout_named(layout_name)
    cards = [_card_content(content, code) for code in codes]
    info = DocumentInfo(title=content["title"], author=content["author"], subject=content["subject"], created_at=printed_at)
    offset = PrintOffset(*content.get(PRINT_OFFSET_KEY, (0.0, 0.0)))
    symbols = encode_in_parallel(item.url for card in cards for item in card.qr_items)
    try:
        with prepared(symbols):
            return render_cards(layout, cards, info, progress, offset)
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


def preview_card(user: User, location_id: int, data, layout_name: str) -> tuple[str, list[Finding], list[Finding]]:
    """The editor's live preview of one card, the policy findings, and what printing on this layout
    means (warnings: sites or lines it leaves out, QR legibility; information: a standing piece),
    for a form not yet saved."""
    from ..pdf.preview import render_card_svg
    from .campaigns import draft_from_input

    location = location_for(user, location_id)
    layout = layout_named(layout_name)
    findings = check_campaign(draft_from_input(user, location_id, data))
    by_id = {destination.id: destination for destination in location.destinations if not destination.presence_only}
    wanted = [by_id[i] for i in dict.fromkeys(data.destination_ids) if i in by_id]
    if not wanted:
        return "", findings, []
    notes = _layout_notes(layout, len(wanted))
    chosen = wanted[: layout.qr_slots]
    link_mode = data.link_mode if _public_base_url() else "direct"
    wording = CardWording.of(data)
    notes += _warnings(omitted_lines(layout, {"headline": wording.headline, "body": wording.body,
                                              "offer": wording.offer_text, "presence_line": wording.presence_line}))
    wording = wording.for_layout(layout)
    feedback_notes = _feedback_notes(layout, len(wanted), wording)
    if feedback_notes:
        # The card as it would print without the feedback page, whose problem the notes say.
        wording = replace(wording, offer_kind="thank_you")
    notes += _warnings(feedback_notes, "feedback_page")
    expires_on = _expiry(wording, utcnow(), location.timezone)
    card = _card_content(_content(location, wording, chosen, link_mode, expires_on), SAMPLE_CODE)
    try:
        return render_card_svg(layout, card), findings, notes + _warnings(legibility_notes(layout, card))
    except DomainError as error:
        raise ServiceError({"layout": error.message}) from None


def _feedback_notes(layout, sites: int, wording: CardWording) -> list[Message]:
    """What stops the feedback page's QR code from printing, said in the editor before printing."""
    if wording.offer_kind != "private_feedback":
        return []
    if not _public_base_url():
        return [FEEDBACK_NEEDS_ADDRESS]
    problem = _room_problem(layout, sites, True)
    return [problem] if problem is not None else []


def _warnings(messages: list[Message], code: str = "layout") -> list[Finding]:
    return [Finding("warning", code, message, "") for message in messages]


def _layout_notes(layout, site_count: int) -> list[Finding]:
    notes = []
    if site_count > layout.qr_slots:
        notes.append(Finding("warning", "layout_too_few_slots", Message(
            N_("“%(layout)s” takes %(slots)s review sites and the campaign features %(count)s: the preview shows "
               "the first %(slots)s, and printing on this layout is refused. Choose a layout with room for more, or "
               "feature fewer sites."),
            {"layout": layout.title, "slots": layout.qr_slots, "count": site_count}), ""))
    if layout.standing:
        notes.append(Finding("info", "standing_piece", Message(
            N_("“%(layout)s” is a standing piece: it stays on the table, so it prints no offer, code or expiry date. "
               "With tracked links, each piece's QR codes still count its scans."),
            {"layout": layout.title}), ""))
    return notes


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
    content = _content(location, wording, [destination], "direct", None)
    card = CardContent(variables=content["variables"] | {"code": "", "code_label": ""}, qr_items=_card_content(content, SAMPLE_CODE).qr_items)
    info = DocumentInfo(title=content["title"], author=content["author"], subject=content["subject"],
                        created_at=destination.created_at)
    try:
        return render_slip(layout, card, info)
    except DomainError as error:
        raise ServiceError({"": error.message}) from None

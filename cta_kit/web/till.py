"""The staff till: one tap per customer's review site, the QR or a slip, and redeeming offers.

The page talks JSON to the routes below; taps made while the network is down wait in the
browser (static/js/till.js) and are sent later with the same key, so each is stored once.
"""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from babel.dates import format_date, format_datetime
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from ..domain import redemption as rules
from ..domain.errors import DomainError
from ..domain.i18n import Message
from ..domain.platforms import load_registry
from ..domain.till import SLIP_LAYOUTS, UNDO_SECONDS, check_client_key, optional_text, tap_time
from ..forms import ActionForm
from ..models import utcnow
from ..services import printing, redemption, till as service
from ..services.accounts import SessionClaim
from ..services.errors import ServiceError
from ..services.locations import location_for
from ..services.qr_display import qr_svg
from ..services.reports import till_activity
from .i18n import translate
from .security import claim_checked_by_service, owner_required

bp = Blueprint("till", __name__, url_prefix="/locations/<int:location_id>/till")


@bp.get("")
@login_required
def page(location_id: int):
    location = location_for(current_user, location_id)
    return render_template(
        "till/page.html",
        location=location,
        platforms=load_registry(),
        tally=service.today_tally(location),
        qr_codes={d.id: qr_svg(d.url) for d in location.destinations if not d.presence_only},
        slips=service.till_campaign(location) is not None,
        slip_layouts=SLIP_LAYOUTS,
        paused_until=redemption.paused_until(location.id),
        undo_seconds=UNDO_SECONDS,
    )


@bp.post("/preferences")
@claim_checked_by_service
def log_preference(claim: SessionClaim, location_id: int):
    body = _json_body()
    data = _parse(lambda: service.PreferenceInput(
        platform=str(body.get("platform", "")),
        key=check_client_key(body.get("key")),
        destination_id=_optional_int(body.get("destination")),
        tapped_at=tap_time(body.get("at"), utcnow()),
        table=optional_text(body.get("table"), "table"),
        code=optional_text(body.get("code"), "code"),
        name=optional_text(body.get("name"), "name"),
    ))
    logged = _serve(lambda: service.log_preference(claim, location_id, data))
    return jsonify(id=logged.id, platform=logged.platform, tally=logged.tally)


@bp.post("/preferences/undo")
@login_required
def undo_preference(location_id: int):
    key = _parse(lambda: check_client_key(_json_body().get("key")))
    tally = _serve(lambda: service.undo_preference(current_user, location_id, key))
    return jsonify(undone=True, tally=tally)


@bp.post("/redemptions")
@login_required
def redeem(location_id: int):
    body = _json_body()
    code = body.get("code")
    if not isinstance(code, str):
        _refuse(_("Type the card's code."))
    data = _parse(lambda: redemption.RedemptionRequest(
        code=code, key=check_client_key(body.get("key")), device=optional_text(body.get("device"), "device")))
    answer = _serve(lambda: redemption.redeem(current_user, location_id, data))
    zone = location_for(current_user, location_id).timezone
    return jsonify(
        result=answer.result, message=_answer_text(answer, zone), code=answer.code, offer=answer.offer_text,
        offer_kind=answer.offer_kind, redeemed_by=answer.redeemed_by,
        redeemed_at=answer.redeemed_at.isoformat() if answer.redeemed_at else None,
    )


@bp.post("/slips")
@login_required
def print_slip(location_id: int):
    body = _json_body()
    layout = body.get("layout", SLIP_LAYOUTS[0])
    destination_id = _optional_int(body.get("destination"))
    if layout not in SLIP_LAYOUTS or destination_id is None:
        _refuse(_("Choose a review site and a slip width."))
    batch = _serve(lambda: printing.print_till_slip(current_user, location_id, destination_id, layout))
    return jsonify(id=batch.batch_id, pdf=url_for(".slip_pdf", location_id=location_id, batch_id=batch.batch_id))


@bp.get("/slips/<int:batch_id>.pdf")
@login_required
def slip_pdf(location_id: int, batch_id: int):
    batch = printing.reprint_till_slip(current_user, location_id, batch_id)
    return send_file(io.BytesIO(batch.pdf), mimetype="application/pdf", download_name=batch.filename)


@bp.post("/settings")
@owner_required
def settings(location_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.set_till_campaign(current_user, location_id, _optional_int(request.form.get("campaign_id") or None))
    except ServiceError as error:
        for message in error.errors.values():
            flash(translate(message), "error")
    else:
        flash(_("Till slips will use this campaign."), "success")
    return redirect(url_for("locations.detail", location_id=location_id))


@bp.get("/activity")
@owner_required
def activity(location_id: int):
    location = location_for(current_user, location_id)
    return render_template("till/activity.html", location=location, platforms=load_registry(),
                           report=till_activity(current_user, location_id))


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        _refuse(_("Send a JSON object."))
    return body


def _parse(build):
    try:
        return build()
    except DomainError as error:
        _refuse(translate(error.message))


def _serve(call):
    try:
        return call()
    except ServiceError as error:
        _refuse(" ".join(translate(message) for message in error.errors.values()))


def _refuse(message: str):
    response = jsonify(error="bad_request", message=message)
    response.status_code = 400
    abort(response)


def _optional_int(value) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _answer_text(answer: redemption.RedemptionAnswer, zone: str) -> str:
    """The answer in the reader's language, times at the location."""
    locale = str(get_locale() or "en")
    params = {
        "offer": answer.offer_text,
        "who": answer.redeemed_by or _("someone"),
        "when": format_datetime(answer.redeemed_at, "short", tzinfo=zone, locale=locale) if answer.redeemed_at else "",
        "date": format_date(answer.expires_on, "long", locale=locale) if answer.expires_on else "",
        "time": format_datetime(answer.paused_until, "short", tzinfo=zone, locale=locale) if answer.paused_until else "",
    }
    text = rules.ANSWER_TEXTS[answer.result]
    return translate(Message(text, {key: value for key, value in params.items() if f"%({key})s" in text}))

"""Private feedback: the customer's page behind a card's QR code, and the owner's list."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.cards import FEEDBACK_RULE
from ..domain.feedback import MAX_MESSAGE_LENGTH
from ..forms import ActionForm, FeedbackForm, apply_service_errors
from ..services import feedback as service
from ..services.errors import ServiceError
from ..services.links import UnknownLink
from .i18n import PAGE_LANGUAGE_KEY
from .links import unknown_link_page
from .security import owner_required, rerender_on_csrf_failure

bp = Blueprint("feedback", __name__)


@bp.route(FEEDBACK_RULE, methods=["GET", "POST"])
@rerender_on_csrf_failure
def write(code: str):
    try:
        page = service.feedback_page(code)
    except UnknownLink as unknown:
        return unknown_link_page(unknown.language)
    setattr(g, PAGE_LANGUAGE_KEY, page.language)
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            service.send_feedback(page, form.to_input())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            return redirect(url_for("feedback.thanks", code=page.code))
    return render_template("feedback/write.html", form=form, page=page, max_length=MAX_MESSAGE_LENGTH)


@bp.get(FEEDBACK_RULE + "/thanks")
def thanks(code: str):
    try:
        page = service.feedback_page(code)
    except UnknownLink as unknown:
        return unknown_link_page(unknown.language)
    setattr(g, PAGE_LANGUAGE_KEY, page.language)
    return render_template("feedback/thanks.html", page=page)


@bp.get("/locations/<int:location_id>/feedback")
@owner_required
def inbox(location_id: int):
    location, received = service.feedback_for(current_user, location_id)
    return render_template("feedback/inbox.html", location=location, received=received, action_form=ActionForm())


@bp.post("/locations/<int:location_id>/feedback/<int:feedback_id>/read")
@owner_required
def mark_read(location_id: int, feedback_id: int):
    service.mark_read(current_user, location_id, feedback_id)
    flash(_("Marked as read."), "success")
    return redirect(url_for("feedback.inbox", location_id=location_id))

"""The front door: where each kind of user lands, the health check, the language switch."""

from __future__ import annotations

from flask import Blueprint, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from ..extensions import db
from ..forms import LanguageForm
from ..services.accounts import needs_setup
from .i18n import SESSION_LANGUAGE_KEY

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    if needs_setup():
        return redirect(url_for("auth.setup"))
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    locations = current_user.locations
    if len(locations) == 1 and not current_user.is_owner:  # staff work at the till
        return redirect(url_for("till.page", location_id=locations[0].id))
    if len(locations) == 1:
        return redirect(url_for("locations.detail", location_id=locations[0].id))
    return redirect(url_for("locations.index"))


@bp.get("/healthz")
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.post("/language")
def choose_language():
    """For visitors who are not logged in; logged-in users keep theirs on their account."""
    form = LanguageForm()
    if form.validate_on_submit():  # the field only accepts the offered languages
        session[SESSION_LANGUAGE_KEY] = form.language.data
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = url_for("home.index")
    return redirect(target)

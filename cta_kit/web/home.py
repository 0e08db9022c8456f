"""The front door: where each kind of user lands, the health check, the language switch."""

from __future__ import annotations

import re

from flask import Blueprint, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from ..extensions import db
from ..forms import LanguageForm
from ..services.accounts import needs_setup
from .i18n import SESSION_LANGUAGE_KEY

bp = Blueprint("home", __name__)

# What the WHATWG URL parser drops before reading a URL (https://url.spec.whatwg.org/#concept-basic-url-parser):
# tabs and newlines anywhere, C0 controls and spaces at either end.
TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
C0_CONTROL_OR_SPACE = "".join(chr(code) for code in range(0x21))
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


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
    return redirect(_same_site_path(request.form.get("next", "")) or url_for("home.index"))


def _same_site_path(target: str) -> str | None:
    """``target`` cleaned as a browser cleans it, when it is a path on this site; else None.

    Browsers also read a backslash as a slash in http(s) URLs, so ``/\\evil.com`` is ``//evil.com``:
    another host.
    """
    cleaned = TAB_OR_NEWLINE.sub("", target).strip(C0_CONTROL_OR_SPACE).replace("\\", "/")
    if not cleaned.startswith("/") or cleaned.startswith("//") or CONTROL_CHARACTER.search(cleaned):
        return None
    return cleaned

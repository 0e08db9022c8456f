"""The public end of a tracked QR code: a redirect to the review site, nothing else."""

from __future__ import annotations

from flask import Blueprint, current_app, g, make_response, redirect, render_template, request

from ..domain.cards import TRACKED_RULE
from ..services.links import UnknownLink, Visit, follow_tracked_link, shared_location_language
from .i18n import PAGE_LANGUAGE_KEY
bp = Blueprint("links", __name__)


@bp.get(TRACKED_RULE, merge_slashes=False)
def follow(code: str, slot: str):
    try:
        target = follow_tracked_link(code, slot, Visit(request.method, request.user_agent.string))
    except UnknownLink as unknown:
        return unknown_link_page(unknown.language)
    response = redirect(target, code=302)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def unknown_link_page(language: str | None = None):
    """A 404 for the customer holding the card, in the location's language when it is known."""
    languages = current_app.config["LANGUAGES"]
    if language not in languages:
        language = shared_location_language()
    if language not in languages:
        language = request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    setattr(g, PAGE_LANGUAGE_KEY, language)
    response = make_response(render_template("links/unknown.html", language=language), 404)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response

"""The public end of a tracked QR code: a redirect to the review site, nothing else."""

from __future__ import annotations

from flask import Blueprint, redirect

from ..domain.cards import TRACKED_RULE
from ..services.links import tracked_destination

bp = Blueprint("links", __name__)


@bp.get(TRACKED_RULE, merge_slashes=False)
def follow(code: str, slot: str):
    response = redirect(tracked_destination(code, slot), code=302)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response

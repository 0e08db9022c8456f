"""Owners bring in the reviews customers posted, and see which came with a card."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..domain.platforms import load_registry
from ..forms import (
    ActionForm,
    ColumnMappingForm,
    LinkReviewForm,
    ManualReviewForm,
    MonthCountForm,
    ReviewUploadForm,
    apply_service_errors,
)
from ..services import matching, reviews, tracker
from ..services.errors import ServiceError
from ..services.locations import location_for
from .i18n import translate
from .security import owner_required, rerender_on_csrf_failure

bp = Blueprint("reviews", __name__, url_prefix="/locations/<int:location_id>/reviews")


@bp.get("/")
@owner_required
def index(location_id: int):
    filters = tracker.TrackerFilters(
        month=request.args.get("month") or None,
        destination_id=_row_id(request.args.get("site")),
        campaign_id=_row_id(request.args.get("campaign")),
    )
    view = tracker.tracker(current_user, location_id, filters)
    return render_template("reviews/tracker.html", view=view, location=view.location, platforms=load_registry(),
                           evidence_of=tracker.evidence_of, action_form=ActionForm(), link_form=LinkReviewForm())


@bp.post("/match")
@owner_required
def run_match(location_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    location = location_for(current_user, location_id)
    run = matching.run_matching(location.id)
    flash(ngettext("%(num)d match suggested.", "%(num)d matches suggested.", run.suggested), "success")
    return redirect(url_for("reviews.index", location_id=location_id))


@bp.post("/matches/<int:match_id>/<any(confirm, reject):decision>")
@owner_required
def decide(location_id: int, match_id: int, decision: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        matching.decide(current_user, location_id, match_id, confirm=decision == "confirm")
    except ServiceError as error:
        for message in error.errors.values():
            flash(translate(message), "error")
    return redirect(url_for("reviews.index", location_id=location_id))


@bp.post("/<int:review_id>/link")
@owner_required
def link(location_id: int, review_id: int):
    location_for(current_user, location_id)
    form = LinkReviewForm()
    if not form.validate_on_submit():
        if "csrf_token" in form and form.csrf_token.errors:
            abort(400)
        flash(_("Type the code printed on the card."), "error")
    else:
        try:
            matching.link_by_hand(current_user, location_id, review_id, form.code.data)
            flash(_("The review is linked to that card."), "success")
        except ServiceError as error:
            for message in error.errors.values():
                flash(translate(message), "error")
    return redirect(url_for("reviews.index", location_id=location_id))


@bp.route("/import", methods=["GET", "POST"])
@owner_required
@rerender_on_csrf_failure
def upload(location_id: int):
    location = location_for(current_user, location_id)
    form = ReviewUploadForm()
    if form.validate_on_submit():
        try:
            kept = reviews.upload_reviews(current_user, location_id, form.to_input())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            return redirect(url_for("reviews.preview", location_id=location_id, import_id=kept.id))
    return render_template("reviews/upload.html", form=form, location=location)


@bp.route("/import/<int:import_id>", methods=["GET", "POST"])
@owner_required
@rerender_on_csrf_failure
def preview(location_id: int, import_id: int):
    try:
        shown = reviews.preview_import(current_user, location_id, import_id)
    except ServiceError as error:
        for message in error.errors.values():
            flash(translate(message), "error")
        return redirect(url_for("reviews.index", location_id=location_id))
    form = ColumnMappingForm()
    form.set_columns(shown.headers, shown.mapping)
    if form.validate_on_submit():
        try:
            outcome = reviews.confirm_import(current_user, location_id, import_id,
                                             form.mapping() if shown.headers else None, form.platform.data or None)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            return render_template("reviews/imported.html", outcome=outcome, location=location_for(current_user, location_id))
    return render_template("reviews/preview.html", form=form, shown=shown, location=location_for(current_user, location_id))


@bp.route("/new", methods=["GET", "POST"])
@owner_required
@rerender_on_csrf_failure
def add(location_id: int):
    location = location_for(current_user, location_id)
    form = ManualReviewForm()
    form.destination_id.choices = _site_choices(location)
    if form.validate_on_submit():
        try:
            reviews.add_manual_review(current_user, location_id, form.to_input())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(_("Review added."), "success")
            return redirect(url_for("reviews.index", location_id=location_id))
    return render_template("reviews/manual.html", form=form, location=location)


@bp.route("/counts", methods=["GET", "POST"])
@owner_required
@rerender_on_csrf_failure
def counts(location_id: int):
    location = location_for(current_user, location_id)
    form = MonthCountForm()
    form.destination_id.choices = _site_choices(location)
    if form.validate_on_submit():
        try:
            reviews.set_month_count(current_user, location_id, form.to_input())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(_("Monthly count saved."), "success")
            return redirect(url_for("reviews.counts", location_id=location_id))
    return render_template("reviews/counts.html", form=form, location=location,
                           counts=reviews.month_counts_of(current_user, location_id), platforms=load_registry())


def _row_id(text: str | None) -> int | None:
    """A row id from a query string; anything else (or beyond any id) filters nothing."""
    return int(text) if text and text.isdigit() and int(text) < 2**31 else None


def _site_choices(location):
    registry = load_registry()
    return [(d.id, d.label or _(registry[d.platform].label)) for d in location.destinations]

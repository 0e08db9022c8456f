"""Locations: the list, one location's page with its review sites, adding and editing."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.platforms import load_registry
from ..forms import ActionForm, LocationForm, apply_service_errors
from ..services import locations as service
from ..services.errors import ServiceError
from ..services.feedback import unread_feedback_count
from ..services.till import till_overview
from .security import owner_required, rerender_on_csrf_failure

bp = Blueprint("locations", __name__, url_prefix="/locations")


@bp.get("/")
@login_required
def index():
    return render_template("locations/index.html", locations=current_user.locations)


@bp.get("/<int:location_id>")
@login_required
def detail(location_id: int):
    location = service.location_for(current_user, location_id)
    return render_template(
        "locations/detail.html", location=location, platforms=load_registry(), action_form=ActionForm(),
        till=till_overview(current_user, location_id),
        unread_feedback=unread_feedback_count(current_user, location_id) if current_user.is_owner else 0,
    )


@bp.route("/new", methods=["GET", "POST"])
@owner_required
@rerender_on_csrf_failure
def create():
    form = LocationForm()
    if form.validate_on_submit():
        try:
            location = service.create_location(current_user, form.to_input())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(_("Location added. Now add the review sites its customers use."), "success")
            return redirect(url_for("locations.detail", location_id=location.id))
    return render_template("locations/form.html", form=form, location=None)


@bp.route("/<int:location_id>/edit", methods=["GET", "POST"])
@owner_required
@rerender_on_csrf_failure
def edit(location_id: int):
    location = service.location_for(current_user, location_id)
    form = LocationForm(obj=location)
    if form.validate_on_submit():
        try:
            service.update_location(current_user, location_id, form.to_input())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(_("Location saved."), "success")
            return redirect(url_for("locations.detail", location_id=location_id))
    return render_template("locations/form.html", form=form, location=location)

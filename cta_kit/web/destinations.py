"""Review destinations of a location, and the full-screen QR staff show a customer."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.platforms import load_registry
from ..forms import ActionForm, DestinationForm, apply_service_errors
from ..services import destinations as service
from ..services import printing
from ..services.errors import ServiceError
from ..services.locations import location_for
from ..services.qr_display import qr_svg
from .i18n import translate
from .security import owner_required, rerender_on_csrf_failure

bp = Blueprint("destinations", __name__, url_prefix="/locations/<int:location_id>/destinations")


@bp.route("/new", methods=["GET", "POST"])
@owner_required
@rerender_on_csrf_failure
def create(location_id: int):
    location = location_for(current_user, location_id)
    form = DestinationForm()
    if form.validate_on_submit():
        try:
            destination = service.add_destination(current_user, location_id, form.to_input())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(_("Added: %(link)s", link=destination.display_url), "success")
            return redirect(url_for("locations.detail", location_id=location_id))
    return render_template("destinations/form.html", form=form, location=location, platforms=load_registry())


@bp.get("/<int:destination_id>/delete")
@owner_required
def confirm_delete(location_id: int, destination_id: int):
    """Ask first, naming the campaigns the site would leave."""
    destination = service.destination_for(current_user, location_id, destination_id)
    return render_template(
        "destinations/confirm_delete.html",
        destination=destination,
        location=destination.location,
        campaigns=service.campaigns_featuring(destination),
    )


@bp.post("/<int:destination_id>/delete")
@owner_required
def delete(location_id: int, destination_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    left = service.remove_destination(current_user, location_id, destination_id)
    if left:
        flash(_("Review site removed. It no longer appears on: %(campaigns)s.", campaigns=", ".join(left)), "info")
    else:
        flash(_("Review site removed."), "info")
    return redirect(url_for("locations.detail", location_id=location_id))


@bp.post("/<int:destination_id>/move/<any(up, down):direction>")
@owner_required
def move(location_id: int, destination_id: int, direction: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    service.move_destination(current_user, location_id, destination_id, -1 if direction == "up" else 1)
    return redirect(url_for("locations.detail", location_id=location_id))


@bp.get("/<int:destination_id>/slip.pdf")
@login_required
def slip(location_id: int, destination_id: int):
    """A single 80 mm slip for the receipt printer, with this site's QR code."""
    try:
        pdf = printing.slip_for_destination(current_user, location_id, destination_id)
    except ServiceError as error:
        for message in error.errors.values():
            flash(translate(message), "error")
        return redirect(url_for("locations.detail", location_id=location_id))
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name=f"slip-{destination_id}.pdf")


@bp.get("/<int:destination_id>/qr")
@login_required
def qr(location_id: int, destination_id: int):
    destination = service.destination_for(current_user, location_id, destination_id)
    return render_template(
        "destinations/qr.html",
        destination=destination,
        platform=load_registry()[destination.platform],
        qr=qr_svg(destination.url),
    )

"""A location's printer: the print offset, and a test sheet per layout to measure it."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..forms import PrintOffsetForm, apply_service_errors
from ..services import printer_setup as service
from ..services.errors import ServiceError
from ..services.layouts import available_layouts
from ..services.locations import location_for
from .i18n import translate
from .security import owner_required, rerender_on_csrf_failure

bp = Blueprint("printer", __name__, url_prefix="/locations/<int:location_id>/printer")


@bp.route("/", methods=["GET", "POST"])
@owner_required
@rerender_on_csrf_failure
def settings(location_id: int):
    location = location_for(current_user, location_id)
    form = PrintOffsetForm(data={"print_offset_x": location.print_offset_x_mm, "print_offset_y": location.print_offset_y_mm})
    if form.validate_on_submit():
        try:
            service.update_print_offset(current_user, location_id, form.to_input())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(_("Print offset saved: every sheet printed for this location is moved by it."), "success")
            return redirect(url_for("printer.settings", location_id=location_id))
    return render_template("printer/settings.html", location=location, form=form, layouts=available_layouts().values())


@bp.get("/test-sheet/<layout_name>.pdf")
@owner_required
def test_sheet(location_id: int, layout_name: str):
    if layout_name not in available_layouts():
        abort(404)
    sheet = service.printer_test_sheet_for(current_user, location_id, layout_name, translate)
    return send_file(io.BytesIO(sheet.pdf), mimetype="application/pdf", as_attachment=True, download_name=sheet.filename)

"""Owners' settings of this install: the public address tracked QR codes point to."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..forms import PublicAddressForm, apply_service_errors
from ..services import public_address as service
from ..services.errors import ServiceError
from .security import owner_required, rerender_on_csrf_failure

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.route("/", methods=["GET", "POST"])
@owner_required
@rerender_on_csrf_failure
def index():
    address = service.public_address()
    form = PublicAddressForm(public_address=address.url)
    may_change = service.may_change_public_address(current_user)
    if may_change and not address.from_configuration and form.validate_on_submit():
        try:
            saved = service.set_public_address(current_user, form.public_address.data or "")
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(_("Public address saved: %(url)s", url=saved) if saved else _("Public address removed."), "success")
            return redirect(url_for("settings.index"))
    return render_template("settings/index.html", form=form, address=address, may_change=may_change)

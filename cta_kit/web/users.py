"""The owner's list of accounts: adding staff, changing roles, locations, disabling."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from ..forms import AccountForm, apply_service_errors, options
from ..services import accounts
from ..services.errors import ServiceError
from .security import owner_required, rerender_on_csrf_failure

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.get("/")
@owner_required
def index():
    return render_template("users/index.html", users=accounts.accounts_of(current_user))


def _account_form(**kwargs) -> AccountForm:
    form = AccountForm(**kwargs)
    form.location_ids.choices = options((location.id, location.name) for location in current_user.locations)
    return form


@bp.route("/new", methods=["GET", "POST"])
@owner_required
@rerender_on_csrf_failure
def create():
    form = _account_form()
    if len(current_user.locations) == 1 and not form.is_submitted():
        form.location_ids.data = [current_user.locations[0].id]
    if form.validate_on_submit():
        try:
            # A new account starts active; the checkbox only shows when editing.
            user = accounts.create_account(current_user, replace(form.to_input(), is_active=True))
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(_("Account created for %(name)s.", name=user.name), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=None)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@owner_required
@rerender_on_csrf_failure
def edit(user_id: int):
    user = accounts.account_of(current_user, user_id)
    form = _account_form(obj=user)
    if not form.is_submitted():
        form.location_ids.data = [location.id for location in user.locations]
    if form.validate_on_submit():
        try:
            updated = accounts.update_account(current_user, user_id, form.to_input())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            if updated.id == current_user.id:
                # A new password ends the owner's other sessions, not this one.
                login_user(updated)
            flash(_("Account saved."), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=user)

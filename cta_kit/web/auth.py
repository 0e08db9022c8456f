"""First-run setup, login and logout."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..forms import ActionForm, LoginForm, SetupForm, apply_service_errors
from ..services import accounts
from ..services.errors import ServiceError
from .security import mark_session_start, rerender_on_csrf_failure

bp = Blueprint("auth", __name__)


@bp.route("/setup", methods=["GET", "POST"])
@rerender_on_csrf_failure
def setup():
    if not accounts.needs_setup():
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            owner = accounts.complete_setup(form.to_input())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            login_user(owner)
            mark_session_start()
            flash(_("Welcome! Next, add the review sites your customers use."), "success")
            return redirect(url_for("locations.detail", location_id=owner.locations[0].id))
    return render_template("auth/setup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@rerender_on_csrf_failure
def login():
    if accounts.needs_setup():
        return redirect(url_for("auth.setup"))
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.to_input(), request.remote_addr or "unknown")
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            login_user(user)
            mark_session_start()
            return redirect(url_for("home.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    if ActionForm().validate_on_submit():
        accounts.end_sessions(current_user._get_current_object())
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))

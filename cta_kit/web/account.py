"""A user's own account: language and password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from ..forms import LanguageForm, PasswordChangeForm, apply_service_errors
from ..services import accounts
from ..services.errors import ServiceError
from .security import mark_session_start, rerender_on_csrf_failure

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/", methods=["GET", "POST"])
@login_required
@rerender_on_csrf_failure
def settings():
    user = current_user._get_current_object()
    form = LanguageForm(language=user.language)
    if form.validate_on_submit():
        try:
            accounts.set_language(user, form.language.data)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(_("Your language is saved."), "success")
            return redirect(url_for("account.settings"))
    return render_template("account/settings.html", form=form, password_form=PasswordChangeForm(formdata=None))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@rerender_on_csrf_failure
def password():
    user = current_user._get_current_object()
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(user, form.current_password.data, form.new_password.data)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            # Other devices are logged out; this one continues with the new session version.
            login_user(user)
            mark_session_start()
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("account.settings"))
    return render_template("account/password.html", form=form)

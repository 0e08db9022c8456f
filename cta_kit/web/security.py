"""Who may do what, CSRF, session lifetime and the security headers on every response."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import wraps

from flask import Flask, abort, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError

from ..domain.cards import TRACKED_PREFIX
from ..extensions import csrf, db, login_manager
from ..models import User
from ..services.accounts import SessionClaim
from ..services.errors import NotSignedIn

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Printed cards hold single-use codes: no cache, shared or on a shared till computer, keeps a copy.
DOWNLOADS_NEVER_STORED = frozenset({"application/pdf", "text/csv"})
HSTS_MAX_AGE_SECONDS = 365 * 24 * 3600
AUTH_TIME_KEY = "auth_at"
USER_ID_KEY = "_user_id"  # where Flask-Login keeps the signed-in user's id

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)


def load_user(user_id: str) -> User | None:
    """Accept the session only while the user's session version and shift length still match."""
    try:
        id_text, version_text = user_id.split(":", 1)
        user = db.session.get(User, int(id_text))
        version = int(version_text)
    except (ValueError, TypeError):
        return None
    if user is None or not user.is_active or user.session_version != version:
        return None
    owner_ok, staff_ok = _within_lifetimes()
    if not (owner_ok if user.is_owner else staff_ok):
        return None
    return user


def _within_lifetimes() -> tuple[bool, bool]:
    """Whether the session is young enough for an owner's account, and for a staff account."""
    started = session.get(AUTH_TIME_KEY)
    if started is None:
        return False, False
    age = datetime.now(timezone.utc).timestamp() - float(started)
    config = current_app.config
    return (age <= config["PERMANENT_SESSION_LIFETIME"].total_seconds(),
            age <= config["STAFF_SESSION_LIFETIME"].total_seconds())


def session_claim() -> SessionClaim | None:
    """What the session says about who is signed in, without loading the user: the same rules as
    ``load_user``, which the service applies in the query the request makes anyway."""
    try:
        id_text, version_text = session[USER_ID_KEY].split(":", 1)
        claim = SessionClaim(int(id_text), int(version_text), *_within_lifetimes())
    except (KeyError, AttributeError, ValueError, TypeError):
        return None
    return claim if claim.owner_within_lifetime or claim.staff_within_lifetime else None


def claim_checked_by_service(view):
    """For the till's busiest JSON route: instead of loading the user first (``login_required``),
    the view gets the session's claim and its service checks it in the one query it makes;
    a claim that fails either check is answered as ``login_required`` answers a visitor."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        claim = session_claim()
        if claim is None:
            return login_manager.unauthorized()
        try:
            return view(claim, *args, **kwargs)
        except NotSignedIn:
            return login_manager.unauthorized()

    return wrapped


def mark_session_start() -> None:
    session.permanent = True
    session[AUTH_TIME_KEY] = datetime.now(timezone.utc).timestamp()


def owner_required(view):
    """Owners only; staff get a 403 page that says so."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_owner:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def rerender_on_csrf_failure(view):
    """Mark a form view that shows its form again, with what was typed, when the CSRF check fails.

    Every other state-changing view refuses the request outright.
    """
    view.rerenders_on_csrf_failure = True
    return view


def _check_csrf() -> None:
    if request.method in SAFE_METHODS or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        csrf.protect()
    except CSRFError:
        view = current_app.view_functions.get(request.endpoint or "")
        if getattr(view, "rerenders_on_csrf_failure", False):
            # The view's FlaskForm fails its own CSRF validation and renders the message.
            g.csrf_failed = True
            return
        raise


def _add_security_headers(response):
    if g.get("csrf_failed") and response.status_code < 400:
        response.status_code = 400
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if response.mimetype == "text/html":
        headers.setdefault("Cache-Control", "no-store")
    elif response.mimetype in DOWNLOADS_NEVER_STORED:
        headers["Cache-Control"] = "no-store"  # send_file has set its own "no-cache"
    if request.is_secure or current_app.config.get("SESSION_COOKIE_SECURE"):
        # Browsers ignore it over plain HTTP (RFC 6797, section 8.1); behind a TLS proxy the
        # secure-cookie setting says the site is served over HTTPS.
        headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_MAX_AGE_SECONDS}")
    return response


class NoSessionOnTrackedLinks(SecureCookieSessionInterface):
    """A tracked link is public and answered on a customer's phone: it neither reads nor sets the
    session cookie, so nobody's session is loaded, checked or re-signed for it."""

    def open_session(self, app, request):
        if request.path.startswith(TRACKED_PREFIX):
            return self.make_null_session(app)
        return super().open_session(app, request)


def register_security(app: Flask) -> None:
    app.session_interface = NoSessionOnTrackedLinks()
    app.before_request(_check_csrf)
    app.after_request(_add_security_headers)

"""Friendly error pages: a clear message, never a traceback."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug import exceptions as werkzeug_exceptions
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from ..extensions import db
from ..services.database import DatabaseBusy, is_lock_failure
from ..services.errors import NotFound
from ..domain.cards import FEEDBACK_PREFIX, TRACKED_PREFIX
from .links import unknown_link_page

HANDLED = (400, 403, 404, 405, 413, 429)
RETRY_AFTER_SECONDS = 2


def register_error_pages(app: Flask) -> None:
    def http_error(error: HTTPException):
        if error.code == 404 and request.path.startswith((TRACKED_PREFIX, FEEDBACK_PREFIX)):
            # Whatever follows /r/ or /f/, the person reading is a customer who scanned or typed a card.
            return unknown_link_page()
        return render_template("errors/error.html", error=error), error.code

    def csrf_error(error: CSRFError):
        if request.is_json:  # the till's script asks for a new login rather than showing a page
            return jsonify(error="csrf", message=error.description), 400
        return render_template("errors/error.html", error=error, csrf=True), 400

    def server_error(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return render_template("errors/error.html", error=InternalServerError()), 500

    def not_found(_error: NotFound):
        return http_error(werkzeug_exceptions.NotFound())

    def busy(_error: DatabaseBusy):
        """Views that show a form put the message on it; elsewhere, a page that says try again."""
        db.session.rollback()
        page = render_template("errors/error.html", error=ServiceUnavailable())
        return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    def database_error(error: OperationalError):
        if is_lock_failure(error):
            return busy(DatabaseBusy())
        raise error  # any other database failure is a server error, handled as such

    app.register_error_handler(NotFound, not_found)
    app.register_error_handler(DatabaseBusy, busy)
    app.register_error_handler(OperationalError, database_error)
    for code in HANDLED:
        app.register_error_handler(code, http_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(InternalServerError, server_error)

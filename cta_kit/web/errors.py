"""Friendly error pages: a clear message, never a traceback."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug import exceptions as werkzeug_exceptions
from werkzeug.exceptions import HTTPException, InternalServerError

from ..extensions import db
from ..services.errors import NotFound
from ..domain.cards import TRACKED_PREFIX
from .links import unknown_link_page

HANDLED = (400, 403, 404, 405, 413, 429)


def register_error_pages(app: Flask) -> None:
    def http_error(error: HTTPException):
        if error.code == 404 and request.path.startswith(TRACKED_PREFIX):
            # Whatever follows /r/, the person reading is a customer who scanned or typed a card.
            return unknown_link_page()
        return render_template("errors/error.html", error=error), error.code

    def csrf_error(error: CSRFError):
        return render_template("errors/error.html", error=error, csrf=True), 400

    def server_error(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return render_template("errors/error.html", error=InternalServerError()), 500

    def not_found(_error: NotFound):
        return http_error(werkzeug_exceptions.NotFound())

    app.register_error_handler(NotFound, not_found)
    for code in HANDLED:
        app.register_error_handler(code, http_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(InternalServerError, server_error)

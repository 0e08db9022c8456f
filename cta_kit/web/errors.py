"""Friendly error pages: a clear message, never a traceback."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug import exceptions as werkzeug_exceptions
from werkzeug.exceptions import HTTPException, InternalServerError

from ..extensions import db
from ..services.errors import NotFound

HANDLED = (400, 403, 404, 405, 413, 429)


def register_error_pages(app: Flask) -> None:
    def http_error(error: HTTPException):
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

    app.register_error_handler(NotFound, not_found)
    for code in HANDLED:
        app.register_error_handler(code, http_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(InternalServerError, server_error)

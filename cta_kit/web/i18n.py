"""Choosing the interface language, and translating domain messages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Flask, current_app, request, session
from flask_babel import get_locale, gettext
from flask_login import current_user

from ..domain.i18n import Message

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
SESSION_LANGUAGE_KEY = "language"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = session.get(SESSION_LANGUAGE_KEY)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def translate(message: Message) -> str:
    """A domain message in the reader's language."""
    return gettext(message.text, **message.params)


def register_i18n(app: Flask) -> None:
    app.jinja_env.globals.update(
        language_names=LANGUAGE_NAMES,
        current_language=lambda: str(get_locale() or "en"),
    )
    app.jinja_env.filters["translate"] = translate
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["fromiso"] = datetime.fromisoformat


def local_time(moment: datetime | None, zone: str, form: str = "medium") -> str:
    """A moment as the location's clock showed it, in the reader's language."""
    if moment is None:
        return ""
    return format_datetime(moment, format=form, tzinfo=ZoneInfo(zone), locale=str(get_locale() or "en"))

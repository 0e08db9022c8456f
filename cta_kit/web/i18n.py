"""Choosing the interface language, and translating domain messages."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime
from flask import Flask, current_app, g, request, session
from flask_babel import format_decimal, get_locale, gettext
from flask_login import current_user

from ..domain.codes import format_code
from ..domain.i18n import Message
from .campaign_display import platform_label, site_name

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
SESSION_LANGUAGE_KEY = "language"


PAGE_LANGUAGE_KEY = "page_language"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    # A page written for someone other than the reader's account (a card's customer) says so.
    chosen = g.get(PAGE_LANGUAGE_KEY)
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = session.get(SESSION_LANGUAGE_KEY)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def translate(message: Message) -> str:
    """A domain message in the reader's language, its decimal numbers written the reader's way."""
    params = {
        name: format_decimal(value) if isinstance(value, float) else value for name, value in message.params.items()
    }
    if isinstance(params.get("layout"), str):  # a layout's title, which the catalogue translates
        params["layout"] = gettext(params["layout"])
    return gettext(message.text, **params)


def local_time(moment: datetime | None, timezone_name: str, form: str = "short") -> str:
    """A moment as the clock on the location's wall shows it, in the reader's language."""
    if moment is None:
        return ""
    return format_datetime(moment, form, tzinfo=timezone_name, locale=str(get_locale() or "en"))


def register_i18n(app: Flask) -> None:
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals.update(
        language_names=LANGUAGE_NAMES,
        current_language=lambda: str(get_locale() or "en"),
    )
    app.jinja_env.filters["translate"] = translate
    app.jinja_env.filters["site_name"] = site_name
    app.jinja_env.filters["platform_label"] = platform_label
    app.jinja_env.filters["fromiso"] = datetime.fromisoformat
    app.jinja_env.filters["card_code"] = format_code  # as printed on the card, with its hyphens

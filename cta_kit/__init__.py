"""cta-kit: honest review cards for restaurants and shops."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .config import instance_path_from_env, load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=instance_path_from_env(),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    load_config(app, test_config)
    trust_proxies(app)
    register_database_pragmas()
    register_extensions(app)
    register_task_queue(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, take the client's address and scheme from their headers.

    Without it every customer shares the proxy's address, and login limits lock everyone out.
    """
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_database_pragmas() -> None:
    if not event.contains(Engine, "connect", _sqlite_on_connect):
        event.listen(Engine, "connect", _sqlite_on_connect)
        event.listen(Engine, "begin", _sqlite_on_begin)


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Python's sqlite3 would open transactions on its own and never with BEGIN IMMEDIATE;
    # taking over lets read-then-write services lock early (see cta_kit.services.database).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    immediate = connection.get_execution_options().get("sqlite_begin_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def register_extensions(app: Flask) -> None:
    from flask_babel import gettext

    from .domain.i18n import N_
    from .extensions import babel, csrf, db, login_manager, migrate
    from .web.i18n import select_locale
    from .web.security import load_user

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # Flask-Login's own flash, in the reader's language like every other message.
    login_manager.login_message = N_("Please log in to access this page.")
    login_manager.localize_callback = gettext
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )


def register_task_queue(app: Flask) -> None:
    from .tasks import init_task_queue

    init_task_queue(app)


def register_blueprints(app: Flask) -> None:
    from .web import account, auth, campaigns, destinations, feedback, home, links, locations, print_jobs, printer, reviews, settings, summary, till, users
    from .web.i18n import register_i18n
    from .web.security import register_security

    register_security(app)
    register_i18n(app)
    for module in (home, auth, account, locations, destinations, campaigns, print_jobs, printer, till, users, links, feedback, settings, reviews, summary):
        app.register_blueprint(module.bp)


def register_errorhandlers(app: Flask) -> None:
    from .web.errors import register_error_pages

    register_error_pages(app)


def register_commands(app: Flask) -> None:
    from .cli import register_cli

    register_cli(app)

"""The WSGI entry point for gunicorn: ``gunicorn --preload 'cta_kit.wsgi:app'``."""

from . import create_app
from .services.database import upgrade_database

app = create_app()
if app.config["AUTO_UPGRADE_DB"]:
    upgrade_database(app)

"""The WSGI entry point for gunicorn: ``gunicorn --preload 'cta_kit.wsgi:app'``.

With --preload this runs once, in gunicorn's master process, which also starts the print worker.
"""

from . import create_app
from .services.database import upgrade_database
from .worker import start_print_worker

app = create_app()
if app.config["AUTO_UPGRADE_DB"]:
    upgrade_database(app)
start_print_worker(app)

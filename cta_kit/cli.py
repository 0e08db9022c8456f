"""The ``cta-kit`` command: Flask's commands (``run``, ``db``, ...) plus the ones below."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy.engine import make_url

from . import create_app


def main() -> None:
    cli = FlaskGroup(create_app=create_app, add_version_option=False, load_dotenv=False)
    cli.help = "cta-kit: print honest review cards and count the reviews that follow."
    cli(prog_name="cta-kit")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def serve_command(host: str, port: int) -> None:
    """Upgrade the database (after a backup) and serve the app."""
    from .services.database import upgrade_database

    app = current_app._get_current_object()
    backup = upgrade_database(app) if app.config["AUTO_UPGRADE_DB"] else None
    if backup:
        click.echo(f"Database backed up to {backup} before upgrading.")
    click.echo(f"cta-kit is serving on http://{host}:{port}/")
    app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)


@click.command("check-deploy")
@with_appcontext
def check_deploy_command() -> None:
    """Report every unsafe production setting; exit 1 when there is one."""
    from .services.deployment import current_problems

    problems = current_problems(current_app._get_current_object())
    for problem in problems:
        click.echo(f"UNSAFE: {problem}")
    if problems:
        sys.exit(1)
    click.echo("No unsafe setting found.")


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(destination: Path) -> None:
    """Copy the database consistently while the app keeps running."""
    from .services.database import backup_sqlite, sqlite_path

    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    source = sqlite_path(uri)
    if source is None:
        url = make_url(uri)
        click.echo(
            "This database is PostgreSQL: back it up with its own tool, for example\n"
            f"  pg_dump --format=custom --file={destination} "
            f"--host={url.host or 'localhost'} --port={url.port or 5432} "
            f"--username={url.username or 'postgres'} {url.database}\n"
            "and restore with pg_restore --clean --dbname=... FILE.",
            err=True,
        )
        sys.exit(2)
    if not source.exists():
        raise click.ClickException(f"There is no database at {source} yet.")
    if destination.exists():
        raise click.ClickException(f"{destination} exists already: choose a new file name.")
    backup_sqlite(source, destination)
    click.echo(f"Backed up {source} to {destination}.")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create a demo restaurant with review sites and staff, and print how to log in."""
    from .services.demo import create_demo

    for line in create_demo():
        click.echo(line)


def register_cli(app: Flask) -> None:
    for command in (serve_command, check_deploy_command, backup_command, demo_command):
        app.cli.add_command(command)

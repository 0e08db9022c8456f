"""The ``cta-kit`` command: Flask's commands (``run``, ``db``, ...) plus the ones below."""

from __future__ import annotations

import socket
import sqlite3
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from werkzeug.serving import run_simple

from . import create_app


def main() -> None:
    try:
        # Built here, not inside Flask's command listing, which prints a traceback when it fails.
        app = _create_app_or_explain()
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    cli = FlaskGroup(create_app=lambda: app, add_version_option=False, load_dotenv=False)
    cli.help = "cta-kit: print honest review cards and count the reviews that follow."
    try:
        cli(prog_name="cta-kit")
    except (OSError, sqlite3.Error, OperationalError) as error:
        # Files and databases out of reach: the reason, without a traceback.
        click.echo(f"Error: {_first_line(error)}", err=True)
        sys.exit(1)


def _create_app_or_explain() -> Flask:
    try:
        return create_app()
    except ArgumentError as error:
        raise click.ClickException(f"The database URL is not valid ({_first_line(error)}): check CTA_KIT_DATABASE_URL.") from None
    except OSError as error:
        raise click.ClickException(f"cta-kit cannot start: {_first_line(error)}.") from None


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _check_writable_file(path: Path, option: str) -> None:
    """Before any work: a file can be written at ``path`` (tried, as permissions alone do not tell root)."""
    existed = path.exists()
    try:
        with path.open("ab"):
            pass
    except OSError as error:
        raise click.ClickException(f"Cannot write {option} {path}: {error.strerror or error}.") from None
    if not existed:
        path.unlink(missing_ok=True)


def _port_problem(host: str, port: int) -> str | None:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Werkzeug's server does
            probe.bind(address)
    except OSError as error:
        return error.strerror or str(error)
    return None


def _postgres_options(url) -> str:
    return f"--host={url.host or 'localhost'} --port={url.port or 5432} --username={url.username or 'postgres'}"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def serve_command(host: str, port: int) -> None:
    """Upgrade the database (after a backup) and serve the app."""
    from .services.database import upgrade_database

    problem = _port_problem(host, port)
    if problem:
        raise click.ClickException(f"Cannot serve on {host}:{port}: {problem}. Choose another --port or --host.")
    app = current_app._get_current_object()
    backup = upgrade_database(app) if app.config["AUTO_UPGRADE_DB"] else None
    if backup:
        click.echo(f"Database backed up to {backup} before upgrading.")
    from .worker import start_print_worker

    if start_print_worker(app):
        click.echo("The print worker runs in its own process.")
    click.echo(f"cta-kit is serving on http://{host}:{port}/ (stop with Ctrl+C)")
    # Flask ignores app.run() inside its own CLI, so serve with Werkzeug directly.
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


@click.command("worker")
@click.option("--threads", default=1, show_default=True, help="Prints drawn at the same time.")
@click.option("--parent", "parent_pid", type=int, hidden=True, help="Stop when this process is gone.")
@click.option("--nice", "niceness", default=0, hidden=True, help="Lower the worker's CPU priority by this much.")
@with_appcontext
def worker_command(threads: int, parent_pid: int | None, niceness: int) -> None:
    """Run the print worker in the foreground (set CTA_KIT_PRINT_WORKER_AUTOSTART=false on the web servers)."""
    import logging

    from .worker import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    run_worker(current_app._get_current_object(), threads=threads, parent_pid=parent_pid, niceness=niceness)


@click.command("check-deploy")
def check_deploy_command() -> None:
    """Report every unsafe production setting; exit 1 when there is one."""
    from .services.deployment import current_problems

    # Built as cta_kit.wsgi builds it: the app Flask's CLI loads has had its debug flag reset
    # from FLASK_DEBUG, which would hide CTA_KIT_DEBUG or DEBUG in instance/config.py.
    production_app = _create_app_or_explain()
    with production_app.app_context():
        problems = current_problems(production_app)
    for problem in problems:
        click.echo(f"UNSAFE: {problem}")
    if problems:
        sys.exit(1)
    click.echo("No unsafe setting found.")


@click.command("backup")
@click.argument("destination", type=click.Path(path_type=Path))
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
            f"  pg_dump --format=custom --file={destination} {_postgres_options(url)} {url.database}\n"
            "and restore with pg_restore --clean --dbname=... FILE.",
            err=True,
        )
        sys.exit(2)
    if not source.exists():
        raise click.ClickException(f"There is no database at {source} yet.")
    if destination.exists():
        raise click.ClickException(f"{destination} exists already: choose a new file name.")
    try:
        backup_sqlite(source, destination)
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"Cannot read the database {source}: {error}.") from None
    click.echo(f"Backed up {source} to {destination}.")


@click.command("restore")
@click.argument("backup", type=click.Path(path_type=Path))
@with_appcontext
def restore_command(backup: Path) -> None:
    """Replace the database with a backup (stop the app first); the current one is kept."""
    from .services.database import RestoreRefused, known_revisions, restore_sqlite, sqlite_path

    app = current_app._get_current_object()
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    database = sqlite_path(uri)
    if database is None:
        url = make_url(uri)
        click.echo(
            "This database is PostgreSQL: stop cta-kit, then restore with its own tool, for example\n"
            f"  pg_restore --clean --if-exists --no-owner {_postgres_options(url)} --dbname={url.database} {backup}",
            err=True,
        )
        sys.exit(2)
    try:
        restored = restore_sqlite(backup, database, known_revisions(app), Path(app.instance_path) / "backups")
    except RestoreRefused as refused:
        raise click.ClickException(str(refused)) from None
    if restored.previous:
        click.echo(f"The replaced database is kept at {restored.previous}.")
    click.echo(f"Restored {backup} to {database} (schema {restored.revision}). Start cta-kit again.")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Upgrade the database (after a backup), then create a demo restaurant and print how to log in."""
    from .services.database import upgrade_database
    from .services.demo import create_demo

    app = current_app._get_current_object()
    # A new instance has no tables yet: upgrade as `serve` does, so the demo works first.
    backup = upgrade_database(app) if app.config["AUTO_UPGRADE_DB"] else None
    if backup:
        click.echo(f"Database backed up to {backup} before upgrading.")
    for line in create_demo():
        click.echo(line)


@click.command("layouts")
def layouts_command() -> None:
    """List the print layouts with their sizes."""
    from .services.layouts import available_layouts

    for layout in available_layouts().values():
        width, height = layout.page_size_mm
        sheet = f"roll {width:g} mm" if layout.is_roll else f"sheet {width:g} x {height:g} mm"
        click.echo(
            f"{layout.name:24} {layout.card_width_mm:g} x {layout.card_height_mm:g} mm, "
            f"{layout.cards_per_page} per page, {sheet}, up to {layout.qr_slots} QR codes"
            f"{', standing piece (no offer, code or expiry)' if layout.standing else ''}  - {layout.title}"
        )


@click.group("cards")
def cards_group() -> None:
    """Print review cards."""


@cards_group.command("print")
@click.option("--campaign", "campaign_id", type=int, required=True, help="The campaign's id (see the campaign page).")
@click.option("--count", type=click.IntRange(1, 10_000), required=True, help="How many cards, each with its own code.")
@click.option("--layout", required=True, help="A layout name from `cta-kit layouts`.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The PDF to write.")
@click.option("--manifest", type=click.Path(path_type=Path), help="A CSV: code, url_1, url_2...")
@click.option("--link-mode", type=click.Choice(["direct", "tracked"]), help="Default: the campaign's.")
@with_appcontext
def cards_print_command(campaign_id, count, layout, out, manifest, link_mode) -> None:
    """Print COUNT cards of a campaign to a PDF."""
    import warnings

    from .pdf.qr import QrLegibilityWarning
    from .services.errors import NotFound, ServiceError
    from .services.printing import PrintOrder, PrintRefused, manifest_csv, print_cards

    _check_writable_file(out, "--out")
    if manifest:
        _check_writable_file(manifest, "--manifest")
        if manifest.resolve() == out.resolve():
            raise click.ClickException("--out and --manifest name the same file: give two names.")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", QrLegibilityWarning)
            printed = print_cards(PrintOrder(campaign_id=campaign_id, count=count, layout=layout, link_mode=link_mode))
    except NotFound:
        raise click.ClickException(f"There is no campaign {campaign_id}.") from None
    except PrintRefused as refused:
        for finding in refused.findings:
            click.echo(f"{finding.severity.upper()}: {finding.message.render()} ({finding.source})", err=True)
        raise click.ClickException("Printing refused: the campaign breaks the rules above.") from None
    except ServiceError as error:
        raise click.ClickException(" ".join(message.render() for message in error.errors.values())) from None
    for finding in printed.warnings:
        source = f" ({finding.source})" if finding.source else ""
        click.echo(f"WARNING: {finding.message.render()}{source}", err=True)
    for warning in caught:
        if isinstance(warning.message, QrLegibilityWarning):
            click.echo(f"WARNING: {warning.message}", err=True)
    try:
        out.write_bytes(printed.pdf)
        if manifest:
            manifest.write_text(manifest_csv(printed.batch_id), encoding="utf-8")
    except OSError as error:
        raise click.ClickException(
            f"Could not write {error.filename}: {error.strerror}. Batch {printed.batch_id} is recorded: "
            "download it again from the campaign's page."
        ) from None
    click.echo(f"Printed {count} card{'s' if count > 1 else ''} (batch {printed.batch_id}) to {out}.")


@cards_group.command("test-sheet")
@click.option("--layout", required=True, help="A layout name from `cta-kit layouts`.")
@click.option("--location", "location_id", type=int, help="Print with this location's offset and review site.")
@click.option("--lang", "language", type=click.Choice(["fr", "en"]), help="Default: the location's language, else English.")
@click.option("--out", "-o", type=click.Path(path_type=Path), required=True, help="The PDF to write.")
@with_appcontext
def cards_test_sheet_command(layout, location_id, language, out) -> None:
    """A printer test sheet for a layout: rulers, cut lines and QR sizes to measure the printer by."""
    from flask_babel import force_locale

    from .extensions import db
    from .models import Location
    from .services.errors import ServiceError
    from .services.printer_setup import printer_test_sheet
    from .web.i18n import translate

    _check_writable_file(out, "--out")
    location = db.session.get(Location, location_id) if location_id is not None else None
    if location_id is not None and location is None:
        raise click.ClickException(f"There is no location {location_id}.")
    try:
        with force_locale(language or (location.language if location else "en")):
            sheet = printer_test_sheet(layout, translate, location)
    except ServiceError as error:
        raise click.ClickException(" ".join(message.render() for message in error.errors.values())) from None
    out.write_bytes(sheet.pdf)
    click.echo(f"Test sheet for {layout} written to {out}.")


@click.group("policy")
def policy_group() -> None:
    """Check wording against the review platforms' rules and the law."""


@policy_group.command("check")
@click.option("--platform", "platforms", multiple=True, help="A featured platform (repeatable), e.g. google.")
@click.option("--lang", "language", type=click.Choice(["fr", "en"]), required=True, help="The wording's language, and the report's.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON (English text, message ids and params).")
@click.argument("text")
@with_appcontext
def policy_check_command(platforms, language, as_json, text) -> None:
    """Check TEXT and print what breaks a rule, in LANG; exit 1 when there is an error."""
    from .domain.policy import check_text, findings_to_json, has_errors

    findings = check_text(text, language, tuple(platforms))
    if as_json:
        import json

        click.echo(json.dumps(findings_to_json(findings), ensure_ascii=False, indent=2))
    else:
        click.echo(_policy_report(findings, language))
    if has_errors(findings):
        sys.exit(1)


def _policy_report(findings, language: str) -> str:
    """Each finding's severity, message and source, in the wording's language."""
    from flask_babel import force_locale, gettext

    with force_locale(language):
        if not findings:
            return gettext("No problem found.")
        lines = []
        for finding in findings:
            label = gettext("Error") if finding.severity == "error" else gettext("Warning")
            lines.append(gettext("%(severity)s: %(message)s", severity=label.upper(),
                                 message=gettext(finding.message.text, **finding.message.params)))
            if finding.source:
                lines.append("  " + gettext("Source: %(url)s", url=finding.source))
        return "\n".join(lines)


@click.group("reviews")
def reviews_group() -> None:
    """Import the reviews customers posted."""


@reviews_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--location", "location_id", type=int, required=True, help="The location's id.")
@click.option("--platform", help="The site of every review, for a file that does not say (e.g. thefork).")
@click.option("--format", "source", type=click.Choice(["gbp", "csv"]), help="Default: told from the file.")
@with_appcontext
def reviews_import_command(file: Path, location_id: int, platform: str | None, source: str | None) -> None:
    """Import a Google Business Profile JSON export or a CSV; exit 1 when the file is refused."""
    from .domain.reviews import MAX_IMPORT_BYTES
    from .services.errors import NotFound, ServiceError
    from .services.reviews import import_reviews

    if file.stat().st_size > MAX_IMPORT_BYTES:
        click.echo("Error: the file is larger than 5 MB: export a shorter period.", err=True)
        sys.exit(1)
    try:
        outcome = import_reviews(location_id, file.read_bytes(), source, platform)
    except NotFound:
        raise click.ClickException(f"There is no location {location_id}.") from None
    except ServiceError as error:
        click.echo("Error: " + " ".join(message.render() for message in error.errors.values()), err=True)
        sys.exit(1)
    click.echo(f"{outcome.added} added, {outcome.already_there} already there, {outcome.rejected} rejected")
    for problem in outcome.problems:
        click.echo(problem.render())


@click.command("match")
@click.option("--location", "location_id", type=int, required=True, help="The location's id.")
@with_appcontext
def match_command(location_id: int) -> None:
    """Match a location's reviews to the cards that came before them, and print what was attributed."""
    from .services.errors import NotFound
    from .services.matching import attributed, run_matching

    try:
        run = run_matching(location_id)
    except NotFound:
        raise click.ClickException(f"There is no location {location_id}.") from None
    click.echo(f"{run.reviews} reviews read: {run.suggested} suggested, {run.confirmed} confirmed by the owner")
    for line in attributed(location_id):
        click.echo(line)


@click.command("summary")
@click.option("--location", "location_id", type=int, required=True, help="The location's id.")
@click.option("--month", help="YYYY-MM in the location's time zone. Default: the current month.")
@click.option("--format", "output", type=click.Choice(["json", "csv", "table"]), default="table", show_default=True)
@click.option("--separator", type=click.Choice([";", ","]), default=";", show_default=True, help="Between CSV cells.")
@with_appcontext
def summary_command(location_id: int, month: str | None, output: str, separator: str) -> None:
    """A location's monthly summary with its 12-month trend."""
    import json

    from .domain.errors import DomainError
    from .domain.summary.spreadsheet import summary_csv
    from .domain.summary.text_table import summary_text
    from .services.errors import NotFound
    from .services.summary import summary_for

    try:
        summary = summary_for(location_id, month)
    except NotFound:
        raise click.ClickException(f"There is no location {location_id}.") from None
    except DomainError as error:
        raise click.ClickException(error.message.render()) from None
    if output == "json":
        click.echo(json.dumps(summary.to_json(), indent=2, ensure_ascii=False))
    elif output == "csv":
        click.echo(summary_csv(summary, separator), nl=False)
    else:
        click.echo(summary_text(summary), nl=False)


@click.command("recount-summary")
@with_appcontext
def recount_summary_command() -> None:
    """Count the summary's monthly tallies again from the reviews, scans and preferences.

    The database keeps them as rows are written; recount after changing rows with its triggers
    off (a bulk load, a repair by hand), or to check them.
    """
    from .services.summary_tallies import recount_tallies

    recount = recount_tallies()
    click.echo(f"Counted {recount.reviews} reviews, {recount.scans} scans and {recount.preferences} preferences;"
               f" {recount.corrected} tally rows corrected.")


def register_cli(app: Flask) -> None:
    for command in (
        serve_command,
        worker_command,
        check_deploy_command,
        backup_command,
        restore_command,
        demo_command,
        layouts_command,
        cards_group,
        policy_group,
        reviews_group,
        match_command,
        summary_command,
        recount_summary_command,
    ):
        app.cli.add_command(command)

"""Short write transactions, and schema upgrades with a backup first.

The rule for every change to the database: read what the page shows as you like, then make the
change inside ``with write_transaction():``, and do nothing slow inside it (no PDF rendering, no
password hashing). On SQLite a transaction that read first cannot start writing once another
connection has written since ("database is locked", whatever the busy timeout); one that begins
IMMEDIATE waits its turn for the write lock instead.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask_migrate import upgrade as alembic_upgrade
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from ..domain.i18n import Message, N_
from ..extensions import db
from .errors import ServiceError

# PostgreSQL's codes for a lock that could not be had: lock_not_available, deadlock_detected.
POSTGRES_LOCK_FAILURES = frozenset({"55P03", "40P01"})
WRITING = "cta_kit_write_transaction"


class DatabaseBusy(ServiceError):
    """Another change held the database for longer than we wait (SQLite's busy timeout)."""

    def __init__(self):
        super().__init__({"": Message(N_("The database is busy with another change. Wait a moment, then send this again."))})


@contextmanager
def write_transaction() -> Iterator[None]:
    """One short transaction for a change: committed at the end, rolled back on any error.

    It ends whatever the session had open first (a request's reads), so that what the block
    reads is read under the write lock and is still true when it writes. Inside another
    write_transaction it is part of that one.
    """
    if db.session.info.get(WRITING):
        yield
        return
    try:
        db.session.commit()
        begin_immediate()
        db.session.info[WRITING] = True
        yield
        db.session.commit()
    except OperationalError as error:
        db.session.rollback()
        if is_lock_failure(error):
            raise DatabaseBusy() from error
        raise
    except BaseException:
        db.session.rollback()
        raise
    finally:
        db.session.info.pop(WRITING, None)


@contextmanager
def driver_connection() -> Iterator:
    """The database driver's own connection, for the hottest path (a customer's tracked link).

    Each statement on it is its own transaction on SQLite, where the app drives transactions
    itself; what PostgreSQL's driver opened is committed on leaving.
    """
    connection = db.engine.raw_connection()
    try:
        yield connection
        connection.commit()
    finally:
        connection.close()


def end_read() -> None:
    """End the session's read transaction before slow work, so that it holds no snapshot."""
    db.session.commit()


def begin_immediate() -> None:
    """Start the session's transaction holding SQLite's write lock.

    PostgreSQL needs nothing here: it has no database-wide write lock, and its unique
    constraints, conditional updates and ``lock_table`` decide between concurrent writers.
    """
    db.session.connection(execution_options={"sqlite_begin_immediate": True})


def lock_table(table_name: str) -> None:
    """Inside a write transaction, make other writers of this table wait until it commits.

    SQLite's immediate transaction already excludes every other writer. On PostgreSQL, SHARE ROW
    EXCLUSIVE conflicts with itself and with every row change, and lets plain reads through.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f'LOCK TABLE "{table_name}" IN SHARE ROW EXCLUSIVE MODE'))


def lock_location(location_id: int) -> None:
    """Inside a write transaction, make other writers of this location's rows wait until it commits.

    For changes of many rows that database triggers count into shared tallies (an import, a
    matching run): two at once would lock tally rows in different orders and PostgreSQL would
    end one as a deadlock. SQLite's immediate transaction already excludes every other writer.
    """
    from ..models import Location

    db.session.execute(select(Location.id).where(Location.id == location_id).with_for_update())


def is_lock_failure(error: OperationalError) -> bool:
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return getattr(original, "sqlstate", None) in POSTGRES_LOCK_FAILURES


def sqlite_path(uri: str) -> Path | None:
    url = make_url(uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def pending_revisions(app: Flask) -> tuple[str | None, str]:
    """The database's revision and the code's head revision."""
    migrate_ext = app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate_ext.migrate.get_config(migrate_ext.directory))
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, script.get_current_head()


def backup_sqlite(source: Path, destination: Path) -> Path:
    """A consistent copy while the app keeps writing (SQLite's online backup API)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".part")
    try:
        _copy_through_sqlite(source, tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    shutil.move(tmp, destination)
    return destination


def _copy_through_sqlite(source: Path, destination: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(destination)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def upgrade_database(app: Flask) -> Path | None:
    """Bring the schema to the code's head; back the SQLite file up first. Returns the backup path."""
    with app.app_context():
        current, head = pending_revisions(app)
        if current == head:
            return None
        backup = None
        path = sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])
        if current is not None and path is not None and path.exists():
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            backup = backup_sqlite(
                path, Path(app.instance_path) / "backups" / f"{path.stem}-{stamp}-before-upgrade{path.suffix}"
            )
            current_app.logger.info("database backed up to %s before upgrading", backup)
        alembic_upgrade(directory=app.extensions["migrate"].directory)
        return backup


SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


class RestoreRefused(Exception):
    """The backup cannot replace the database; nothing was changed."""


def known_revisions(app: Flask) -> set[str]:
    migrate_ext = app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate_ext.migrate.get_config(migrate_ext.directory))
    return {revision.revision for revision in script.walk_revisions()}


@dataclass(frozen=True)
class Restored:
    revision: str
    previous: Path | None  # where the replaced database was kept, if there was one


def restore_sqlite(backup: Path, database: Path, revisions: set[str], kept_dir: Path) -> Restored:
    """Replace ``database`` with a checked copy of ``backup``, keeping the replaced one in ``kept_dir``.

    A database's ``-wal`` and ``-shm`` files belong to it: left beside a new file, SQLite would
    replay the old changes into it (https://www.sqlite.org/wal.html, "the WAL file is part of
    the persistent state of the database").
    """
    if not backup.is_file():
        raise RestoreRefused(f"There is no file {backup}.")
    if database.exists() and backup.resolve() == database.resolve():
        raise RestoreRefused(f"{backup} is the database itself: give a backup file.")
    database.parent.mkdir(parents=True, exist_ok=True)
    staged = database.with_name(database.name + ".restoring")
    try:
        _copy_through_sqlite(backup, staged)
        revision = _checked_revision(staged, revisions, backup)
        with _exclusive_use(database):
            previous = _keep_aside(database, kept_dir)
            staged.replace(database)
            for suffix in SQLITE_COMPANIONS:
                Path(f"{database}{suffix}").unlink(missing_ok=True)
    except sqlite3.DatabaseError as error:
        raise RestoreRefused(f"{backup} is not a usable SQLite database ({error}).") from None
    finally:
        for suffix in ("", *SQLITE_COMPANIONS):
            Path(f"{staged}{suffix}").unlink(missing_ok=True)
    return Restored(revision, previous)


def _checked_revision(staged: Path, revisions: set[str], backup: Path) -> str:
    connection = sqlite3.connect(staged)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise RestoreRefused(f"{backup} is damaged: SQLite's integrity check says {result!r}.")
        try:
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.OperationalError:
            rows = []
    finally:
        connection.close()
    if len(rows) != 1:
        raise RestoreRefused(f"{backup} is a SQLite file but not a cta-kit database (no schema revision).")
    revision = rows[0][0]
    if revision not in revisions:
        raise RestoreRefused(f"{backup} was made by another version of cta-kit (schema {revision}): upgrade cta-kit first.")
    return revision


class _exclusive_use:
    """Hold the database alone for the swap, or refuse when the app still has it open.

    Leaving WAL mode needs every other connection closed, idle ones included; it also folds a
    crashed server's leftover WAL into the file that is kept aside.
    """

    def __init__(self, database: Path):
        self.database = database
        self.connection: sqlite3.Connection | None = None

    def __enter__(self):
        if not self.database.exists():
            return self
        self.connection = sqlite3.connect(self.database, timeout=0.5, isolation_level=None)
        try:
            mode = self.connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            if mode != "delete":
                raise sqlite3.OperationalError("database is locked")
            self.connection.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as error:
            self.connection.close()
            if "locked" in str(error) or "busy" in str(error):
                raise RestoreRefused(f"{self.database} is in use: stop cta-kit (and anything else using it), then restore.") from None
            self.connection = None  # a damaged database: it is kept aside as it is
        except sqlite3.DatabaseError:
            self.connection.close()
            self.connection = None
        return self

    def __exit__(self, *exc_info):
        if self.connection is not None:
            self.connection.close()
        return False


def _keep_aside(database: Path, kept_dir: Path) -> Path | None:
    """Move the current database, with any leftover WAL, to ``kept_dir``; returns its new path."""
    if not database.exists():
        return None
    kept_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    kept = kept_dir / f"{database.stem}-{stamp}-before-restore{database.suffix}"
    for suffix in ("", "-wal"):
        source = Path(f"{database}{suffix}")
        if source.exists():
            shutil.copy2(source, f"{kept}{suffix}")
    return kept

"""Restoring a SQLite backup: checked first, never over a database in use, no stale WAL replayed."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cta_kit.services.database import RestoreRefused, backup_sqlite, restore_sqlite

REVISIONS = {"0001", "0002"}


def make_database(path: Path, names: list[str], revision: str | None = "0002") -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE guest (name TEXT)")
        connection.executemany("INSERT INTO guest VALUES (?)", [(name,) for name in names])
        if revision is not None:
            connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
            connection.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    connection.close()
    return path


def guests(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM guest ORDER BY name")]
    finally:
        connection.close()


def crash_while_writing(path: Path, statement: str) -> None:
    """A server that wrote through the WAL and died before any checkpoint: the -wal stays behind."""
    script = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')\n"
        "c.execute(sys.argv[2])\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path), statement], check=True)
    assert Path(f"{path}-wal").stat().st_size > 0


def test_restore_over_a_crashed_database_gives_the_backups_data(tmp_path):
    database = make_database(tmp_path / "cta-kit.sqlite3", ["Ana", "Bo"])
    backup = backup_sqlite(database, tmp_path / "saved.sqlite3")
    crash_while_writing(database, "INSERT INTO guest VALUES ('Written after the backup')")

    restored = restore_sqlite(backup, database, REVISIONS, tmp_path / "backups")

    assert not Path(f"{database}-wal").exists() and not Path(f"{database}-shm").exists()
    assert guests(database) == ["Ana", "Bo"]
    assert restored.revision == "0002"
    # The replaced database is kept whole, with what its WAL held.
    assert restored.previous.parent == tmp_path / "backups"
    assert guests(restored.previous) == ["Ana", "Bo", "Written after the backup"]


def test_a_naive_copy_over_a_crashed_database_would_replay_its_wal(tmp_path):
    """Why restore removes the -wal: SQLite reads the old changes into the copied file."""
    database = make_database(tmp_path / "cta-kit.sqlite3", ["Ana"])
    backup = backup_sqlite(database, tmp_path / "saved.sqlite3")
    crash_while_writing(database, "INSERT INTO guest VALUES ('Stale')")
    database.write_bytes(backup.read_bytes())
    assert "Stale" in guests(database)


def test_restore_into_a_new_place(tmp_path):
    backup = make_database(tmp_path / "saved.sqlite3", ["Ana"])
    database = tmp_path / "instance" / "cta-kit.sqlite3"
    restored = restore_sqlite(backup, database, REVISIONS, tmp_path / "backups")
    assert guests(database) == ["Ana"] and restored.previous is None


@pytest.mark.parametrize(
    "make_backup, reason",
    [
        (lambda path: path.write_text("name,code\nAna,1\n"), "not a usable SQLite database"),
        (lambda path: path.write_bytes(b""), "not a cta-kit database"),
        (lambda path: make_database(path, ["Ana"], revision=None), "not a cta-kit database"),
        (lambda path: make_database(path, ["Ana"], revision="9999"), "another version of cta-kit"),
        (lambda path: None, "There is no file"),
    ],
    ids=["csv", "empty", "no-revision", "newer", "missing"],
)
def test_a_bad_backup_is_refused_and_nothing_changes(tmp_path, make_backup, reason):
    database = make_database(tmp_path / "cta-kit.sqlite3", ["Ana", "Bo"])
    backup = tmp_path / "saved.sqlite3"
    make_backup(backup)
    with pytest.raises(RestoreRefused, match=reason):
        restore_sqlite(backup, database, REVISIONS, tmp_path / "backups")
    assert guests(database) == ["Ana", "Bo"]
    assert not (tmp_path / "backups").exists()
    assert sorted(path.name for path in tmp_path.iterdir() if "restoring" in path.name) == []


def test_a_damaged_backup_is_refused(tmp_path):
    database = make_database(tmp_path / "cta-kit.sqlite3", ["Ana"])
    backup = make_database(tmp_path / "saved.sqlite3", [f"guest {n}" * 50 for n in range(2000)])
    data = bytearray(backup.read_bytes())
    page_size = 4096
    data[3 * page_size : 6 * page_size] = bytes(3 * page_size)  # zero three pages of the table
    backup.write_bytes(bytes(data))
    with pytest.raises(RestoreRefused, match="damaged|not a usable"):
        restore_sqlite(backup, database, REVISIONS, tmp_path / "backups")
    assert guests(database) == ["Ana"]


def test_restore_is_refused_while_the_database_is_open(tmp_path):
    database = make_database(tmp_path / "cta-kit.sqlite3", ["Ana"])
    backup = make_database(tmp_path / "saved.sqlite3", ["Other"])
    running_app = sqlite3.connect(database)
    running_app.execute("SELECT count(*) FROM guest").fetchone()  # an idle pooled connection
    try:
        with pytest.raises(RestoreRefused, match="in use"):
            restore_sqlite(backup, database, REVISIONS, tmp_path / "backups")
    finally:
        running_app.close()
    assert guests(database) == ["Ana"]
    restore_sqlite(backup, database, REVISIONS, tmp_path / "backups")
    assert guests(database) == ["Other"]


def test_restoring_the_database_onto_itself_is_refused(tmp_path):
    database = make_database(tmp_path / "cta-kit.sqlite3", ["Ana"])
    with pytest.raises(RestoreRefused, match="the database itself"):
        restore_sqlite(database, database, REVISIONS, tmp_path / "backups")
    assert guests(database) == ["Ana"]

"""Statements compiled once and run on the database driver's cursor, for the hottest requests.

On a customer's tracked link and a till's tap, SQLAlchemy's work on every execution (cache key,
execution context, result wrapping) cost more than the small queries themselves. Parameters
still go through the columns' types (UTC datetimes); results come back as the driver gives them,
so these statements select plain values only (ids, text, counts).
"""

from __future__ import annotations

from ..extensions import db
from .database import driver_connection


class Prepared:
    """A statement compiled for one dialect, with its parameters' processors."""

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        # Values fixed in the statement, as LIMIT 1
        self.defaults = {key: bind.value for key, bind in compiled.binds.items() if not bind.required}
        self.sql = compiled.string
        self.positions = compiled.positiontup if compiled.positional else None
        self.processors = {
            key: processor
            for key, bind in compiled.binds.items()
            if (processor := bind.type.bind_processor(dialect)) is not None
        }

    def run(self, cursor, params: dict):
        values = {
            key: self.processors[key](value) if key in self.processors else value
            for key, value in (self.defaults | params).items()
        }
        cursor.execute(self.sql, tuple(values[key] for key in self.positions) if self.positions else values)
        return cursor


_PREPARED: dict[tuple[int, str], Prepared] = {}


def prepared(statement) -> Prepared:
    """``statement`` (built once, at import) compiled for the database in use."""
    dialect = db.engine.dialect
    key = (id(statement), dialect.name)
    if key not in _PREPARED:
        _PREPARED[key] = Prepared(statement, dialect)
    return _PREPARED[key]


def in_session(statement, params: dict) -> list[tuple]:
    """Run ``statement`` inside the session's transaction (a write_transaction's, when in one)
    and return all its rows."""
    cursor = db.session.connection().connection.cursor()
    try:
        return prepared(statement).run(cursor, params).fetchall()
    finally:
        cursor.close()


def committed(statement, params: dict) -> list[tuple]:
    """Run a read on the driver's own connection, outside the session: what is committed now,
    without the session's transaction bookkeeping."""
    with driver_connection() as connection:
        cursor = connection.cursor()
        try:
            return prepared(statement).run(cursor, params).fetchall()
        finally:
            cursor.close()

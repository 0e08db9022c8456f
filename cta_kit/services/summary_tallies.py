"""The summary's monthly tallies counted again from the rows: after rows were changed with the
database's triggers switched off (a restore by hand, a bulk load), or to check them.

Database triggers keep the tallies as rows are written (migration 0009, which also holds the
triggers' definitions); this recounts the same figures in one write transaction, with the tables
locked against writers on PostgreSQL, and tells how many tally rows were wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from ..extensions import db
from .database import lock_table, write_transaction

TALLIES = ("review_tally", "scan_tally", "preference_tally")
COUNTED_TABLES = ("review", "review_match", "scan", "preference", *TALLIES)

MONTH = {"sqlite": "strftime('%Y-%m', {})", "postgresql": "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM')"}
# Whole microseconds from posting to reply, exactly as Python's timedelta counts them, 0 if the
# reply is stamped first. SQLite stores stamps as '2026-10-31 23:00:00.000000' in UTC.
REPLY_MICROS = {
    "sqlite": ("max(0, (CAST(strftime('%s', replied_at) AS INTEGER) - CAST(strftime('%s', posted_at) AS INTEGER))"
               " * 1000000 + CAST(substr(replied_at, 21, 6) AS INTEGER) - CAST(substr(posted_at, 21, 6) AS INTEGER))"),
    "postgresql": ("CASE WHEN replied_at IS NOT NULL"
                   " THEN GREATEST(0, (EXTRACT(EPOCH FROM replied_at - posted_at) * 1000000)::bigint) END"),
}
ATTRIBUTION = ("(SELECT min(status) FROM review_match"  # "confirmed" sorts before "suggested"
               " WHERE review_id = review.id AND status <> 'rejected')")


@dataclass(frozen=True)
class Recount:
    corrected: int  # tally rows that differed from the rows' count (0: they were right)
    reviews: int
    scans: int
    preferences: int


def _statements(dialect: str) -> list[str]:
    month = MONTH[dialect]
    flag = "CASE WHEN {} IS NOT NULL THEN 1 ELSE 0 END"
    return [
        f"UPDATE review SET reply_micros = {REPLY_MICROS[dialect]}, attribution = {ATTRIBUTION}",
        *(f"DELETE FROM {tally}" for tally in TALLIES),
        "INSERT INTO review_tally (location_id, utc_month, platform, rating, attribution, reviews, replied)"
        f" SELECT location_id, {month.format('posted_at')}, platform, coalesce(rating, 0), coalesce(attribution, ''),"
        f" count(*), sum({flag.format('replied_at')}) FROM review"
        f" GROUP BY location_id, {month.format('posted_at')}, platform, coalesce(rating, 0), coalesce(attribution, '')",
        "INSERT INTO scan_tally (location_id, utc_month, platform, scans)"
        f" SELECT scan.location_id, {month.format('scan.scanned_at')}, batch_destination.platform, count(*)"
        " FROM scan JOIN batch_destination ON batch_destination.id = scan.batch_destination_id"
        f" GROUP BY scan.location_id, {month.format('scan.scanned_at')}, batch_destination.platform",
        "INSERT INTO preference_tally (location_id, utc_month, platform, preferences)"
        f" SELECT location_id, {month.format('created_at')}, platform, count(*) FROM preference"
        f" WHERE undone_at IS NULL GROUP BY location_id, {month.format('created_at')}, platform",
    ]


def tally_rows() -> dict[tuple, tuple]:
    """Every tally's rows with a count, keyed by table and key: what the summary reads."""
    rows: dict[tuple, tuple] = {}
    for tally, counts in (("review_tally", "reviews, replied"), ("scan_tally", "scans"),
                          ("preference_tally", "preferences")):
        keys = ("location_id, utc_month, platform, rating, attribution" if tally == "review_tally"
                else "location_id, utc_month, platform")
        for row in db.session.execute(text(f"SELECT {keys}, {counts} FROM {tally}")):
            width = len(keys.split(","))
            if any(row[width:]):
                rows[(tally, *row[:width])] = tuple(row[width:])
    return rows


def recount_tallies() -> Recount:
    dialect = db.session.get_bind().dialect.name
    with write_transaction():
        for table in COUNTED_TABLES:
            lock_table(table)
        before = tally_rows()
        for statement in _statements(dialect):
            db.session.execute(text(statement))
        after = tally_rows()
    corrected = sum(1 for key in before.keys() | after.keys() if before.get(key) != after.get(key))
    total = {tally: sum(counts[0] for key, counts in after.items() if key[0] == tally) for tally in TALLIES}
    return Recount(corrected, total["review_tally"], total["scan_tally"], total["preference_tally"])

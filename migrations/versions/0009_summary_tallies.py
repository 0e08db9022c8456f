"""reviews, scans and preferences counted per UTC month as they are written, for the monthly summary

Revision ID: 0009_summary_tallies
Revises: 0008_print_offset
Create Date: 2026-11-27 20:50:00

A location with a million reviews made the summary count a third of a million index entries for
a year's trend. Triggers now keep per-month counts in the transaction that writes the row,
whatever writes it: the review import (a duplicate skipped by ON CONFLICT DO NOTHING inserts
nothing, so counts nothing), manual entry, the tracked link's own driver connection, the till's
taps and their undo, deletions. Two writers adding to one count each add theirs: the upsert adds
to the stored value under the row's lock (PostgreSQL) or the database's write lock (SQLite).

A review's time to reply, in whole microseconds (0 for a reply stamped before the review), is kept
on it by a trigger, in the index, for the median: read as integers, not parsed from stamps.
A review's attribution to a card (confirmed wins over suggested; rejected matches count for
nothing) is kept on the review by triggers on ``review_match``, so that it is counted with it.

The months are UTC months, which no change of a location's time zone can invalidate; the summary
takes the hours between a UTC month edge and the local one from the rows themselves.
The tallies of rows already stored are counted here.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_summary_tallies'
down_revision = '0008_print_offset'
branch_labels = None
depends_on = None

MONTH = {"sqlite": "strftime('%Y-%m', {})", "postgresql": "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM')"}
FLAG = {"sqlite": "({} IS NOT NULL)", "postgresql": "({} IS NOT NULL)::int"}
DISTINCT = {"sqlite": "IS NOT", "postgresql": "IS DISTINCT FROM"}
# Exact, as Python's timedelta counts it: SQLite stores '2026-10-31 23:00:00.000000' (UTC).
SQLITE_REPLY = ("max(0, (CAST(strftime('%s', {row}.replied_at) AS INTEGER) - CAST(strftime('%s', {row}.posted_at) AS INTEGER))"
                " * 1000000 + CAST(substr({row}.replied_at, 21, 6) AS INTEGER) - CAST(substr({row}.posted_at, 21, 6) AS INTEGER))")
POSTGRES_REPLY = ("CASE WHEN {row}.replied_at IS NOT NULL"
                  " THEN GREATEST(0, (EXTRACT(EPOCH FROM {row}.replied_at - {row}.posted_at) * 1000000)::bigint) END")


def tallies(dialect: str) -> list[dict]:
    """What each tally counts: its key and counters as expressions of a row (`{row}` is NEW or OLD)."""
    month, flag = MONTH[dialect], FLAG[dialect]
    return [
        dict(table="review", tally="review_tally",
             keys={"location_id": "{row}.location_id", "utc_month": month.format("{row}.posted_at"),
                   "platform": "{row}.platform", "rating": "coalesce({row}.rating, 0)",
                   "attribution": "coalesce({row}.attribution, '')"},
             counts={"reviews": "1", "replied": flag.format("{row}.replied_at")},
             counted="true", watched="location_id, platform, rating, posted_at, replied_at, attribution"),
        # A scan's site is that of the printed code it opened; printed codes are never edited.
        dict(table="scan", tally="scan_tally",
             keys={"location_id": "{row}.location_id", "utc_month": month.format("{row}.scanned_at"),
                   "platform": "(SELECT platform FROM batch_destination WHERE id = {row}.batch_destination_id)"},
             counts={"scans": "1"}, counted="true", watched="location_id, batch_destination_id, scanned_at"),
        # A tap undone at the till counts nowhere.
        dict(table="preference", tally="preference_tally",
             keys={"location_id": "{row}.location_id", "utc_month": month.format("{row}.created_at"),
                   "platform": "{row}.platform"},
             counts={"preferences": "1"}, counted="{row}.undone_at IS NULL",
             watched="location_id, platform, created_at, undone_at"),
    ]


def _add(spec: dict, dialect: str) -> str:
    # SQLite takes no alias for the table a trigger inserts into; plpgsql needs one to tell the
    # stored counter from its own variables.
    alias, stored = (" AS tally", "tally.") if dialect == "postgresql" else ("", "")
    keys, counts = list(spec["keys"]), list(spec["counts"])
    values = [expression.format(row="NEW") for expression in (*spec["keys"].values(), *spec["counts"].values())]
    return (f"INSERT INTO {spec['tally']}{alias} ({', '.join(keys + counts)})"
            f" SELECT {', '.join(values)} WHERE {spec['counted'].format(row='NEW')}"
            f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
            + ", ".join(f"{name} = {stored}{name} + excluded.{name}" for name in counts) + ";")


def _remove(spec: dict) -> str:
    return (f"UPDATE {spec['tally']} SET "
            + ", ".join(f"{name} = {name} - {expression.format(row='OLD')}" for name, expression in spec["counts"].items())
            + " WHERE " + " AND ".join(f"{name} = {expression.format(row='OLD')}" for name, expression in spec["keys"].items())
            + f" AND {spec['counted'].format(row='OLD')};")


def _attribute(dialect: str, row: str) -> str:
    attribution = ("(SELECT min(status) FROM review_match"  # "confirmed" sorts before "suggested"
                   f" WHERE review_id = {row}.review_id AND status <> 'rejected')")
    return (f"UPDATE review SET attribution = {attribution}"
            f" WHERE id = {row}.review_id AND attribution {DISTINCT[dialect]} {attribution};")


def _sqlite_trigger(name: str, event: str, table: str, body: str) -> str:
    return f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN\n{body}\nEND"


def _postgres_trigger(table: str, watched: str, on_insert: str, on_delete: str, on_update: str) -> list[str]:
    function = (f"CREATE FUNCTION {table}_tally_change() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
                f"  IF TG_OP = 'INSERT' THEN\n    {on_insert}\n"
                f"  ELSIF TG_OP = 'DELETE' THEN\n    {on_delete}\n"
                f"  ELSE\n    {on_update}\n  END IF;\n  RETURN NULL;\nEND $$")
    trigger = (f"CREATE TRIGGER {table}_tally AFTER INSERT OR DELETE OR UPDATE OF {watched} ON {table}"
               f" FOR EACH ROW EXECUTE FUNCTION {table}_tally_change()")
    return [function, trigger]


def reply_statements(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [("CREATE FUNCTION review_reply_time() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
                 f"  NEW.reply_micros := {POSTGRES_REPLY.format(row='NEW')};\n  RETURN NEW;\nEND $$"),
                ("CREATE TRIGGER review_reply_time BEFORE INSERT OR UPDATE OF posted_at, replied_at ON review"
                 " FOR EACH ROW EXECUTE FUNCTION review_reply_time()")]
    # SQLite cannot change NEW: the row is updated after it is written, before the statement ends.
    update = f"UPDATE review SET reply_micros = {SQLITE_REPLY.format(row='NEW')} WHERE id = NEW.id;"
    return [_sqlite_trigger("review_reply_time_insert", "INSERT", "review", update),
            _sqlite_trigger("review_reply_time_update", "UPDATE OF posted_at, replied_at", "review", update)]


def trigger_statements(dialect: str) -> list[str]:
    statements = reply_statements(dialect)
    changes = [(spec["table"], spec["watched"], _add(spec, dialect), _remove(spec)) for spec in tallies(dialect)]
    changes.append(("review_match", "review_id, status", _attribute(dialect, "NEW"), _attribute(dialect, "OLD")))
    for table, watched, add, remove in changes:
        if dialect == "postgresql":
            statements += _postgres_trigger(table, watched, add, remove, f"{remove}\n    {add}")
        else:
            statements += [_sqlite_trigger(f"{table}_tally_insert", "INSERT", table, add),
                           _sqlite_trigger(f"{table}_tally_delete", "DELETE", table, remove),
                           _sqlite_trigger(f"{table}_tally_update", f"UPDATE OF {watched}", table, f"{remove}\n{add}")]
    return statements


def backfill_statements(dialect: str) -> list[str]:
    reply = (POSTGRES_REPLY if dialect == "postgresql" else SQLITE_REPLY).format(row="review")
    statements = [f"UPDATE review SET reply_micros = {reply} WHERE replied_at IS NOT NULL",
                  "UPDATE review SET attribution = (SELECT min(status) FROM review_match WHERE review_id = review.id"
                  " AND status <> 'rejected') WHERE id IN (SELECT review_id FROM review_match WHERE status <> 'rejected')"]
    for spec in tallies(dialect):
        keys = [expression.format(row=spec["table"]) for expression in spec["keys"].values()]
        counts = [f"sum({expression.format(row=spec['table'])})" for expression in spec["counts"].values()]
        statements.append(
            f"INSERT INTO {spec['tally']} ({', '.join([*spec['keys'], *spec['counts']])})"
            f" SELECT {', '.join(keys + counts)} FROM {spec['table']} WHERE {spec['counted'].format(row=spec['table'])}"
            f" GROUP BY {', '.join(keys)}")
    return statements


TRIGGERS = [f"{table}_tally{suffix}" for table in ("review", "scan", "preference", "review_match")
            for suffix in ("_insert", "_delete", "_update")] + ["review_reply_time_insert", "review_reply_time_update"]


def upgrade():
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attribution', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('reply_micros', sa.BigInteger(), nullable=True))
    # The summary counts reviews per site, rating and attribution, and reads reply times, from the index alone.
    op.drop_index('ix_review_location_posted', table_name='review')
    op.create_index('ix_review_location_posted', 'review',
                    ['location_id', 'posted_at', 'platform', 'rating', 'attribution', 'reply_micros'], unique=False)
    op.create_table('review_tally',
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('utc_month', sa.String(length=7), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('attribution', sa.String(length=10), nullable=False),
    sa.Column('reviews', sa.Integer(), nullable=False),
    sa.Column('replied', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_review_tally_location_id_location'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('location_id', 'utc_month', 'platform', 'rating', 'attribution', name=op.f('pk_review_tally'))
    )
    op.create_table('scan_tally',
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('utc_month', sa.String(length=7), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('scans', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_scan_tally_location_id_location'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('location_id', 'utc_month', 'platform', name=op.f('pk_scan_tally'))
    )
    op.create_table('preference_tally',
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('utc_month', sa.String(length=7), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('preferences', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_preference_tally_location_id_location'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('location_id', 'utc_month', 'platform', name=op.f('pk_preference_tally'))
    )
    # Cards printed are counted per batch: with the batch in the index, without visiting the rows.
    op.drop_index('ix_card_location_printed_at', table_name='card')
    op.create_index('ix_card_location_printed_at', 'card', ['location_id', 'printed_at', 'batch_id'], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in backfill_statements(dialect) + trigger_statements(dialect):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in ("review", "scan", "preference", "review_match"):
            op.execute(f"DROP TRIGGER {table}_tally ON {table}")
            op.execute(f"DROP FUNCTION {table}_tally_change()")
        op.execute("DROP TRIGGER review_reply_time ON review")
        op.execute("DROP FUNCTION review_reply_time()")
    else:
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_index('ix_card_location_printed_at', table_name='card')
    op.create_index('ix_card_location_printed_at', 'card', ['location_id', 'printed_at'], unique=False)
    op.drop_index('ix_review_location_posted', table_name='review')
    op.create_index('ix_review_location_posted', 'review',
                    ['location_id', 'posted_at', 'platform', 'rating', 'replied_at'], unique=False)
    op.drop_table('preference_tally')
    op.drop_table('scan_tally')
    op.drop_table('review_tally')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('reply_micros')
        batch_op.drop_column('attribution')

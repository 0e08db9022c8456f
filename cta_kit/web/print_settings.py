"""The print form's last layout and count, kept per location in the session: a refused print
shows the form again as it was sent, and the next visit starts from the layout last chosen."""

from __future__ import annotations

from flask import session

SESSION_KEY = "print_settings"


def keep(location_id: int, layout: str | None, count: int | None) -> None:
    kept = dict(session.get(SESSION_KEY) or {})
    entry = {"layout": str(layout or "")[:64]}
    if isinstance(count, int) and not isinstance(count, bool):
        entry["count"] = count
    kept[str(location_id)] = entry
    session[SESSION_KEY] = kept


def kept(location_id: int) -> dict:
    entry = (session.get(SESSION_KEY) or {}).get(str(location_id))
    return entry if isinstance(entry, dict) else {}

"""Babel extractors for user-facing text kept in data files rather than in code.

``platforms.json`` (site names, accepted link forms, policy notes) and the print layouts' titles and
descriptions are shown in the interface; pybabel finds them through babel.cfg, and the
templates translate them at display time with ``_(text)``.
"""

from __future__ import annotations

import json
import tomllib


def extract_platforms(fileobj, keywords, comment_tags, options):
    data = json.load(fileobj)
    for platform in data["platforms"]:
        yield 1, "gettext", platform["label"], [f"name of review site {platform['key']}; keep brand names as they are"]
        for text in platform["accepted_forms"]:
            yield 1, "gettext", text, [f"accepted form of {platform['key']}"]
        for note in platform["policy"]["notes"]:
            yield 1, "gettext", note["text"], [f"policy note of {platform['key']}"]


def extract_layout(fileobj, keywords, comment_tags, options):
    data = tomllib.load(fileobj)
    for key in ("title", "description"):
        if data.get(key):
            yield 1, "gettext", data[key], [f"print layout {key}"]

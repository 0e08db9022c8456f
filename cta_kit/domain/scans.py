"""When opening a tracked link counts as a scan, and the coarse device it came from.

Scans are measurement only: they never decide whether a customer is redirected, and nothing
that identifies a person (such as the IP address) is kept.
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from crawleruseragents import is_crawler

DEVICE_CLASSES = ("phone", "tablet", "desktop", "other")
# A customer who opens the same QR code again in this window (a reload, a second tap) counts once.
REPEAT_WINDOW = timedelta(minutes=30)


@lru_cache(maxsize=2048)
def is_link_preview(user_agent: str) -> bool:
    """Messaging apps fetching a preview of a shared link, and crawlers, per the community list of
    bot user agents (crawler-user-agents). No user agent at all is no phone's browser either."""
    return not user_agent.strip() or is_crawler(user_agent)


@lru_cache(maxsize=2048)
def device_class(user_agent: str) -> str:
    """phone, tablet, desktop or other, from the user agent's platform token.

    "Mobi" marks phones across browsers; an Android without it is a tablet
    (https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/Browser_detection_using_the_user_agent).
    An iPad since iPadOS 13 announces itself as a Mac and counts as a desktop.
    """
    if "iPad" in user_agent or "Tablet" in user_agent:
        return "tablet"
    if "Mobi" in user_agent or "iPhone" in user_agent:
        return "phone"
    if "Android" in user_agent:
        return "tablet"
    if any(token in user_agent for token in ("Windows NT", "Macintosh", "X11", "CrOS")):
        return "desktop"
    return "other"

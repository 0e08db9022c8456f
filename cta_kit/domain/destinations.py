"""Turning what an owner types into the write-review link printed in a QR code.

Whatever lands in a QR code is followed blindly by customers' phones, so input is
refused unless it is clearly a link to the chosen platform. ``urllib.parse.urlsplit``
is lenient by design (it strips some characters, accepts backslashes, userinfo and odd
ports), so the raw text is checked first and the authority is split by hand, then
compared with what ``urlsplit`` sees. Links are rebuilt from the parts we extracted
rather than passed through, so nothing we did not check reaches the card.

Every refusal says what form *is* expected, with the platform's example link.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, NamedTuple
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from .errors import DomainError, UnknownPlatformError
from .i18n import Message, N_
from .link_hosts import SHORTENERS, WILDCARD_DNS, imitated_platform, listed_under
from .platforms import Platform, get_platform, load_registry

# What an owner may type, and what the finished link may be: the ReviewDestination.url column.
MAX_INPUT_LENGTH = 2000
MAX_URL_LENGTH = 2000
DISPLAY_LIMIT = 40

# Trimmed silently: what a copy-paste typically drags along at either end.
_TRIM = " \t\r\n\u00a0"

# Names that never resolve on the public internet (RFC 6761 and common private zones).
_PRIVATE_TLDS = frozenset({
    "localhost", "local", "localdomain", "internal", "intranet", "lan", "home", "corp",
    "test", "example", "invalid", "arpa", "onion", "private",
})

_LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_TLD_RE = re.compile(r"^[a-z]{2,63}$")
_NUMERIC_HOST_RE = re.compile(r"^(?:0x[0-9a-f]+|\d+)(?:\.(?:0x[0-9a-f]*|\d*))*$")
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# RFC 3986 characters allowed after the authority (unreserved, sub-delims, : @ / ? # %).
_URL_TAIL_RE = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]*$")
_PERCENT_RE = re.compile(r"%(.?.?)")
_PLAIN_FRAGMENT_RE = re.compile(r"^[A-Za-z0-9_\-]*$")

_PLACE_ID_RE = re.compile(r"^ChIJ[A-Za-z0-9_\-]{16,250}$")
_G_PAGE_PATH_RE = re.compile(r"^/r/([A-Za-z0-9_\-]{4,100})(?:/review)?/?$")
_TRIPADVISOR_PATH_RE = re.compile(
    r"^/(?:Restaurant_Review|Hotel_Review|Attraction_Review|ShowUserReviews|UserReviewEdit)"
    r"-g(\d{1,10})-d(\d{1,12})(?:-[A-Za-z0-9_.,'()!*~%\-]*)?(?:\.html)?/?$"
)
_FACEBOOK_NAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.\-]{0,98}[A-Za-z0-9])?$")
_FACEBOOK_ID_RE = re.compile(r"^\d{5,20}$")
# Pages without a username: /p/<Name>-<ID>/ and /people/<Name>/<ID>/.
_FACEBOOK_P_RE = re.compile(r"^.+-(\d{5,20})$")
# Language editions such as fr-fr.facebook.com or es-la.facebook.com show the same pages.
_FACEBOOK_LOCALE_HOST_RE = re.compile(r"^[a-z]{2}-[a-z]{2}\.facebook\.com$")
_FACEBOOK_TABS = frozenset({"reviews", "about", "photos", "posts", "menu"})
# First path segments that are Facebook features, not pages.
_FACEBOOK_RESERVED = frozenset({
    "share", "sharer", "sharer.php", "groups", "events", "watch", "marketplace", "login",
    "login.php", "l.php", "plugins", "dialog", "help", "policies", "permalink.php",
    "story.php", "photo.php", "photo", "people", "pages", "business", "gaming", "hashtag",
    "home.php", "settings", "messages", "notifications", "friends", "search", "stories",
    "reel", "reels", "legal", "privacy", "ads", "places", "public", "media", "bookmarks",
    "fundraisers", "live", "video.php", "profile.php", "pg",
})
_TRUSTPILOT_PATH_RE = re.compile(r"^/(?:review|evaluate)/([^/]+)/?$")
_THEFORK_PATH_RE = re.compile(
    r"^/(restaurant|ristorante|restaurante|restaurang)/"
    r"([A-Za-z0-9]+(?:-[A-Za-z0-9]+)*?)-r(\d{1,12})(?:/[A-Za-z0-9\-]+)?/?$"
)
_YELP_PATH_RE = re.compile(r"^/biz/((?:[A-Za-z0-9\-]|%[0-9A-Fa-f]{2})+)/?$")

# Messages. %(example)s is the platform's example link, which needs no translation.
E_EMPTY = N_("Nothing was entered. Paste the link to your page, for example %(example)s.")
E_URL_TOO_LONG = N_(
    "Written out in full, this link is %(length)s characters long, more than the %(limit)s a "
    "review link may have. Paste only the link to your page, for example %(example)s."
)
E_TOO_LONG = N_(
    "This is too long to be a review link (%(length)s characters, at most %(limit)s). "
    "Paste only the link to your page, for example %(example)s."
)
E_CONTROL = N_(
    "This contains invisible or control characters, which can disguise a link. "
    "Type or paste the link again, for example %(example)s."
)
E_SPACE = N_("A link cannot contain spaces. Paste the link on its own, for example %(example)s.")
E_BACKSLASH = N_(
    "A link cannot contain a backslash (\\). Paste the link exactly as your browser shows it, "
    "for example %(example)s."
)
E_HTTP = N_(
    "Links starting with http:// are not secure. Use the https:// link, for example %(example)s."
)
E_SCHEME = N_(
    "Only web links starting with https:// are accepted. "
    "Paste the link to your page, for example %(example)s."
)
E_RELATIVE = N_(
    "This link does not say which website it belongs to. "
    "Paste the full link starting with https://, for example %(example)s."
)
E_MALFORMED = N_(
    "This does not look like a complete web link. "
    "Paste the full link starting with https://, for example %(example)s."
)
E_USERINFO = N_(
    "This link has an @ before the website name, a trick used to disguise where a link goes. "
    "Paste the link to your page, for example %(example)s."
)
E_ENCODED = N_(
    "This link uses %%-encoded characters where they can disguise where it goes. "
    "Paste the link exactly as your browser shows it, for example %(example)s."
)
E_PORT = N_(
    "This link names a port number after the website name (such as :8080), which review "
    "sites never use. Paste the link without it, for example %(example)s."
)
E_IP = N_(
    "This link points to a numeric IP address instead of a website name. "
    "Paste the link to your page, for example %(example)s."
)
E_HOST = N_(
    "“%(host)s” is not a public website name. Paste the link to your page, "
    "for example %(example)s."
)
E_LOOKALIKE = N_(
    "The website name contains non-Latin letters or punycode (xn--), which can imitate a real "
    "website. Type the address in plain letters, for example %(example)s."
)
E_CHARACTERS = N_(
    "This link contains characters that web links do not normally contain. "
    "Copy the link from your browser's address bar, for example %(example)s."
)
E_FRAGMENT = N_(
    "The part after # in this link is not a plain page anchor. "
    "Remove it and paste the link to your page, for example %(example)s."
)
E_SHORTENER = N_(
    "Shortened links such as %(host)s hide where they lead, so they cannot be checked. "
    "Open the link in your browser and paste the full address it leads to, "
    "for example %(example)s."
)
E_GOOGLE_SHORTENER = N_(
    "Shortened links such as goo.gl and maps.app.goo.gl hide where they lead, so they cannot be "
    "checked. Give your Google Place ID (it starts with ChIJ, such as "
    "ChIJN1t_tDeuEmsRUsoyG83frY4) or the review link from your Google profile, "
    "for example %(example)s."
)
E_GOOGLE_WRONG = N_(
    "This is not a Google review link. Give your Google Place ID (it starts with ChIJ, such as "
    "ChIJN1t_tDeuEmsRUsoyG83frY4), a search.google.com/local/writereview link, or the review "
    "link from your Google profile, for example %(example)s."
)
E_GOOGLE_PLACE_ID = N_(
    "This is not a valid Google Place ID: it starts with ChIJ followed by letters, digits, - "
    "or _, such as ChIJN1t_tDeuEmsRUsoyG83frY4. You can also give the review link from your "
    "Google profile, for example %(example)s."
)
E_TRIPADVISOR_WRONG = N_(
    "This is not a Tripadvisor listing. Open your restaurant's page on Tripadvisor and copy its "
    "address, for example %(example)s."
)
E_FACEBOOK_WRONG = N_(
    "This is not a Facebook page. Give your page's address or its username, "
    "for example %(example)s or ChezNousParis."
)
E_TRUSTPILOT_WRONG = N_(
    "This is not a Trustpilot company page. Give your website's domain (such as chez-nous.fr) "
    "or your Trustpilot page, for example %(example)s."
)
E_THEFORK_WRONG = N_(
    "This is not a TheFork restaurant page. Open your restaurant's page on TheFork and copy "
    "its address, for example %(example)s."
)
E_YELP_WRONG = N_(
    "This is not a Yelp business page. Give your Yelp page's address, for example %(example)s."
)
E_YELP_SOLICIT = N_(
    "Yelp forbids asking customers for reviews, so a write-a-review link cannot go on a card. "
    "Give your Yelp business page instead, for example %(example)s: the card will only say "
    "that you are on Yelp."
)
E_OTHER_KNOWN = N_(
    "This address belongs to %(platform)s (or imitates it). Choose %(platform)s in the list of "
    "review sites so that the link can be checked. For any other website, give its https:// "
    "address, for example %(example)s."
)
E_UNKNOWN_PLATFORM = N_("Unknown review site “%(key)s”. Choose one of: %(keys)s.")


@dataclass(frozen=True)
class Destination:
    platform: str
    url: str
    display_url: str
    presence_only: bool = False


class DestinationError(DomainError):
    """What the owner typed cannot be used as a link on a card."""


class _Url(NamedTuple):
    host: str
    path: str
    query: str
    fragment: str


def _refuse(platform: Platform, code: str, text: str, /, **params: object) -> DestinationError:
    return DestinationError(Message(text, {"example": platform.example, **params}), code=code)


def normalise_destination(platform_key: str, raw: str) -> Destination:
    """Check what the owner typed for ``platform_key`` and return the link to print."""
    try:
        platform = get_platform(platform_key)
    except UnknownPlatformError:
        raise DestinationError(
            Message(E_UNKNOWN_PLATFORM, {"key": str(platform_key)[:40], "keys": ", ".join(load_registry())}),
            code="unknown_platform",
        ) from None
    text = _clean(platform, raw)
    destination = _NORMALISERS[platform.key](platform, text)
    # Checked on the finished link: "https://" and tabs such as /reviews make it grow.
    if len(destination.url) > MAX_URL_LENGTH:
        raise _refuse(platform, "too_long", E_URL_TOO_LONG, length=len(destination.url), limit=MAX_URL_LENGTH)
    return destination


def _clean(platform: Platform, raw: object) -> str:
    text = raw.strip(_TRIM) if isinstance(raw, str) else ""
    if not text:
        raise _refuse(platform, "empty", E_EMPTY)
    if len(text) > MAX_INPUT_LENGTH:
        raise _refuse(platform, "too_long", E_TOO_LONG, length=len(text), limit=MAX_INPUT_LENGTH)
    for ch in text:
        if ch == "\\":
            raise _refuse(platform, "backslash", E_BACKSLASH)
        category = unicodedata.category(ch)
        if category[0] == "C":
            raise _refuse(platform, "control_character", E_CONTROL)
        if category[0] == "Z" or ch.isspace():
            raise _refuse(platform, "whitespace", E_SPACE)
    return text


def _looks_like_url(text: str) -> bool:
    return "/" in text or ":" in text


def _parse_url(platform: Platform, text: str) -> _Url:
    """Split an https link (scheme optional) after checking every part by hand."""
    if text.startswith("/"):
        raise _refuse(platform, "relative", E_RELATIVE)
    match = _SCHEME_RE.match(text.lower())
    body = text
    if match:
        scheme, rest = match.group(1), text[match.end():]
        if scheme == "https":
            if not rest.startswith("//"):
                raise _refuse(platform, "malformed", E_MALFORMED)
            body = rest[2:]
        elif scheme == "http":
            raise _refuse(platform, "insecure_scheme", E_HTTP)
        elif not (re.match(r"^\d*(?:[/?#]|$)", rest) and ("." in scheme or rest[:1].isdigit())):
            # Anything but "host.tld:port" or "name:8080", which are links without a scheme.
            raise _refuse(platform, "scheme", E_SCHEME)

    end = len(body)
    for stop in "/?#":
        index = body.find(stop)
        if index != -1:
            end = min(end, index)
    authority, remainder = body[:end], body[end:]
    if not authority:
        raise _refuse(platform, "malformed", E_MALFORMED)
    if "@" in authority:
        raise _refuse(platform, "userinfo", E_USERINFO)
    if "%" in authority:
        raise _refuse(platform, "encoded", E_ENCODED)
    if "[" in authority or "]" in authority:
        raise _refuse(platform, "ip_address", E_IP)
    host, colon, port = authority.partition(":")
    if not host:
        raise _refuse(platform, "malformed", E_MALFORMED)
    if colon and port != "443":
        raise _refuse(platform, "port", E_PORT)
    host = _check_host(platform, host)
    shortener = listed_under(host, SHORTENERS)
    if shortener:
        message = E_GOOGLE_SHORTENER if platform.key == "google" else E_SHORTENER
        raise _refuse(platform, "shortener", message, host=shortener)

    if not remainder.isascii() or not _URL_TAIL_RE.match(remainder):
        raise _refuse(platform, "characters", E_CHARACTERS)
    try:
        parts = urlsplit("https://" + authority + remainder)
        split_host, split_port = parts.hostname, parts.port
    except ValueError:
        raise _refuse(platform, "malformed", E_MALFORMED) from None
    if split_host != host or split_port not in (None, 443) or parts.username is not None:
        raise _refuse(platform, "malformed", E_MALFORMED)
    _check_percent_escapes(platform, parts.path, strict=True)
    _check_percent_escapes(platform, parts.query, strict=False)
    _check_percent_escapes(platform, parts.fragment, strict=False)
    if not _PLAIN_FRAGMENT_RE.match(parts.fragment):
        raise _refuse(platform, "fragment", E_FRAGMENT)
    return _Url(host, parts.path, parts.query, parts.fragment)


def _check_host(platform: Platform, host: str) -> str:
    if not host.isascii():
        raise _refuse(platform, "lookalike_host", E_LOOKALIKE)
    host = host.lower()
    shown = host[:60]
    labels = host.split(".")
    if any(label.startswith("xn--") for label in labels):
        raise _refuse(platform, "lookalike_host", E_LOOKALIKE)
    if _NUMERIC_HOST_RE.match(host):
        raise _refuse(platform, "ip_address", E_IP)
    if (
        len(host) > 253
        or len(labels) < 2
        or not all(_LABEL_RE.match(label) for label in labels)
        or not _TLD_RE.match(labels[-1])
        or labels[-1] in _PRIVATE_TLDS
        or listed_under(host, WILDCARD_DNS)
    ):
        raise _refuse(platform, "host", E_HOST, host=shown)
    return host


def _check_percent_escapes(platform: Platform, text: str, strict: bool) -> None:
    # Encoded separators in a path (%2F, %5C, %40, %2E) and any double encoding (%25)
    # let a link mean one thing to us and another to a browser or server.
    for match in _PERCENT_RE.finditer(text):
        code = match.group(1)
        if len(code) != 2 or not all(c in "0123456789abcdefABCDEF" for c in code):
            raise _refuse(platform, "encoded", E_ENCODED)
        value = int(code, 16)
        risky = {0x25, 0x5C} | ({0x2F, 0x40, 0x2E} if strict else set())
        if value < 0x20 or value == 0x7F or value in risky:
            raise _refuse(platform, "encoded", E_ENCODED)


def _platform_host(platform: Platform, host: str, wrong: str) -> str:
    """The canonical form of ``host`` if it is one of the platform's, else refuse."""
    if host.startswith(("m.", "web.")):
        host = "www." + host.split(".", 1)[1]
    if host not in platform.hosts and "www." + host in platform.hosts:
        host = "www." + host
    if host not in platform.hosts:
        raise _refuse(platform, "wrong_site", wrong)
    return host


def _display(host: str, rest: str) -> str:
    """A short, readable form of a link for printing under its QR code."""
    host = host.removeprefix("www.")
    full = host + rest
    if len(full) <= DISPLAY_LIMIT:
        return full
    budget = DISPLAY_LIMIT - len(host) - 2
    if budget < 8:
        return full[: DISPLAY_LIMIT - 1] + "…"
    tail = rest[-budget:]
    # Start the tail after a separator when one is close, so it reads as whole words.
    for index, ch in enumerate(tail[: budget // 2]):
        if ch in "/-_=?&.":
            tail = tail[index + 1:]
            break
    return f"{host}/…{tail}"


def _google(platform: Platform, text: str) -> Destination:
    if not _looks_like_url(text) and "." not in text:
        return _google_place(platform, text)
    url = _parse_url(platform, text)
    host = _platform_host(platform, url.host, E_GOOGLE_WRONG)
    query = parse_qsl(url.query, keep_blank_values=True)
    if host == "search.google.com" and url.path.rstrip("/") == "/local/writereview":
        return _google_place(platform, _only(platform, [value for name, value in query if name == "placeid"]))
    if host == "maps.google.com" or (host == "www.google.com" and url.path.split("/")[1:2] == ["maps"]):
        # Maps URLs carry the id as query_place_id= or as q=place_id:
        # (developers.google.com/maps/documentation/urls/get-started).
        ids = [value for name, value in query if name == "query_place_id"]
        ids += [value.removeprefix("place_id:") for name, value in query if name == "q" and value.startswith("place_id:")]
        return _google_place(platform, _only(platform, ids))
    match = _G_PAGE_PATH_RE.match(url.path) if host == "g.page" else None
    if not match:
        raise _refuse(platform, "wrong_site", E_GOOGLE_WRONG)
    rest = f"/r/{match.group(1)}/review"
    return Destination(platform.key, "https://g.page" + rest, _display("g.page", rest))


def _only(platform: Platform, ids: list[str]) -> str:
    if len(ids) != 1:
        raise _refuse(platform, "wrong_site", E_GOOGLE_WRONG)
    return ids[0]


def _google_place(platform: Platform, place_id: str) -> Destination:
    if not _PLACE_ID_RE.match(place_id):
        raise _refuse(platform, "place_id", E_GOOGLE_PLACE_ID)
    rest = "/local/writereview?placeid=" + place_id
    return Destination(platform.key, "https://search.google.com" + rest, _display("search.google.com", rest))


def _tripadvisor(platform: Platform, text: str) -> Destination:
    url = _parse_url(platform, text)
    host = _platform_host(platform, url.host, E_TRIPADVISOR_WRONG)
    match = _TRIPADVISOR_PATH_RE.match(url.path)
    if not match:
        raise _refuse(platform, "wrong_page", E_TRIPADVISOR_WRONG)
    geo, location = match.groups()
    short = host.removeprefix("www.")
    display = f"{short}/…g{geo}-d{location}"
    if len(display) > DISPLAY_LIMIT:
        display = f"{short}/…d{location}"
    return Destination(platform.key, f"https://{host}/UserReviewEdit-g{geo}-d{location}.html", display)


def _facebook(platform: Platform, text: str) -> Destination:
    lowered = text.lower()
    # A bare name is a page username, unless it names a Facebook host ("facebook.com.evil.io").
    if not _looks_like_url(text) and not lowered.startswith("www.") and not ("facebook" in lowered or "fb." in lowered):
        return _facebook_page(platform, text.removeprefix("@"))
    url = _parse_url(platform, text)
    _platform_host(platform, "www.facebook.com" if _FACEBOOK_LOCALE_HOST_RE.match(url.host) else url.host, E_FACEBOOK_WRONG)
    if "//" in url.path:
        raise _refuse(platform, "wrong_page", E_FACEBOOK_WRONG)
    segments = [segment for segment in url.path.split("/") if segment]
    if segments == ["profile.php"]:
        ids = [value for name, value in parse_qsl(url.query) if name == "id"]
        if len(ids) != 1:
            raise _refuse(platform, "wrong_page", E_FACEBOOK_WRONG)
        return _facebook_page(platform, ids[0], numeric_only=True)
    if segments[:1] == ["p"]:
        match = _FACEBOOK_P_RE.match(segments[1]) if len(segments) == 2 else None
        return _facebook_page(platform, match.group(1) if match else "", numeric_only=True)
    if segments[:1] == ["people"] and len(segments) == 3:
        return _facebook_page(platform, segments[2], numeric_only=True)
    if segments[:1] == ["pg"]:
        segments = segments[1:]
    if not segments or len(segments) > 2 or (len(segments) == 2 and segments[1].lower() not in _FACEBOOK_TABS):
        raise _refuse(platform, "wrong_page", E_FACEBOOK_WRONG)
    return _facebook_page(platform, segments[0])


def _facebook_page(platform: Platform, name: str, numeric_only: bool = False) -> Destination:
    if _FACEBOOK_ID_RE.match(name):
        link = f"https://www.facebook.com/profile.php?id={name}&sk=reviews"
        return Destination(platform.key, link, f"facebook.com/…id={name}")
    elif numeric_only or not _FACEBOOK_NAME_RE.match(name) or ".." in name or name.lower() in _FACEBOOK_RESERVED:
        raise _refuse(platform, "wrong_page", E_FACEBOOK_WRONG)
    else:
        rest = f"/{name}/reviews"
    return Destination(platform.key, "https://www.facebook.com" + rest, _display("facebook.com", rest))


def _trustpilot(platform: Platform, text: str) -> Destination:
    if not _looks_like_url(text) and "trustpilot" not in text.lower():
        domain = _check_host(platform, text)
    else:
        url = _parse_url(platform, text)
        _platform_host(platform, url.host, E_TRUSTPILOT_WRONG)
        match = _TRUSTPILOT_PATH_RE.match(url.path)
        if not match:
            raise _refuse(platform, "wrong_page", E_TRUSTPILOT_WRONG)
        domain = _check_host(platform, match.group(1))
        if domain.split(".")[-2:] == ["trustpilot", "com"]:
            raise _refuse(platform, "wrong_page", E_TRUSTPILOT_WRONG)
    rest = "/evaluate/" + domain
    return Destination(platform.key, "https://www.trustpilot.com" + rest, _display("trustpilot.com", rest))


def _thefork(platform: Platform, text: str) -> Destination:
    url = _parse_url(platform, text)
    host = _platform_host(platform, url.host, E_THEFORK_WRONG)
    match = _THEFORK_PATH_RE.match(url.path)
    if not match:
        raise _refuse(platform, "wrong_page", E_THEFORK_WRONG)
    word, slug, number = match.groups()
    rest = f"/{word}/{slug}-r{number}"
    return Destination(platform.key, f"https://{host}{rest}", _display(host, rest))


def _yelp(platform: Platform, text: str) -> Destination:
    url = _parse_url(platform, text)
    host = _platform_host(platform, url.host, E_YELP_WRONG)
    if "writeareview" in url.path.lower():
        raise _refuse(platform, "yelp_solicitation", E_YELP_SOLICIT)
    match = _YELP_PATH_RE.match(url.path)
    if not match:
        raise _refuse(platform, "wrong_page", E_YELP_WRONG)
    rest = "/biz/" + match.group(1)
    return Destination(platform.key, f"https://{host}{rest}", _display(host, rest), presence_only=True)


def _other(platform: Platform, text: str) -> Destination:
    url = _parse_url(platform, text)
    owner = imitated_platform(url.host)
    if owner:
        raise _refuse(platform, "known_platform", E_OTHER_KNOWN, platform=get_platform(owner).label)
    path = url.path or "/"
    link = urlunsplit(("https", url.host, path, url.query, url.fragment))
    shown = "" if path == "/" and not url.query else path + ("?…" if url.query else "")
    return Destination(platform.key, link, _display(url.host, shown))


_NORMALISERS: dict[str, Callable[[Platform, str], Destination]] = {
    "google": _google,
    "tripadvisor": _tripadvisor,
    "facebook": _facebook,
    "trustpilot": _trustpilot,
    "thefork": _thefork,
    "yelp": _yelp,
    "other": _other,
}

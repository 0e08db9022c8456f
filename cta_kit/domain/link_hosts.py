"""Website names a review link must not use: shorteners, private names, platform look-alikes.

A listed name is matched with every name under it (``preview.tinyurl.com`` is TinyURL,
``127.0.0.1.nip.io`` is nip.io), since anyone can use any name below a shortener or a
wildcard DNS service.

Look-alikes are found by comparing *skeletons*, in the spirit of Unicode TR39's
confusable detection (https://www.unicode.org/reports/tr39/#Confusable_Detection):
hyphens are dropped and letters and digits that read alike are folded together
(``0``/``o``, ``1``/``l``/``i``, ``3``/``e``, ...), on both the name and the brand. A
website whose name contains a platform's brand, once folded, is refused as a website
of that platform: "g00gle.com", "googlereviews.fr", "trust-pilot.co", "thefork-avis.fr".
The cost is that a restaurant called "The Fork and Knife" cannot put
"theforkandknife.com" on a card; imitations are the likelier case. Non-Latin homoglyphs
never get this far: names that are not plain ASCII, or use punycode, are refused first.

"lafourchette" (TheFork's former French name, whose domain now leads to TheFork) is
matched as a whole label only, because "La Fourchette" is a common restaurant name.
"""

# Public URL shorteners: each can redirect to anything, later, without the card changing.
SHORTENERS = frozenset({
    "bit.ly", "bitly.com", "j.mp", "bit.do", "tinyurl.com", "tiny.cc", "tiny.one", "t.co", "ow.ly",
    "is.gd", "v.gd", "buff.ly", "rebrand.ly", "cutt.ly", "shorturl.at", "t.ly", "s.id", "rb.gy",
    "lnkd.in", "qrco.de", "bl.ink", "trib.al", "dlvr.it", "soo.gd", "shorte.st", "adf.ly", "x.co",
    "clck.ru", "u.to", "urlz.fr", "urlr.me", "kutt.it", "snip.ly", "short.gy",
    "goo.gl", "g.co", "fb.me", "m.me", "yelp.to", "tripadvisor.sng.link",
})

# Wildcard DNS services: any name under them resolves to the address written in it,
# often a private one (127.0.0.1.nip.io is the machine the phone itself runs on).
WILDCARD_DNS = frozenset({
    "nip.io", "sslip.io", "xip.io", "localtest.me", "lvh.me", "vcap.me", "lacolhost.com",
    "traefik.me", "local.gd", "localho.st", "fuf.me",
})

# Brands found anywhere in a folded name, and short ones that must be a whole label.
_BRANDS = {
    "google": "google", "tripadvisor": "tripadvisor", "facebook": "facebook",
    "trustpilot": "trustpilot", "thefork": "thefork", "yelp": "yelp",
}
_BRAND_LABELS = {"goo": "google", "fb": "facebook", "lafourchette": "thefork"}
_BRAND_HOSTS = {"g.page": "google"}

_FOLD = str.maketrans({
    "0": "o", "1": "l", "i": "l", "|": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
})


def listed_under(host: str, names: frozenset[str]) -> str | None:
    """The listed name that ``host`` is, or is a sub-domain of."""
    labels = host.split(".")
    for start in range(len(labels) - 1):
        candidate = ".".join(labels[start:])
        if candidate in names:
            return candidate
    return None


def skeleton(text: str) -> str:
    """``text`` with hyphens dropped and look-alike characters folded together."""
    return text.lower().replace("-", "").translate(_FOLD)


def imitated_platform(host: str) -> str | None:
    """The key of the platform whose name ``host`` carries or imitates, if any."""
    if host in _BRAND_HOSTS:
        return _BRAND_HOSTS[host]
    labels = [skeleton(label) for label in host.split(".")]
    for label in labels:
        for brand, key in _BRAND_LABELS.items():
            if label == skeleton(brand):
                return key
    # Labels run together too ("trip.advisor-avis.fr"), but not into the top-level domain,
    # where "ruayel.pt" would read as yelp.
    for text in labels + ["".join(labels[:-1])]:
        for brand, key in _BRANDS.items():
            if skeleton(brand) in text:
                return key
    return None

import pytest

from cta_kit.domain.link_hosts import SHORTENERS, WILDCARD_DNS, imitated_platform, listed_under, skeleton
from cta_kit.domain.platforms import platform_keys


@pytest.mark.parametrize("host, listed", [
    ("bit.ly", "bit.ly"),
    ("www.bit.ly", "bit.ly"),
    ("preview.tinyurl.com", "tinyurl.com"),
    ("maps.app.goo.gl", "goo.gl"),
    ("a.b.127.0.0.1.nip.io", "nip.io"),
    ("bitly.com.evil.io", None),
    ("notbit.ly", None),
    ("io", None),
])
def test_a_listed_name_covers_every_name_under_it(host, listed):
    assert listed_under(host, SHORTENERS | WILDCARD_DNS) == listed


def test_skeleton_folds_look_alike_characters_on_both_sides():
    assert skeleton("g00gle") == skeleton("google")
    assert skeleton("trustpiiot") == skeleton("trustpilot") == skeleton("trust-p1lot")
    assert skeleton("th3-f0rk") == skeleton("thefork")


@pytest.mark.parametrize("host, key", [
    ("www.google.com", "google"),
    ("g.page", "google"),
    ("goo.gl", "google"),
    ("mon-avis-g00gle.fr", "google"),
    ("trip.advisor-avis.fr", "tripadvisor"),
    ("fb.com", "facebook"),
    ("www.lafourchette.com", "thefork"),
    ("yeip.reviews", "yelp"),
])
def test_hosts_carrying_a_brand_are_attributed_to_its_platform(host, key):
    assert imitated_platform(host) == key


@pytest.mark.parametrize("host", [
    "www.chez-nous.fr", "www.opentable.com", "www.quandoo.fr", "www.yellowpages.com", "www.pagesjaunes.fr",
    "guide.michelin.com", "www.gaultmillau.com", "www.petitfute.com", "restaurant-lafourchette.fr",
    "www.bitlyrics.com", "ruayel.pt", "www.booking.com", "www.zenchef.com", "www.lefooding.com",
    "www.thefoodmarket.fr", "www.tripletta.fr", "www.goodfood.fr", "www.facettes-bijoux.fr",
])
def test_ordinary_websites_imitate_no_platform(host):
    assert imitated_platform(host) is None


def test_every_platform_with_its_own_checks_has_a_brand():
    brands = {imitated_platform(f"{key}.example.org") for key in platform_keys() if key != "other"}
    assert brands == set(platform_keys()) - {"other"}

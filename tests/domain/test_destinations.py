import dataclasses

import pytest

from cta_kit.domain.destinations import (
    DISPLAY_LIMIT,
    MAX_URL_LENGTH,
    Destination,
    DestinationError,
    normalise_destination,
)
from cta_kit.domain.errors import DomainError
from cta_kit.domain.platforms import get_platform, platform_keys

PLACE_ID = "ChIJN1t_tDeuEmsRUsoyG83frY4"
GOOGLE_URL = f"https://search.google.com/local/writereview?placeid={PLACE_ID}"
GOOGLE_DISPLAY = "search.google.com/…tDeuEmsRUsoyG83frY4"
TA_FR = "https://www.tripadvisor.fr/UserReviewEdit-g187147-d1234567.html"

VALID = [
    # Google
    ("google", PLACE_ID, GOOGLE_URL, GOOGLE_DISPLAY),
    ("google", GOOGLE_URL, GOOGLE_URL, GOOGLE_DISPLAY),
    ("google", f"search.google.com/local/writereview?placeid={PLACE_ID}&hl=fr", GOOGLE_URL, GOOGLE_DISPLAY),
    ("google", f"HTTPS://SEARCH.GOOGLE.COM/local/writereview?placeid={PLACE_ID}", GOOGLE_URL, GOOGLE_DISPLAY),
    ("google", "https://g.page/r/CabcD/review", "https://g.page/r/CabcD/review", "g.page/r/CabcD/review"),
    ("google", "g.page/r/CRxVbH3c9kBFEAE/review/", "https://g.page/r/CRxVbH3c9kBFEAE/review",
     "g.page/r/CRxVbH3c9kBFEAE/review"),
    ("google", "https://g.page/r/CRxVbH3c9kBFEAE", "https://g.page/r/CRxVbH3c9kBFEAE/review",
     "g.page/r/CRxVbH3c9kBFEAE/review"),
    ("google", f"  {PLACE_ID}\n", GOOGLE_URL, GOOGLE_DISPLAY),
    # Tripadvisor
    ("tripadvisor", "https://www.tripadvisor.fr/Restaurant_Review-g187147-d1234567-Reviews-Chez_Nous-Paris.html",
     TA_FR, "tripadvisor.fr/…g187147-d1234567"),
    ("tripadvisor", "www.tripadvisor.fr/Restaurant_Review-g187147-d1234567-Reviews-Chez_Nous-Paris.html",
     TA_FR, "tripadvisor.fr/…g187147-d1234567"),
    ("tripadvisor", "tripadvisor.fr/Restaurant_Review-g187147-d1234567-Reviews-or10-Chez_Nous-Paris.html#REVIEWS",
     TA_FR, "tripadvisor.fr/…g187147-d1234567"),
    ("tripadvisor", "https://www.tripadvisor.fr/UserReviewEdit-g187147-d1234567.html", TA_FR,
     "tripadvisor.fr/…g187147-d1234567"),
    ("tripadvisor", "https://www.tripadvisor.co.uk/ShowUserReviews-g186338-d987654-r123456789-The_Pub-London.html",
     "https://www.tripadvisor.co.uk/UserReviewEdit-g186338-d987654.html", "tripadvisor.co.uk/…g186338-d987654"),
    ("tripadvisor", "https://m.tripadvisor.com/Hotel_Review-g60763-d93450-Reviews-Hotel-New_York.html",
     "https://www.tripadvisor.com/UserReviewEdit-g60763-d93450.html", "tripadvisor.com/…g60763-d93450"),
    ("tripadvisor", "https://fr.tripadvisor.ca/Attraction_Review-g155032-d155484-Reviews-X-Montreal.html",
     "https://fr.tripadvisor.ca/UserReviewEdit-g155032-d155484.html", "fr.tripadvisor.ca/…g155032-d155484"),
    ("tripadvisor", "https://www.tripadvisor.com.au/Restaurant_Review-g255060-d123456789012-Reviews-X.html",
     "https://www.tripadvisor.com.au/UserReviewEdit-g255060-d123456789012.html",
     "tripadvisor.com.au/…d123456789012"),
    ("tripadvisor", "https://www.tripadvisor.fr:443/Restaurant_Review-g187147-d1234567-Reviews-Chez_Nous-Paris.html",
     TA_FR, "tripadvisor.fr/…g187147-d1234567"),
    # Facebook
    ("facebook", "ChezNousParis", "https://www.facebook.com/ChezNousParis/reviews", "facebook.com/ChezNousParis/reviews"),
    ("facebook", "@chez.nous.paris", "https://www.facebook.com/chez.nous.paris/reviews",
     "facebook.com/chez.nous.paris/reviews"),
    ("facebook", "https://www.facebook.com/ChezNousParis", "https://www.facebook.com/ChezNousParis/reviews",
     "facebook.com/ChezNousParis/reviews"),
    ("facebook", "https://m.facebook.com/ChezNousParis/reviews/?ref=page_internal",
     "https://www.facebook.com/ChezNousParis/reviews", "facebook.com/ChezNousParis/reviews"),
    ("facebook", "web.facebook.com/Chez-Nous-Paris-123456789/", "https://www.facebook.com/Chez-Nous-Paris-123456789/reviews",
     "facebook.com/…Paris-123456789/reviews"),
    ("facebook", "facebook.com/pg/ChezNousParis/reviews", "https://www.facebook.com/ChezNousParis/reviews",
     "facebook.com/ChezNousParis/reviews"),
    ("facebook", "https://www.facebook.com/profile.php?id=100063512345678",
     "https://www.facebook.com/profile.php?id=100063512345678&sk=reviews", "facebook.com/…id=100063512345678"),
    ("facebook", "https://www.facebook.com/profile.php?id=100063512345678&sk=reviews",
     "https://www.facebook.com/profile.php?id=100063512345678&sk=reviews", "facebook.com/…id=100063512345678"),
    # Trustpilot
    ("trustpilot", "chez-nous.fr", "https://www.trustpilot.com/evaluate/chez-nous.fr", "trustpilot.com/evaluate/chez-nous.fr"),
    ("trustpilot", "Chez-Nous.FR", "https://www.trustpilot.com/evaluate/chez-nous.fr", "trustpilot.com/evaluate/chez-nous.fr"),
    ("trustpilot", "https://www.trustpilot.com/review/chez-nous.fr", "https://www.trustpilot.com/evaluate/chez-nous.fr",
     "trustpilot.com/evaluate/chez-nous.fr"),
    ("trustpilot", "https://fr.trustpilot.com/review/www.chez-nous.fr?languages=all",
     "https://www.trustpilot.com/evaluate/www.chez-nous.fr", "trustpilot.com/evaluate/www.chez-nous.fr"),
    ("trustpilot", "trustpilot.com/evaluate/chez-nous.co.uk", "https://www.trustpilot.com/evaluate/chez-nous.co.uk",
     "trustpilot.com/evaluate/chez-nous.co.uk"),
    # TheFork
    ("thefork", "https://www.thefork.fr/restaurant/chez-nous-r123456", "https://www.thefork.fr/restaurant/chez-nous-r123456",
     "thefork.fr/restaurant/chez-nous-r123456"),
    ("thefork", "thefork.it/ristorante/da-mario-r98765/menu", "https://www.thefork.it/ristorante/da-mario-r98765",
     "thefork.it/ristorante/da-mario-r98765"),
    ("thefork", "https://www.thefork.co.uk/restaurant/the-very-long-name-of-a-london-pub-r4567890/",
     "https://www.thefork.co.uk/restaurant/the-very-long-name-of-a-london-pub-r4567890",
     "thefork.co.uk/…of-a-london-pub-r4567890"),
    # Yelp (presence only)
    ("yelp", "https://www.yelp.fr/biz/chez-nous-paris?osq=Restaurants", "https://www.yelp.fr/biz/chez-nous-paris",
     "yelp.fr/biz/chez-nous-paris"),
    ("yelp", "https://m.yelp.com/biz/caf%C3%A9-de-flore-paris", "https://www.yelp.com/biz/caf%C3%A9-de-flore-paris",
     "yelp.com/biz/caf%C3%A9-de-flore-paris"),
    ("yelp", "yelp.co.uk/biz/the-pub-london", "https://www.yelp.co.uk/biz/the-pub-london", "yelp.co.uk/biz/the-pub-london"),
    # Other
    ("other", "https://www.chez-nous.fr/avis", "https://www.chez-nous.fr/avis", "chez-nous.fr/avis"),
    ("other", "chez-nous.fr", "https://chez-nous.fr/", "chez-nous.fr"),
    ("other", "https://www.opentable.com/r/chez-nous-paris?corrid=abc#reviews",
     "https://www.opentable.com/r/chez-nous-paris?corrid=abc#reviews", "opentable.com/r/chez-nous-paris?…"),
    ("other", "https://CHEZ-NOUS.FR:443/Avis", "https://chez-nous.fr/Avis", "chez-nous.fr/Avis"),
]


@pytest.mark.parametrize("platform, raw, url, display", VALID)
def test_valid_input_is_normalised(platform, raw, url, display):
    destination = normalise_destination(platform, raw)
    assert destination == Destination(platform, url, display, presence_only=(platform == "yelp"))
    assert len(destination.display_url) <= DISPLAY_LIMIT
    assert "://" not in destination.display_url


def test_every_platform_is_covered_by_valid_examples():
    assert {case[0] for case in VALID} == set(platform_keys())


@pytest.mark.parametrize("key", platform_keys())
def test_each_platform_example_and_accepted_form_is_accepted(key):
    platform = get_platform(key)
    examples = [platform.example] + [form.split(" such as ", 1)[1].split()[0] for form in platform.accepted_forms]
    for example in examples:
        assert normalise_destination(key, example).url.startswith("https://")


def test_yelp_is_presence_only():
    assert normalise_destination("yelp", "https://www.yelp.fr/biz/chez-nous-paris").presence_only is True
    assert normalise_destination("google", PLACE_ID).presence_only is False


def test_destination_is_frozen():
    destination = normalise_destination("google", PLACE_ID)
    with pytest.raises(dataclasses.FrozenInstanceError):
        destination.url = "https://evil.com"


LONG = "https://g.page/r/" + "a" * 2000

HOSTILE = [
    # schemes
    ("google", "http://g.page/r/CabcD/review", "insecure_scheme"),
    ("other", "http://www.chez-nous.fr/avis", "insecure_scheme"),
    ("tripadvisor", "HTTP://www.tripadvisor.fr/Restaurant_Review-g187147-d1234567.html", "insecure_scheme"),
    ("google", "javascript:alert(1)", "scheme"),
    ("other", "JaVaScRiPt:alert(document.cookie)", "scheme"),
    ("other", "javascript://%0aalert(1)", "scheme"),
    ("other", "data:text/html,<script>alert(1)</script>", "scheme"),
    ("other", "data:text/html;base64,PHNjcmlwdD4=", "scheme"),
    ("other", "vbscript:msgbox(1)", "scheme"),
    ("other", "file:///etc/passwd", "scheme"),
    ("other", "ftp://chez-nous.fr/", "scheme"),
    ("facebook", "intent://www.facebook.com/ChezNous#Intent;scheme=https;end", "scheme"),
    ("google", "//evil.com/r/x/review", "relative"),
    ("other", "/avis", "relative"),
    ("google", "https:/g.page/r/CabcD/review", "malformed"),
    ("google", "https:g.page/r/CabcD/review", "malformed"),
    ("google", "https:///g.page/r/CabcD/review", "malformed"),
    ("other", "https://", "malformed"),
    ("other", "https://:443/avis", "malformed"),
    # backslashes
    ("google", "https:\\\\evil.com", "backslash"),
    ("google", "https://g.page\\@evil.com/r/x/review", "backslash"),
    ("other", "https://evil.com\\.chez-nous.fr/", "backslash"),
    # userinfo
    ("google", "https://google.com@evil.com", "userinfo"),
    ("google", "https://search.google.com@evil.com/local/writereview?placeid=" + PLACE_ID, "userinfo"),
    ("tripadvisor", "https://www.tripadvisor.fr:pass@evil.io/Restaurant_Review-g1-d2.html", "userinfo"),
    ("other", "https://user@chez-nous.fr/", "userinfo"),
    # look-alike hosts
    ("google", "https://search.google.com.evil.com/local/writereview?placeid=" + PLACE_ID, "wrong_site"),
    ("google", "https://g.page.evil.com/r/CabcD/review", "wrong_site"),
    ("google", "https://evilg.page/r/CabcD/review", "wrong_site"),
    ("google", "https://g-page.com/r/CabcD/review", "wrong_site"),
    ("tripadvisor", "https://www.tripadvisor.fr.evil.io/Restaurant_Review-g187147-d1234567.html", "wrong_site"),
    ("tripadvisor", "https://www.tripadvisor.xyz/Restaurant_Review-g187147-d1234567.html", "wrong_site"),
    ("tripadvisor", "https://www.trip-advisor.fr/Restaurant_Review-g187147-d1234567.html", "wrong_site"),
    ("facebook", "https://www.facebook.com.evil.com/ChezNous", "wrong_site"),
    ("facebook", "facebook.com.evil.com", "wrong_site"),
    ("trustpilot", "https://www.trustpilot.com.evil.com/review/chez-nous.fr", "wrong_site"),
    ("thefork", "https://www.thefork.fr.evil.io/restaurant/chez-nous-r123456", "wrong_site"),
    ("yelp", "https://www.yelp.fr.evil.io/biz/chez-nous", "wrong_site"),
    ("other", "https://yelp.fr.evil.io/biz/chez-nous", "known_platform"),
    ("other", "https://search.google.com/local/writereview?placeid=" + PLACE_ID, "known_platform"),
    ("other", "https://www.yelp.com/writeareview/biz/abc", "known_platform"),
    # punycode and non-ASCII homoglyphs
    ("google", "https://ɡ.page/r/CabcD/review", "lookalike_host"),
    ("google", "https://search.gооgle.com/local/writereview?placeid=" + PLACE_ID, "lookalike_host"),
    ("tripadvisor", "https://www.tripadvisоr.fr/Restaurant_Review-g187147-d1234567.html", "lookalike_host"),
    ("facebook", "https://www.faceboοk.com/ChezNous", "lookalike_host"),
    ("google", "https://xn--gpage-9ta.com/r/CabcD/review", "lookalike_host"),
    ("other", "https://xn--chez-nous-d7a.fr/", "lookalike_host"),
    ("google", "https://ｇ.page/r/CabcD/review", "lookalike_host"),
    # percent-encoding tricks
    ("google", "https://g.page%2f@evil.com/r/x/review", "userinfo"),
    ("google", "https://g.page%40evil.com/r/x/review", "encoded"),
    ("google", "https://evil.com%5c.g.page/r/x/review", "encoded"),
    ("google", "https://g.page/r/Cab%2fcD/review", "encoded"),
    ("google", "https://g.page/r/CabcD%2f..%2f..%2fevil/review", "encoded"),
    ("other", "https://chez-nous.fr/%2e%2e/admin", "encoded"),
    ("other", "https://chez-nous.fr/avis%5c..%5cadmin", "encoded"),
    ("other", "https://chez-nous.fr/%252e%252e/admin", "encoded"),
    ("other", "https://chez-nous.fr/a%40evil.com", "encoded"),
    ("other", "https://chez-nous.fr/avis%0d%0aSet-Cookie:x", "encoded"),
    ("other", "https://chez-nous.fr/%zz", "encoded"),
    ("other", "https://chez-nous.fr/avis?next=%2525", "encoded"),
    # control and invisible characters, whitespace inside
    ("google", "https://g.page/r/CabcD/review\x00", "control_character"),
    ("google", "java\tscript:alert(1)", "control_character"),
    ("other", "https://chez-nous.fr/a\nb", "control_character"),
    ("other", "https://chez-nous.fr/\u202eevil", "control_character"),
    ("other", "https://chez\u200b-nous.fr/", "control_character"),
    ("other", "\ufeffhttps://chez-nous.fr/", "control_character"),
    ("google", "https://g.page/r/Ca bcD/review", "whitespace"),
    ("other", "https://chez-nous.fr/a\u3000b", "whitespace"),
    ("facebook", "Chez Nous Paris", "whitespace"),
    # trailing dots, ports, IPs, private names
    ("google", "https://g.page./r/CabcD/review", "host"),
    ("tripadvisor", "https://www.tripadvisor.fr./Restaurant_Review-g187147-d1234567.html", "host"),
    ("google", "https://g.page:8443/r/CabcD/review", "port"),
    ("other", "https://chez-nous.fr:8080/", "port"),
    ("other", "https://chez-nous.fr:/", "port"),
    ("other", "localhost:8080", "port"),
    ("other", "https://127.0.0.1/", "ip_address"),
    ("other", "https://2130706433/", "ip_address"),
    ("other", "https://0x7f.0.0.1/", "ip_address"),
    ("other", "https://[::1]/", "ip_address"),
    ("other", "https://localhost/", "host"),
    ("other", "https://intranet/avis", "host"),
    ("other", "https://chez-nous.local/", "host"),
    ("other", "https://router.home/", "host"),
    ("other", "https://chez_nous.fr/", "host"),
    ("other", "https://-chez.fr/", "host"),
    ("other", "https://chez..nous.fr/", "host"),
    # fragments smuggling a host
    ("google", "https://g.page/r/CabcD/review#@evil.com", "fragment"),
    ("google", "https://evil.com#g.page/r/CabcD/review", "fragment"),
    ("other", "https://chez-nous.fr/avis#//evil.com", "fragment"),
    ("other", "https://chez-nous.fr/avis#a#b", "fragment"),
    # characters links never contain
    ("other", "https://chez-nous.fr/<script>alert(1)</script>", "characters"),
    ("other", 'https://chez-nous.fr/"onmouseover="x', "characters"),
    ("other", "https://chez-nous.fr/café", "characters"),
    # shorteners
    ("google", "https://maps.app.goo.gl/AbCdEf123", "shortener"),
    ("google", "goo.gl/maps/AbCdEf123", "shortener"),
    ("google", "https://g.co/kgs/abc", "shortener"),
    ("other", "https://bit.ly/3abcdef", "shortener"),
    ("facebook", "https://fb.me/cheznous", "shortener"),
    # wrong page on the right site
    ("google", "https://www.google.com/maps/place/Chez+Nous/@48.85,2.35,17z", "wrong_site"),
    ("google", "https://search.google.com/local/reviews?placeid=" + PLACE_ID, "wrong_site"),
    ("google", f"https://search.google.com/local/writereview?placeid={PLACE_ID}&placeid=ChIJevilevilevilevilevil", "wrong_site"),
    ("google", "https://search.google.com/local/writereview?placeid=evil", "place_id"),
    ("google", "ChIJ<script>", "place_id"),
    ("google", "chijN1t_tDeuEmsRUsoyG83frY4", "place_id"),
    ("tripadvisor", "https://www.tripadvisor.fr/Restaurants-g187147-Paris_Ile_de_France.html", "wrong_page"),
    ("tripadvisor", "https://www.tripadvisor.fr/Restaurant_Review-g187147-Reviews.html", "wrong_page"),
    ("facebook", "https://www.facebook.com/share/abc123/", "wrong_page"),
    ("facebook", "https://www.facebook.com/groups/123456789", "wrong_page"),
    ("facebook", "https://www.facebook.com/profile.php?id=evil", "wrong_page"),
    ("trustpilot", "https://www.trustpilot.com/categories/restaurants", "wrong_page"),
    ("trustpilot", "https://www.trustpilot.com/review/127.0.0.1", "ip_address"),
    ("trustpilot", "localhost", "host"),
    ("thefork", "https://www.thefork.fr/restaurants/paris-c415144", "wrong_page"),
    ("thefork", "https://www.lafourchette.com/restaurant/chez-nous-r123456", "wrong_site"),
    ("yelp", "https://www.yelp.fr/writeareview/biz/AbCdEf123", "yelp_solicitation"),
    ("yelp", "https://www.yelp.com/writeareview?biz_id=AbCdEf123", "yelp_solicitation"),
    ("yelp", "https://www.yelp.fr/search?find_desc=chez+nous", "wrong_page"),
    # empty and too long
    ("google", "", "empty"),
    ("other", "   \n\t", "empty"),
    ("tripadvisor", None, "empty"),
    ("google", LONG, "too_long"),
    ("other", "https://chez-nous.fr/" + "a" * 5000, "too_long"),
]


def _ids(case):
    platform, raw, code = case
    return f"{platform}-{code}-{raw!r}"[:80]


@pytest.mark.parametrize("platform, raw, code", HOSTILE, ids=[_ids(case) for case in HOSTILE])
def test_hostile_input_is_refused_with_the_expected_form(platform, raw, code):
    with pytest.raises(DestinationError) as caught:
        normalise_destination(platform, raw)
    error = caught.value
    rendered = error.message.render()
    assert error.code == code
    assert rendered.strip()
    assert "%(" not in rendered
    assert get_platform(platform).example in rendered


def test_there_are_at_least_sixty_hostile_cases():
    assert len(HOSTILE) >= 60


def test_google_shortener_message_says_what_to_give_instead():
    with pytest.raises(DestinationError) as caught:
        normalise_destination("google", "https://maps.app.goo.gl/AbCdEf123")
    rendered = caught.value.message.render()
    assert "Place ID" in rendered and "g.page" in rendered and "hide where they lead" in rendered


def test_yelp_write_review_message_explains_the_rule():
    with pytest.raises(DestinationError) as caught:
        normalise_destination("yelp", "https://www.yelp.fr/writeareview/biz/AbCdEf123")
    rendered = caught.value.message.render()
    assert "Yelp forbids asking" in rendered and "/biz/" in rendered


@pytest.mark.parametrize("key", ["nope", "", "Google", None])
def test_unknown_platform_key_is_refused(key):
    with pytest.raises(DestinationError) as caught:
        normalise_destination(key, PLACE_ID)
    assert caught.value.code == "unknown_platform"
    assert "google" in caught.value.message.render()


def test_destination_error_is_a_domain_error_with_a_message():
    with pytest.raises(DomainError) as caught:
        normalise_destination("google", "http://g.page/r/CabcD/review")
    assert isinstance(caught.value, DestinationError)
    assert str(caught.value) == caught.value.message.render()
    assert caught.value.message.params["example"] == get_platform("google").example


def test_huge_input_is_refused_quickly():
    with pytest.raises(DestinationError) as caught:
        normalise_destination("other", "https://chez-nous.fr/" + "%2f" * 1_000_000)
    assert caught.value.code == "too_long"


# Issue 11: real links that were refused, look-alikes that were accepted, links that grew too long.

FB_ID = "100063512345678"
FB_NUMERIC = f"https://www.facebook.com/profile.php?id={FB_ID}&sk=reviews"
TA_PL = "https://pl.tripadvisor.com/Restaurant_Review-g274856-d1234567-Reviews-Pod_Lipa-Warsaw.html"

REAL_BUT_REFUSED_BEFORE = [
    ("tripadvisor", TA_PL, "https://pl.tripadvisor.com/UserReviewEdit-g274856-d1234567.html",
     "pl.tripadvisor.com/…g274856-d1234567"),
    ("tripadvisor", "https://www.tripadvisor.com.gr/Restaurant_Review-g189473-d1074569-Reviews-Giannoula.html",
     "https://www.tripadvisor.com.gr/UserReviewEdit-g189473-d1074569.html", "tripadvisor.com.gr/…g189473-d1074569"),
    ("tripadvisor", "tripadvisor.cz/Restaurant_Review-g274707-d1234567-Reviews-U_Fleku-Prague.html",
     "https://www.tripadvisor.cz/UserReviewEdit-g274707-d1234567.html", "tripadvisor.cz/…g274707-d1234567"),
    ("tripadvisor", "https://www.tripadvisor.fi/Restaurant_Review-g189934-d1234567-Reviews-Savoy-Helsinki.html",
     "https://www.tripadvisor.fi/UserReviewEdit-g189934-d1234567.html", "tripadvisor.fi/…g189934-d1234567"),
    ("tripadvisor", "https://no.tripadvisor.com/Restaurant_Review-g226926-d21186516-Reviews-Spor_3-Sandnes.html",
     "https://no.tripadvisor.com/UserReviewEdit-g226926-d21186516.html", "no.tripadvisor.com/…g226926-d21186516"),
    ("tripadvisor", "https://www.tripadvisor.com.hk/Restaurant_Review-g294217-d1234567-Reviews-Tim_Ho_Wan.html",
     "https://www.tripadvisor.com.hk/UserReviewEdit-g294217-d1234567.html", "tripadvisor.com.hk/…g294217-d1234567"),
    ("tripadvisor", "https://en.tripadvisor.com.hk/Restaurant_Review-g294217-d1234567-Reviews-Tim_Ho_Wan.html",
     "https://en.tripadvisor.com.hk/UserReviewEdit-g294217-d1234567.html", "en.tripadvisor.com.hk/…g294217-d1234567"),
    ("facebook", f"https://www.facebook.com/p/Chez-Nous-Paris-{FB_ID}/", FB_NUMERIC, f"facebook.com/…id={FB_ID}"),
    ("facebook", f"facebook.com/p/Caf%C3%A9-de-Flore-{FB_ID}/?locale=fr_FR", FB_NUMERIC, f"facebook.com/…id={FB_ID}"),
    ("facebook", f"https://www.facebook.com/people/Chez-Nous-Paris/{FB_ID}/", FB_NUMERIC, f"facebook.com/…id={FB_ID}"),
    ("facebook", f"https://m.facebook.com/people/Chez-Nous/{FB_ID}/?mibextid=ZbWKwL", FB_NUMERIC,
     f"facebook.com/…id={FB_ID}"),
    ("facebook", "https://fr-fr.facebook.com/ChezNousParis/", "https://www.facebook.com/ChezNousParis/reviews",
     "facebook.com/ChezNousParis/reviews"),
    ("facebook", "es-la.facebook.com/chez.nous.paris/reviews", "https://www.facebook.com/chez.nous.paris/reviews",
     "facebook.com/chez.nous.paris/reviews"),
    # Google's documented Maps URLs (developers.google.com/maps/documentation/urls/get-started).
    ("google", f"https://www.google.com/maps/search/?api=1&query=Chez+Nous&query_place_id={PLACE_ID}", GOOGLE_URL,
     GOOGLE_DISPLAY),
    ("google", f"https://www.google.com/maps/place/?q=place_id:{PLACE_ID}", GOOGLE_URL, GOOGLE_DISPLAY),
    ("google", f"google.com/maps/place/?q=place_id:{PLACE_ID}", GOOGLE_URL, GOOGLE_DISPLAY),
    ("google", f"https://maps.google.com/?q=place_id:{PLACE_ID}", GOOGLE_URL, GOOGLE_DISPLAY),
    # Other sites whose names come close to a platform's without imitating one.
    ("other", "https://www.quandoo.fr/place/chez-nous-12345", "https://www.quandoo.fr/place/chez-nous-12345",
     "quandoo.fr/place/chez-nous-12345"),
    ("other", "https://restaurant-lafourchette.fr/", "https://restaurant-lafourchette.fr/", "restaurant-lafourchette.fr"),
    ("other", "https://www.yellowpages.com/paris/chez-nous", "https://www.yellowpages.com/paris/chez-nous",
     "yellowpages.com/paris/chez-nous"),
    ("other", "https://guide.michelin.com/fr/fr/restaurant/chez-nous",
     "https://guide.michelin.com/fr/fr/restaurant/chez-nous", "guide.michelin.com/…restaurant/chez-nous"),
]


@pytest.mark.parametrize("platform, raw, url, display", REAL_BUT_REFUSED_BEFORE)
def test_real_links_refused_before_are_accepted(platform, raw, url, display):
    destination = normalise_destination(platform, raw)
    assert destination == Destination(platform, url, display)
    assert len(destination.display_url) <= DISPLAY_LIMIT


TRIPADVISOR_SITES_NAMED_IN_THE_ISSUE = [
    "pl.tripadvisor.com", "www.tripadvisor.com.gr", "www.tripadvisor.cz", "www.tripadvisor.fi",
    "no.tripadvisor.com", "www.tripadvisor.com.hk",
]


def test_every_tripadvisor_site_is_accepted():
    hosts = get_platform("tripadvisor").hosts
    assert set(TRIPADVISOR_SITES_NAMED_IN_THE_ISSUE) <= set(hosts)
    for host in hosts:
        link = f"https://{host}/Restaurant_Review-g187147-d1234567-Reviews-Chez_Nous-Paris.html"
        assert normalise_destination("tripadvisor", link).url == f"https://{host}/UserReviewEdit-g187147-d1234567.html"


LOOKALIKES = [
    ("https://google-reviews.com/chez-nous", "Google"),
    ("https://search-google.com/local/writereview?placeid=" + PLACE_ID, "Google"),
    ("https://g00gle.com/", "Google"),
    ("googlereviews.fr/chez-nous", "Google"),
    ("https://goog1e-avis.fr/", "Google"),
    ("https://tripadvisor-reviews.fr/chez-nous", "Tripadvisor"),
    ("https://trip-advisor.fr/Restaurant_Review-g187147-d1234567.html", "Tripadvisor"),
    ("https://tr1padv1sor.com/", "Tripadvisor"),
    ("https://facebook-review.com/ChezNous", "Facebook"),
    ("https://faceb00k.com/ChezNous", "Facebook"),
    ("https://www.trustpiIot.com/review/chez-nous.fr", "Trustpilot"),
    ("https://trust-pilot.co/review/chez-nous.fr", "Trustpilot"),
    ("https://thefork-avis.fr/chez-nous", "TheFork"),
    ("https://avis.the-fork.fr/chez-nous", "TheFork"),
    ("https://www.lafourchette.com/restaurant/chez-nous-r123456", "TheFork"),
    ("https://ye1p-reviews.com/biz/chez-nous", "Yelp"),
    ("https://g00.gl/maps/abc", "Google"),
]


@pytest.mark.parametrize("raw, imitated", LOOKALIKES)
def test_other_sites_imitating_a_platform_are_refused(raw, imitated):
    with pytest.raises(DestinationError) as caught:
        normalise_destination("other", raw)
    assert caught.value.code == "known_platform"
    rendered = caught.value.message.render()
    assert f"Choose {imitated} in the list" in rendered
    assert get_platform("other").example in rendered


SHORTENERS_AND_PRIVATE_NAMES = [
    ("other", "https://www.tinyurl.com/chez-nous", "shortener"),
    ("other", "https://preview.tinyurl.com/chez-nous", "shortener"),
    ("other", "https://www.bit.ly/3abcdef", "shortener"),
    ("other", "https://bitly.com/3abcdef", "shortener"),
    ("other", "https://j.mp/3abcdef", "shortener"),
    ("other", "https://v.gd/abcdef", "shortener"),
    ("tripadvisor", "https://www.tinyurl.com/chez-nous", "shortener"),
    ("google", "https://www.goo.gl/maps/AbCdEf123", "shortener"),
    ("other", "https://127.0.0.1.nip.io/avis", "host"),
    ("other", "https://chez-nous.10.0.0.1.sslip.io/", "host"),
    ("other", "https://localtest.me/", "host"),
    ("other", "https://admin.lvh.me/", "host"),
    ("other", "https://chez-nous.fr/avis%", "encoded"),
    ("other", "https://chez-nous.fr/avis?q=%", "encoded"),
    ("other", "https://chez-nous.fr/avis#top%", "encoded"),
    ("other", "https://chez-nous.fr/avis?q=%#41", "encoded"),
    ("other", "https://chez-nous.fr/%G1", "encoded"),
    ("other", "https://chez-nous.fr/avis%4", "encoded"),
    ("google", "https://g.page/r/CabcD/review%", "encoded"),
]


@pytest.mark.parametrize("platform, raw, code", SHORTENERS_AND_PRIVATE_NAMES)
def test_shortener_subdomains_wildcard_dns_and_bare_percent_are_refused(platform, raw, code):
    with pytest.raises(DestinationError) as caught:
        normalise_destination(platform, raw)
    assert caught.value.code == code
    assert get_platform(platform).example in caught.value.message.render()


WRONG_NEW_FORMS = [
    ("facebook", "https://www.facebook.com/p/Chez-Nous-Paris/", "wrong_page"),
    ("facebook", "https://www.facebook.com/p/Chez-Nous-123/", "wrong_page"),
    ("facebook", f"https://www.facebook.com/p/Chez-Nous-{FB_ID}/photos/extra", "wrong_page"),
    ("facebook", "https://www.facebook.com/people/Chez-Nous/", "wrong_page"),
    ("facebook", "https://www.facebook.com/people/Chez-Nous/abc/", "wrong_page"),
    ("facebook", "https://fr-fr.facebook.com.evil.io/ChezNous", "wrong_site"),
    ("facebook", "https://evil-fr.facebook.com/ChezNous", "wrong_site"),
    ("google", "https://www.google.com/maps/place/?q=place_id:evil", "place_id"),
    ("google", "https://www.google.com/maps/search/?api=1&query=Chez+Nous", "wrong_site"),
    ("google", f"https://www.google.com/maps/search/?api=1&query_place_id={PLACE_ID}&query_place_id=ChIJevilevilevilevilevil",
     "wrong_site"),
    ("google", f"https://www.google.com/url?q=place_id:{PLACE_ID}", "wrong_site"),
    ("google", f"https://www.google.com.evil.io/maps/place/?q=place_id:{PLACE_ID}", "wrong_site"),
    ("google", f"https://google.evil.io/maps/place/?q=place_id:{PLACE_ID}", "wrong_site"),
    ("tripadvisor", "https://xx.tripadvisor.com/Restaurant_Review-g187147-d1234567.html", "wrong_site"),
]


@pytest.mark.parametrize("platform, raw, code", WRONG_NEW_FORMS)
def test_new_forms_are_checked_as_strictly_as_the_old(platform, raw, code):
    with pytest.raises(DestinationError) as caught:
        normalise_destination(platform, raw)
    assert caught.value.code == code
    assert get_platform(platform).example in caught.value.message.render()


@pytest.mark.parametrize("length", [1993, 1995, 2000])
def test_a_link_that_grows_past_the_column_when_completed_is_refused(length):
    typed = "chez-nous.fr/" + "a" * (length - len("chez-nous.fr/"))
    assert len(typed) == length
    with pytest.raises(DestinationError) as caught:
        normalise_destination("other", typed)
    assert caught.value.code == "too_long"
    rendered = caught.value.message.render()
    assert str(MAX_URL_LENGTH) in rendered and str(length + len("https://")) in rendered
    assert get_platform("other").example in rendered


def test_the_longest_link_that_fits_is_accepted():
    typed = "chez-nous.fr/" + "a" * (MAX_URL_LENGTH - len("https://chez-nous.fr/"))
    assert len(normalise_destination("other", typed).url) == MAX_URL_LENGTH

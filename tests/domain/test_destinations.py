import dataclasses

import pytest

from cta_kit.domain.destinations import (
    DISPLAY_LIMIT,
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

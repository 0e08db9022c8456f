"""Tracked links: a 302 to the URL printed on that card, or a customer's 404; never a redirect taken
from the request. Each customer's GET counts one scan; HEAD, link previews and repeats do not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from cta_kit.extensions import db
from cta_kit.models import BatchDestination, Card, Scan, utcnow
from cta_kit.services.printing import PrintOrder, print_cards
from tests.conftest import GOOGLE_URL, TRIPADVISOR_URL, add_destination_row, make_campaign

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")
ANDROID_TABLET = "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
PREVIEW_BOTS = [
    "WhatsApp/2.24.12.78 A",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "TelegramBot (like TwitterBot)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "",
]
OPENTABLE_URL = "https://www.opentable.fr/r/chez-nous-paris"
QUANDOO_URL = "https://www.quandoo.fr/place/chez-nous-12345"


def scans() -> int:
    return db.session.scalar(select(func.count()).select_from(Scan))


def print_one_card(campaign, link_mode="tracked") -> str:
    batch_id = print_cards(PrintOrder(campaign.id, 1, "business-card-10up-a4", link_mode=link_mode)).batch_id
    return db.session.scalar(select(Card.code).where(Card.batch_id == batch_id))


@pytest.fixture
def two_other_sites(world):
    """OpenTable then Quandoo, both of the "other" kind, at location X."""
    opentable = add_destination_row(world.location, "other", OPENTABLE_URL, "opentable.fr", 0)
    quandoo = add_destination_row(world.location, "other", QUANDOO_URL, "quandoo.fr", 1)
    opentable.label, quandoo.label = "OpenTable", "Quandoo"
    db.session.commit()
    return opentable, quandoo


def test_a_cards_link_redirects_to_the_printed_destination(client, printed_world):
    code = printed_world.card_code
    for typed in (code, code.lower(), f"{code[:5]}-{code[5:10]}-{code[10]}"):
        response = client.get(f"/r/{typed}/1")
        assert response.status_code == 302 and response.headers["Location"] == GOOGLE_URL
        assert response.headers["Cache-Control"] == "no-store"
    assert client.get(f"/r/{code}/2").headers["Location"] == TRIPADVISOR_URL
    # Cards printed before positions were recorded name the platform, and keep working.
    assert client.get(f"/r/{code}/google").headers["Location"] == GOOGLE_URL
    assert client.get(f"/r/{code}/tripadvisor").headers["Location"] == TRIPADVISOR_URL


def test_a_second_site_of_the_same_kind_leads_to_itself(client, world, two_other_sites):
    _, quandoo = two_other_sites
    code = print_one_card(make_campaign(world.location, [quandoo], name="Quandoo only"))
    assert client.get(f"/r/{code}/1").headers["Location"] == QUANDOO_URL
    assert client.get(f"/r/{code}/other").headers["Location"] == QUANDOO_URL
    assert client.get(f"/r/{code}/2").status_code == 404


def test_reordering_editing_or_deleting_destinations_never_moves_printed_cards(client, world, two_other_sites):
    opentable, quandoo = two_other_sites
    google = add_destination_row(world.location, "google", GOOGLE_URL, "search.google.com", 2)
    code = print_one_card(make_campaign(world.location, [google, quandoo]))
    printed = [GOOGLE_URL, QUANDOO_URL]

    google.position, quandoo.position, opentable.position = 0, 1, 2
    db.session.commit()
    assert [client.get(f"/r/{code}/{n}").headers["Location"] for n in (1, 2)] == printed

    quandoo.url = "https://www.quandoo.fr/place/somewhere-else-999"
    google.url = "https://g.page/r/CRxVbH3c9kBFEAE/review"
    db.session.commit()
    assert [client.get(f"/r/{code}/{n}").headers["Location"] for n in (1, 2)] == printed

    db.session.delete(quandoo)
    db.session.commit()
    assert client.get(f"/r/{code}/2").headers["Location"] == QUANDOO_URL
    assert client.get(f"/r/{code}/other").headers["Location"] == QUANDOO_URL
    # The printed row stays; only its link to the deleted destination is gone.
    assert db.session.scalars(select(BatchDestination.destination_id).order_by(BatchDestination.position)).all() == [
        google.id, None
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/r/{code}/facebook",  # not printed on that card
        "/r/{code}/yelp",
        "/r/{code}/0",
        "/r/{code}/3",
        "/r/{code}/01",
        "/r/{code}/+1",
        "/r/{code}/1.0",
        "/r/{code}/-1",
        "/r/{code}/99999999999999999999",
        "/r/{code}/Google",
        "/r/{typo}/google",
        "/r/{typo}/1",
        "/r/AAAAAAAAAAA/google",
        "/r/{code}/google%2F..%2F..%2Fevil",
        "/r/{code}/https:%2F%2Fevil.example",
        "/r/{code}/%2F%2Fevil.example",
        "/r/{code}%2Fgoogle/google",
        "/r/{code}/google/extra",
        "/r/{code}/1/",
        "/r/{code}",
        "/r/",
        "/r/../r/{code}/google%00",
        "/r/{code}/1%00",
        "/r/%2e%2e/{code}",
        "/r//evil.example/google",
        "/r/{code}/%E2%80%AE1",
        "/r/" + "A" * 5000 + "/1",
    ],
)
def test_hostile_or_unknown_links_get_a_customers_404(client, printed_world, path):
    code = printed_world.card_code
    typo = code[:3] + ("0" if code[3] != "0" else "1") + code[4:]
    response = client.get(path.format(code=code, typo=typo), headers={"Accept-Language": "en"})
    assert response.status_code == 404, response.headers.get("Location")
    assert "Location" not in response.headers
    page = response.get_data(as_text=True)
    # Addressed to a customer (in the location's language when the code is one of its cards).
    assert 'class="customer"' in page and "<form" not in page and "/login" not in page
    assert scans() == 0


def test_the_404_speaks_the_cards_location_language(client, printed_world):
    # Location X speaks French; the phone asks for English.
    response = client.get(f"/r/{printed_world.card_code}/9", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and '<html lang="fr">' in page and "Ce code ne vient pas de chez nous" in page
    # A code that is no card: the locations speak French and English, so the phone's language.
    response = client.get("/r/AAAAAAAAAAA/1", headers={"Accept-Language": "en-GB,en;q=0.8"})
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page and "This code is not one of ours" in page


def test_a_get_counts_one_scan_with_a_coarse_device_class_and_nothing_else(client, printed_world):
    code = printed_world.card_code
    client.get(f"/r/{code}/1", headers={"User-Agent": IPHONE})
    [scan] = db.session.scalars(select(Scan)).all()
    card = db.session.scalar(select(Card).where(Card.code == code))
    first = db.session.scalar(select(BatchDestination).where(BatchDestination.position == 1))
    assert (scan.card_id, scan.batch_destination_id, scan.location_id, scan.device_class) == (
        card.id, first.id, printed_world.location.id, "phone"
    )
    assert {column.name for column in Scan.__table__.columns} == {
        "id", "card_id", "batch_destination_id", "location_id", "scanned_at", "device_class"
    }  # never the IP address nor the user agent

    client.get(f"/r/{code}/2", headers={"User-Agent": ANDROID_TABLET})
    assert db.session.scalars(select(Scan.device_class).order_by(Scan.id)).all() == ["phone", "tablet"]


def test_head_requests_preview_bots_and_repeats_are_not_scans(client, printed_world):
    code = printed_world.card_code
    response = client.head(f"/r/{code}/1", headers={"User-Agent": IPHONE})
    assert response.status_code == 302 and scans() == 0
    for bot in PREVIEW_BOTS:
        response = client.get(f"/r/{code}/1", headers={"User-Agent": bot})
        assert response.status_code == 302 and response.headers["Location"] == GOOGLE_URL
    assert scans() == 0

    client.get(f"/r/{code}/1", headers={"User-Agent": IPHONE})
    client.get(f"/r/{code}/1", headers={"User-Agent": IPHONE})
    client.get(f"/r/{code}/google", headers={"User-Agent": IPHONE})  # the same printed QR code
    assert scans() == 1

    # Half an hour later the same QR code counts again.
    db.session.execute(update(Scan).values(scanned_at=utcnow() - timedelta(minutes=31)))
    db.session.commit()
    client.get(f"/r/{code}/1", headers={"User-Agent": IPHONE})
    assert scans() == 2



def test_a_scan_that_cannot_be_recorded_still_sends_the_customer_on(client, printed_world, monkeypatch):
    monkeypatch.setattr("cta_kit.services.links.device_class", lambda user_agent: "not-a-device-class")
    response = client.get(f"/r/{printed_world.card_code}/1", headers={"User-Agent": IPHONE})
    assert response.status_code == 302 and response.headers["Location"] == GOOGLE_URL
    assert scans() == 0

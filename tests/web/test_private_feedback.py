"""The private feedback page a card's QR code opens, and the owner's list of what was written."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from cta_kit.domain.feedback import MAX_MESSAGE_LENGTH, MESSAGES_PER_CARD
from cta_kit.domain.codes import format_code
from cta_kit.extensions import db
from cta_kit.models import Campaign, Card, PrivateFeedback
from cta_kit.services.printing import PrintOrder, print_cards
from tests.conftest import GOOGLE_URL, TRIPADVISOR_URL, add_destination_row, log_in, make_campaign

OFFER = "Un dessert offert à votre prochaine visite"


def print_feedback_card(location, sites=None, **fields) -> str:
    if sites is None:
        sites = [add_destination_row(location, "google", GOOGLE_URL, "search.google.com", 0),
                 add_destination_row(location, "tripadvisor", TRIPADVISOR_URL, "tripadvisor.fr", 1)]
    campaign = make_campaign(location, sites, **{"offer_kind": "private_feedback", "offer_text": OFFER, **fields})
    batch_id = print_cards(PrintOrder(campaign.id, 1, "thermal-80mm")).batch_id
    return db.session.scalar(select(Card.code).where(Card.batch_id == batch_id))


@pytest.fixture
def code(world) -> str:
    return print_feedback_card(world.location)


def stored() -> list[PrivateFeedback]:
    return list(db.session.scalars(select(PrivateFeedback).order_by(PrivateFeedback.id)))


def test_a_customer_writes_privately_without_logging_in(client, code):
    page = client.get(f"/f/{code}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="fr">' in body
    assert "Écrivez-nous en privé" in body and "Votre nom (facultatif)" in body
    assert 'name="message"' in body and 'name="name"' in body and 'name="contact"' in body
    assert 'name="viewport"' in body and 'name="robots" content="noindex"' in body
    # No question of satisfaction, no stars, nothing that sorts customers.
    assert not re.search(r"satisf|star|étoile|rating|note sur", body, re.IGNORECASE)

    sent = client.post(f"/f/{code}", data={"message": "La musique était trop forte.", "name": "", "contact": ""})
    assert sent.status_code == 302 and sent.headers["Location"] == f"/f/{code}/thanks"
    [kept] = stored()
    assert (kept.message, kept.name, kept.contact, kept.language, kept.read_at) == (
        "La musique était trop forte.", "", "", "fr", None)


def test_the_thank_you_page_is_the_same_whatever_was_written(client, code):
    pages = []
    for message in ("Tout était parfait, merci !", "Très déçu, plat froid et service lent."):
        sent = client.post(f"/f/{code}", data={"message": message})
        pages.append(client.get(sent.headers["Location"]).get_data(as_text=True))
    assert pages[0] == pages[1]
    # Every review site of the card, equally, and the offer the card promises.
    assert f'href="{GOOGLE_URL}"' in pages[0] and f'href="{TRIPADVISOR_URL}"' in pages[0]
    assert OFFER in pages[0]


@pytest.mark.parametrize("path", ["/f/NONSENSE", "/f/", "/f/KG65MF8F547", "/f/KG65MF8F547/thanks", "/f/a/b", "/f/%00"])
def test_an_unknown_or_malformed_code_gets_the_customers_404(client, code, path):
    response = client.get(path)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert 'class="customer"' in body and "cta-kit" not in body.split("<main", 1)[1]


def test_a_card_printed_without_the_page_has_none(client, printed_world):
    response = client.get(f"/f/{printed_world.card_code}")
    assert response.status_code == 404 and '<html lang="fr">' in response.get_data(as_text=True)
    assert client.post(f"/f/{printed_world.card_code}", data={"message": "x"}).status_code == 404
    assert stored() == []


def test_too_long_a_message_says_so_and_keeps_what_was_typed(client, code):
    typed = "Le service " + "très " * (MAX_MESSAGE_LENGTH // 5)
    response = client.post(f"/f/{code}", data={"message": typed, "name": "Léa", "contact": "lea@example.org"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"la limite est de {MAX_MESSAGE_LENGTH}" in body
    assert typed.strip() in body and 'value="Léa"' in body and 'value="lea@example.org"' in body
    assert stored() == []
    empty = client.post(f"/f/{code}", data={"message": "   "}).get_data(as_text=True)
    assert "Écrivez votre message" in empty and stored() == []


def test_the_limit_per_card_says_so_and_keeps_the_text(client, code):
    for number in range(MESSAGES_PER_CARD):
        assert client.post(f"/f/{code}", data={"message": f"n°{number}"}).status_code == 302
    refused = client.post(f"/f/{code}", data={"message": "Encore une chose"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "dans l’heure" in body and "Encore une chose" in body
    assert len(stored()) == MESSAGES_PER_CARD


def test_hostile_input_is_kept_as_text_and_shown_escaped(client, world, code):
    hostile = '<script>alert("x")</script>\x00\u202e{{ 7*7 }}'
    name = '"><img src=x onerror=alert(1)>'
    assert client.post(f"/f/{code}", data={"message": hostile, "name": name, "contact": "=HYPERLINK(1)"}).status_code == 302
    [kept] = stored()
    assert "\x00" not in kept.message and kept.message.startswith("<script>")
    log_in(client, world.owner)
    body = client.get(f"/locations/{world.location.id}/feedback").get_data(as_text=True)
    assert "<script>alert" not in body and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "{{ 7*7 }}" in body and ">49<" not in body


def test_the_owner_reads_it_with_its_card_and_marks_it_read(client, world, code):
    client.post(f"/f/{code}", data={"message": "Première", "name": "Léa", "contact": "06 12 34 56 78"})
    client.post(f"/f/{code}", data={"message": "Deuxième"})
    log_in(client, world.owner)
    location_page = client.get(f"/locations/{world.location.id}").get_data(as_text=True)
    assert f'href="/locations/{world.location.id}/feedback"' in location_page and "2 unread" in location_page
    body = client.get(f"/locations/{world.location.id}/feedback").get_data(as_text=True)
    assert body.index("Deuxième") < body.index("Première")  # newest first
    assert f"card {format_code(code)}" in body and "Autumn cards" in body and "Léa" in body and "06 12 34 56 78" in body
    first = stored()[0]
    response = client.post(f"/locations/{world.location.id}/feedback/{first.id}/read")
    assert response.status_code == 302
    db.session.expire_all()
    assert stored()[0].read_at is not None and stored()[1].read_at is None
    assert "1 unread" in client.get(f"/locations/{world.location.id}").get_data(as_text=True)


def test_nobody_else_reads_it(app, world, code):
    client = app.test_client()
    client.post(f"/f/{code}", data={"message": "Pour le patron seulement"})
    feedback_id = stored()[0].id
    url = f"/locations/{world.location.id}/feedback"
    for outsider, status in ((world.foreign_owner, 404), (world.other_location_owner, 404), (world.staff, 403)):
        other = app.test_client()
        log_in(other, outsider)
        assert other.get(url).status_code == status
        assert other.post(f"{url}/{feedback_id}/read").status_code == status
        assert "Pour le patron" not in other.get(f"/locations/{world.other_location.id}/feedback").get_data(as_text=True)
    foreign = app.test_client()
    log_in(foreign, world.foreign_owner)
    assert foreign.get(f"/locations/{world.foreign_location.id}/feedback").status_code == 200
    db.session.expire_all()
    assert stored()[0].read_at is None


def test_an_english_location_gets_an_english_page(client, world):
    code = print_feedback_card(world.foreign_location, sites=[add_destination_row(
        world.foreign_location, "google", GOOGLE_URL, "search.google.com", 0)], language="en",
        headline="Your opinion counts", body="Where do you leave your reviews? Scan the code.",
        offer_text="Your next dessert is on us")
    body = client.get(f"/f/{code}").get_data(as_text=True)
    assert '<html lang="en">' in body and "Write to us privately" in body and "(optional)" in body


def test_the_editor_says_before_printing_when_the_layout_has_no_room_for_the_page(client, world):
    from tests.web.test_campaigns import campaign_form, setup_sites

    google, tripadvisor, _ = setup_sites(world)
    thefork = add_destination_row(world.location, "thefork", "https://www.thefork.fr/restaurant/chez-nous-r123456",
                                  "thefork.fr", 3)
    db.session.commit()
    log_in(client, world.owner)
    form = campaign_form(google, tripadvisor, destination_3=thefork.id, offer_kind="private_feedback", offer_text=OFFER)
    preview = client.post(f"/locations/{world.location.id}/campaigns/preview",
                          data={**form, "preview_layout": "business-card-10up-a4"}).get_json()
    notes = [f["message"] for f in preview["findings"] if not f["source"]]
    assert any("private feedback page need 4" in note for note in notes)
    assert "TheFork" in preview["svg"] and "Tripadvisor" in preview["svg"]  # no review site is dropped for it

    client.post(f"/locations/{world.location.id}/campaigns/new", data=form)
    campaign_id = db.session.scalar(select(Campaign.id))
    refused = client.post(f"/locations/{world.location.id}/campaigns/{campaign_id}/print",
                          data={"layout": "business-card-10up-a4", "count": "5"})
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "private feedback page need 4" in page
    assert db.session.scalar(select(func.count()).select_from(Card)) == 0

    fits = client.post(f"/locations/{world.location.id}/campaigns/preview",
                       data={**form, "destination_3": 0, "preview_layout": "business-card-10up-a4"}).get_json()
    assert "Write to us privately" not in fits["svg"]  # the card's language, French
    assert "Message privé" in fits["svg"] and not [f for f in fits["findings"] if "feedback" in f["message"]]

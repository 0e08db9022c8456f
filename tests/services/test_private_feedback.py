"""The private feedback page of a card: printed beside the review sites, messages kept and limited."""

from __future__ import annotations

import csv
import io
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cta_kit.domain.cards import FEEDBACK_PLATFORM
from cta_kit.domain.codes import format_code
from cta_kit.domain.feedback import MAX_MESSAGE_LENGTH, MESSAGES_PER_CARD, MESSAGES_PER_LOCATION, FeedbackInput
from cta_kit.extensions import db
from cta_kit.models import Business, Card, CardBatch, InstanceSetting, Location, PrivateFeedback, utcnow
from cta_kit.services.errors import NotFound, ServiceError
from cta_kit.services.feedback import feedback_for, feedback_page, mark_read, send_feedback, unread_feedback_count
from cta_kit.services.links import UnknownLink, Visit, follow_tracked_link
from cta_kit.services.printing import PrintOrder, manifest_csv, print_cards
from tests.conftest import GOOGLE_URL, TRIPADVISOR_URL, add_destination_row, make_campaign
from tests.pdf_readback import decoded_qr_codes_per_page, pdf_text

BASE = "https://cards.example.com"


def feedback_campaign(location, sites=("google", "tripadvisor"), **fields):
    urls = {"google": (GOOGLE_URL, "search.google.com"), "tripadvisor": (TRIPADVISOR_URL, "tripadvisor.fr"),
            "thefork": ("https://www.thefork.fr/restaurant/chez-nous-r123456", "thefork.fr")}
    destinations = [add_destination_row(location, site, *urls[site], position) for position, site in enumerate(sites)]
    fields = {"offer_kind": "private_feedback", "offer_text": "Un dessert offert à votre prochaine visite", **fields}
    return make_campaign(location, destinations, **fields)


def codes_of(batch_id):
    return list(db.session.scalars(select(Card.code).where(Card.batch_id == batch_id).order_by(Card.position)))


@pytest.fixture
def feedback_card(world):
    campaign = feedback_campaign(world.location)
    batch_id = print_cards(PrintOrder(campaign.id, 2, "business-card-10up-a4")).batch_id
    return codes_of(batch_id)[0]


@pytest.mark.parametrize("link_mode", ["direct", "tracked"])
def test_each_card_carries_a_qr_code_to_its_own_feedback_page_beside_every_review_site(world, link_mode):
    campaign = feedback_campaign(world.location)
    printed = print_cards(PrintOrder(campaign.id, 2, "business-card-10up-a4", link_mode=link_mode))
    codes = codes_of(printed.batch_id)
    reviews = ([GOOGLE_URL, TRIPADVISOR_URL] if link_mode == "direct"
               else [f"{BASE}/r/{code}/{position}" for code in codes for position in (1, 2)])
    feedback = [f"{BASE}/f/{code}" for code in codes]
    assert decoded_qr_codes_per_page(printed.pdf, dpi=300) == [sorted(reviews * (2 if link_mode == "direct" else 1) + feedback)]
    text = pdf_text(printed.pdf)
    assert text.count("Message privé") == 2 and text.count("Google") == 2

    batch = db.session.get(CardBatch, printed.batch_id)
    assert [(d.position, d.platform, d.destination_id is None) for d in batch.destinations] == [
        (1, "google", False), (2, "tripadvisor", False), (3, FEEDBACK_PLATFORM, True)]
    rows = list(csv.DictReader(io.StringIO(manifest_csv(printed.batch_id))))
    assert [row["url_3"] for row in rows] == feedback


def test_the_feedback_code_is_never_a_tracked_redirect(world, feedback_card):
    with pytest.raises(UnknownLink):
        follow_tracked_link(feedback_card, "3", Visit("GET", "Mozilla/5.0"))
    assert follow_tracked_link(feedback_card, "1", Visit("GET", "Mozilla/5.0")) == GOOGLE_URL


def test_a_layout_without_a_free_slot_refuses_before_printing_and_keeps_every_site(world):
    campaign = feedback_campaign(world.location, sites=("google", "tripadvisor", "thefork"))
    with pytest.raises(ServiceError) as error:
        print_cards(PrintOrder(campaign.id, 1, "business-card-10up-a4"))
    assert "private feedback page need 4" in error.value.errors["layout"].render()
    assert db.session.scalar(select(func.count()).select_from(Card)) == 0


def test_without_a_public_address_the_feedback_page_cannot_be_printed(make_app):
    app = make_app(PUBLIC_BASE_URL="")
    with app.app_context():
        location = Location(business=Business(name="B"), name="L", language="fr")
        db.session.add(location)
        db.session.commit()
        campaign = feedback_campaign(location, sites=("google",))
        with pytest.raises(ServiceError) as error:
            print_cards(PrintOrder(campaign.id, 1, "business-card-10up-a4"))
        assert "public address" in error.value.errors["offer_kind"].render()
        # The address an owner sets in the app is enough.
        db.session.add(InstanceSetting(key="public_base_url", value="https://owner.example.net"))
        db.session.commit()
        printed = print_cards(PrintOrder(campaign.id, 1, "business-card-10up-a4"))
        code = codes_of(printed.batch_id)[0]
        assert f"https://owner.example.net/f/{code}" in decoded_qr_codes_per_page(printed.pdf, dpi=300)[0]
        db.session.remove()


def test_the_page_knows_the_card_its_language_its_offer_and_its_review_sites(world, feedback_card):
    page = feedback_page(feedback_card.lower())
    assert (page.code, page.language, page.business_name) == (feedback_card, "fr", "Chez Nous")
    assert page.offer_text == "Un dessert offert à votre prochaine visite"
    assert [(link.label, link.url) for link in page.review_links] == [("Google", GOOGLE_URL), ("Tripadvisor", TRIPADVISOR_URL)]


def test_only_cards_printed_with_the_page_have_one(world, feedback_card):
    thank_you = make_campaign(world.location, world.location.destinations[:1])
    plain_code = codes_of(print_cards(PrintOrder(thank_you.id, 1, "thermal-80mm")).batch_id)[0]
    with pytest.raises(UnknownLink) as unknown:
        feedback_page(plain_code)
    assert unknown.value.language == "fr"
    for typed in ("", "nonsense", feedback_card[:-1] + ("0" if feedback_card[-1] != "0" else "1"), "KG65MF8F547"):
        with pytest.raises(UnknownLink):
            feedback_page(typed)


def test_a_message_is_kept_with_its_card_and_shown_to_the_owner_newest_first(world, feedback_card):
    page = feedback_page(feedback_card)
    send_feedback(page, FeedbackInput("  Le dessert était trop sucré.\nMerci !  ", name=" Léa ", contact=""))
    send_feedback(page, FeedbackInput("<script>alert(1)</script>"))
    location, received = feedback_for(world.owner, world.location.id)
    assert [item.message for item in received] == ["<script>alert(1)</script>", "Le dessert était trop sucré.\nMerci !"]
    assert (received[1].name, received[1].card_code, received[1].campaign_name) == ("Léa", format_code(feedback_card), "Autumn cards")
    assert db.session.scalar(select(PrivateFeedback.language)) == "fr"
    assert unread_feedback_count(world.owner, world.location.id) == 2
    mark_read(world.owner, world.location.id, received[0].id)
    mark_read(world.owner, world.location.id, received[0].id)  # twice is harmless
    assert unread_feedback_count(world.owner, world.location.id) == 1


def test_other_owners_and_staff_never_read_it(world, feedback_card):
    send_feedback(feedback_page(feedback_card), FeedbackInput("Privé"))
    feedback_id = db.session.scalar(select(PrivateFeedback.id))
    for outsider in (world.foreign_owner, world.other_location_owner):
        with pytest.raises(NotFound):
            feedback_for(outsider, world.location.id)
        with pytest.raises(NotFound):
            mark_read(outsider, world.location.id, feedback_id)
    with pytest.raises(PermissionError):
        feedback_for(world.staff, world.location.id)
    _, at_lyon = feedback_for(world.owner, world.other_location.id)
    assert at_lyon == []
    with pytest.raises(NotFound):
        mark_read(world.owner, world.other_location.id, feedback_id)


@pytest.mark.parametrize("data, field", [
    (FeedbackInput("   \n "), "message"),
    (FeedbackInput("x" * (MAX_MESSAGE_LENGTH + 1)), "message"),
    (FeedbackInput("ok", name="n" * 121), "name"),
    (FeedbackInput("ok", contact="c" * 201), "contact"),
])
def test_a_bad_message_says_why_and_keeps_nothing(world, feedback_card, data, field):
    with pytest.raises(ServiceError) as error:
        send_feedback(feedback_page(feedback_card), data)
    assert field in error.value.errors
    assert db.session.scalar(select(func.count()).select_from(PrivateFeedback)) == 0


def test_a_card_sends_a_few_messages_an_hour(world, feedback_card):
    page = feedback_page(feedback_card)
    for number in range(MESSAGES_PER_CARD):
        send_feedback(page, FeedbackInput(f"message {number}"))
    with pytest.raises(ServiceError) as error:
        send_feedback(page, FeedbackInput("one too many"))
    assert "last hour" in error.value.errors[""].render()
    # An hour later the card has room again.
    db.session.execute(PrivateFeedback.__table__.update().values(created_at=utcnow() - timedelta(hours=1, minutes=1)))
    db.session.commit()
    send_feedback(page, FeedbackInput("later"))
    assert db.session.scalar(select(func.count()).select_from(PrivateFeedback)) == MESSAGES_PER_CARD + 1


def test_a_location_takes_a_bounded_number_an_hour_whatever_the_card(world, feedback_card):
    page = feedback_page(feedback_card)
    other_code = [code for code in codes_of(db.session.scalar(select(Card.batch_id))) if code != feedback_card][0]
    card_id = db.session.scalar(select(Card.id).where(Card.code == other_code))
    db.session.add_all(PrivateFeedback(location_id=world.location.id, card_id=card_id, message="m", language="fr",
                                       created_at=utcnow()) for _ in range(MESSAGES_PER_LOCATION))
    db.session.commit()
    with pytest.raises(ServiceError) as error:
        send_feedback(page, FeedbackInput("hello"))
    assert "many messages" in error.value.errors[""].render()


def test_sends_at_the_same_moment_never_pass_the_card_limit(app, world, feedback_card):
    """Ten phones send at once: the count and the insert share one lock, so exactly the limit is kept."""
    page = feedback_page(feedback_card)
    db.session.commit()
    start = threading.Barrier(10)
    outcomes = []

    def send(number):
        with app.app_context():
            start.wait()
            try:
                send_feedback(page, FeedbackInput(f"at once {number}"))
                outcomes.append("kept")
            except ServiceError as error:
                outcomes.append("busy" if "busy" in error.errors[""].render() else "refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=send, args=(number,)) for number in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("kept") == MESSAGES_PER_CARD and "busy" not in outcomes
    assert db.session.scalar(select(func.count()).select_from(PrivateFeedback)) == MESSAGES_PER_CARD


@pytest.mark.parametrize("layout", ["business-card-10up-a4", "avery-5371-letter", "bill-insert-3up-a4",
                                    "table-tent-a6-from-a5", "thermal-80mm", "thermal-58mm"])
def test_every_layout_prints_the_feedback_code_readably_and_reprints_it_the_same(world, layout):
    from cta_kit.services.printing import reprint

    campaign = feedback_campaign(world.location)
    printed = print_cards(PrintOrder(campaign.id, 1, layout, link_mode="tracked"))
    [code] = codes_of(printed.batch_id)
    if layout.startswith("table-tent"):
        # A standing piece carries no offer, so no feedback page either; both panels carry the sites.
        expected = [f"{BASE}/r/{code}/1", f"{BASE}/r/{code}/2"] * 2
    else:
        expected = [f"{BASE}/r/{code}/1", f"{BASE}/r/{code}/2", f"{BASE}/f/{code}"]
    assert decoded_qr_codes_per_page(printed.pdf, dpi=300) == [sorted(expected)]
    assert ("Message privé" in pdf_text(printed.pdf)) == (not layout.startswith("table-tent"))
    if layout == "bill-insert-3up-a4":
        assert f"/f/{code}" in pdf_text(printed.pdf)  # where there is room, its short link too
    assert reprint(printed.batch_id).pdf == printed.pdf


def test_a_till_slip_carries_the_customers_site_and_the_feedback_page(world):
    from cta_kit.models import TillSetting
    from cta_kit.services.printing import print_till_slip

    campaign = feedback_campaign(world.location, sites=("google", "tripadvisor", "thefork"))
    db.session.add(TillSetting(location_id=world.location.id, campaign_id=campaign.id))
    db.session.commit()
    google = campaign.destinations[0]
    printed = print_till_slip(world.staff, world.location.id, google.id, "thermal-80mm")
    [code] = codes_of(printed.batch_id)
    assert decoded_qr_codes_per_page(printed.pdf, dpi=300) == [sorted([f"{BASE}/r/{code}/1", f"{BASE}/f/{code}"])]

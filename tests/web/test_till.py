"""The till's JSON contract: one tap stored once, undo, every redemption answer, bad input refused."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from cta_kit.domain.codes import check_symbol
from cta_kit.extensions import db
from cta_kit.models import Card, CardBatch, Preference, RedemptionAttempt, TillSetting, utcnow
from cta_kit.services.printing import PrintOrder, print_cards
from tests.conftest import add_destination_row, log_in, make_campaign
from tests.pdf_readback import decoded_qr_codes_per_page, pdf_text


def key() -> str:
    return str(uuid.uuid4())


def till(world) -> str:
    return f"/locations/{world.location.id}/till"


@pytest.fixture
def staff_client(app, printed_world):
    client = app.test_client()
    log_in(client, printed_world.staff)
    return client


def redeem(client, world, code, attempt_key=None):
    response = client.post(till(world) + "/redemptions", json={"code": code, "key": attempt_key or key()})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def typo_of(code: str) -> str:
    return code[:4] + ("0" if code[4] != "0" else "1") + code[5:]


def test_staff_land_on_the_till_and_it_carries_a_csrf_meta_tag(staff_client, printed_world):
    response = staff_client.get("/")
    assert response.headers["Location"].endswith(till(printed_world))
    page = staff_client.get(till(printed_world)).get_data(as_text=True)
    assert '<meta name="csrf-token" content="' in page
    assert 'data-platform="google"' in page and 'data-platform="none"' in page and 'data-platform="unsaid"' in page


def test_a_tap_is_stored_once_per_key_and_counted_today(staff_client, printed_world):
    tap = {"platform": "google", "key": key(), "table": "  12 ", "code": "kg65m-f8f54-7", "name": "Marie D."}
    first = staff_client.post(till(printed_world) + "/preferences", json=tap).get_json()
    again = staff_client.post(till(printed_world) + "/preferences", json=tap).get_json()
    assert first["id"] == again["id"] and first["tally"] == {"google": 1}
    stored = db.session.scalars(select(Preference)).all()
    assert len(stored) == 1
    assert (stored[0].user_id, stored[0].platform, stored[0].table_or_bill, stored[0].customer_name) == (
        printed_world.staff.id, "google", "12", "Marie D.")
    none = staff_client.post(till(printed_world) + "/preferences", json={"platform": "none", "key": key()}).get_json()
    assert none["tally"] == {"google": 1, "none": 1}


def test_undo_takes_a_tap_back_within_its_window_only(staff_client, printed_world):
    tap_key = key()
    staff_client.post(till(printed_world) + "/preferences", json={"platform": "tripadvisor", "key": tap_key})
    undone = staff_client.post(till(printed_world) + "/preferences/undo", json={"key": tap_key})
    assert undone.status_code == 200 and undone.get_json()["tally"] == {}
    assert staff_client.post(till(printed_world) + "/preferences/undo", json={"key": tap_key}).status_code == 200

    late_key = key()
    staff_client.post(till(printed_world) + "/preferences", json={"platform": "google", "key": late_key})
    db.session.execute(update(Preference).where(Preference.client_key == late_key)
                       .values(created_at=utcnow() - timedelta(minutes=2)))
    db.session.commit()
    late = staff_client.post(till(printed_world) + "/preferences/undo", json={"key": late_key})
    assert late.status_code == 400 and "30 seconds" in late.get_json()["message"]


@pytest.mark.parametrize("body", [
    b"not json", b"[1, 2]", b'{"platform": "google"}', b'{"platform": "myspace", "key": "abcdefgh-1234"}',
    b'{"platform": "google", "key": "short"}', b'{"platform": "google", "key": "abcdefgh-1234", "table": 12}',
])
def test_bad_taps_get_a_json_400_and_store_nothing(staff_client, printed_world, body):
    response = staff_client.post(till(printed_world) + "/preferences", data=body, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"] == "bad_request"
    assert response.get_json()["message"]
    assert db.session.scalar(select(func.count()).select_from(Preference)) == 0


def test_a_code_redeems_once_with_its_offer_and_every_other_answer_is_distinct(staff_client, printed_world):
    world = printed_world
    code = world.card_code
    attempt = key()
    answer = redeem(staff_client, world, f"{code[:5]}-{code[5:10]}-{code[10]}".lower(), attempt)
    assert answer["result"] == "redeemed" and "café offert" in answer["message"]
    assert redeem(staff_client, world, code, attempt) == answer  # the same key, the same answer
    again = redeem(staff_client, world, code)
    assert again["result"] == "already_redeemed" and "Sam Staff" in again["message"]
    assert redeem(staff_client, world, typo_of(code))["result"] == "typo"
    assert redeem(staff_client, world, "HELLO")["result"] == "malformed"
    unknown = "ABCDEFGHJK" + check_symbol("ABCDEFGHJK")
    assert redeem(staff_client, world, unknown)["result"] == "unknown"
    card = db.session.scalar(select(Card).where(Card.code == code))
    assert card.redeemed_by_id == world.staff.id and card.redeemed_at is not None
    assert db.session.scalar(select(func.count()).select_from(RedemptionAttempt)) == 5  # the replay adds none
    assert len({a["message"] for a in (answer, again)}) == 2


def test_expired_not_started_ended_other_location_and_no_offer(app, printed_world):
    world = printed_world
    client = app.test_client()
    log_in(client, world.owner)
    codes = db.session.scalars(select(Card.code).where(Card.batch_id == world.batch_id).order_by(Card.position)).all()
    batch = db.session.get(CardBatch, world.batch_id)
    batch.offer_expires_on = date.today() - timedelta(days=2)
    db.session.commit()
    assert redeem(client, world, codes[0])["result"] == "expired"
    batch.offer_expires_on = None
    batch.campaign.starts_on = date.today() + timedelta(days=3)
    db.session.commit()
    assert redeem(client, world, codes[0])["result"] == "not_started"
    batch.campaign.starts_on = date.today() - timedelta(days=30)
    batch.campaign.ends_on = date.today() - timedelta(days=2)
    db.session.commit()
    assert redeem(client, world, codes[0])["result"] == "ended"
    batch.offer_kind = "none"
    db.session.commit()
    assert redeem(client, world, codes[1])["result"] == "no_offer"
    other = f"/locations/{world.other_location.id}/till/redemptions"
    response = client.post(other, json={"code": codes[2], "key": key()}).get_json()
    assert response["result"] == "other_location" and "café" not in response["message"]


def test_private_feedback_offers_redeem_the_same_way(staff_client, printed_world):
    world = printed_world
    campaign = make_campaign(world.location, world.location.destinations[:1], offer_kind="private_feedback",
                             offer_text="Un dessert offert pour votre avis privé")
    batch = print_cards(PrintOrder(campaign.id, 1, "business-card-10up-a4"))
    code = db.session.scalar(select(Card.code).where(Card.batch_id == batch.batch_id))
    assert redeem(staff_client, world, code)["result"] == "redeemed"


def test_twenty_wrong_codes_in_an_hour_pause_redemption_and_tell_the_owner(app, staff_client, printed_world):
    world = printed_world
    for _ in range(20):
        assert redeem(staff_client, world, typo_of(world.card_code))["result"] == "typo"
    paused = redeem(staff_client, world, world.card_code)
    assert paused["result"] == "paused"
    assert db.session.scalar(select(Card.redeemed_at).where(Card.code == world.card_code)) is None
    owner = app.test_client()
    log_in(owner, world.owner)
    assert "paused until" in owner.get(f"/locations/{world.location.id}").get_data(as_text=True)
    # The pause ends after 15 minutes, and the old guesses do not start another one at once.
    for attempt in db.session.scalars(select(RedemptionAttempt)):
        attempt.created_at -= timedelta(minutes=16)
    db.session.execute(update(TillSetting).values(redemption_paused_until=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert redeem(staff_client, world, typo_of(world.card_code))["result"] == "typo"
    assert redeem(staff_client, world, world.card_code)["result"] == "redeemed"


def test_a_till_slip_is_a_one_card_batch_with_a_tracked_link_and_a_code(app, printed_world):
    world = printed_world
    owner = app.test_client()
    log_in(owner, world.owner)
    owner.post(till(world) + "/settings", data={"campaign_id": world.campaign_id})
    staff = app.test_client()
    log_in(staff, world.staff)
    google = world.location.destinations[0]
    made = staff.post(till(world) + "/slips", json={"destination": google.id, "layout": "thermal-80mm"}).get_json()
    pdf = staff.get(made["pdf"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    batch = db.session.get(CardBatch, made["id"])
    assert (batch.card_count, batch.link_mode, batch.printed_by_id) == (1, "tracked", world.staff.id)
    code = db.session.scalar(select(Card.code).where(Card.batch_id == batch.id))
    assert decoded_qr_codes_per_page(pdf.data) == [[f"https://cards.example.com/r/{code}/1"]]
    assert "café offert" in pdf_text(pdf.data)
    assert redeem(staff, world, code)["result"] == "redeemed"
    # Sheets of cards are the owner's: the till only reopens slips.
    assert staff.get(f"{till(world)}/slips/{world.batch_id}.pdf").status_code == 404


def test_no_slip_for_a_presence_only_site_or_without_a_till_campaign(app, staff_client, printed_world):
    world = printed_world
    yelp = add_destination_row(world.location, "yelp", "https://www.yelp.fr/biz/chez-nous", "yelp.fr", 5,
                               presence_only=True)
    db.session.commit()
    page = staff_client.get(till(world)).get_data(as_text=True)
    # Yelp is logged like any site but shown as presence: no QR asking for a review, no slip.
    assert 'data-platform="yelp"' in page and f'id="till-qr-{yelp.id}"' not in page
    assert staff_client.post(till(world) + "/preferences", json={"platform": "yelp", "key": key()}).status_code == 200
    response = staff_client.post(till(world) + "/slips", json={"destination": world.location.destinations[0].id})
    assert response.status_code == 400 and "campaign" in response.get_json()["message"]
    db.session.add(TillSetting(location_id=world.location.id, campaign_id=world.campaign_id))
    db.session.commit()
    response = staff_client.post(till(world) + "/slips", json={"destination": yelp.id})
    assert response.status_code == 400 and "Yelp" in response.get_json()["message"]


def test_the_owner_sees_the_day_per_staff_member(app, staff_client, printed_world):
    world = printed_world
    for platform in ("google", "google", "tripadvisor", "none"):
        staff_client.post(till(world) + "/preferences", json={"platform": platform, "key": key()})
    redeem(staff_client, world, world.card_code)
    owner = app.test_client()
    log_in(owner, world.owner)
    page = owner.get(till(world) + "/activity").get_data(as_text=True)
    assert "Sam Staff" in page and "Google 2" in page and "Tripadvisor 1" in page

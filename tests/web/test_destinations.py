"""Owners add review sites by pasting what they have; staff show their QR codes."""

from __future__ import annotations

import re

import zxingcpp
from PIL import Image
from sqlalchemy import select

from cta_kit.domain.destinations import DISPLAY_LIMIT, MAX_URL_LENGTH
from cta_kit.extensions import db
from cta_kit.models import ReviewDestination
from tests.conftest import log_in

PLACE_ID = "ChIJN1t_tDeuEmsRUsoyG83frY4"


def destinations(location):
    return list(
        db.session.scalars(
            select(ReviewDestination).where(ReviewDestination.location_id == location.id).order_by(ReviewDestination.position)
        )
    )


def add(client, location, platform, entered):
    return client.post(f"/locations/{location.id}/destinations/new", data={"platform": platform, "entered": entered})


def test_owner_adds_normalised_links_and_hostile_ones_are_refused(client, world):
    log_in(client, world.owner)
    assert add(client, world.location, "google", PLACE_ID).status_code == 302
    response = add(client, world.location, "google", "javascript:alert(document.cookie)//" + PLACE_ID)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'class="error"' in body and "javascript:alert(document.cookie)" in body  # kept, escaped, to correct
    assert "<script" not in body.split("<main", 1)[1].split("</main>")[0]
    tripadvisor = "https://www.tripadvisor.fr/Restaurant_Review-g187147-d1234567-Reviews-Chez_Nous-Paris.html"
    assert add(client, world.location, "tripadvisor", tripadvisor).status_code == 302
    stored = destinations(world.location)
    assert [d.url for d in stored] == [
        f"https://search.google.com/local/writereview?placeid={PLACE_ID}",
        "https://www.tripadvisor.fr/UserReviewEdit-g187147-d1234567.html",
    ]
    assert stored[1].entered == tripadvisor


def test_the_same_link_twice_is_refused(client, world):
    log_in(client, world.owner)
    add(client, world.location, "google", PLACE_ID)
    response = add(client, world.location, "google", f"https://search.google.com/local/writereview?placeid={PLACE_ID}")
    assert "already has this review link" in response.get_data(as_text=True)
    assert len(destinations(world.location)) == 1


def test_yelp_is_kept_as_a_presence_link(client, world):
    log_in(client, world.owner)
    assert add(client, world.location, "yelp", "https://www.yelp.fr/biz/chez-nous-paris").status_code == 302
    (yelp,) = destinations(world.location)
    assert yelp.presence_only
    page = client.get(f"/locations/{world.location.id}").get_data(as_text=True)
    assert "presence only" in page


def test_reorder_and_remove(client, world):
    log_in(client, world.owner)
    add(client, world.location, "google", PLACE_ID)
    add(client, world.location, "facebook", "https://www.facebook.com/chez.nous.paris")
    first, second = destinations(world.location)
    client.post(f"/locations/{world.location.id}/destinations/{second.id}/move/up")
    db.session.expire_all()
    assert [d.id for d in destinations(world.location)] == [second.id, first.id]
    client.post(f"/locations/{world.location.id}/destinations/{second.id}/delete")
    db.session.expire_all()
    remaining = destinations(world.location)
    assert [(d.id, d.position) for d in remaining] == [(first.id, 0)]


def test_staff_show_a_qr_but_cannot_change_sites(app, client, world):
    owner = app.test_client()
    log_in(owner, world.owner)
    add(owner, world.location, "google", PLACE_ID)
    (google,) = destinations(world.location)
    log_in(client, world.staff)
    page = client.get(f"/locations/{world.location.id}/destinations/{google.id}/qr")
    assert page.status_code == 200 and "<svg" in page.get_data(as_text=True)
    assert add(client, world.location, "google", "ChIJ" + "a" * 23).status_code == 403
    assert client.post(f"/locations/{world.location.id}/destinations/{google.id}/delete").status_code == 403


def test_another_locations_destination_is_not_found(client, world):
    log_in(client, world.other_location_owner)
    response = add(client, world.location, "google", PLACE_ID)
    assert response.status_code == 404
    assert destinations(world.location) == []


def test_platform_rules_are_shown_in_the_owners_language(client, world):
    world.owner.language = "fr"
    db.session.commit()
    log_in(client, world.owner)
    page = client.get(f"/locations/{world.location.id}/destinations/new").get_data(as_text=True)
    assert "Aucune incitation" in page and "un identifiant de lieu Google" in page


def test_the_screen_qr_decodes_to_the_destination(client, world):
    log_in(client, world.owner)
    add(client, world.location, "google", PLACE_ID)
    (google,) = destinations(world.location)
    page = client.get(f"/locations/{world.location.id}/destinations/{google.id}/qr").get_data(as_text=True)
    svg = page[page.index("<svg", page.index("qr-box")) : page.index("</svg>", page.index("qr-box")) + 6]
    # Rasterise the path ourselves: module units, one pixel block per module.
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    pixels = image.load()
    for x, y, w, h in re.findall(r"M(\d+) (\d+)h(\d+)v(\d+)h-\d+z", svg):
        for px in range(int(x) * scale, (int(x) + int(w)) * scale):
            for py in range(int(y) * scale, (int(y) + int(h)) * scale):
                pixels[px, py] = 0
    (result,) = zxingcpp.read_barcodes(image)
    assert result.text == google.url


def test_a_long_link_typed_without_https_gets_a_message_not_a_server_error(client, world):
    log_in(client, world.owner)
    typed = "chez-nous.fr/" + "a" * (1995 - len("chez-nous.fr/"))
    response = add(client, world.location, "other", typed)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'class="error"' in body and "2003 characters" in body
    assert destinations(world.location) == []


def test_the_columns_hold_the_longest_link_and_its_printed_form():
    columns = ReviewDestination.__table__.c
    assert columns.url.type.length == MAX_URL_LENGTH
    assert columns.display_url.type.length >= DISPLAY_LIMIT


def test_the_location_page_has_its_name_as_title_and_one_till_section(client, world):
    import re

    log_in(client, world.owner)
    page = client.get(f"/locations/{world.location.id}").get_data(as_text=True)
    assert re.search(r"<title>\s*Chez Nous Paris · cta-kit</title>", page)
    assert page.count("Till activity") == 1
    assert f'href="/locations/{world.location.id}/reviews/"' in page

"""Tracked links: a 302 to the stored destination, or a 404; never a redirect taken from the request."""

from __future__ import annotations

import pytest

from cta_kit.extensions import db
from tests.conftest import GOOGLE_URL, TRIPADVISOR_URL


def test_a_cards_link_redirects_to_the_stored_destination(client, printed_world):
    code = printed_world.card_code
    for typed in (code, code.lower(), f"{code[:5]}-{code[5:10]}-{code[10]}"):
        response = client.get(f"/r/{typed}/google")
        assert response.status_code == 302 and response.headers["Location"] == GOOGLE_URL
    assert client.get(f"/r/{code}/tripadvisor").headers["Location"] == TRIPADVISOR_URL
    assert client.get(f"/r/{code}/1").headers["Location"] == GOOGLE_URL
    assert client.get(f"/r/{code}/2").headers["Location"] == TRIPADVISOR_URL


def test_editing_a_destination_never_changes_where_printed_cards_lead(client, printed_world):
    google = printed_world.location.destinations[0]
    google.url = "https://g.page/r/CRxVbH3c9kBFEAE/review"
    db.session.commit()
    assert client.get(f"/r/{printed_world.card_code}/1").headers["Location"] == GOOGLE_URL


@pytest.mark.parametrize(
    "path",
    [
        "/r/{code}/facebook",  # not printed on that card
        "/r/{code}/yelp",
        "/r/{typo}/google",
        "/r/AAAAAAAAAAA/google",
        "/r/{code}/google%2F..%2F..%2Fevil",
        "/r/{code}/https:%2F%2Fevil.example",
        "/r/{code}%2Fgoogle/google",
        "/r/{code}/google/extra",
        "/r/../r/{code}/google%00",
        "/r/%2e%2e/{code}",
        "/r//evil.example/google",
    ],
)
def test_hostile_or_unknown_links_get_a_404(client, printed_world, path):
    code = printed_world.card_code
    typo = code[:3] + ("0" if code[3] != "0" else "1") + code[4:]
    response = client.get(path.format(code=code, typo=typo))
    assert response.status_code == 404, response.headers.get("Location")
    assert "Location" not in response.headers

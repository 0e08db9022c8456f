"""Every route of the app against every kind of visitor: each answer is the expected one."""

from __future__ import annotations

import uuid

import pytest

from cta_kit import create_app
from cta_kit.domain.cards import FEEDBACK_PREFIX
from cta_kit.extensions import db
from tests.conftest import app_config, log_in

ROLES = ("anonymous", "staff", "owner", "other_location_owner", "foreign_owner")

OK, LOGIN, FORBIDDEN, MISSING = "ok", "login", "forbidden", "missing"

# What each visitor gets. Owner-only pages: staff get 403; another location's data: 404.
PUBLIC = dict.fromkeys(ROLES, OK)
ANY_USER = {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], OK)}
ANY_OWNER = {"anonymous": LOGIN, "staff": FORBIDDEN, **dict.fromkeys(ROLES[2:], OK)}
PEOPLE_OF_LOCATION = {"anonymous": LOGIN, "staff": OK, "owner": OK, "other_location_owner": MISSING, "foreign_owner": MISSING}
OWNERS_OF_LOCATION = {**PEOPLE_OF_LOCATION, "staff": FORBIDDEN}
NOBODY = dict.fromkeys(ROLES, MISSING)

EXPECTED = {
    "static": PUBLIC,
    "home.index": ANY_USER,
    "home.health": PUBLIC,
    "home.choose_language": PUBLIC,
    "auth.setup": NOBODY,  # once set up
    "auth.login": PUBLIC,
    "auth.logout": dict.fromkeys(ROLES, LOGIN),  # everyone lands on the login page
    "account.settings": ANY_USER,
    "account.password": ANY_USER,
    "locations.index": ANY_USER,
    "locations.detail": PEOPLE_OF_LOCATION,
    "locations.create": ANY_OWNER,
    "locations.edit": OWNERS_OF_LOCATION,
    "destinations.create": OWNERS_OF_LOCATION,
    "destinations.confirm_delete": OWNERS_OF_LOCATION,
    "destinations.delete": OWNERS_OF_LOCATION,
    "destinations.move": OWNERS_OF_LOCATION,
    "destinations.qr": PEOPLE_OF_LOCATION,
    "destinations.slip": PEOPLE_OF_LOCATION,
    "campaigns.index": OWNERS_OF_LOCATION,
    "campaigns.create": OWNERS_OF_LOCATION,
    "campaigns.edit": OWNERS_OF_LOCATION,
    "campaigns.preview": OWNERS_OF_LOCATION,
    "campaigns.print_cards": OWNERS_OF_LOCATION,
    "campaigns.batch_pdf": OWNERS_OF_LOCATION,
    "campaigns.batch_manifest": OWNERS_OF_LOCATION,
    "print_jobs.show": OWNERS_OF_LOCATION,
    "print_jobs.status": OWNERS_OF_LOCATION,
    "print_jobs.pdf": OWNERS_OF_LOCATION,
    "printer.settings": OWNERS_OF_LOCATION,
    "printer.test_sheet": OWNERS_OF_LOCATION,
    "links.follow": PUBLIC,  # a printed card's tracked link
    "till.page": PEOPLE_OF_LOCATION,
    "till.log_preference": PEOPLE_OF_LOCATION,
    "till.undo_preference": PEOPLE_OF_LOCATION,
    "till.redeem": PEOPLE_OF_LOCATION,
    "till.print_slip": PEOPLE_OF_LOCATION,
    # The world's batch is a sheet of cards: the till reopens one-card slips only.
    "till.slip_pdf": {**NOBODY, "anonymous": LOGIN},
    "till.settings": OWNERS_OF_LOCATION,
    "till.activity": OWNERS_OF_LOCATION,
    "users.index": ANY_OWNER,
    "users.create": ANY_OWNER,
    "users.edit": OWNERS_OF_LOCATION,  # the staff member of the location
    "settings.index": ANY_OWNER,
    "reviews.index": OWNERS_OF_LOCATION,
    "reviews.run_match": OWNERS_OF_LOCATION,
    "reviews.decide": OWNERS_OF_LOCATION,
    "reviews.link": OWNERS_OF_LOCATION,
    "reviews.upload": OWNERS_OF_LOCATION,
    "reviews.preview": OWNERS_OF_LOCATION,
    "reviews.add": OWNERS_OF_LOCATION,
    "reviews.counts": OWNERS_OF_LOCATION,
    "feedback.write": PUBLIC,  # a printed card's private feedback page
    "feedback.thanks": PUBLIC,
    "feedback.inbox": OWNERS_OF_LOCATION,
    "feedback.mark_read": OWNERS_OF_LOCATION,
    "summary.overview": ANY_OWNER,
    "summary.overview_csv": ANY_OWNER,
    "summary.overview_pdf": ANY_OWNER,
    "summary.location": OWNERS_OF_LOCATION,
    "summary.location_csv": OWNERS_OF_LOCATION,
    "summary.location_pdf": OWNERS_OF_LOCATION,
}


def all_routes():
    app = create_app(app_config("sqlite://", "/tmp/cta-kit-route-listing"))
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, rule.rule, method))
    return routes


ROUTES = all_routes()


def test_every_route_has_an_expectation():
    assert sorted({endpoint for endpoint, _, _ in ROUTES} - set(EXPECTED)) == []
    assert sorted(set(EXPECTED) - {endpoint for endpoint, _, _ in ROUTES}) == []


def url_for_rule(rule: str, world, destination_id: int) -> str:
    values = {
        "<int:location_id>": str(world.location.id),
        "<int:destination_id>": str(destination_id),
        "<int:user_id>": str(world.staff.id),
        "<int:campaign_id>": str(world.campaign_id),
        "<int:batch_id>": str(world.batch_id),
        "<int:job_id>": str(world.job_id),
        "<any(up, down):direction>": "down",
        "<path:filename>": "css/app.css",
        "<code>": world.feedback_code if rule.startswith(FEEDBACK_PREFIX) else world.card_code,
        "<slot>": "1",
        "<int:import_id>": str(world.import_id),
        "<int:review_id>": str(world.review_id),
        "<int:match_id>": str(world.match_id),
        "<int:feedback_id>": str(world.feedback_id),
        "<any(confirm, reject):decision>": "reject",
        "<layout_name>": "table-tent-a6-from-a5",
    }
    for placeholder, value in values.items():
        rule = rule.replace(placeholder, value)
    assert "<" not in rule, rule
    return rule


def json_body(endpoint: str, world, destination_id: int) -> dict | None:
    """The till's routes read JSON: each gets a well-formed body, so that the answer shows access."""
    key = f"matrix-{uuid.uuid4()}"
    return {
        "till.log_preference": {"platform": "none", "key": key},
        "till.undo_preference": {"key": key},
        "till.redeem": {"code": world.card_code, "key": key},
        "till.print_slip": {"destination": destination_id, "layout": "thermal-80mm"},
    }.get(endpoint)


def outcome(response) -> str:
    if response.status_code == 400 and response.is_json and response.get_json().get("error") == "bad_request":
        return OK  # the view itself answered (e.g. nothing to undo): access was granted
    if response.status_code == 403:
        return FORBIDDEN
    if response.status_code == 404:
        return MISSING
    if response.status_code == 302 and "/login" in response.headers["Location"]:
        return LOGIN
    if response.status_code in (200, 302):
        return OK
    return f"unexpected {response.status_code}"


def add_reviews(world) -> None:
    """An upload waiting for its columns, an imported review and a suggested match at location X,
    and a message from a card printed with the private feedback page."""
    from cta_kit.models import Card, PrivateFeedback, Review, ReviewImport, ReviewMatch
    from cta_kit.services.printing import PrintOrder, print_cards
    from tests.conftest import make_campaign

    upload = ReviewImport(location_id=world.location.id, user_id=world.owner.id, filename="r.csv", source="csv",
                          data="date;platform\n2026-10-05;Google\n".encode())
    review = Review(location_id=world.location.id, platform="google", fingerprint="f", posted_at=world.owner.created_at,
                    source="manual")
    db.session.add_all([upload, review])
    db.session.flush()
    card_id = db.session.scalar(db.select(Card.id).where(Card.code == world.card_code))
    # confirmed, so that running the matcher (another route) keeps it
    match = ReviewMatch(review_id=review.id, card_id=card_id, location_id=world.location.id, score=0.9, status="confirmed")
    db.session.add(match)
    db.session.commit()
    world.import_id, world.review_id, world.match_id = upload.id, review.id, match.id
    campaign = make_campaign(world.location, world.location.destinations[:1], offer_kind="private_feedback")
    batch_id = print_cards(PrintOrder(campaign.id, 1, "thermal-80mm")).batch_id
    card = db.session.scalar(db.select(Card).where(Card.batch_id == batch_id))
    message = PrivateFeedback(location_id=world.location.id, card_id=card.id, message="Trop salé", language="fr")
    db.session.add(message)
    db.session.commit()
    world.feedback_code, world.feedback_id = card.code, message.id


@pytest.mark.parametrize("role", ROLES)
def test_route_answers(app, printed_world, role):
    world = printed_world
    destination = world.location.destinations[0]
    users = {
        "staff": world.staff,
        "owner": world.owner,
        "other_location_owner": world.other_location_owner,
        "foreign_owner": world.foreign_owner,
    }
    add_reviews(world)
    mismatches = []
    # Removing a destination and logging out change what follows, so they come last.
    ordered = sorted(ROUTES, key=lambda route: (route[0] == "destinations.delete", route[0] == "auth.logout"))
    for endpoint, rule, method in ordered:
        client = app.test_client()
        if role != "anonymous":
            log_in(client, users[role])
        url = url_for_rule(rule, world, destination.id)
        body = json_body(endpoint, world, destination.id)
        if body is not None:
            response = client.open(url, method=method, json=body)
        else:
            response = client.open(url, method=method, data={})
        got = outcome(response)
        if got != EXPECTED[endpoint][role]:
            mismatches.append(f"{method} {url} as {role}: expected {EXPECTED[endpoint][role]}, got {got}")
    assert mismatches == []

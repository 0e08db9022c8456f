"""Revision 0003 turns batches printed under 0002 into records, and a downgrade gives their JSON back."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, select, text

from cta_kit.extensions import db
from cta_kit.models import BatchDestination, CardBatch
from cta_kit.services.printing import manifest_csv, reprint
from tests.conftest import GOOGLE_URL
from tests.migration_db import app_at_revision
from tests.pdf_readback import decoded_qr_codes_per_page, pdf_text

QUANDOO_URL = "https://www.quandoo.fr/place/chez-nous-12345/review"
OPENTABLE_URL = "https://www.opentable.fr/r/chez-nous-paris/review"
CODES = ("KG65MF8F547", "3RZ8Q0WXJ4B")
# 23:30 UTC on 27 November is already 28 November in Paris; the old code counted from the
# server's (UTC) day, so the cards say 27 December.
PRINTED_AT = datetime(2026, 11, 27, 23, 30, tzinfo=timezone.utc)


def old_content(*, link_mode, offer, validity, destinations):
    """A batch's content as revision 0002's printing service wrote it."""
    return json.dumps({
        "language": "fr",
        "link_mode": link_mode,
        "base_url": "https://cards.example.com" if link_mode == "tracked" else "",
        "title": "Autumn cards · Chez Nous Paris",
        "author": "Chez Nous",
        "subject": f"{len(destinations)} review site(s), {link_mode} links",
        "variables": {
            "headline": "Votre avis compte", "body": "Sur quel site laissez-vous vos avis ? Scannez le code.",
            "offer": offer, "business": "Chez Nous", "location": "Chez Nous Paris", "presence_line": "",
            "validity": validity,
        },
        "destinations": destinations,
    }, ensure_ascii=False, sort_keys=True)


PRINTED_OTHERS = [
    {"platform": "other", "label": "OpenTable", "url": OPENTABLE_URL, "display_url": "opentable.fr"},
    {"platform": "other", "label": "Quandoo", "url": QUANDOO_URL, "display_url": "quandoo.fr"},
]


@pytest.fixture
def app_at_0002(migrated_database, tmp_path):
    """An app on a database of its own, migrated to 0002 and holding batches printed then."""
    with app_at_revision(migrated_database, tmp_path, "0002", "m0003") as app:
        yield app, _fill_0002(db.engine)


def _fill_0002(engine) -> dict[str, tuple[int, str]]:
    tables = MetaData()
    tables.reflect(engine)
    t = tables.tables
    now = datetime(2026, 11, 20, tzinfo=timezone.utc)
    with engine.begin() as connection:
        def add(table, **values):
            return connection.execute(t[table].insert().values(**values)).inserted_primary_key[0]

        business = add("business", name="Chez Nous", created_at=now)
        location = add("location", business_id=business, name="Chez Nous Paris", address="", timezone="Europe/Paris",
                       language="fr", created_at=now)
        destinations = {}
        for position, (platform, label, url, display) in enumerate([
            ("google", "", GOOGLE_URL, "search.google.com"),
            ("other", "OpenTable", OPENTABLE_URL, "opentable.fr"),
            ("other", "Quandoo", QUANDOO_URL, "quandoo.fr"),
        ]):
            destinations[label or platform] = add(
                "review_destination", location_id=location, platform=platform, label=label, entered=url, url=url,
                display_url=display, presence_only=False, position=position, created_at=now)
        campaign = add("campaign", location_id=location, name="Autumn cards", language="fr",
                       headline="Votre avis compte", body="Sur quel site laissez-vous vos avis ? Scannez le code.",
                       presence_line="", offer_kind="private_feedback", offer_text="Un dessert offert",
                       offer_validity_days=45,  # edited since printing: the cards said 30 days
                       link_mode="tracked", distribution="every_customer", every_nth=None,
                       starts_on=date(2026, 11, 1), ends_on=None, created_at=now, updated_at=now)
        contents = {
            "tracked": old_content(
                link_mode="tracked", offer="Un café offert", validity="Offre valable jusqu’au 27 décembre 2026",
                destinations=PRINTED_OTHERS),
            "unreadable": old_content(
                link_mode="direct", offer="Un café offert", validity="Gültig bis 27. Dezember 2026",
                destinations=[{"platform": "google", "label": "Google", "url": "https://g.page/r/old/review",
                               "display_url": "g.page"}]),
            "no_offer": old_content(link_mode="direct", offer="", validity="", destinations=[]),
        }
        batches = {}
        for name, content in contents.items():
            batch = add("card_batch", campaign_id=campaign, location_id=location, layout="business-card-10up-a4",
                        link_mode=json.loads(content)["link_mode"], card_count=1, content=content,
                        printed_at=PRINTED_AT, printed_by_id=None)
            add("card", code=CODES[0] if name == "tracked" else f"{name[:2].upper()}000000000",
                batch_id=batch, campaign_id=campaign, location_id=location, position=0, printed_at=PRINTED_AT)
            batches[name] = (batch, content)
        batches["destinations"] = destinations
    return batches


def test_batches_printed_before_0003_become_records(app_at_0002):
    app, batches = app_at_0002
    upgrade(directory=app.extensions["migrate"].directory, revision="0003")

    tracked = db.session.get(CardBatch, batches["tracked"][0])
    assert (tracked.offer_kind, tracked.offer_text) == ("private_feedback", "Un café offert")
    assert tracked.offer_expires_on == date(2026, 12, 27)  # as printed, not as the campaign says now
    assert [(d.position, d.label, d.url, d.destination_id) for d in tracked.destinations] == [
        (1, "OpenTable", OPENTABLE_URL, batches["destinations"]["OpenTable"]),
        (2, "Quandoo", QUANDOO_URL, batches["destinations"]["Quandoo"]),
    ]
    stored = json.loads(tracked.content)
    assert "destinations" not in stored and "offer" not in stored["variables"] and stored["link_slot"] == "platform"

    # Cards handed out before keep their printed links, and a reprint prints them again.
    pdf = reprint(tracked.id).pdf
    assert decoded_qr_codes_per_page(pdf, dpi=300) == [sorted(f"https://cards.example.com/r/{CODES[0]}/other" for _ in range(2))]
    assert "Offre valable jusqu’au 27 décembre 2026" in pdf_text(pdf) and "Un café offert" in pdf_text(pdf)

    unreadable = db.session.get(CardBatch, batches["unreadable"][0])
    # The sentence cannot be read back: worked out from the Paris print day and the campaign's 45 days.
    assert unreadable.offer_expires_on == date(2027, 1, 12)
    [printed] = unreadable.destinations
    assert (printed.url, printed.destination_id) == ("https://g.page/r/old/review", None)  # edited since

    no_offer = db.session.get(CardBatch, batches["no_offer"][0])
    assert (no_offer.offer_kind, no_offer.offer_text, no_offer.offer_expires_on) == ("none", "", None)
    assert no_offer.destinations == []
    assert manifest_csv(no_offer.id).splitlines()[0] == "code"


def test_a_downgrade_gives_each_batch_its_0002_content_back(app_at_0002):
    app, batches = app_at_0002
    directory = app.extensions["migrate"].directory
    upgrade(directory=directory, revision="0003")
    downgrade(directory=directory, revision="0002")
    with db.engine.connect() as connection:
        stored = dict(connection.execute(text("SELECT id, content FROM card_batch")).all())
        assert connection.scalar(text("SELECT count(*) FROM card")) == 3
    for name in ("tracked", "unreadable", "no_offer"):
        batch_id, content = batches[name]
        assert stored[batch_id] == content
    upgrade(directory=directory, revision="0003")
    assert db.session.scalar(select(BatchDestination.url).where(BatchDestination.position == 2)) == QUANDOO_URL

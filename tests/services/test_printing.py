"""Printing a campaign: unique codes recorded with the PDF, QR codes that decode to the manifest."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from pypdf import PdfReader
from sqlalchemy import func, select

from cta_kit.domain.codes import check_code
from cta_kit.extensions import db
from cta_kit.models import Card, CardBatch
from cta_kit.services.errors import ServiceError
from cta_kit.services.printing import PrintOrder, PrintRefused, manifest_csv, print_cards, reprint, slip_for_destination
from tests.conftest import GOOGLE_URL, TRIPADVISOR_URL, add_destination_row, make_campaign
from tests.pdf_readback import decoded_qr_codes_per_page, pdf_text, qpdf_check


@pytest.fixture
def campaign(world):
    google = add_destination_row(world.location, "google", GOOGLE_URL, "search.google.com", 0)
    tripadvisor = add_destination_row(world.location, "tripadvisor", TRIPADVISOR_URL, "tripadvisor.fr", 1)
    return make_campaign(world.location, [google, tripadvisor])


def manifest_rows(batch_id):
    return list(csv.DictReader(io.StringIO(manifest_csv(batch_id))))


def test_printed_cards_have_unique_recorded_codes_and_readable_qr_codes(campaign):
    printed = print_cards(PrintOrder(campaign.id, 12, "business-card-10up-a4"))
    rows = manifest_rows(printed.batch_id)
    assert list(rows[0]) == ["code", "url_1", "url_2"]
    codes = [row["code"] for row in rows]
    assert len(set(codes)) == 12 and all(check_code(code).ok for code in codes)
    recorded = db.session.scalars(select(Card.code).where(Card.batch_id == printed.batch_id)).all()
    assert sorted(recorded) == sorted(codes)
    batch = db.session.get(CardBatch, printed.batch_id)
    assert (batch.layout, batch.card_count, batch.campaign_id) == ("business-card-10up-a4", 12, campaign.id)

    assert {row["url_1"] for row in rows} == {GOOGLE_URL} and {row["url_2"] for row in rows} == {TRIPADVISOR_URL}
    pages = decoded_qr_codes_per_page(printed.pdf, dpi=150)
    assert [len(page) for page in pages] == [20, 4]  # two codes per card, 10 + 2 cards
    text = pdf_text(printed.pdf)
    assert "Un café offert à votre prochaine visite" in text and "Offre valable jusqu’au" in text
    for code in codes:
        assert f"{code[:5]}-{code[5:10]}-{code[10]}" in text
    reader = PdfReader(io.BytesIO(printed.pdf))
    assert reader.metadata.author == "Chez Nous"
    assert qpdf_check(printed.pdf).returncode == 0


def test_tracked_links_carry_each_cards_code(campaign):
    printed = print_cards(PrintOrder(campaign.id, 2, "business-card-10up-a4", link_mode="tracked"))
    rows = manifest_rows(printed.batch_id)
    expected = sorted(f"https://cards.example.com/r/{row['code']}/{position}" for row in rows for position in (1, 2))
    assert sorted(url for row in rows for url in (row["url_1"], row["url_2"])) == expected
    assert decoded_qr_codes_per_page(printed.pdf, dpi=300) == [expected]


def test_a_big_tracked_batch_encoded_on_every_core_reads_the_same(campaign, monkeypatch):
    from cta_kit.pdf import parallel

    monkeypatch.setattr(parallel, "worth_a_pool", lambda links, cores: True)
    printed = print_cards(PrintOrder(campaign.id, 3, "business-card-10up-a4", link_mode="tracked"))
    rows = manifest_rows(printed.batch_id)
    expected = sorted(f"https://cards.example.com/r/{row['code']}/{position}" for row in rows for position in (1, 2))
    assert decoded_qr_codes_per_page(printed.pdf, dpi=300) == [expected]


def test_a_card_with_two_other_websites_prints_both(world):
    opentable = add_destination_row(world.location, "other", "https://www.opentable.fr/r/chez-nous", "opentable.fr", 0)
    quandoo = add_destination_row(world.location, "other", "https://www.quandoo.fr/place/chez-nous-1", "quandoo.fr", 1)
    campaign = make_campaign(world.location, [opentable, quandoo])
    printed = print_cards(PrintOrder(campaign.id, 1, "business-card-10up-a4"))
    assert sorted(decoded_qr_codes_per_page(printed.pdf, dpi=300)[0]) == [
        "https://www.opentable.fr/r/chez-nous", "https://www.quandoo.fr/place/chez-nous-1"]


def test_a_reprint_is_the_same_pdf_even_after_the_campaign_changed(campaign):
    printed = print_cards(PrintOrder(campaign.id, 3, "thermal-80mm"))
    campaign.headline = "Changed since"
    db.session.commit()
    assert reprint(printed.batch_id).pdf == printed.pdf


def test_forbidden_wording_refuses_printing_and_records_nothing(campaign):
    campaign.body = "Laissez-nous un avis 5 étoiles sur Google !"
    db.session.commit()
    with pytest.raises(PrintRefused) as refused:
        print_cards(PrintOrder(campaign.id, 5, "business-card-10up-a4"))
    assert any(finding.severity == "error" for finding in refused.value.findings)
    assert db.session.scalar(select(func.count()).select_from(Card)) == 0
    assert db.session.scalar(select(func.count()).select_from(CardBatch)) == 0


def test_an_order_that_cannot_print_says_why(campaign):
    with pytest.raises(ServiceError) as error:
        print_cards(PrintOrder(campaign.id, 0, "no-such-layout"))
    assert "layout" in error.value.errors
    with pytest.raises(ServiceError) as error:
        print_cards(PrintOrder(campaign.id, 20_000, "business-card-10up-a4"))
    assert "count" in error.value.errors


def test_one_slip_for_one_customer(world, campaign):
    google = world.location.destinations[0]
    pdf = slip_for_destination(world.owner, world.location.id, google.id)
    assert decoded_qr_codes_per_page(pdf, dpi=203) == [[GOOGLE_URL]]
    width_pt = float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width)
    assert abs(width_pt - 80 / 25.4 * 72) < 0.5


def test_a_link_too_long_for_the_qr_box_is_refused_with_a_reason(world):
    long_link = "https://example.org/" + "review-" * 60
    other = add_destination_row(world.location, "other", long_link, "example.org", 0)
    campaign = make_campaign(world.location, [other])
    with pytest.raises(ServiceError) as error:
        print_cards(PrintOrder(campaign.id, 1, "thermal-58mm"))
    assert "too small to scan" in error.value.errors["layout"].render()
    assert db.session.scalar(select(func.count()).select_from(Card)) == 0


@pytest.mark.parametrize(
    "layout",
    ["business-card-10up-a4", "avery-5371-letter", "bill-insert-3up-a4", "table-tent-a6-from-a5", "thermal-80mm", "thermal-58mm"],
)
@pytest.mark.parametrize("dpi", [150, 300])
def test_every_layouts_qr_codes_decode_to_the_manifest(campaign, layout, dpi):
    from cta_kit.services.layouts import layout_named

    per_page = layout_named(layout).cards_per_page
    printed = print_cards(PrintOrder(campaign.id, per_page + 1, layout, link_mode="tracked"))
    rows = manifest_rows(printed.batch_id)
    copies = 2 if layout.startswith("table-tent") else 1  # both panels of a tent carry the codes
    expected_pages = [
        sorted(url for row in rows[first : first + per_page] for url in (row["url_1"], row["url_2"]) for _ in range(copies))
        for first in range(0, len(rows), per_page)
    ]
    assert decoded_qr_codes_per_page(printed.pdf, dpi=dpi) == expected_pages


def test_a_batch_records_its_offer_and_each_printed_qr_code(campaign, world):
    campaign.ends_on = date(2027, 1, 10)
    db.session.commit()
    printed = print_cards(PrintOrder(campaign.id, 2, "business-card-10up-a4", link_mode="tracked"))
    batch = db.session.get(CardBatch, printed.batch_id)
    assert (batch.offer_kind, batch.offer_text) == ("thank_you", "Un café offert à votre prochaine visite")
    paris_day = batch.printed_at.astimezone(ZoneInfo("Europe/Paris")).date()
    assert batch.offer_expires_on == min(paris_day + timedelta(days=30), date(2027, 1, 10))
    assert [(d.position, d.platform, d.url, d.destination_id) for d in batch.destinations] == [
        (1, "google", GOOGLE_URL, campaign.destinations[0].id),
        (2, "tripadvisor", TRIPADVISOR_URL, campaign.destinations[1].id),
    ]
    written = format_date(batch.offer_expires_on, format="long", locale="fr")
    assert f"Offre valable jusqu’au {written}" in pdf_text(printed.pdf)
    assert "destinations" not in json.loads(batch.content)

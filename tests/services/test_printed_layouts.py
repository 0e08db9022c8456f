"""Every layout printed in French and in English, read back as a customer would read the card.

Each page's text holds only the campaign's language, names the business once per card, and
prints every line of the campaign or the print warns that the layout leaves it out; every QR
code decodes to its card's link. With $CTA_KIT_LAYOUT_PICTURES set, page 1 of each print is
kept there as `<layout>-<lang>.png` (CI keeps them, so the prints can be looked at).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from cta_kit.domain.wording import default_wording
from cta_kit.extensions import db
from cta_kit.models import Card, CardBatch
from cta_kit.services.campaigns import CampaignInput
from cta_kit.services.errors import ServiceError
from cta_kit.services.layouts import available_layouts
from cta_kit.services.printing import PrintOrder, manifest_csv, preview_card, print_cards
from tests.conftest import add_destination_row, make_campaign
from tests.pdf_readback import decoded_qr_codes_per_page

BUSINESS = "Le Petit Zinc (démo)"
SITES = (
    ("google", "https://search.google.com/local/writereview?placeid=ChIJN1t_tDeuEmsRUsoyG83frY4", "Google"),
    ("tripadvisor", "https://www.tripadvisor.fr/UserReviewEdit-g187147-d1234567.html", "Tripadvisor"),
    ("facebook", "https://www.facebook.com/lepetitzinc/reviews", "Facebook"),
    ("thefork", "https://www.thefork.fr/restaurant/le-petit-zinc-r12345", "TheFork"),
)
OFFER = {"fr": "Un café offert à votre prochaine visite", "en": "A free coffee on your next visit"}
# Words a French card must not carry, and the other way round.
OTHER_LANGUAGE = {
    "fr": ("Your", "Scan", "Valid", "until", "Offer", "Find", "opinion", "review"),
    "en": ("Votre", "Code", "Scannez", "valable", "Offre", "Retrouvez", "avis", "Sur"),
}
LAYOUTS = ("avery-5371-letter", "bill-insert-3up-a4", "business-card-10up-a4", "table-tent-a6-from-a5",
           "thermal-58mm", "thermal-80mm")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def bistro(world):
    world.location.business.name = BUSINESS
    world.location.name = "Le Petit Zinc"
    sites = [add_destination_row(world.location, key, url, url.split("/")[2], i) for i, (key, url, _) in enumerate(SITES)]
    db.session.commit()
    return world, sites


def _campaign(world, sites, language: str):
    wording = default_wording(language)
    return make_campaign(
        world.location, sites, language=language, headline=wording.headline, body=wording.body,
        presence_line=wording.presence_line, offer_text=OFFER[language], link_mode="tracked",
    )


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("layout_name", LAYOUTS)
def test_every_layout_prints_the_campaign_in_its_language_once_per_card(bistro, language, layout_name):
    world, sites = bistro
    layout = available_layouts()[layout_name]
    featured = sites[: layout.qr_slots]
    campaign = _campaign(world, featured, language)
    count = 2 if layout.is_roll else layout.cards_per_page
    printed = print_cards(PrintOrder(campaign.id, count, layout_name))
    _keep_picture(printed.pdf, f"{layout_name}-{language}")

    wording = default_wording(language)
    codes = list(db.session.scalars(select(Card.code).where(Card.batch_id == printed.batch_id)))
    assert len(codes) == count  # a standing piece has its card records too: its scans are counted
    faces = len(layout.panels)
    lines = {"headline": wording.headline, "body": wording.body, "presence_line": wording.presence_line,
             "offer": OFFER[language]}
    omitted = {finding.message.params["text"] for finding in printed.warnings if finding.code == "layout_omits_line"}
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(printed.pdf)).pages]
    per_page = 1 if layout.is_roll else layout.cards_per_page
    assert len(pages) == count // per_page
    for page in pages:
        flat = _flat(page)
        for other in OTHER_LANGUAGE[language]:
            assert other not in _words(page), f"{other!r} on a {language} {layout_name}: {flat}"
        assert flat.count("Le Petit Zinc") == per_page * faces, flat  # the business, once per card
        for name, line in lines.items():
            if layout.standing and name == "offer":
                assert line not in flat
            else:
                assert flat.count(line) == per_page * faces or line in omitted, (name, flat)
        if layout.standing:
            assert wording.offer_validity.split("{")[0].strip() not in flat  # no expiry date on a standing piece
            assert not any(f"{code[:5]}-{code[5:10]}" in flat for code in codes)  # nor a single-use code
        else:
            label = wording.code_label_for(True)
            assert flat.count(label) == per_page, flat
    decoded = [url for page in decoded_qr_codes_per_page(printed.pdf) for url in page]
    manifest = [row.split(",")[1:] for row in manifest_csv(printed.batch_id).splitlines()[1:]]
    expected = sorted(url for row in manifest for url in row for _ in range(faces))
    assert sorted(decoded) == expected
    assert all(any(code in url for code in codes) for url in decoded)  # each piece's QR names that piece


def _keep_picture(pdf: bytes, name: str) -> None:
    folder = os.environ.get("CTA_KIT_LAYOUT_PICTURES")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        target = Path(folder) / name
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(source), str(target)],
                       check=True)


def test_the_editor_says_when_a_layout_takes_fewer_sites_and_that_a_tent_stands(bistro):
    world, sites = bistro
    wording = default_wording("fr")
    data = CampaignInput(
        name="Tables", language="fr", headline=wording.headline, body=wording.body,
        destination_ids=tuple(site.id for site in sites), presence_line=wording.presence_line,
        offer_kind="thank_you", offer_text=OFFER["fr"], offer_validity_days=30,
    )
    _, _, notes = preview_card(world.owner, world.location.id, data, "business-card-10up-a4")
    assert notes[0].severity == "warning"
    assert "takes 3 review sites and the campaign features 4" in notes[0].message.render()
    svg, _, notes = preview_card(world.owner, world.location.id, data, "table-tent-a6-from-a5")
    assert [(n.severity, n.code) for n in notes] == [("info", "standing_piece")]
    assert "is a standing piece" in notes[0].message.render()
    assert OFFER["fr"] not in svg and wording.offer_code_label not in svg

    campaign = _campaign(world, sites, "fr")
    with pytest.raises(ServiceError) as refused:
        print_cards(PrintOrder(campaign.id, 1, "business-card-10up-a4"))
    assert "has room for 3 QR codes and the campaign features 4" in refused.value.errors["layout"].render()
    tent = print_cards(PrintOrder(campaign.id, 1, "table-tent-a6-from-a5"))
    batch = db.session.get(CardBatch, tent.batch_id)
    assert (batch.offer_kind, batch.offer_text, batch.offer_expires_on, batch.card_count) == ("none", "", None, 1)

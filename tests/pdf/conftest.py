"""Sample cards for the PDF tests: unique codes, 1 to 3 links of about 80 characters each."""

import random
from datetime import datetime, timezone
from pathlib import Path

import pytest

from cta_kit.domain.codes import format_code, new_code
from cta_kit.domain.layouts import load_layouts
from cta_kit.pdf.render import CardContent, DocumentInfo, QrItem

LAYOUT_DIR = Path(__file__).resolve().parents[2] / "print_layouts"
PLATFORMS = (("google", "Google"), ("tripadvisor", "Tripadvisor"), ("facebook", "Facebook"))
OWNER = "Łódź Žluťoučký"
TEXT = {
    "headline": "Liked Łódź Žluťoučký's café?",
    "body": "We’d love your honest review, good or bad. It takes a minute and helps us improve.",
    "offer": "A free café crème (€2.50) on your next visit",
    "business": OWNER,
    "location": "Nábřeží 12, Brno",
    "presence_line": "Find us on Google, Tripadvisor and Facebook",
    "validity": "Valid until 30 June 2025",
}


def link(code: str, platform: str, index: int, length: int = 80) -> str:
    base = f"https://cards.example.com/r/{code}/{platform}?via=card&n={index:04d}&pad="
    return base + "x" * (length - len(base))


def sample_cards(count: int, seed: int = 1, qr_counts=(1, 2, 3), **text) -> list[CardContent]:
    rng = random.Random(seed)
    cards = []
    for index in range(count):
        code = new_code(rng)
        qr_count = qr_counts[index % len(qr_counts)]
        items = tuple(
            QrItem(link(code, slug, index), label, f"cta.example/r/{code[:5]}") for slug, label in PLATFORMS[:qr_count]
        )
        cards.append(CardContent({**TEXT, **text, "code": format_code(code)}, items))
    return cards


@pytest.fixture(scope="session", name="sample_cards")
def sample_cards_fixture():
    return sample_cards


@pytest.fixture(scope="session")
def layouts():
    return load_layouts(LAYOUT_DIR)


@pytest.fixture(scope="session")
def info():
    return DocumentInfo(
        title="Review cards – spring",
        author=OWNER,
        subject="Honest review requests",
        created_at=datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc),
    )


@pytest.fixture(scope="session")
def cards_for():
    """Cards filling one page and starting a second (one slip each with 1, 2, 3 codes on a roll)."""

    def build(layout):
        count = 3 if layout.is_roll else layout.cards_per_page + 2
        return sample_cards(count, seed=len(layout.name))

    return build

"""The paper a location prints on, the layout offered first, and which public addresses can be printed."""

from __future__ import annotations

import pytest

from cta_kit.domain.deployment import normalised_public_address, public_address_problem
from cta_kit.domain.layouts import load_layouts
from cta_kit.domain.paper import A4, LETTER, default_layout, paper_for_timezone, sheet_paper
from cta_kit.services.layouts import LAYOUTS_DIR

LAYOUTS = load_layouts(LAYOUTS_DIR)


@pytest.mark.parametrize(
    ("zone", "paper"),
    [
        ("Europe/Paris", A4),
        ("Europe/London", A4),
        ("America/Sao_Paulo", A4),
        ("America/New_York", LETTER),
        ("America/Toronto", LETTER),
        ("America/Mexico_City", LETTER),
        ("Asia/Manila", LETTER),
        ("Not/A_Zone", A4),
    ],
)
def test_paper_follows_the_country_of_the_time_zone(zone, paper):
    assert paper_for_timezone(zone) == paper


def test_sheet_paper_of_the_shipped_layouts():
    assert sheet_paper(LAYOUTS["avery-5371-letter"]) == LETTER
    assert sheet_paper(LAYOUTS["business-card-10up-a4"]) == A4
    assert sheet_paper(LAYOUTS["thermal-80mm"]) is None  # a roll suits any country


def test_the_layout_offered_first_is_the_business_card_sheet_on_the_locations_paper():
    assert default_layout(LAYOUTS.values(), A4) == "business-card-10up-a4"
    assert default_layout(LAYOUTS.values(), LETTER) == "avery-5371-letter"
    assert default_layout([LAYOUTS["thermal-80mm"]], A4) is None


@pytest.mark.parametrize(
    "address",
    ["https://avis.example.fr", "https://avis.example.fr/", "https://Avis.Example.fr:8443", " https://cards.example.com "],
)
def test_public_addresses_that_phones_can_open(address):
    assert public_address_problem(address) is None


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("http://avis.example.fr", "https://"),
        ("avis.example.fr", "https://"),
        ("https://", "https://"),
        ("https://avis.example.fr:port", "https://"),
        ("https://user:secret@avis.example.fr", "user name"),
        ("https://avis.example.fr/app", "nothing after it"),
        ("https://avis.example.fr/?a=1", "nothing after it"),
        ("https://avis.example.fr/#top", "nothing after it"),
        ("https://localhost", "only reachable"),
        ("https://cta.localhost", "only reachable"),
        ("https://127.0.0.1", "only reachable"),
        ("https://192.168.1.20", "only reachable"),
        ("https://[::1]", "only reachable"),
        ("https://bistro", "only reachable"),
        ("https://caisse.local", "only reachable"),
    ],
)
def test_public_addresses_refused_with_a_reason(address, reason):
    problem = public_address_problem(address)
    assert problem is not None and reason in problem.render()


def test_the_address_kept_is_the_host_alone_in_lower_case():
    assert normalised_public_address(" https://Avis.Example.FR/ ") == "https://avis.example.fr"
    assert normalised_public_address("https://avis.example.fr:8443") == "https://avis.example.fr:8443"

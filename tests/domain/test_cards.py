"""The rules of a printed card: its offer's last day and its tracked links."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from cta_kit.domain.cards import (
    SLOT_PLATFORM,
    PrintedDestination,
    offer_expires_on,
    printed_link,
    read_slot,
    tracked_path,
    validity_sentence,
)

UTC = timezone.utc


@pytest.mark.parametrize(
    ("printed_at", "zone", "days", "ends_on", "expected"),
    [
        # 23:30 UTC is already the next day in Paris, and still the same day in New York.
        (datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "Europe/Paris", 30, None, date(2026, 12, 31)),
        (datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "America/New_York", 30, None, date(2026, 12, 30)),
        (datetime(2026, 11, 30, 12, 0, tzinfo=UTC), "Europe/Paris", 30, date(2026, 12, 24), date(2026, 12, 24)),
        (datetime(2026, 11, 30, 12, 0, tzinfo=UTC), "Europe/Paris", 30, date(2027, 3, 1), date(2026, 12, 30)),
        (datetime(2026, 11, 30, 12, 0, tzinfo=UTC), "Europe/Paris", None, date(2026, 12, 24), None),
        (datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "Not/AZone", 1, None, date(2026, 12, 1)),  # UTC then
    ],
)
def test_an_offer_runs_from_the_print_day_at_the_location(printed_at, zone, days, ends_on, expected):
    assert offer_expires_on(printed_at, zone, days, ends_on) == expected


def test_the_validity_sentence_is_in_the_cards_language():
    assert validity_sentence(date(2026, 12, 31), "fr") == "Offre valable jusqu’au 31 décembre 2026"
    assert validity_sentence(date(2026, 12, 31), "en") == "Offer valid until December 31, 2026"
    assert validity_sentence(None, "fr") == ""


def test_a_tracked_link_names_the_printed_position_and_older_cards_their_platform():
    quandoo = PrintedDestination(2, "other", "Quandoo", "https://www.quandoo.fr/x", "quandoo.fr")
    link = printed_link(quandoo, "KG65MF8F547", "tracked", "https://cards.example.com")
    assert (link.url, link.short_url) == ("https://cards.example.com/r/KG65MF8F547/2", "cards.example.com/r/KG65MF8F547/2")
    older = printed_link(quandoo, "KG65MF8F547", "tracked", "https://cards.example.com", SLOT_PLATFORM)
    assert older.url == "https://cards.example.com/r/KG65MF8F547/other"
    direct = printed_link(quandoo, "KG65MF8F547", "direct", "")
    assert (direct.url, direct.short_url, direct.label) == ("https://www.quandoo.fr/x", "quandoo.fr", "Quandoo")
    assert tracked_path("KG65MF8F547", 1) == "/r/KG65MF8F547/1"


@pytest.mark.parametrize(
    ("slot", "expected"),
    [("1", 1), ("12", 12), ("google", "google"), ("other", "other"), ("0", None), ("01", None), ("-1", None),
     ("Google", None), ("google/../x", None), ("https:", None), ("", None), ("1 ", None), ("a" * 40, None)],
)
def test_only_a_position_or_a_platform_key_names_a_printed_qr_code(slot, expected):
    assert read_slot(slot) == expected

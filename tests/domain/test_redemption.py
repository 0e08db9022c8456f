"""Redemption rules and the till's small rules, without an app."""

from __future__ import annotations

import doctest
from datetime import date, datetime, timedelta, timezone

import pytest

from cta_kit.domain import redemption, till
from cta_kit.domain.codes import check_symbol
from cta_kit.domain.redemption import CardFacts, card_problem, code_problem, failure_window_start

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 27)


def facts(**changes) -> CardFacts:
    values = dict(location_id=1, offer_kind="thank_you", offer_expires_on=date(2026, 12, 31),
                  campaign_starts_on=date(2026, 11, 1), campaign_ends_on=None, redeemed_at=None)
    values.update(changes)
    return CardFacts(**values)


@pytest.mark.parametrize("module", [redemption, till])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


def test_typed_codes_are_told_apart_from_typos_and_garbage():
    code = "KG65MF8F54" + check_symbol("KG65MF8F54")
    assert code_problem(code) is None
    assert code_problem(f"{code[:5].lower()} {code[5:]}") is None
    assert code_problem(code[:4] + "0" + code[5:]) == "typo"
    assert code_problem(code[:-1]) == "malformed"
    assert code_problem("") == "malformed"


@pytest.mark.parametrize(("card", "location", "today", "expected"), [
    (None, 1, TODAY, "unknown"),
    (facts(), 2, TODAY, "other_location"),
    (facts(offer_kind="none"), 1, TODAY, "no_offer"),
    (facts(redeemed_at=NOW), 1, TODAY, "already_redeemed"),
    (facts(campaign_starts_on=TODAY + timedelta(days=1)), 1, TODAY, "not_started"),
    (facts(), 1, date(2027, 1, 1), "expired"),
    (facts(offer_expires_on=None, campaign_ends_on=TODAY - timedelta(days=1)), 1, TODAY, "ended"),
    (facts(), 1, date(2026, 12, 31), None),  # the last day is honoured
    (facts(offer_kind="private_feedback"), 1, TODAY, None),
])
def test_card_problems(card, location, today, expected):
    assert card_problem(card, location, today) == expected


def test_only_guessing_counts_towards_a_pause():
    assert redemption.GUESS_RESULTS == {"typo", "malformed", "unknown", "other_location"}
    assert failure_window_start(NOW, None) == NOW - timedelta(hours=1)
    ended = NOW - timedelta(minutes=10)
    assert failure_window_start(NOW, ended) == ended
    assert failure_window_start(NOW, NOW - timedelta(hours=3)) == NOW - timedelta(hours=1)


def test_every_result_has_its_own_text():
    from cta_kit.domain.cards import REDEMPTION_RESULTS

    assert set(redemption.ANSWER_TEXTS) == set(REDEMPTION_RESULTS)
    assert len(set(redemption.ANSWER_TEXTS.values())) == len(REDEMPTION_RESULTS)


def test_client_keys_and_optional_fields():
    assert till.check_client_key("0f8fad5b-d9cb-469f-a165-70867728950e")
    for bad in (None, 12, "short", "x" * 65, "bad key with spaces"):
        with pytest.raises(till.TillInputError):
            till.check_client_key(bad)
    assert till.optional_text(None, "table") == ""
    assert till.optional_text("  table   12 ", "table") == "table 12"
    assert len(till.optional_text("x" * 500, "name")) == 120
    with pytest.raises(till.TillInputError):
        till.optional_text(12, "table")


def test_a_day_at_the_location_in_utc():
    start, end = till.day_bounds(date(2026, 7, 1), "Europe/Paris")
    assert start == datetime(2026, 6, 30, 22, 0, tzinfo=timezone.utc)
    assert end - start == timedelta(hours=24)
    start, end = till.day_bounds(date(2026, 10, 25), "Europe/Paris")  # clocks go back: 25 hours
    assert end - start == timedelta(hours=25)


def test_undo_window():
    assert till.can_undo(NOW - timedelta(seconds=30), NOW)
    assert not till.can_undo(NOW - timedelta(minutes=1), NOW)

"""Checking a campaign against platform rules and consumer law before anything is printed.

The matching is a heuristic for a restaurant card, not a legal opinion; every finding
names its source so the owner can read the rule itself.

Callers import from here; the check is split by concern:

- `check`: the campaign and text checks, their findings, messages and sources
- `wording`: the rules that find positive-rating requests, gating and incentives
- `text`: folding, words and sentences of the text being checked
- `lexicon`: the French and English word classes and phrase patterns
"""

from .check import (
    DISTRIBUTIONS,
    ERROR,
    MAX_PLATFORMS,
    OFFER_KINDS,
    WARNING,
    CampaignDraft,
    Finding,
    check_campaign,
    check_text,
    findings_to_json,
    has_errors,
)

__all__ = [
    "DISTRIBUTIONS",
    "ERROR",
    "MAX_PLATFORMS",
    "OFFER_KINDS",
    "WARNING",
    "CampaignDraft",
    "Finding",
    "check_campaign",
    "check_text",
    "findings_to_json",
    "has_errors",
]

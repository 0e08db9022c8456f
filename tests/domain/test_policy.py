import dataclasses
import json
import time
from pathlib import Path

import pytest

from cta_kit.domain.errors import DomainError
from cta_kit.domain.platforms import get_platform
from cta_kit.domain.policy import (
    CampaignDraft,
    Finding,
    check_campaign,
    check_text,
    findings_to_json,
    has_errors,
)
from cta_kit.domain.wording import LANGUAGES, default_wording

CORPUS = json.loads((Path(__file__).parents[1] / "data" / "policy_corpus.json").read_text(encoding="utf-8"))["cases"]
TEXT_CODES = {"positive_review_request", "review_gating", "review_incentive"}


def draft(**changes) -> CampaignDraft:
    wording = default_wording(changes.get("language", "fr"))
    values = dict(language="fr", headline=wording.headline, body=wording.body, platforms=("google",))
    values.update(changes)
    return CampaignDraft(**values)


def codes(findings):
    return [f.code for f in findings]


def expected_codes(case):
    expect = case["expect"]
    return set() if expect is None else {expect} if isinstance(expect, str) else set(expect)


def judge(case):
    if case.get("field", "body") == "offer_text":
        findings = check_campaign(draft(language=case["lang"], offer_text=case["text"], offer_kind=case["offer_kind"]))
    else:
        findings = check_text(case["text"], case["lang"])
    return {f.code for f in findings if f.code in TEXT_CODES}


# The corpus ------------------------------------------------------------------


def test_corpus_has_zero_mismatches():
    mismatches = [
        (case["text"], sorted(expected_codes(case)), sorted(judge(case)))
        for case in CORPUS
        if judge(case) != expected_codes(case)
    ]
    assert mismatches == []


@pytest.mark.parametrize("case", CORPUS, ids=[c["text"][:50] for c in CORPUS])
def test_corpus_case(case):
    assert judge(case) == expected_codes(case)


def test_corpus_is_large_balanced_and_bilingual():
    assert len(CORPUS) >= 80
    allowed = sum(1 for case in CORPUS if case["expect"] is None)
    assert 0.35 <= allowed / len(CORPUS) <= 0.65
    for language in ("fr", "en"):
        cases = [c for c in CORPUS if c["lang"].lower() == language]
        assert any(c["expect"] is None for c in cases) and any(c["expect"] for c in cases)
    for code in TEXT_CODES:
        assert any(code in expected_codes(case) for case in CORPUS)
    assert all(set(case) <= {"kind", "lang", "text", "expect", "why", "field", "offer_kind"} for case in CORPUS)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("kind", ["show", "exchange", "target", "contest"])
def test_corpus_covers_each_added_kind_in_both_languages(kind, language):
    cases = [c for c in CORPUS if c.get("kind") == kind and c["lang"] == language]
    assert sum(1 for c in cases if c["expect"]) >= 10
    assert sum(1 for c in cases if c["expect"] is None) >= 6


# Ready-made wording -----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("offer_kind", ["none", "thank_you", "private_feedback"])
def test_default_wording_passes_the_check(language, offer_kind):
    wording = default_wording(language)
    findings = check_campaign(
        CampaignDraft(
            language=language,
            headline=wording.headline,
            body=wording.body,
            offer_text=wording.example_offer(offer_kind),
            offer_kind=offer_kind,
            platforms=("google", "tripadvisor", "facebook"),
        )
    )
    assert findings == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_presence_line_passes_the_text_check(language):
    assert check_text(default_wording(language).presence_line, language) == []


def test_default_wording_content():
    fr = default_wording("fr")
    assert fr.headline == "Votre avis compte"
    assert fr.body == "Sur quel site laissez-vous vos avis ? Scannez le code."
    assert fr.presence_line == "Retrouvez-nous aussi sur Yelp"
    assert default_wording("en").presence_line == "Find us on Yelp too"
    assert default_wording("fr-FR") == fr == default_wording("FR")
    assert fr.example_offer("none") == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        fr.headline = "Un avis 5 étoiles"


def test_unknown_wording_language_is_a_domain_error():
    with pytest.raises(DomainError) as caught:
        default_wording("de")
    assert caught.value.code == "unsupported_language"
    assert "fr, en" in caught.value.message.render()


# Text findings -----------------------------------------------------------------


def test_finding_quotes_the_original_words():
    (finding,) = check_text("Merci ! Un avis ÉLOGIEUX nous ferait plaisir.", "fr")
    assert finding.code == "positive_review_request"
    assert finding.message.params["phrase"] == "avis ÉLOGIEUX"
    assert finding.field == "body" and finding.platform is None
    assert "avis ÉLOGIEUX" in finding.message.render()


def test_each_field_is_checked_and_named():
    findings = check_campaign(draft(headline="Un avis 5 étoiles ?", body="Si vous avez aimé, laissez un avis."))
    assert [(f.code, f.field) for f in findings] == [
        ("positive_review_request", "headline"),
        ("review_gating", "body"),
    ]


@pytest.mark.parametrize(
    "platforms, expected_source",
    [(("google",), "https://support.google.com/contributionpolicy/answer/7400114"),
     (("tripadvisor",), "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000032227293")],
)
def test_sentiment_source_depends_on_platforms_and_language(platforms, expected_source):
    (finding,) = check_campaign(draft(body="Laissez-nous un avis positif", platforms=platforms))
    assert finding.source == expected_source


def test_english_sentiment_source_is_the_ftc_rule():
    (finding,) = check_text("Please leave a positive review", "en")
    assert finding.source.endswith("section-465.4")


def test_incentive_is_reported_for_each_featured_platform_with_its_source():
    findings = check_campaign(
        draft(offer_kind="thank_you", offer_text="Un café offert contre un avis", platforms=("google", "tripadvisor", "facebook"))
    )
    incentive = [f for f in findings if f.code == "review_incentive"]
    assert [f.platform for f in incentive] == ["google", "tripadvisor", "facebook"]
    for finding in incentive:
        platform = get_platform(finding.platform)
        assert finding.source in {note.source for note in platform.policy.notes}
        assert platform.label in finding.message.render()
        assert finding.field == "offer_text"


def test_incentive_without_platforms_cites_the_law():
    (finding,) = check_text("Leave a review and get a free coffee", "en")
    assert finding.code == "review_incentive"
    assert finding.platform is None
    assert finding.source.startswith("https://www.ecfr.gov/")


# Structural rules ----------------------------------------------------------------


def test_clean_draft_has_no_findings():
    assert check_campaign(draft()) == []


def test_yelp_is_always_an_error():
    findings = check_campaign(draft(platforms=("google", "yelp")))
    assert codes(findings) == ["yelp_featured"]
    (finding,) = findings
    assert finding.severity == "error" and finding.platform == "yelp"
    assert finding.source == get_platform("yelp").policy.notes[0].source
    assert "Find us on Yelp" in finding.message.render()


def test_trustpilot_is_a_warning():
    (finding,) = check_campaign(draft(platforms=("trustpilot",)))
    assert (finding.severity, finding.code, finding.platform) == ("warning", "trustpilot_basic_link", "trustpilot")
    assert finding.source.startswith("https://support.trustpilot.com/")
    assert not has_errors([finding])


def test_thefork_is_a_warning():
    (finding,) = check_campaign(draft(platforms=("thefork",)))
    assert (finding.severity, finding.code) == ("warning", "thefork_bookings_only")
    assert "walk-in" in finding.message.render()


def test_no_platform_is_an_error():
    assert codes(check_campaign(draft(platforms=()))) == ["no_platform"]


def test_four_platforms_are_allowed_and_more_is_an_error():
    assert codes(check_campaign(draft(platforms=("google", "tripadvisor", "facebook", "other")))) == []
    findings = check_campaign(draft(platforms=("google", "tripadvisor", "facebook", "other", "thefork")))
    assert "too_many_platforms" in codes(findings)
    assert "5" in next(f for f in findings if f.code == "too_many_platforms").message.render()


def test_three_platforms_are_fine():
    assert check_campaign(draft(platforms=("google", "tripadvisor", "other"))) == []


def test_duplicate_platform_is_an_error():
    findings = check_campaign(draft(platforms=("google", "google")))
    assert codes(findings) == ["duplicate_platform"]
    assert "Google" in findings[0].message.render()


def test_two_other_websites_are_two_sites_not_a_duplicate():
    assert check_campaign(draft(platforms=("google", "other", "other"))) == []
    findings = check_campaign(draft(platforms=("google", "tripadvisor", "facebook", "other", "other")))
    assert codes(findings) == ["too_many_platforms"] and "5" in findings[0].message.render()


def test_unknown_platform_is_an_error():
    findings = check_campaign(draft(platforms=("myspace",)))
    assert codes(findings) == ["unknown_platform"]
    assert "myspace" in findings[0].message.render()


@pytest.mark.parametrize("every_nth", [None, 0, -3, True, 2.5, "3"])
def test_every_nth_needs_a_whole_number_of_one_or_more(every_nth):
    findings = check_campaign(draft(distribution="every_nth", every_nth=every_nth))
    assert codes(findings) == ["invalid_every_nth"]
    assert findings[0].field == "every_nth"


@pytest.mark.parametrize("every_nth", [1, 3, 10])
def test_every_nth_accepts_positive_numbers(every_nth):
    assert check_campaign(draft(distribution="every_nth", every_nth=every_nth)) == []


def test_every_customer_ignores_every_nth():
    assert check_campaign(draft(distribution="every_customer", every_nth=0)) == []


def test_unknown_distribution_is_an_error():
    assert codes(check_campaign(draft(distribution="happy_customers_only"))) == ["unknown_distribution"]


def test_offer_text_without_kind_is_an_error():
    findings = check_campaign(draft(offer_text="Un café offert avec cette carte", offer_kind="none"))
    assert codes(findings) == ["offer_text_without_kind"]


@pytest.mark.parametrize("offer_kind", ["thank_you", "private_feedback"])
@pytest.mark.parametrize("offer_text", ["", "   "])
def test_offer_kind_without_text_is_an_error(offer_kind, offer_text):
    assert codes(check_campaign(draft(offer_text=offer_text, offer_kind=offer_kind))) == ["offer_kind_without_text"]


def test_unknown_offer_kind_is_an_error():
    assert codes(check_campaign(draft(offer_text="Un café", offer_kind="bribe"))) == ["unknown_offer_kind"]


def test_errors_come_first_in_a_fixed_order():
    messy = draft(
        headline="Un avis 5 étoiles ?",
        offer_text="Un café",
        offer_kind="none",
        platforms=("thefork", "yelp", "trustpilot", "google", "google", "facebook"),
        distribution="every_nth",
    )
    findings = check_campaign(messy)
    assert codes(findings) == [
        "positive_review_request",
        "offer_text_without_kind",
        "too_many_platforms",
        "yelp_featured",
        "duplicate_platform",
        "invalid_every_nth",
        "thefork_bookings_only",
        "trustpilot_basic_link",
    ]
    assert check_campaign(messy) == findings
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=lambda s: s != "error")


# check_text (CLI) ----------------------------------------------------------------------


def test_check_text_needs_no_platform():
    assert check_text("Votre avis compte", "fr") == []


def test_check_text_applies_platform_rules():
    assert codes(check_text("Find us on Yelp too", "en", ["yelp"])) == ["yelp_featured"]
    assert codes(check_text("Votre avis compte", "fr", ("trustpilot",))) == ["trustpilot_basic_link"]


def test_check_text_treats_the_text_as_body():
    (finding,) = check_text("Leave us a glowing review", "en", ("google",))
    assert finding.field == "body"


def test_check_text_accepts_empty_text():
    assert check_text("", "fr") == []


# Output -------------------------------------------------------------------------


def test_has_errors():
    assert has_errors(check_campaign(draft(platforms=("yelp",))))
    assert not has_errors(check_campaign(draft(platforms=("thefork",))))
    assert not has_errors([])


def test_findings_to_json_is_serialisable_and_translatable():
    findings = check_campaign(draft(body="Un avis positif ?", platforms=("google", "google", "thefork")))
    data = findings_to_json(findings)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert [item["code"] for item in data] == codes(findings)
    first = data[0]
    assert set(first) == {"severity", "code", "message", "message_id", "params", "source", "platform", "field"}
    assert first["message"] == findings[0].message.render()
    assert first["message_id"] % first["params"] == first["message"]


def test_every_message_renders_and_every_source_is_a_url_or_empty():
    findings = check_campaign(
        draft(
            headline="⭐⭐⭐⭐⭐",
            body="Si vous avez aimé, laissez un avis contre un café offert.",
            offer_text="x",
            offer_kind="surprise",
            platforms=("yelp", "trustpilot", "thefork", "google", "nope"),
            distribution="every_nth",
            every_nth=0,
        )
    )
    assert len(findings) >= 8
    for finding in findings:
        assert isinstance(finding, Finding)
        rendered = finding.message.render()
        assert rendered.strip() and "%(" not in rendered
        assert finding.source == "" or finding.source.startswith("https://")
        assert finding.severity in {"error", "warning"}


@pytest.mark.parametrize(
    "text",
    [
        "a" * 100_000,
        "good or bad " * 10_000,
        "Rate us 5 stars! " * 5_000,
        "si vous " * 20_000,
        "5" + " " * 50_000 + "x",
        "4,8 " * 20_000,
        "avis ? " * 20_000,
        "avis , " * 20_000,
        "Show your review " * 10_000,
    ],
    ids=["letters", "balanced", "requests", "si", "spaces", "ratings", "questions", "trades", "shown"],
)
def test_long_text_is_checked_in_linear_time(text):
    # Guards against regular expressions that backtrack quadratically on pasted text.
    started = time.perf_counter()
    check_text(text, "fr")
    assert time.perf_counter() - started < 5


def test_findings_are_frozen():
    (finding,) = check_text("Please leave a positive review", "en")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.severity = "warning"

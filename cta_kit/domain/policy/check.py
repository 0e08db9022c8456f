"""The campaign check: each rule a draft breaks, as findings with a message and a source."""

from dataclasses import dataclass
from typing import Any, Iterable

from ..i18n import Message, N_
from ..layout_model import MAX_QR_SLOTS
from ..platforms import Platform, load_registry
from .text import FoldedText
from .wording import gating_hits, incentive_hits, positive_hits

ERROR = "error"
WARNING = "warning"
OFFER_KINDS = ("none", "thank_you", "private_feedback")
DISTRIBUTIONS = ("every_customer", "every_nth")
MAX_PLATFORMS = MAX_QR_SLOTS  # four on the roomiest layouts; a layout with fewer QR boxes refuses more

FTC_465_4 = "https://www.ecfr.gov/current/title-16/chapter-I/subchapter-D/part-465/section-465.4"
CODE_CONSOMMATION = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000032227293"
GOOGLE_POLICY = "https://support.google.com/contributionpolicy/answer/7400114"


@dataclass(frozen=True)
class CampaignDraft:
    language: str
    headline: str
    body: str
    offer_text: str = ""
    offer_kind: str = "none"  # "none" | "thank_you" (given with the card) | "private_feedback"
    platforms: tuple[str, ...] = ()
    distribution: str = "every_customer"  # or "every_nth"
    every_nth: int | None = None


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning"
    code: str
    message: Message
    source: str  # URL of the rule; "" for cta-kit's own consistency rules
    platform: str | None = None
    field: str | None = None  # the draft field the finding is about, for the form


# ---------------------------------------------------------------------------
# Messages

M_POSITIVE = N_(
    "“%(phrase)s” asks for a positive or top rating. Platforms and consumer law forbid asking "
    "for a particular rating: ask every customer for an honest opinion instead, such as "
    "“Tell us what you think, good or bad”."
)
M_GATING = N_(
    "“%(phrase)s” addresses only customers who were happy (or steers unhappy ones away). "
    "Asking only satisfied customers for reviews is review gating, which platforms and consumer "
    "law forbid: ask everyone the same way, whatever their experience."
)
M_INCENTIVE = N_(
    "“%(phrase)s” ties a reward to posting a review, which %(platform)s forbids. An offer can "
    "be a thank-you that everyone gets with the card, or a reward for private feedback to the "
    "restaurant, but never a reward for a public review."
)
M_INCENTIVE_LAW = N_(
    "“%(phrase)s” ties a reward to posting a review, which review platforms and consumer law "
    "forbid. An offer can be a thank-you that everyone gets with the card, or a reward for "
    "private feedback to the restaurant, but never a reward for a public review."
)
M_OFFER_WITHOUT_KIND = N_(
    "There is an offer text but no offer type. Choose a thank-you given with the card to "
    "everyone, or a reward for writing to you on the card's private feedback page, or remove the offer text."
)
M_KIND_WITHOUT_OFFER = N_(
    "An offer type is chosen but the offer text is empty. Describe the offer, for example "
    "“A coffee on us with this card”, or choose “no offer”."
)
M_UNKNOWN_OFFER_KIND = N_(
    "Unknown offer type “%(kind)s”. Use none, thank_you (given to everyone with the card) or "
    "private_feedback (a reward for feedback given to the restaurant)."
)
M_ASKING_FORBIDDEN = N_(
    "%(platform)s forbids asking customers for reviews, even politely, and penalises businesses "
    "that do. Remove %(platform)s from the review sites; the card can still say “Find us on "
    "%(platform)s”."
)
M_EVERY_NTH = N_(
    "“Every Nth bill” needs a whole number N, for example 3 to give a card with every third "
    "bill."
)
M_UNKNOWN_DISTRIBUTION = N_(
    "Unknown distribution “%(distribution)s”. Use every_customer or every_nth."
)
M_NO_PLATFORM = N_("Choose at least one review site for the card.")
M_TOO_MANY = N_(
    "A card can feature at most %(max)s review sites (%(count)s chosen). Keep the sites your "
    "customers actually use."
)
OTHER_SITE = "other"
M_DUPLICATE = N_("%(platform)s is chosen more than once. Feature each review site once.")
M_UNKNOWN_PLATFORM = N_("Unknown review site “%(key)s”. Choose one of: %(keys)s.")
M_TRUSTPILOT = N_(
    "Trustpilot treats a QR code or plain link to its review page as an unsupported “basic "
    "link”: those reviews get no label, and heavy use can add a consumer alert to your page."
)
M_THEFORK = N_(
    "On TheFork only diners who honoured a TheFork booking can leave a review, so walk-in "
    "customers will not be able to use this link."
)


# ---------------------------------------------------------------------------
# Rules

_TEXT_FIELDS = ("headline", "body", "offer_text")

# Platforms that can be featured but disappoint: warning code, message, and a word that
# picks the policy note to cite.
_PLATFORM_WARNINGS = {
    "trustpilot": ("trustpilot_basic_link", M_TRUSTPILOT, "basic link"),
    "thefork": ("thefork_bookings_only", M_THEFORK, "booking"),
}


def _legal_source(language: str, platforms: tuple[str, ...]) -> str:
    if "google" in platforms:
        return GOOGLE_POLICY
    return CODE_CONSOMMATION if str(language).lower().startswith("fr") else FTC_465_4


def _note_source(platform: Platform, word: str) -> str:
    """The source of the platform's first policy note that mentions ``word``."""
    notes = platform.policy.notes
    return next((n.source for n in notes if word in n.text.lower()), notes[0].source)


def _text_findings(field: str, value: str, language: str, platforms: tuple[str, ...], offer_kind: str) -> list[Finding]:
    if not value.strip():
        return []
    text = FoldedText(value)
    source = _legal_source(language, platforms)
    findings = []
    positive = min(positive_hits(text), default=None)
    if positive:
        message = Message(M_POSITIVE, {"phrase": text.phrase(positive)})
        findings.append(Finding(ERROR, "positive_review_request", message, source, None, field))
    gating = min(gating_hits(text), default=None)
    if gating:
        message = Message(M_GATING, {"phrase": text.phrase(gating)})
        findings.append(Finding(ERROR, "review_gating", message, source, None, field))
    is_offer = field == "offer_text"
    incentive = min(incentive_hits(text, is_offer, is_offer and offer_kind == "private_feedback"), default=None)
    if incentive:
        findings += _incentive_findings(text.phrase(incentive), field, language, platforms)
    return findings


def _incentive_findings(phrase: str, field: str, language: str, platforms: tuple[str, ...]) -> list[Finding]:
    """One finding per featured platform that forbids incentives, citing its own rule."""
    registry = load_registry()
    findings = []
    for key in dict.fromkeys(platforms):
        platform = registry.get(key)
        if platform is None or platform.policy.incentives_allowed:
            continue
        if key == "other":  # a custom site: the law applies, not a platform's terms
            message = Message(M_INCENTIVE_LAW, {"phrase": phrase})
        else:
            message = Message(M_INCENTIVE, {"phrase": phrase, "platform": platform.label})
        findings.append(Finding(ERROR, "review_incentive", message, _note_source(platform, "incentiv"), key, field))
    if not findings:
        law = CODE_CONSOMMATION if str(language).lower().startswith("fr") else FTC_465_4
        message = Message(M_INCENTIVE_LAW, {"phrase": phrase})
        findings.append(Finding(ERROR, "review_incentive", message, law, None, field))
    return findings


def _platform_findings(platforms: tuple[str, ...], require_one: bool) -> list[Finding]:
    registry = load_registry()
    findings = []
    if require_one and not platforms:
        findings.append(Finding(ERROR, "no_platform", Message(M_NO_PLATFORM), "", None, "platforms"))
    unique = tuple(dict.fromkeys(platforms))
    # Each "other" is a site of its own (OpenTable and Quandoo, say): it may come more than once.
    sites = len(unique) + max(0, platforms.count(OTHER_SITE) - 1)
    if sites > MAX_PLATFORMS:
        message = Message(M_TOO_MANY, {"max": MAX_PLATFORMS, "count": sites})
        findings.append(Finding(ERROR, "too_many_platforms", message, "", None, "platforms"))
    for key in unique:
        platform = registry.get(key)
        if platform is None:
            message = Message(M_UNKNOWN_PLATFORM, {"key": str(key)[:40], "keys": ", ".join(registry)})
            findings.append(Finding(ERROR, "unknown_platform", message, "", None, "platforms"))
            continue
        if platforms.count(key) > 1 and key != OTHER_SITE:
            message = Message(M_DUPLICATE, {"platform": platform.label})
            findings.append(Finding(ERROR, "duplicate_platform", message, "", key, "platforms"))
        if not platform.policy.may_ask_for_reviews:
            code = "yelp_featured" if key == "yelp" else "asking_forbidden"
            message = Message(M_ASKING_FORBIDDEN, {"platform": platform.label})
            findings.append(Finding(ERROR, code, message, platform.policy.notes[0].source, key, "platforms"))
        if key in _PLATFORM_WARNINGS:
            code, text, word = _PLATFORM_WARNINGS[key]
            findings.append(Finding(WARNING, code, Message(text), _note_source(platform, word), key, "platforms"))
    return findings


def _offer_findings(draft: CampaignDraft) -> list[Finding]:
    has_text = bool((draft.offer_text or "").strip())
    if draft.offer_kind not in OFFER_KINDS:
        message = Message(M_UNKNOWN_OFFER_KIND, {"kind": str(draft.offer_kind)[:40]})
        return [Finding(ERROR, "unknown_offer_kind", message, "", None, "offer_kind")]
    if draft.offer_kind == "none" and has_text:
        return [Finding(ERROR, "offer_text_without_kind", Message(M_OFFER_WITHOUT_KIND), "", None, "offer_kind")]
    if draft.offer_kind != "none" and not has_text:
        return [Finding(ERROR, "offer_kind_without_text", Message(M_KIND_WITHOUT_OFFER), "", None, "offer_text")]
    return []


def _distribution_findings(draft: CampaignDraft) -> list[Finding]:
    if draft.distribution not in DISTRIBUTIONS:
        message = Message(M_UNKNOWN_DISTRIBUTION, {"distribution": str(draft.distribution)[:40]})
        return [Finding(ERROR, "unknown_distribution", message, "", None, "distribution")]
    nth = draft.every_nth
    if draft.distribution == "every_nth" and (not isinstance(nth, int) or isinstance(nth, bool) or nth < 1):
        return [Finding(ERROR, "invalid_every_nth", Message(M_EVERY_NTH), "", None, "every_nth")]
    return []


def _ordered(findings: list[Finding]) -> list[Finding]:
    # sorted() is stable: within a severity, findings keep the order the rules ran in.
    return sorted(findings, key=lambda f: f.severity != ERROR)


def check_campaign(draft: CampaignDraft) -> list[Finding]:
    """Every rule the draft breaks; errors first, in a fixed order."""
    platforms = tuple(draft.platforms)
    findings: list[Finding] = []
    for field in _TEXT_FIELDS:
        findings += _text_findings(field, getattr(draft, field) or "", draft.language, platforms, draft.offer_kind)
    findings += _offer_findings(draft)
    findings += _platform_findings(platforms, require_one=True)
    findings += _distribution_findings(draft)
    return _ordered(findings)


def check_text(text: str, language: str, platforms: Iterable[str] = ()) -> list[Finding]:
    """Check loose wording as a card's body, and the platforms it would feature if any are given."""
    keys = (platforms,) if isinstance(platforms, str) else tuple(platforms)
    findings = _text_findings("body", text or "", language, keys, "none")
    findings += _platform_findings(keys, require_one=False)
    return _ordered(findings)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


def findings_to_json(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Plain dicts for JSON: the English text, plus the message id and params to translate it."""
    return [
        {
            "severity": f.severity,
            "code": f.code,
            "message": f.message.render(),
            "message_id": f.message.text,
            "params": {k: v if isinstance(v, (int, float)) else str(v) for k, v in f.message.params.items()},
            "source": f.source,
            "platform": f.platform,
            "field": f.field,
        }
        for f in findings
    ]

"""Checking a campaign against platform rules and consumer law before anything is printed.

Wording is matched after folding (lower case, no accents, plain apostrophes) so that
"Avis POSITIF", "avis positif" and "avis positif !" are the same. Words are classed
(sentiment, review noun, request verb, reward, ...) and rules look at small windows of
words within one sentence, so paraphrases are caught without listing every phrase, while
"bon appétit, votre avis compte" stays innocent. Balanced phrases such as "good or bad"
and "positifs comme négatifs" are masked first: they are what honest wording looks like.

The matching is a heuristic for a restaurant card, not a legal opinion; every finding
names its source so the owner can read the rule itself.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, NamedTuple

from .i18n import Message, N_
from .platforms import Platform, load_registry

ERROR = "error"
WARNING = "warning"
OFFER_KINDS = ("none", "thank_you", "private_feedback")
DISTRIBUTIONS = ("every_customer", "every_nth")
MAX_PLATFORMS = 3

FTC_465_4 = "https://www.ecfr.gov/current/title-16/chapter-I/subchapter-D/part-465/section-465.4"
CODE_CONSOMMATION = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000032227293"
GOOGLE_POLICY = "https://support.google.com/contributionpolicy/answer/7400114"
TRUSTPILOT_GUIDELINES = (
    "https://support.trustpilot.com/hc/en-us/articles/"
    "235472148--Quick-guide-to-Trustpilot-s-Guidelines-for-Businesses"
)
ISO_20488 = "https://www.iso.org/standard/68193.html"


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
    "There is an offer text but no offer type. Choose “thank-you for everyone” or “reward for "
    "private feedback”, or remove the offer text."
)
M_KIND_WITHOUT_OFFER = N_(
    "An offer type is chosen but the offer text is empty. Describe the offer, for example "
    "“A coffee on us with this card”, or choose “no offer”."
)
M_UNKNOWN_OFFER_KIND = N_(
    "Unknown offer type “%(kind)s”. Use none, thank_you (given to everyone with the card) or "
    "private_feedback (a reward for feedback given to the restaurant)."
)
M_YELP = N_(
    "Yelp forbids asking customers for reviews, even politely, and penalises businesses that "
    "do. Remove Yelp from the review sites; the card can still say “Find us on Yelp”."
)
M_EVERY_NTH = N_(
    "“Every Nth customer” needs a whole number of 1 or more, for example 3 to give a card to "
    "every third customer."
)
M_UNKNOWN_DISTRIBUTION = N_(
    "Unknown distribution “%(distribution)s”. Use every_customer or every_nth."
)
M_NO_PLATFORM = N_("Choose at least one review site for the card.")
M_TOO_MANY = N_(
    "A card can feature at most %(max)s review sites (%(count)s chosen). Keep the sites your "
    "customers actually use."
)
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
# Lexicon (folded: lower case, no accents). Sets of words, space-separated for reading.


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_POSITIVE = _words("""
    positive positives good great glowing excellent amazing awesome fantastic wonderful perfect
    nice kind lovely favourable favorable stellar rave raving brilliant outstanding superb
    fabulous terrific best better highest shining sparkling flattering enthusiastic incredible
    exceptional glorious gushing sweet warm beautiful splendid perfect positively favourably
    favorably
    positif positifs bon bonne bons bonnes meilleur meilleure meilleurs meilleures excellente
    excellents excellentes genial geniale geniaux geniales elogieux elogieuse elogieuses favorables
    beau belle beaux belles joli jolie jolis jolies sympa sympas sympathique sympathiques gentil
    gentille gentils gentilles chaleureux chaleureuse chaleureuses parfait parfaite parfaits
    parfaites magnifique magnifiques formidable formidables extraordinaire extraordinaires
    merveilleux merveilleuse merveilleuses enthousiaste enthousiastes dithyrambique dithyrambiques
    flatteur flatteuse flatteurs flatteuses elevee elevees maximale maximal positivement
    favorablement doux douce
""")
# Intensifiers that count as sentiment only right before a review word ("super avis"):
# after one they usually qualify something else ("votre avis, super important").
_WEAK_POSITIVE = _words("super top high max maximum")
_NEGATIVE = _words("""
    negative negatives bad poor critical worse worst mediocre unhappy disappointing negatif
    negatifs negative negatives mauvais mauvaise mauvaises critique critiques decevant decevante
    decevants decevantes mecontent mecontents decu decue decus decues moyen moyenne moyens
    average pire moins
""")
_REVIEW_NOUNS = _words("""
    review reviews rating ratings avis note notes notation etoile etoiles star stars feedback
    testimonial testimonials temoignage temoignages evaluation evaluations appreciation
    appreciations commentaire commentaires comment comments recommendation recommendations
    recommandation recommandations score scores marks critique critiques opinion opinions
""")
# Vague nouns that only mean "a review" when the sentence asks for one ("leave us a kind word").
_WEAK_REVIEW_NOUNS = _words("word words mot mots thing things something chose choses message messages one")
# Nouns for the incentive rule: public reviews, not private feedback.
_INCENTIVE_NOUNS = _words("""
    review reviews rating ratings avis note notes etoiles stars evaluation evaluations
    commentaire commentaires comment comments recommendation recommendations testimonial
    testimonials temoignage temoignages
""")
_REQUEST_VERBS = _words("""
    leave post write give share say tell send drop rate review show add leaving posting writing
    giving publishing publish
    laisser laissez laisse laisses poster postez publier publiez deposer deposez donner donnez
    partager partagez ecrire ecrivez dire dites mettre mettez attribuer attribuez noter notez
    evaluer evaluez envoyer envoyez montrer montrez ajouter ajoutez
""")
_PLATFORM_NAMES = _words("google tripadvisor facebook trustpilot thefork fourchette yelp maps")
_FILLER_BEFORE_NOUN = _words("""
    a an the un une des de du d l le la les very really truly so little quick short small petit
    petite petits petites tres vraiment vrai online en ligne public publique and et honest honnete
    sincere another more plus your votre vos our notre nos us nous
""") | _PLATFORM_NAMES
_FILLER_AFTER_NOUN = _words("""
    tres vraiment si plutot au qui soit sera est sont etre that which is are be will really very
    truly so totally absolutely particulierement de d sur on en ligne
""") | _PLATFORM_NAMES
_NEGATIONS = _words("""
    not no never without nor neither don doesn didn isn aren won wouldn shouldn needn t
    pas ni sans jamais aucun aucune nullement
""")
_SCORE_CONTEXT = (_REVIEW_NOUNS - _words("star stars etoile etoiles")) | _REQUEST_VERBS | _words(
    "us nous merci thanks thank deserve earn earned merite meritons meriter vote votez help aidez aider"
)
_REWARDS = _words("""
    free freebie freebies offert offerte offerts offertes gratuit gratuite gratuits gratuites gratis
    discount discounts reduction reductions remise remises coupon coupons voucher vouchers gift
    gifts cadeau cadeaux draw raffle prize prizes tirage tombola concours loterie lottery win
    gagner gagnez gagne reward rewards recompense recompenses recompenser points fidelite loyalty
    treat offrons offrir offre offrira offert
""")
_HAPPY = _words("""
    happy satisfied pleased delighted content impressed thrilled enjoyed enjoy loved love liked
    appreciated unhappy dissatisfied disappointed
    satisfait satisfaite satisfaits satisfaites contente contents contentes ravi ravie ravis
    ravies heureux heureuse heureuses conquis conquise conquises comble combles enchante
    enchantee enchantes aime aimee aimez aimes apprecie appreciee adore adoree plu regale regales
    mecontent mecontente mecontents decu decue decus decues insatisfait insatisfaite
""")
# Words before a review noun that make it a review being asked for or rewarded.
_REVIEW_ACTION_WORDS = _words("for pour after apres once every each any chaque tout toute")
# What a yes/no question can be "good" about: "Had a great time?", "C'était bon ?".
_EXPERIENCE_WORDS = _words("""
    time meal visit evening dinner lunch experience food service stay night it was moment repas
    soiree visite experience diner dejeuner accueil cuisine sejour etait ca
""")
_QUESTION_OPENERS = _words("""
    how what which where who why when whose comment quel quelle quels quelles que qu quoi ou
    pourquoi combien qui lequel laquelle
""")
_SENTENCE_END = re.compile(r"[.!?;\n]+")
_TOKEN_RE = re.compile(r"[a-z0-9%]+|[,()=+>:]")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_POS_ALT = _alternation(_POSITIVE | _words("super top") | _HAPPY)
_NEG_ALT = _alternation(
    _NEGATIVE
    | _words("hated disliked deteste detestee")
    | {"not so good", "not good", "less good", "moins bon", "moins bons", "moins bonne", "moins bonnes", "pas terrible", "pas aime"}
)
_LINK = r"\s*,?\s*(?:or|and|ou|comme|et|as well as|ainsi que|aussi bien que|autant que|voire|or even|but also)\s+(?:the\s+|les\s+|le\s+|la\s+|des\s+|even\s+|meme\s+)?"

# Balanced wording: masked before any sentiment rule, and it makes a sentence's
# conditional clauses neutral ("satisfied or not", "good or bad").
_NEUTRAL_RES = [
    re.compile(rf"\b(?:{_POS_ALT})s?{_LINK}(?:{_NEG_ALT})\b"),
    re.compile(rf"\b(?:{_NEG_ALT}){_LINK}(?:{_POS_ALT})s?\b"),
    re.compile(rf"\b(?:{_POS_ALT})\b[^.!?;\n]{{0,30}}?\b(?:or not|ou non|ou pas|or otherwise|or didn't|or did not|or weren't|or were not)\b"),
    re.compile(
        r"\b(?:either way|whatever your (?:opinion|experience|verdict|view)|dans tous les cas|quel qu'il soit|"
        r"quelle qu'elle soit|quoi qu'il en soit|in any case|no matter (?:what|how)|good, bad or|bon, mauvais ou|"
        r"the good and the bad|le bon comme le moins bon|le bon comme le mauvais)\b"
    ),
    # "Loved it? Hated it?": two opposite questions side by side ask for either answer.
    re.compile(rf"\b(?:{_POS_ALT})\b[^.!?\n]{{0,25}}\?\s*[^.!?\n]{{0,25}}\b(?:{_NEG_ALT}|didn't)\b[^.!?\n]{{0,25}}\?"),
]
# "n'hésitez pas", "don't forget": negation words that do not negate the request.
_NOT_NEGATING_RE = re.compile(
    r"\b(?:n'?\s?hesitez pas|n'?\s?oubliez pas|ne pas hesiter|don'?t hesitate|do not hesitate|"
    r"don'?t forget|do not forget|never forget|n'?\s?hesite pas)\b"
)

_SCORE_RES = [
    re.compile(r"\b(?:5|five|cinq)\s*-?\s*(?:stars?|etoiles?|\*)(?=\W|$)"),
    re.compile(
        r"\b(?:(?:5|five|cinq)\s+(?:sur|out of|on)\s+(?:5|five|cinq)|(?:10|ten|dix)\s+(?:sur|out of|on)\s+(?:10|ten|dix)"
        r"|(?:20|vingt)\s+(?:sur|out of|on)\s+(?:20|vingt))\b"
    ),
    re.compile(r"\b(?:full|top|highest|maximum) (?:marks|score)\b|\bnote (?:maximale|max|maximum|parfaite)\b"),
]
# Shown on a review card, a row of stars or a perfect score is the rating asked for.
_STAR_RUN_RE = re.compile(r"\*(?:\s*\*){3,}|\b(10|20|5)\s*/\s*\1\b")
_POSITIVE_PHRASE_RES = [
    re.compile(r"\bsay (?:something|anything|a few words|some words) (?:really )?(?:nice|good|kind|positive|great|lovely|sweet)\b"),
    re.compile(r"\b(?:speak|talk) (?:well|highly) of us\b"),
    re.compile(r"\brate us (?:highly|high|well|top|positively|favou?rably)\b"),
    re.compile(r"(?<!would you )(?<!do you )(?<!will you )(?<!if you )(?<!if you'd )\brecommend us\b"),
    re.compile(r"\b(?:show|give) us (?:some |a little )?(?:love|a thumbs up)\b|\bthumbs? up\b"),
    re.compile(r"\b(?:dites|dire|ecrivez|ecrire|parlez|parler|dis) du bien\b|\bparlez(?: de nous)? en bien\b"),
    re.compile(r"(?<!nous )\brecommandez[\s-]*nous\b"),
    re.compile(r"\bnotez[\s-]*nous (?:bien|positivement|favorablement|au max\w*|5|cinq|10|20)\b"),
    re.compile(r"\b(?:un|des|vos|votre|quelques) (?:petits? )?mots? (?:doux|gentils?|sympas?)\b"),
    re.compile(r"\b(?:avis|notes?|reviews?|commentaires?) au top\b"),
    re.compile(
        r"\btell (?:everyone|the world|others|other people|your friends|people) how (?:\w+ )?"
        r"(?:good|great|amazing|awesome|delicious|wonderful|fantastic|tasty|lovely) (?:we are|it was|we were|the food was|our food is)\b"
    ),
    re.compile(r"\b(?:dites|racontez)[\s-]+(?:a tout le monde|autour de vous) (?:a quel point|combien) (?:c'etait|nous sommes|vous avez) (?:bon|delicieux|super|aime)"),
]
# Said before a request, these turn "a bad review" into discouraging one.
_DISCOURAGING_RE = re.compile(
    r"\b(?:don't|do not|dont|never|avoid|before|instead of|rather than|ne|n'|pas|jamais|evitez|eviter|avant|au lieu|plutot que)\b"
)
_GATING_RES = [
    re.compile(
        r"\bif\b[^.!?;\n]{0,40}?\b(?:happy|satisfied|pleased|delighted|content|impressed|thrilled|enjoyed|loved|liked|"
        r"appreciated|to your liking|(?:good|great|nice|lovely|wonderful) (?:time|meal|evening|experience|visit)|"
        r"unhappy|dissatisfied|disappointed)\b"
    ),
    re.compile(
        r"(?:\bsi\b|\bs'(?=il\b))\s*(?:vous|tu|votre|vos|le|la|les|tout|c'|ca|cela|il|elle|l')\b[^.!?;\n]{0,40}?"
        r"\b(?:satisfaite?s?|contente?s?|ravie?s?|heureux|heureuse|conquise?s?|combles?|enchantee?s?|aimee?s?|"
        r"appreciee?s?|adoree?s?|plu|regales?|bon moment|bien mange|parfaite?|bon|bonne|reussie?|"
        r"mecontente?s?|decue?s?|insatisfaite?s?)\b"
    ),
    re.compile(
        r"\b(?:happy|satisfied|delighted|pleased) (?:customers?|guests?|diners?|clients?|visitors?|patrons?)\b|"
        r"\b(?:clients?|convives?|visiteurs?) (?:satisfaits?|contents?|heureux|ravis?|conquis|combles?)\b"
    ),
]
_EXCHANGE_RES = [
    re.compile(r"\bcontre\s+(?:un|une|1|votre|vos|chaque|tout|des|l'|le|la)?\s*(?:petit\s+|bon\s+|joli\s+)?(?:avis|commentaires?|notes?|evaluations?|reviews?|etoiles)\b"),
    re.compile(r"\ben echange d(?:e|')\s*(?:un|une|votre|vos|l')?\s*(?:\w+\s+){0,2}?(?:avis|commentaires?|notes?|evaluations?|etoiles)\b"),
    re.compile(r"\bin (?:exchange|return) for\s+(?:a|an|your|any|each|every|one)?\s*(?:\w+\s+){0,2}?(?:reviews?|ratings?|stars?|recommendations?|testimonials?)\b"),
    re.compile(r"\b(?:pour|a|avec|par)\s+(?:tout|toute|chaque)\s+(?:\w+\s+){0,2}?(?:avis|commentaires?|notes?|evaluations?)\b"),
    re.compile(r"\b(?:for|with|per)\s+(?:every|each|any)\s+(?:\w+\s+){0,2}?(?:reviews?|ratings?)\b|\bper review\b|\bpar avis\b"),
    re.compile(
        r"\b(?:avis|reviews?|ratings?|note|commentaires?|etoiles|stars)"
        r"(?:\s+(?:google|tripadvisor|facebook|trustpilot|thefork|yelp))?\s*(?:=|->|>|\+)"
    ),
]
_REVIEW_US_RE = re.compile(r"\b(?:review|rate|recommend)\s+us\b|\b(?:notez|evaluez|recommandez)[\s-]+nous\b")
_UNCONDITIONAL_RE = re.compile(
    r"\b(?:whether or not|review or not|avec ou sans avis|or not|ou non|ou pas|sans condition|sans obligation|"
    r"no strings attached|no obligation|regardless|quel que soit|no review (?:needed|required)|"
    r"pas besoin (?:de|d') ?(?:laisser|poster|ecrire|donner)|meme sans avis|even without a review)\b"
)
_AMOUNT_RE = re.compile(
    r"\d+\s*(?:%|€|\$|£|eur\b|euros?\b)|\b(?:on the house|on us|bon d'achat|bon de reduction|la maison vous offre)\b|"
    r"\b(?:and|et|to|pour|then|puis)\s+(?:get|receive|win|earn|enjoy|claim|recevez|obtenez|gagnez|profitez|beneficiez|"
    r"recevoir|obtenir|gagner|profiter|beneficier)\b"
)
_PRIVATE_RE = re.compile(
    r"\b(?:en prive|prive|privee|privately|private|questionnaire|survey|sondage|au dos|on the back|directement|"
    r"directly|in person|de vive voix|(?:cette|this|la|the|notre|our) (?:carte|card|fiche|form|formulaire))\b"
)
_PUBLIC_RE = re.compile(
    r"\b(?:google|tripadvisor|facebook|yelp|trustpilot|thefork|fourchette|online|en ligne|internet|web|site|"
    r"public|publique|publiquement|publicly|reseaux|social|etoiles|stars|post|poster|postez|publiez|publier|publish)\b"
)


# ---------------------------------------------------------------------------
# Text analysis


class _Token(NamedTuple):
    word: str
    start: int  # in the folded text
    end: int
    sentence: int


class _Text:
    """Folded text, its tokens, and a map back to the original characters."""

    _CHAR_MAP = {
        "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "′": "'", "œ": "oe", "Œ": "oe",
        "æ": "ae", "Æ": "ae", "ß": "ss", "–": "-", "—": "-", "‑": "-", "→": "->", "⇒": "->",
        "⭐": "*", "★": "*", "☆": "*", "🌟": "*", "✩": "*", "✪": "*", "✫": "*", "✬": "*",
        "✭": "*", "✮": "*", "✯": "*", "✰": "*", "⋆": "*", "\u00a0": " ", "\u202f": " ",
        "…": ".", "€": "€",
    }

    def __init__(self, original: str) -> None:
        self.original = original
        chars: list[str] = []
        self.origin: list[int] = []
        for index, ch in enumerate(original):
            mapped = self._CHAR_MAP.get(ch)
            if mapped is None:
                mapped = "".join(
                    c for c in unicodedata.normalize("NFKD", ch)
                    if unicodedata.category(c) not in ("Mn", "Me", "Cf")
                ).lower()
            for c in mapped:
                chars.append(c)
                self.origin.append(index)
        self.folded = "".join(chars)
        sentence_of = [0] * (len(self.folded) + 1)
        sentence, last = 0, 0
        for match in _SENTENCE_END.finditer(self.folded):
            for i in range(last, match.end()):
                sentence_of[i] = sentence
            sentence, last = sentence + 1, match.end()
        for i in range(last, len(self.folded) + 1):
            sentence_of[i] = sentence
        self.sentence_of = sentence_of
        text = self.folded.replace("'", " ").replace("-", " ").replace("/", " ")
        self.tokens = [
            _Token(m.group(), m.start(), m.end(), sentence_of[m.start()]) for m in _TOKEN_RE.finditer(text)
        ]
        self.by_sentence: dict[int, list[_Token]] = {}
        for token in self.tokens:
            self.by_sentence.setdefault(token.sentence, []).append(token)
        self.spans: dict[int, tuple[int, int]] = {}
        for position, number in enumerate(sentence_of[:-1]):
            start, _ = self.spans.get(number, (position, position))
            self.spans[number] = (start, position + 1)
        self.neutral = [m.span() for rx in _NEUTRAL_RES for m in rx.finditer(self.folded)]
        self.not_negating = [m.span() for m in _NOT_NEGATING_RE.finditer(self.folded)]

    def phrase(self, start: int, end: int) -> str:
        """The original characters behind folded[start:end], shortened for a message."""
        if start >= end:
            return ""
        text = self.original[self.origin[start]: self.origin[end - 1] + 1].strip()
        return text if len(text) <= 60 else text[:59] + "…"

    def in_neutral(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.neutral)

    def sentence_is_neutral(self, position: int) -> bool:
        sentence = self.sentence_of[position]
        return any(self.sentence_of[s] == sentence or self.sentence_of[max(e - 1, s)] == sentence for s, e in self.neutral)

    def sentence_tokens(self, sentence: int) -> list[_Token]:
        return self.by_sentence.get(sentence, [])

    def sentence_span(self, sentence: int) -> tuple[int, int]:
        return self.spans.get(sentence, (0, 0))

    def negated(self, index: int) -> bool:
        """Whether a negation shortly before token ``index`` qualifies it."""
        token = self.tokens[index]
        for other in self.tokens[max(0, index - 4): index]:
            if other.sentence != token.sentence or other.word not in _NEGATIONS:
                continue
            if not any(s <= other.start < e for s, e in self.not_negating):
                return True
        return False


def _has_request_verb(tokens: list[_Token]) -> bool:
    return any(t.word in _REQUEST_VERBS for t in tokens)


def _positive_hits(text: _Text) -> Iterator[tuple[int, int]]:
    return _sentiment_hits(text, _POSITIVE, _WEAK_POSITIVE)


def _discouraging_hits(text: _Text) -> Iterator[tuple[int, int]]:
    """ "Don't leave a bad review", "avant de laisser un avis négatif": steering critics away."""
    words = _NEGATIVE - _words("moins critique critiques")
    for start, end in _sentiment_hits(text, words, frozenset(), negation_cancels=False):
        s_start, _ = text.sentence_span(text.sentence_of[start])
        before = text.folded[s_start:start]
        tokens_before = [t for t in text.sentence_tokens(text.sentence_of[start]) if t.start < start]
        if _DISCOURAGING_RE.search(before) and _has_request_verb(tokens_before):
            yield start, end


def _sentiment_hits(
    text: _Text, strong: frozenset[str], weak: frozenset[str], negation_cancels: bool = True
) -> Iterator[tuple[int, int]]:
    """Sentiment words next to a review noun, before it or after it, within one sentence."""
    tokens = text.tokens
    by_sentence_request = {t.sentence: True for t in tokens if t.word in _REQUEST_VERBS}

    def is_noun(token: _Token) -> bool:
        return token.word in _REVIEW_NOUNS or (
            token.word in _WEAK_REVIEW_NOUNS and by_sentence_request.get(token.sentence, False)
        )

    for i, token in enumerate(tokens):
        if text.in_neutral(token.start, token.end):
            continue
        if token.word in weak:
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if following and following.sentence == token.sentence and is_noun(following) and not text.negated(i):
                yield token.start, following.end
            continue
        if token.word not in strong or (negation_cancels and text.negated(i)):
            continue
        # Sentiment word before its noun: "a glowing review", "une bonne note".
        for j in range(i + 1, min(i + 5, len(tokens))):
            other = tokens[j]
            if other.sentence != token.sentence:
                break
            if is_noun(other):
                yield token.start, other.end
                break
            if other.word not in _FILLER_BEFORE_NOUN and other.word not in strong:
                break
        # Sentiment word after its noun: "un avis positif", "a review that is positive".
        for j in range(i - 1, max(i - 5, -1), -1):
            other = tokens[j]
            if other.sentence != token.sentence:
                break
            if is_noun(other):
                yield other.start, token.end
                break
            if other.word not in _FILLER_AFTER_NOUN and other.word not in ",(":
                break


def _score_hits(text: _Text) -> Iterator[tuple[int, int]]:
    for match in _STAR_RUN_RE.finditer(text.folded):
        yield match.span()
    for rx in _SCORE_RES:
        for match in rx.finditer(text.folded):
            start, end = match.span()
            inside = [i for i, t in enumerate(text.tokens) if start <= t.start < end]
            if not inside or text.negated(inside[0]):
                continue
            first, last = inside[0], inside[-1]
            sentence = text.tokens[first].sentence
            window = text.tokens[max(0, first - 6): first] + text.tokens[last + 1: last + 7]
            if any(t.sentence == sentence and t.word in _SCORE_CONTEXT for t in window):
                yield start, end


def _regex_hits(text: _Text, patterns: Iterable[re.Pattern[str]]) -> Iterator[tuple[int, int]]:
    for rx in patterns:
        for match in rx.finditer(text.folded):
            if not text.in_neutral(*match.span()):
                yield match.span()


def _gating_hits(text: _Text) -> Iterator[tuple[int, int]]:
    for start, end in _regex_hits(text, _GATING_RES):
        if not text.sentence_is_neutral(start):
            yield start, end
    if text.neutral:
        return  # "Happy with your meal? Tell us either way." is a neutral question.
    # Short yes/no questions about being pleased: "Satisfait ?", "Enjoyed your meal?".
    for match in re.finditer(r"[^.!?;\n]*\?", text.folded):
        start, end = match.span()
        words = [t for t in text.tokens if start <= t.start < end and t.word.isalnum()]
        if not words or len(words) > 8 or words[0].word in _QUESTION_OPENERS:
            continue
        if any(w.word in _REVIEW_NOUNS for w in words):
            continue  # a question about the review itself ("Un avis 5 étoiles ?") is not gating
        happy = any(w.word in _HAPPY for w in words)
        pleasant = any(w.word in _POSITIVE or w.word in _WEAK_POSITIVE for w in words) and any(
            w.word in _EXPERIENCE_WORDS for w in words
        )
        if happy or pleasant:
            yield words[0].start, end


def _incentive_hits(text: _Text, offer: bool, private_offer: bool) -> Iterator[tuple[int, int]]:
    for start, end in _regex_hits(text, _EXCHANGE_RES):
        if not _exempt(text, start, private_offer):
            yield start, end
    for sentence in sorted(text.by_sentence):
        tokens = text.sentence_tokens(sentence)
        s_start, s_end = text.sentence_span(sentence)
        clause = text.folded[s_start:s_end]
        if not _review_action(tokens) and not _REVIEW_US_RE.search(clause):
            continue
        rewarded = offer or any(t.word in _REWARDS for t in tokens) or _AMOUNT_RE.search(clause)
        if rewarded and not _exempt(text, s_start, private_offer) and not _UNCONDITIONAL_RE.search(clause):
            yield s_start, s_end


def _review_action(tokens: list[_Token]) -> bool:
    """Whether a sentence asks for a review: "leave a review", "pour votre avis", ..."""
    for i, token in enumerate(tokens):
        if token.word in _INCENTIVE_NOUNS and any(
            other.word in _REQUEST_VERBS or other.word in _REVIEW_ACTION_WORDS
            for other in tokens[max(0, i - 4): i]
        ):
            return True
    return False


def _exempt(text: _Text, position: int, private_offer: bool) -> bool:
    """Whether the sentence at ``position`` is about private feedback, not a public review."""
    start, end = text.sentence_span(text.sentence_of[position])
    clause = text.folded[start:end]
    if _PUBLIC_RE.search(clause):
        return False
    return private_offer or bool(_PRIVATE_RE.search(clause))


# ---------------------------------------------------------------------------
# Rules


_TEXT_FIELDS = ("headline", "body", "offer_text")


def _legal_source(language: str, platforms: tuple[str, ...]) -> str:
    if "google" in platforms:
        return GOOGLE_POLICY
    if str(language).lower().startswith("fr"):
        return CODE_CONSOMMATION
    return FTC_465_4


def _incentive_source(platform: Platform) -> str:
    for note in platform.policy.notes:
        if "incentiv" in note.text.lower():
            return note.source
    return platform.policy.notes[0].source


def _first(hits: Iterable[tuple[int, int]]) -> tuple[int, int] | None:
    return min(hits, default=None)


def _text_findings(
    field: str, value: str, language: str, platforms: tuple[str, ...], offer_kind: str
) -> list[Finding]:
    if not value.strip():
        return []
    text = _Text(value)
    source = _legal_source(language, platforms)
    findings = []
    positive = _first([*_positive_hits(text), *_score_hits(text), *_regex_hits(text, _POSITIVE_PHRASE_RES)])
    if positive:
        phrase = text.phrase(*positive)
        findings.append(Finding(ERROR, "positive_review_request", Message(M_POSITIVE, {"phrase": phrase}), source, None, field))
    gating = _first([*_gating_hits(text), *_discouraging_hits(text)])
    if gating:
        phrase = text.phrase(*gating)
        findings.append(Finding(ERROR, "review_gating", Message(M_GATING, {"phrase": phrase}), source, None, field))
    offer = field == "offer_text"
    incentive = _first(_incentive_hits(text, offer, offer and offer_kind == "private_feedback"))
    if incentive:
        phrase = text.phrase(*incentive)
        registry = load_registry()
        forbidding = [registry[k] for k in dict.fromkeys(platforms) if k in registry and not registry[k].policy.incentives_allowed]
        for platform in forbidding:
            message = Message(M_INCENTIVE, {"phrase": phrase, "platform": platform.label})
            findings.append(Finding(ERROR, "review_incentive", message, _incentive_source(platform), platform.key, field))
        if not forbidding:
            message = Message(M_INCENTIVE_LAW, {"phrase": phrase})
            findings.append(Finding(ERROR, "review_incentive", message, FTC_465_4 if source == GOOGLE_POLICY else source, None, field))
    return findings


def _platform_findings(platforms: tuple[str, ...], require_one: bool) -> list[Finding]:
    registry = load_registry()
    findings = []
    if require_one and not platforms:
        findings.append(Finding(ERROR, "no_platform", Message(M_NO_PLATFORM), "", None, "platforms"))
    unique = tuple(dict.fromkeys(platforms))
    if len(unique) > MAX_PLATFORMS:
        message = Message(M_TOO_MANY, {"max": MAX_PLATFORMS, "count": len(unique)})
        findings.append(Finding(ERROR, "too_many_platforms", message, "", None, "platforms"))
    for key in unique:
        if key not in registry:
            message = Message(M_UNKNOWN_PLATFORM, {"key": str(key)[:40], "keys": ", ".join(registry)})
            findings.append(Finding(ERROR, "unknown_platform", message, "", None, "platforms"))
            continue
        platform = registry[key]
        if platforms.count(key) > 1:
            message = Message(M_DUPLICATE, {"platform": platform.label})
            findings.append(Finding(ERROR, "duplicate_platform", message, "", key, "platforms"))
        if not platform.policy.may_ask_for_reviews:
            findings.append(Finding(ERROR, "yelp_featured" if key == "yelp" else "platform_forbids_asking",
                                    Message(M_YELP), platform.policy.notes[0].source, key, "platforms"))
    if "trustpilot" in registry and "trustpilot" in unique:
        note = next(n for n in registry["trustpilot"].policy.notes if "basic link" in n.text)
        findings.append(Finding(WARNING, "trustpilot_basic_link", Message(M_TRUSTPILOT), note.source, "trustpilot", "platforms"))
    if "thefork" in registry and "thefork" in unique:
        source = registry["thefork"].policy.notes[0].source
        findings.append(Finding(WARNING, "thefork_bookings_only", Message(M_THEFORK), source, "thefork", "platforms"))
    return findings


def _offer_findings(draft: CampaignDraft) -> list[Finding]:
    has_text = bool(draft.offer_text.strip())
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
        return [Finding(ERROR, "invalid_every_nth", Message(M_EVERY_NTH), ISO_20488, None, "every_nth")]
    return []


def _ordered(findings: list[Finding]) -> list[Finding]:
    # Stable: within a severity, findings keep the order the rules produced them in.
    return sorted(findings, key=lambda f: f.severity != ERROR)


def check_campaign(draft: CampaignDraft) -> list[Finding]:
    """Every rule the draft breaks; errors first, in a fixed order."""
    platforms = tuple(draft.platforms)
    findings: list[Finding] = []
    for field in _TEXT_FIELDS:
        value = getattr(draft, field) or ""
        findings += _text_findings(field, value, draft.language, platforms, draft.offer_kind)
    findings += _offer_findings(draft)
    findings += _platform_findings(platforms, require_one=True)
    findings += _distribution_findings(draft)
    return _ordered(findings)


def check_text(text: str, language: str, platforms: Iterable[str] = ()) -> list[Finding]:
    """Check loose wording (as a card's body) and, if given, the platforms it would feature."""
    keys = tuple(platforms)
    findings = _text_findings("body", text or "", language, keys, "none")
    findings += _platform_findings(keys, require_one=False)
    return _ordered(findings)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


def findings_to_json(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Plain dicts for JSON: the English text plus the message id and params to translate."""
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

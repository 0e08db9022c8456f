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

import bisect
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
    "everyone, or a reward for filling in your own private feedback card, or remove the offer text."
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


def _group(*options: str) -> str:
    """A non-capturing regex group of alternatives, so long patterns read as lists."""
    return "(?:" + "|".join(options) + ")"


_POS_ALT = _alternation(_POSITIVE | _words("super top") | _HAPPY)
_NEG_ALT = _alternation(
    _NEGATIVE
    | _words("hated disliked deteste detestee")
    | {"not so good", "not good", "less good", "moins bon", "moins bons", "moins bonne", "moins bonnes",
       "pas terrible", "pas aime"}
)
_LINK = (
    r"\s*,?\s*"
    + _group("or", "and", "ou", "comme", "et", "as well as", "ainsi que", "aussi bien que", "autant que",
             "voire", "or even", "but also")
    + r"\s+(?:the\s+|les\s+|le\s+|la\s+|des\s+|even\s+|meme\s+)?"
)

# Balanced wording: masked before any sentiment rule, and it makes a sentence's
# conditional clauses neutral ("satisfied or not", "good or bad").
_NEUTRAL_RES = [
    re.compile(rf"\b(?:{_POS_ALT})s?{_LINK}(?:{_NEG_ALT})\b"),
    re.compile(rf"\b(?:{_NEG_ALT}){_LINK}(?:{_POS_ALT})s?\b"),
    re.compile(
        rf"\b(?:{_POS_ALT})\b[^.!?;\n]{{0,30}}?\b"
        + _group("or not", "ou non", "ou pas", "or otherwise", "or didn't", "or did not", "or weren't", "or were not")
        + r"\b"
    ),
    re.compile(
        r"\b"
        + _group(
            "either way", r"whatever your (?:opinion|experience|verdict|view)", "dans tous les cas",
            "quel qu'il soit", "quelle qu'elle soit", "quoi qu'il en soit", "in any case", "no matter (?:what|how)",
            "good, bad or", "bon, mauvais ou", "the good and the bad", "le bon comme le moins bon",
            "le bon comme le mauvais",
        )
        + r"\b"
    ),
    # "Loved it? Hated it?": two opposite questions side by side ask for either answer.
    re.compile(
        rf"\b(?:{_POS_ALT})\b[^.!?\n]{{0,25}}\?\s*[^.!?\n]{{0,25}}\b(?:{_NEG_ALT}|didn't)\b[^.!?\n]{{0,25}}\?"
    ),
]
# "n'hésitez pas", "don't forget": negation words that do not negate the request.
_NOT_NEGATING_RE = re.compile(
    r"\b"
    + _group(r"n'?\s?hesitez pas", r"n'?\s?hesite pas", r"n'?\s?oubliez pas", "ne pas hesiter",
             "don'?t hesitate", "do not hesitate", "don'?t forget", "do not forget", "never forget")
    + r"\b"
)

# A top score counts when something nearby asks for it ("rate us 5 stars"), not in
# "un palace 5 étoiles".
_SCORE_RES = [
    re.compile(r"\b(?:5|five|cinq)[\s-]{0,3}(?:stars?|etoiles?|\*)(?=\W|$)"),
    re.compile(
        r"\b"
        + _group(
            r"(?:5|five|cinq)\s+(?:sur|out of|on)\s+(?:5|five|cinq)",
            r"(?:10|ten|dix)\s+(?:sur|out of|on)\s+(?:10|ten|dix)",
            r"(?:20|vingt)\s+(?:sur|out of|on)\s+(?:20|vingt)",
        )
        + r"\b"
    ),
    re.compile(r"\b(?:full|top|highest|maximum) (?:marks|score)\b|\bnote (?:maximale|max|maximum|parfaite)\b"),
]
# "from 1 to 5 stars", "de 1 à 5 étoiles": a scale, not a score asked for.
_SCALE_BEFORE_RE = re.compile(r"\b(?:1|one|un|une|0|zero)\s*(?:to|a|and|et|-|through)\s*$")
# Shown on a review card, a row of stars or a perfect score is the rating asked for.
_STAR_RUN_RE = re.compile(r"\*(?:\s*\*){3,}|\b(10|20|5)\s*/\s*\1\b")
_POSITIVE_PHRASE_RES = [
    re.compile(
        r"\bsay (?:something|anything|a few words|some words) (?:really )?"
        + _group("nice", "good", "kind", "positive", "great", "lovely", "sweet")
        + r"\b"
    ),
    re.compile(r"\b(?:speak|talk) (?:well|highly) of us\b"),
    re.compile(r"\brate us (?:highly|high|well|top|positively|favou?rably)\b"),
    re.compile(r"(?<!would you )(?<!do you )(?<!will you )(?<!if you )(?<!if you'd )\brecommend us\b"),
    re.compile(r"\b(?:show|give) us (?:some |a little )?(?:love|a thumbs up)\b|\bthumbs? up\b"),
    re.compile(r"\b(?:dites|dire|dis|ecrivez|ecrire|parlez|parler) du bien\b|\bparlez(?: de nous)? en bien\b"),
    re.compile(r"(?<!nous )\brecommandez[\s-]*nous\b"),
    re.compile(r"\bnotez[\s-]*nous (?:bien|positivement|favorablement|au max\w*|5|cinq|10|20)\b"),
    re.compile(r"\b(?:un|des|vos|votre|quelques) (?:petits? )?mots? (?:doux|gentils?|sympas?)\b"),
    re.compile(r"\b(?:avis|notes?|reviews?|commentaires?) au top\b"),
    re.compile(
        r"\btell (?:everyone|the world|others|other people|your friends|people) how (?:\w+ )?"
        + _group("good", "great", "amazing", "awesome", "delicious", "wonderful", "fantastic", "tasty", "lovely")
        + " "
        + _group("we are", "it was", "we were", "the food was", "our food is")
        + r"\b"
    ),
    re.compile(
        r"\b(?:dites|racontez)[\s-]+(?:a tout le monde|autour de vous) (?:a quel point|combien) "
        r"(?:c'etait|nous sommes|vous avez) (?:bon|delicieux|super|aime)"
    ),
]
# Said before a request, these turn "leave a bad review" into discouraging one.
_DISCOURAGING_RE = re.compile(
    r"\b"
    + _group("don't", "do not", "dont", "never", "avoid", "before", "instead of", "rather than", "ne", "n'",
             "pas", "jamais", "evitez", "eviter", "avant", "au lieu", "plutot que")
    + r"\b"
)
_GATING_RES = [
    re.compile(
        r"\bif\b[^.!?;\n]{0,40}?\b"
        + _group(
            "happy", "satisfied", "pleased", "delighted", "content", "impressed", "thrilled", "enjoyed", "loved",
            "liked", "appreciated", "to your liking", "unhappy", "dissatisfied", "disappointed",
            r"(?:good|great|nice|lovely|wonderful) (?:time|meal|evening|experience|visit)",
        )
        + r"\b"
    ),
    # "si" only as "if": followed by a subject, so "si contents de vous voir" stays innocent.
    re.compile(
        r"(?:\bsi\b|\bs'(?=il\b))\s*(?:vous|tu|votre|vos|le|la|les|tout|c'|ca|cela|il|elle|l')\b[^.!?;\n]{0,40}?\b"
        + _group(
            "satisfaite?s?", "contente?s?", "ravie?s?", "heureux", "heureuse", "conquise?s?", "combles?",
            "enchantee?s?", "aimee?s?", "appreciee?s?", "adoree?s?", "plu", "regales?", "bon moment",
            "bien mange", "parfaite?", "bon", "bonne", "reussie?", "mecontente?s?", "decue?s?", "insatisfaite?s?",
        )
        + r"\b"
    ),
    re.compile(
        r"\b(?:happy|satisfied|delighted|pleased) (?:customers?|guests?|diners?|clients?|visitors?|patrons?)\b"
        r"|\b(?:clients?|convives?|visiteurs?) (?:satisfaits?|contents?|heureux|ravis?|conquis|combles?)\b"
    ),
]
_FR_REVIEW = r"(?:avis|commentaires?|notes?|evaluations?|etoiles)"
_EN_REVIEW = r"(?:reviews?|ratings?|stars?|recommendations?|testimonials?)"
# Wording that trades something for a review, whatever the reward is called.
_EXCHANGE_RES = [
    re.compile(
        r"\bcontre\s+(?:un|une|1|votre|vos|chaque|tout|des|l'|le|la)?\s*(?:petit\s+|bon\s+|joli\s+)?"
        rf"(?:{_FR_REVIEW}|reviews?)\b"
    ),
    re.compile(rf"\ben echange d(?:e|')\s*(?:un|une|votre|vos|l')?\s*(?:\w+\s+){{0,2}}?{_FR_REVIEW}\b"),
    re.compile(rf"\bin (?:exchange|return) for\s+(?:a|an|your|any|each|every|one)?\s*(?:\w+\s+){{0,2}}?{_EN_REVIEW}\b"),
    re.compile(rf"\b(?:pour|a|avec|par)\s+(?:tout|toute|chaque)\s+(?:\w+\s+){{0,2}}?{_FR_REVIEW}\b"),
    re.compile(r"\b(?:for|with|per)\s+(?:every|each|any)\s+(?:\w+\s+){0,2}?(?:reviews?|ratings?)\b"),
    re.compile(r"\bper review\b|\bpar avis\b"),
    re.compile(
        r"\b(?:avis|reviews?|ratings?|note|commentaires?|etoiles|stars)"
        r"(?:\s+(?:google|tripadvisor|facebook|trustpilot|thefork|yelp))?\s*(?:=|->|>|\+)"
    ),
]
_REVIEW_US_RE = re.compile(r"\b(?:review|rate|recommend)\s+us\b|\b(?:notez|evaluez|recommandez)[\s-]+nous\b")
_UNCONDITIONAL_RE = re.compile(
    r"\b"
    + _group(
        "whether or not", "review or not", "avec ou sans avis", "or not", "ou non", "ou pas", "sans condition",
        "sans obligation", "no strings attached", "no obligation", "regardless", "quel que soit",
        "no review (?:needed|required)", r"pas besoin (?:de|d') ?(?:laisser|poster|ecrire|donner)",
        "meme sans avis", "even without a review",
    )
    + r"\b"
)
_REWARD_RE = re.compile(
    r"\b\d+\s?(?:%|€|\$|£|eur\b|euros?\b)"
    r"|\b(?:on the house|on us|bon d'achat|bon de reduction|la maison vous offre)\b"
    r"|\b(?:and|et|to|pour|then|puis)\s+"
    + _group("get", "receive", "win", "earn", "enjoy", "claim", "recevez", "obtenez", "gagnez", "profitez",
             "beneficiez", "recevoir", "obtenir", "gagner", "profiter", "beneficier")
    + r"\b"
)
_PRIVATE_RE = re.compile(
    r"\b"
    + _group("en prive", "prive", "privee", "privately", "private", "questionnaire", "survey", "sondage",
             "au dos", "on the back", "directement", "directly", "in person", "de vive voix",
             "(?:cette|this|la|the|notre|our) (?:carte|card|fiche|form|formulaire)")
    + r"\b"
)
_PUBLIC_RE = re.compile(
    r"\b"
    + _group("google", "tripadvisor", "facebook", "yelp", "trustpilot", "thefork", "fourchette", "online",
             "en ligne", "internet", "web", "site", "public", "publique", "publiquement", "publicly", "reseaux",
             "social", "etoiles", "stars", "post", "poster", "postez", "publiez", "publier", "publish")
    + r"\b"
)


# ---------------------------------------------------------------------------
# Text analysis

Span = tuple[int, int]  # positions in the folded text


class _Token(NamedTuple):
    word: str
    start: int
    end: int
    sentence: int


class _Text:
    """Folded text, its words and sentences, and a map back to the original characters."""

    _CHAR_MAP = {
        "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "′": "'", "œ": "oe", "Œ": "oe",
        "æ": "ae", "Æ": "ae", "ß": "ss", "–": "-", "—": "-", "‑": "-", "→": "->", "⇒": "->",
        "⭐": "*", "★": "*", "☆": "*", "🌟": "*", "✩": "*", "✪": "*", "✫": "*", "✬": "*",
        "✭": "*", "✮": "*", "✯": "*", "✰": "*", "⋆": "*", "\u00a0": " ", "\u202f": " ", "…": ".",
    }

    def __init__(self, original: str) -> None:
        self.original = original
        chars: list[str] = []
        self.origin: list[int] = []  # folded position -> original position
        for index, ch in enumerate(original):
            mapped = self._CHAR_MAP.get(ch)
            if mapped is None:
                decomposed = unicodedata.normalize("NFKD", ch)
                mapped = "".join(c for c in decomposed if unicodedata.category(c) not in ("Mn", "Me", "Cf")).lower()
            chars.extend(mapped)
            self.origin.extend([index] * len(mapped))
        self.folded = "".join(chars)

        self.sentence_of: list[int] = []
        self.spans: list[Span] = []
        last = 0
        for match in _SENTENCE_END.finditer(self.folded):
            self._add_sentence(last, match.end())
            last = match.end()
        self._add_sentence(last, len(self.folded))
        self.sentence_of.append(len(self.spans) - 1)  # the position just past the end

        # Apostrophes, hyphens and slashes separate words: "l'avis", "five-star", "notez-nous".
        words_only = self.folded.replace("'", " ").replace("-", " ").replace("/", " ")
        self.tokens = [
            _Token(m.group(), m.start(), m.end(), self.sentence_of[m.start()])
            for m in _TOKEN_RE.finditer(words_only)
        ]
        self.token_starts = [t.start for t in self.tokens]
        self.by_sentence: dict[int, list[_Token]] = {}
        for token in self.tokens:
            self.by_sentence.setdefault(token.sentence, []).append(token)
        # Masks over folded positions keep lookups cheap however long the text is.
        self.neutral = [m.span() for rx in _NEUTRAL_RES for m in rx.finditer(self.folded)]
        self.neutral_mask = self._mask(self.neutral)
        self.neutral_sentences = {self.sentence_of[p] for s, e in self.neutral for p in (s, max(e - 1, s))}
        self.not_negating_mask = self._mask(m.span() for m in _NOT_NEGATING_RE.finditer(self.folded))

    def _mask(self, spans: Iterable[Span]) -> bytearray:
        mask = bytearray(len(self.folded) + 1)
        for start, end in spans:
            mask[start:end] = b"\x01" * (end - start)
        return mask

    def _add_sentence(self, start: int, end: int) -> None:
        self.sentence_of.extend([len(self.spans)] * (end - start))
        self.spans.append((start, end))

    def phrase(self, span: Span) -> str:
        """The original characters behind a folded span, shortened for a message."""
        start, end = span
        if start >= end:
            return ""
        text = self.original[self.origin[start]: self.origin[end - 1] + 1].strip()
        return text if len(text) <= 60 else text[:59] + "…"

    def sentence_text(self, position: int) -> tuple[int, str]:
        start, end = self.spans[self.sentence_of[position]]
        return start, self.folded[start:end]

    def tokens_between(self, start: int, end: int) -> list[_Token]:
        return self.tokens[bisect.bisect_left(self.token_starts, start): bisect.bisect_left(self.token_starts, end)]

    def in_neutral(self, start: int, end: int) -> bool:
        return any(self.neutral_mask[start:end])

    def sentence_is_neutral(self, position: int) -> bool:
        return self.sentence_of[position] in self.neutral_sentences

    def negated(self, index: int) -> bool:
        """Whether a negation shortly before token ``index`` qualifies it ("pas forcément positif")."""
        token = self.tokens[index]
        return any(
            other.sentence == token.sentence
            and other.word in _NEGATIONS
            and not self.not_negating_mask[other.start]
            for other in self.tokens[max(0, index - 4): index]
        )


def _sentiment_hits(
    text: _Text, strong: frozenset[str], weak: frozenset[str], negation_cancels: bool = True
) -> Iterator[Span]:
    """Sentiment words next to a review noun, before or after it, within one sentence."""
    tokens = text.tokens
    asking = {t.sentence for t in tokens if t.word in _REQUEST_VERBS}

    def is_noun(token: _Token) -> bool:
        return token.word in _REVIEW_NOUNS or (token.word in _WEAK_REVIEW_NOUNS and token.sentence in asking)

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
        # Before its noun: "a glowing review", "une bonne note", "a really positive Google review".
        for other in tokens[i + 1: i + 5]:
            if other.sentence != token.sentence:
                break
            if is_noun(other):
                yield token.start, other.end
                break
            if other.word not in _FILLER_BEFORE_NOUN and other.word not in strong:
                break
        # After its noun: "un avis positif", "a review that is positive", "un avis, positif".
        for other in reversed(tokens[max(0, i - 4): i]):
            if other.sentence != token.sentence:
                break
            if is_noun(other):
                yield other.start, token.end
                break
            if other.word not in _FILLER_AFTER_NOUN and other.word not in ",(":
                break


def _positive_hits(text: _Text) -> Iterator[Span]:
    yield from _sentiment_hits(text, _POSITIVE, _WEAK_POSITIVE)
    yield from (m.span() for m in _STAR_RUN_RE.finditer(text.folded))
    for start, end in _regex_hits(text, _SCORE_RES):
        first = bisect.bisect_left(text.token_starts, start)
        last = bisect.bisect_left(text.token_starts, end) - 1
        if last < first:
            continue
        inside = text.tokens[first: last + 1]
        if text.negated(first) or _SCALE_BEFORE_RE.search(text.folded[max(0, start - 12): start]):
            continue
        nearby = text.tokens[max(0, first - 6): first] + text.tokens[last + 1: last + 7]
        if any(t.sentence == inside[0].sentence and t.word in _SCORE_CONTEXT for t in nearby):
            yield start, end
    yield from _regex_hits(text, _POSITIVE_PHRASE_RES)


def _regex_hits(text: _Text, patterns: Iterable[re.Pattern[str]]) -> Iterator[Span]:
    for rx in patterns:
        for match in rx.finditer(text.folded):
            if not text.in_neutral(*match.span()):
                yield match.span()


def _gating_hits(text: _Text) -> Iterator[Span]:
    for start, end in _regex_hits(text, _GATING_RES):
        if not text.sentence_is_neutral(start):
            yield start, end
    yield from _discouraging_hits(text)
    if text.neutral:
        return  # "Happy with your meal? Tell us either way." is a neutral question.
    # Short yes/no questions about being pleased: "Satisfait ?", "Enjoyed your meal?".
    for sentence, (start, end) in enumerate(text.spans):
        if "?" not in text.folded[start:end].rstrip()[-3:]:
            continue
        words = [t for t in text.by_sentence.get(sentence, []) if t.word.isalnum()]
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


def _discouraging_hits(text: _Text) -> Iterator[Span]:
    """Steering critics away: "don't leave a bad review", "avant de laisser un avis négatif"."""
    words = _NEGATIVE - _words("moins critique critiques")
    for start, end in _sentiment_hits(text, words, frozenset(), negation_cancels=False):
        sentence_start, _ = text.sentence_text(start)
        before = text.tokens_between(sentence_start, start)
        if _DISCOURAGING_RE.search(text.folded[sentence_start:start]) and any(
            t.word in _REQUEST_VERBS for t in before
        ):
            yield start, end


def _incentive_hits(text: _Text, offer: bool, private_offer: bool) -> Iterator[Span]:
    """Sentences that tie a reward to a review. In an offer's text the reward is implied."""
    for start, end in _regex_hits(text, _EXCHANGE_RES):
        if not _private(text, start, private_offer):
            yield start, end
    for sentence, tokens in sorted(text.by_sentence.items()):
        start, end = text.spans[sentence]
        clause = text.folded[start:end]
        if not _asks_for_review(tokens) and not _REVIEW_US_RE.search(clause):
            continue
        rewarded = offer or any(t.word in _REWARDS for t in tokens) or _REWARD_RE.search(clause)
        if rewarded and not _UNCONDITIONAL_RE.search(clause) and not _private(text, start, private_offer):
            yield start, end


def _asks_for_review(tokens: list[_Token]) -> bool:
    """Whether a sentence asks for (or rewards) a review: "leave a review", "pour chaque avis"."""
    return any(
        token.word in _INCENTIVE_NOUNS
        and any(o.word in _REQUEST_VERBS or o.word in _REVIEW_ACTION_WORDS for o in tokens[max(0, i - 4): i])
        for i, token in enumerate(tokens)
    )


def _private(text: _Text, position: int, private_offer: bool) -> bool:
    """Whether the sentence is about private feedback to the restaurant, not a public review."""
    _, clause = text.sentence_text(position)
    if _PUBLIC_RE.search(clause):
        return False
    return private_offer or bool(_PRIVATE_RE.search(clause))


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
    text = _Text(value)
    source = _legal_source(language, platforms)
    findings = []
    positive = min(_positive_hits(text), default=None)
    if positive:
        message = Message(M_POSITIVE, {"phrase": text.phrase(positive)})
        findings.append(Finding(ERROR, "positive_review_request", message, source, None, field))
    gating = min(_gating_hits(text), default=None)
    if gating:
        message = Message(M_GATING, {"phrase": text.phrase(gating)})
        findings.append(Finding(ERROR, "review_gating", message, source, None, field))
    is_offer = field == "offer_text"
    incentive = min(_incentive_hits(text, is_offer, is_offer and offer_kind == "private_feedback"), default=None)
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
    if len(unique) > MAX_PLATFORMS:
        message = Message(M_TOO_MANY, {"max": MAX_PLATFORMS, "count": len(unique)})
        findings.append(Finding(ERROR, "too_many_platforms", message, "", None, "platforms"))
    for key in unique:
        platform = registry.get(key)
        if platform is None:
            message = Message(M_UNKNOWN_PLATFORM, {"key": str(key)[:40], "keys": ", ".join(registry)})
            findings.append(Finding(ERROR, "unknown_platform", message, "", None, "platforms"))
            continue
        if platforms.count(key) > 1:
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

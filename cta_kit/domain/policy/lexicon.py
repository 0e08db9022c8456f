"""The wording check's vocabulary: classes of words, and the phrases matched as patterns.

Everything is written folded (lower case, no accents, plain apostrophes), as `text`
folds the card's wording. Sets of words are space-separated for reading; French and English
sit side by side because a card in either language is checked with the same rules.
"""

import re
from typing import Iterable


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


POSITIVE = word_set("""
    positive positives good great glowing excellent amazing awesome fantastic wonderful perfect
    nice kind lovely favourable favorable stellar rave raving brilliant outstanding superb
    fabulous terrific best better highest shining sparkling flattering enthusiastic incredible
    exceptional glorious gushing sweet warm beautiful splendid perfect positively favourably
    favorably favourite favourites favorite favorites
    positif positifs bon bonne bons bonnes meilleur meilleure meilleurs meilleures excellente
    excellents excellentes genial geniale geniaux geniales elogieux elogieuse elogieuses favorables
    beau belle beaux belles joli jolie jolis jolies sympa sympas sympathique sympathiques gentil
    gentille gentils gentilles chaleureux chaleureuse chaleureuses parfait parfaite parfaits
    parfaites magnifique magnifiques formidable formidables extraordinaire extraordinaires
    merveilleux merveilleuse merveilleuses enthousiaste enthousiastes dithyrambique dithyrambiques
    flatteur flatteuse flatteurs flatteuses elevee elevees maximale maximal positivement
    favorablement doux douce bel prefere preferee preferes preferees
""")
# Intensifiers that count as sentiment only right before a review word ("super avis"):
# after one they usually qualify something else ("votre avis, super important").
WEAK_POSITIVE = word_set("super top high max maximum")
NEGATIVE = word_set("""
    negative negatives bad poor critical worse worst mediocre unhappy disappointing negatif
    negatifs negative negatives mauvais mauvaise mauvaises critique critiques decevant decevante
    decevants decevantes mecontent mecontents decu decue decus decues moyen moyenne moyens
    average pire pires moins
""")
REVIEW_NOUNS = word_set("""
    review reviews rating ratings avis note notes notation etoile etoiles star stars feedback
    testimonial testimonials temoignage temoignages evaluation evaluations appreciation
    appreciations commentaire commentaires comment comments recommendation recommendations
    recommandation recommandations score scores marks critique critiques opinion opinions
    reviewer reviewers
""")
# Vague nouns that only mean "a review" when the sentence asks for one ("leave us a kind word").
WEAK_REVIEW_NOUNS = word_set("word words mot mots thing things something chose choses message messages one")
# Nouns for the incentive rule: public reviews, not private feedback.
INCENTIVE_NOUNS = word_set("""
    review reviews rating ratings avis note notes etoiles stars evaluation evaluations
    commentaire commentaires comment comments recommendation recommendations testimonial
    testimonials temoignage temoignages reviewer reviewers
""")
REQUEST_VERBS = word_set("""
    leave post write give share say tell send drop rate review show add leaving posting writing
    giving publishing publish
    laisser laissez laisse laisses poster postez publier publiez deposer deposez donner donnez
    partager partagez ecrire ecrivez dire dites mettre mettez attribuer attribuez noter notez
    evaluer evaluez envoyer envoyez montrer montrez ajouter ajoutez
""")
PLATFORM_NAMES = word_set("google tripadvisor facebook trustpilot thefork fourchette yelp maps")
FILLER_BEFORE_NOUN = word_set("""
    a an the un une des de du d l le la les very really truly so little quick short small petit
    petite petits petites tres vraiment vrai online en ligne public publique and et honest honnete
    sincere another more plus your votre vos our notre nos us nous rated
""") | PLATFORM_NAMES
FILLER_AFTER_NOUN = word_set("""
    tres vraiment si plutot au qui soit sera est sont etre that which is are be will really very
    truly so totally absolutely particulierement de d sur on en ligne
""") | PLATFORM_NAMES
NEGATIONS = word_set("""
    not no never without nor neither don doesn didn isn aren won wouldn shouldn needn t
    pas ni sans jamais aucun aucune nullement
""")
SCORE_CONTEXT = (REVIEW_NOUNS - word_set("star stars etoile etoiles")) | REQUEST_VERBS | word_set(
    "us nous merci thanks thank deserve earn earned merite meritons meriter vote votez help aidez aider"
)
REWARDS = word_set("""
    free freebie freebies offert offerte offerts offertes gratuit gratuite gratuits gratuites gratis
    discount discounts reduction reductions remise remises coupon coupons voucher vouchers gift
    gifts cadeau cadeaux draw raffle prize prizes tirage tombola loterie lottery win
    gagner gagnez gagne reward rewards recompense recompenses recompenser points fidelite loyalty
    treat offrons offrir offre offrira offert
""")
HAPPY = word_set("""
    happy satisfied pleased delighted content impressed thrilled enjoyed enjoy loved love liked
    appreciated unhappy dissatisfied disappointed
    satisfait satisfaite satisfaits satisfaites contente contents contentes ravi ravie ravis
    ravies heureux heureuse heureuses conquis conquise conquises comble combles enchante
    enchantee enchantes aime aimee aimez aimes apprecie appreciee adore adoree plu regale regales
    mecontent mecontente mecontents decu decue decus decues insatisfait insatisfaite
""")
# What a card gives away, named without a word of reward: "Un avis ? Un café !".
REWARD_ITEMS = word_set("""
    coffee coffees espresso tea dessert desserts drink drinks glass glasses wine beer pint shot shots
    cocktail cocktails cookie cookies cake cakes refill refills pastry pastries croissant meal meals
    brunch dinner lunch bottle bottles starter chocolate chocolates icecream fries
    cafe cafes dessert digestif digestifs apero aperitif aperitifs verre verres vin biere boisson
    boissons gateau gateaux repas dejeuner bouteille bouteilles glace glaces entree chocolat
    chocolats frites croissant mignardise mignardises
""")
# Said right after a review, these trade it for what follows: "1 review, 1 coffee",
# "Chaque avis vaut un café", "Reviews earn free refills".
TRADE_WORDS = word_set("""
    , : = > + hop get gets earn earns buy buys bring brings win wins mean means for against
    vaut valent rapporte rapportent donne donnent pour contre
""")
# What may stand between a trading mark and the reward: "1 review, 1 free coffee", "un avis, notre digestif".
REWARD_DETERMINERS = word_set("""
    a an one the your our you us free big little small extra
    un une 1 le la les l du de des d votre vos notre nos vous petit petite grand grande
""")
# After "for" a reward is indefinite ("a review for a coffee"); "reviews for our dessert" asks about it.
INDEFINITE_DETERMINERS = word_set("a an one 1 free little small un une petit petite offert offerte")
PREPOSITION_TRADE_WORDS = word_set("for against pour contre")
# Winning something with a review: a contest, whoever judges it. "helps us win" is an award.
# A contest named on its own is often the restaurant's award ("lauréat du concours"): it
# counts only when it is about reviews.
CONTEST_RE = re.compile(
    r"(?<!us )(?<!nous )(?<!to )\b(?:wins?|remporte(?:z|nt|ra|ront)?|gagne(?:z|nt|ra|ront)?)\b(?!\s+(?:us|nous)\b)"
    r"|\b(?:prizes?|lots? a gagner)\b(?![\s-]+winning)"
    r"|\b(?:reviews?|avis|commentaires?) (?:contest|competition)\b"
    r"|\b(?:contest|competition|concours) (?:d'|de |du |des |for (?:the )?)?(?:\w+ )?(?:reviews?|avis|commentaires?)\b"
)
# Showing a posted review at the till: the reward then depends on the review.
SHOW_RE = re.compile(
    r"\b(?:show|showing|shown|present|presenting|flash|flashing|montre[rz]?|montrant|presente[rz]?|presentation"
    r"|let us see|faites[\s-]+nous voir|screenshot|capture|preuve|proof)\b"
)
# The object shown when the previous sentence named the review: "Avis publié ? Montrez-le".
SHOWN_REFERENCE_RE = re.compile(
    r"\b(?:show|present|flash|montrez|presentez)[\s-]+(?:it|us|them|le|la|les|nous[\s-]+le|nous[\s-]+la)\b"
    r"|\b(?:screenshot|capture|preuve|proof)\b"
)

# A rating as an average ("4.8", "4,8/5"), not a price, a time or a distance. Targets are
# above 3: lower numbers are more often a quantity ("1.5 million").
RATING_RE = re.compile(
    r"(?<![\d.,])[3-5][.,]\d(?!\d)(?![.,]\d)"
    r"(?!\s*(?:€|\$|£|%|[kcm]?m\b|kg\b|g\b|c?l\b|ml\b|t\b|h\b|min\b|mn\b|eur|usd|millions?\b|mille\b|k\b"
    r"|ans?\b|years?\b|fois\b|times\b|x\b|pm\b|am\b|tonnes?\b|tons?\b|kilos?\b|litres?\b|liters?\b|miles?\b"
    r"|metres?\b|meters?\b|hectares?\b|ha\b|heures?\b|hours?\b|minutes?\b|jours?\b|days?\b|semaines?\b|weeks?\b"
    r"|mois\b|months?\b|personnes?\b|people\b|couverts\b|places\b|seats\b|tables\b|degres?\b|degrees?\b))"
)
# Words that make a rating a target to reach, said shortly before it: "help us reach 4.8".
TARGET_WORDS = word_set("""
    reach reaching hit hitting get getting climb climbing push pushing stay staying keep keeping remain
    maintain goal goals target targets aim aiming objective objectives raise boost
    atteindre atteignons atteindra arriver arrivons passer passons monter montons grimper remonter
    rester restons garder gardons gardez maintenir depasser depassons objectif objectifs cap viser
    visons vise barre
""")
# Nearness to a rating is a target only in a sentence that also asks for help.
NEAR_TARGET_WORDS = word_set("close closer away almost nearly presque proche encore")
GOAL_WORDS = word_set("goal goals target targets aim objective objectif objectifs cap")
HELP_WORDS = word_set("help helping aidez aider aide aidant compte count can pouvez pourriez could")
# Said right before a rating, it is the current one: "rated 4.6", "on est à 4,6".
CURRENT_RATING_WORDS = word_set("rated at currently already now with is are note notes a actuellement deja avec est sommes")

# Words before a review noun that make it a review being asked for or rewarded.
REVIEW_ACTION_WORDS = word_set("for pour after apres once every each any chaque tout toute")
# What a yes/no question can be "good" about: "Had a great time?", "C'était bon ?".
EXPERIENCE_WORDS = word_set("""
    time meal visit evening dinner lunch experience food service stay night it was moment repas
    soiree visite experience diner dejeuner accueil cuisine sejour etait ca
""")
QUESTION_OPENERS = word_set("""
    how what which where who why when whose comment quel quelle quels quelles que qu quoi ou
    pourquoi combien qui lequel laquelle
""")


# ---------------------------------------------------------------------------
# Phrases


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _group(*options: str) -> str:
    """A non-capturing regex group of alternatives, so long patterns read as lists."""
    return "(?:" + "|".join(options) + ")"


_POS_ALT = _alternation(POSITIVE | word_set("super top") | HAPPY)
_NEG_ALT = _alternation(
    NEGATIVE
    | word_set("hated disliked deteste detestee")
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
NEUTRAL_RES = [
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
NOT_NEGATING_RE = re.compile(
    r"\b"
    + _group(r"n'?\s?hesitez pas", r"n'?\s?hesite pas", r"n'?\s?oubliez pas", "ne pas hesiter",
             "don'?t hesitate", "do not hesitate", "don'?t forget", "do not forget", "never forget")
    + r"\b"
)

# A top score counts when something nearby asks for it ("rate us 5 stars"), not in
# "un palace 5 étoiles".
SCORE_RES = [
    re.compile(r"(?<![\d.,])\b(?:5|five|cinq)[\s-]{0,3}(?:stars?|etoiles?|\*)(?=\W|$)"),
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
SCALE_BEFORE_RE = re.compile(r"\b(?:1|one|un|une|0|zero)\s*(?:to|a|and|et|-|through)\s*$")
# Shown on a review card, a row of stars or a perfect score is the rating asked for.
STAR_RUN_RE = re.compile(r"\*(?:\s*\*){3,}|(?<![\d.,])\b(10|20|5)\s*/\s*\1\b")
POSITIVE_PHRASE_RES = [
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
    # French superlatives follow the noun: "l'avis le plus élogieux", "l'avis le mieux noté".
    re.compile(
        r"\b(?:avis|commentaires?|notes?|evaluations?|temoignages?)(?:\s+(?:google|tripadvisor|facebook|thefork))?"
        r"\s+(?:le|la|les)\s+(?:plus|mieux)\s+"
        + _group("beaux?", "belles?", "bel", "positifs?", "positives?", "elogieux", "elogieuses?", "enthousiastes?",
                 "flatteurs?", "flatteuses?", "chaleureux", "chaleureuses?", "gentils?", "gentilles?", "sympas?",
                 "notee?s?", "apprecie(?:e|s|es)?", "aime(?:e|s|es)?")
        + r"\b"
    ),
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
DISCOURAGING_RE = re.compile(
    r"\b"
    + _group("don't", "do not", "dont", "never", "avoid", "before", "instead of", "rather than", "ne", "n'",
             "pas", "jamais", "evitez", "eviter", "avant", "au lieu", "plutot que")
    + r"\b"
)
GATING_RES = [
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
EXCHANGE_RES = [
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
REVIEW_US_RE = re.compile(r"\b(?:review|rate|recommend)\s+us\b|\b(?:notez|evaluez|recommandez)[\s-]+nous\b")
UNCONDITIONAL_RE = re.compile(
    r"\b"
    + _group(
        "whether or not", "review or not", "avec ou sans avis", "or not", "ou non", "ou pas", "sans condition",
        "sans obligation", "no strings attached", "no obligation", "regardless", "quel que soit",
        "no review (?:needed|required)", r"pas besoin (?:de|d') ?(?:laisser|poster|ecrire|donner)",
        "meme sans avis", "even without a review", "no need to (?:show|leave|post|write)",
        r"pas besoin (?:de|d') ?(?:nous |vous )?(?:montrer|presenter)",
    )
    + r"\b"
)
REWARD_RE = re.compile(
    r"\b\d+\s?(?:%|€|\$|£|eur\b|euros?\b)"
    r"|\b(?:on the house|on us|bon d'achat|bon de reduction|la maison vous offre|donnent? droit|gets you|earns you"
    r"|entitles you|(?:participez|participer|entrez|enter) (?:au|a notre|our|the|a) (?:concours|contest))\b"
    r"|\b(?:and|et|to|pour|then|puis)\s+"
    + _group("get", "receive", "win", "earn", "enjoy", "claim", "recevez", "obtenez", "gagnez", "profitez",
             "beneficiez", "recevoir", "obtenir", "gagner", "profiter", "beneficier")
    + r"\b"
)
PRIVATE_RE = re.compile(
    r"\b"
    + _group("en prive", "prive", "privee", "privately", "private", "questionnaire", "survey", "sondage",
             "au dos", "on the back", "directement", "directly", "in person", "de vive voix",
             "(?:cette|this|la|the|notre|our) (?:carte|card|fiche|form|formulaire)")
    + r"\b"
)
PUBLIC_RE = re.compile(
    r"\b"
    + _group("google", "tripadvisor", "facebook", "yelp", "trustpilot", "thefork", "fourchette", "online",
             "en ligne", "internet", "web", "site", "public", "publique", "publiquement", "publicly", "reseaux",
             "social", "etoiles", "stars", "post", "poster", "postez", "publiez", "publier", "publish")
    + r"\b"
)

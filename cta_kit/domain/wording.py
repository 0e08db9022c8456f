"""Ready-made neutral wording for cards, per campaign language.

These strings are printed on the card in the campaign's language, whatever language the
owner's screen is in, so they are data chosen by language and not gettext messages.
They ask every customer for an honest opinion and never hint at the rating wanted;
``tests/domain/test_policy.py`` checks that they pass the policy check.
"""

from dataclasses import dataclass

from .errors import DomainError
from .i18n import Message, N_


@dataclass(frozen=True)
class Wording:
    language: str
    headline: str
    body: str
    presence_line: str  # for Yelp, where a business may say it is present but never ask
    thank_you_offer: str  # unconditional: everyone gets it with the card
    private_feedback_offer: str  # rewards feedback given to the restaurant itself
    offer_validity: str  # printed under the offer; {date} is the last day, written out
    private_feedback_caption: str  # under the QR code of the private feedback page: as short as a site's name
    code_label: str  # names the card's code when the card has no offer
    offer_code_label: str  # names it when the code claims the offer

    def code_label_for(self, has_offer: bool) -> str:
        """What the printed code is for: the offer, or just this card."""
        return self.offer_code_label if has_offer else self.code_label

    def example_offer(self, offer_kind: str) -> str:
        """The example offer text for an offer kind ("" for "none")."""
        return {
            "thank_you": self.thank_you_offer,
            "private_feedback": self.private_feedback_offer,
        }.get(offer_kind, "")


_WORDING = {
    "fr": Wording(
        language="fr",
        headline="Votre avis compte",
        body="Sur quel site laissez-vous vos avis ? Scannez le code.",
        presence_line="Retrouvez-nous aussi sur Yelp",
        thank_you_offer="Merci de votre visite : un café vous est offert avec cette carte.",
        private_feedback_offer=(
            "Dites-nous en privé ce que nous pourrions améliorer (code « Écrivez-nous en privé ») : "
            "un dessert vous attend à votre prochaine visite."
        ),
        offer_validity="Offre valable jusqu’au {date}",
        private_feedback_caption="Message privé",
        code_label="Votre code",
        offer_code_label="Code de votre offre",
    ),
    "en": Wording(
        language="en",
        headline="Your opinion counts",
        body="Where do you leave your reviews? Scan the code.",
        presence_line="Find us on Yelp too",
        thank_you_offer="Thank you for your visit: this card gets you a free coffee.",
        private_feedback_offer=(
            "Tell us privately what we could do better (the “Private message” code): "
            "your next dessert is on us."
        ),
        offer_validity="Offer valid until {date}",
        private_feedback_caption="Private message",
        code_label="Your code",
        offer_code_label="Your offer code",
    ),
}

LANGUAGES: tuple[str, ...] = tuple(_WORDING)


def default_wording(language: str) -> Wording:
    """Neutral wording for ``language`` ("fr", "en"; "fr-FR" and "FR" are accepted too)."""
    primary = str(language).strip().lower().replace("_", "-").split("-")[0]
    try:
        return _WORDING[primary]
    except KeyError:
        raise DomainError(
            Message(
                N_("There is no ready-made wording in “%(language)s” yet. Available languages: %(languages)s."),
                {"language": str(language)[:20], "languages": ", ".join(LANGUAGES)},
            ),
            code="unsupported_language",
        ) from None

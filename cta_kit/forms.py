"""WTForms classes. Each checks the shape of what was typed and hands a frozen input to a service."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache
from zoneinfo import available_timezones

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import format_decimal, get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .domain.platforms import load_registry
from .domain.print_offset import offset_problem
from .services.accounts import AccountInput, LoginInput, SetupInput, login_problem, normalise_login, password_problem
from .services.campaigns import CampaignInput
from .domain.feedback import FeedbackInput
from .services.destinations import DestinationInput
from .services.errors import ServiceError
from .services.layouts import available_layouts
from .services.locations import LocationInput
from .services.printer_setup import PrintOffsetInput
from .services.reviews import ManualReviewInput, MonthCountInput, UploadInput
from .web.i18n import translate

def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs: WTForms 3.3 deprecates plain tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


LANGUAGE_CHOICES = options([("fr", "Français"), ("en", "English")])


@cache
def timezone_choices() -> list[SelectChoice]:
    zones = sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith("Etc/"))
    return options((zone, zone.replace("_", " ")) for zone in zones)


CONTROL_CHARACTERS = dict.fromkeys(i for i in range(32) if chr(i) not in "\t\n\r") | {0x7F: None}


def without_control_characters(value):
    """Nobody types a NUL or a bell; PostgreSQL refuses NUL outright, so they never reach a service."""
    return value.translate(CONTROL_CHARACTERS) if isinstance(value, str) else value


class Form(FlaskForm):
    """Every form of the app: text is cleaned of control characters before any check."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), without_control_characters]
            return unbound_field.bind(form=form, filters=filters, **options)


def apply_service_errors(form: FlaskForm, error: ServiceError) -> None:
    """Put each reason a service gave onto its field, or above the form."""
    for field_name, message in error.errors.items():
        field = form._fields.get(field_name) if field_name else None
        if field is None:
            form.form_errors.append(translate(message))
        else:
            field.errors = [*field.errors, translate(message)]


class ActionForm(Form):
    """A button that changes something: only the CSRF token."""


def check_rule(problem) -> None:
    """A field's rule from the service, checked with the form so that every problem shows at once."""
    if problem is not None:
        raise ValidationError(translate(problem))


class SetupForm(Form):
    business_name = StringField(_l("Business name"), validators=[DataRequired(), Length(max=120)])
    owner_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    login = StringField(_l("Your email address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    password_again = PasswordField(
        _l("Password again"), validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))]
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="fr")
    timezone = SelectField(_l("Time zone"), default="Europe/Paris")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()

    def validate_login(self, field) -> None:
        check_rule(login_problem(normalise_login(field.data)))

    def validate_password(self, field) -> None:
        check_rule(password_problem(field.data))

    def to_input(self) -> SetupInput:
        return SetupInput(
            business_name=self.business_name.data,
            owner_name=self.owner_name.data,
            login=self.login.data,
            password=self.password.data,
            language=self.language.data,
            timezone=self.timezone.data,
        )


class LoginForm(Form):
    login = StringField(_l("Email or staff login"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])

    def to_input(self) -> LoginInput:
        return LoginInput(login=self.login.data, password=self.password.data)


class PasswordChangeForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    new_password_again = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )

    def validate_new_password(self, field) -> None:
        check_rule(password_problem(field.data))


class LanguageForm(Form):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class LocationForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    timezone = SelectField(_l("Time zone"), default="Europe/Paris")
    language = SelectField(_l("Language of cards and customer pages"), choices=LANGUAGE_CHOICES, default="fr")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()

    def to_input(self) -> LocationInput:
        return LocationInput(
            name=self.name.data, address=self.address.data or "", timezone=self.timezone.data, language=self.language.data
        )


class DestinationForm(Form):
    platform = SelectField(_l("Review site"))
    entered = StringField(_l("Link or id"), validators=[DataRequired(), Length(max=2000)])
    label = StringField(_l("Label (optional)"), validators=[Optional(), Length(max=80)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform.choices = options((platform.key, gettext(platform.label)) for platform in load_registry().values())

    def to_input(self) -> DestinationInput:
        return DestinationInput(platform=self.platform.data, entered=self.entered.data, label=self.label.data or "")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AccountForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    login = StringField(_l("Email or short staff login"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=options([("staff", _l("Staff")), ("owner", _l("Owner"))]), default="staff")
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="fr")
    # The service checks the locations, so that its reason shows beside the other ones.
    location_ids = MultiCheckboxField(_l("Locations"), coerce=int, validate_choice=False)
    is_active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("Password"), validators=[Optional(), Length(max=200)])

    def to_input(self) -> AccountInput:
        return AccountInput(
            name=self.name.data,
            login=self.login.data,
            role=self.role.data,
            language=self.language.data,
            location_ids=tuple(self.location_ids.data or ()),
            is_active=bool(self.is_active.data),
            password=self.password.data or "",
        )


class CampaignForm(Form):
    name = StringField(_l("Campaign name"), validators=[DataRequired(), Length(max=120)])
    language = SelectField(_l("Language of the cards"), choices=LANGUAGE_CHOICES, default="fr")
    headline = StringField(_l("Headline"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Text"), validators=[Optional(), Length(max=600)])
    destination_1 = SelectField(_l("First review site"), coerce=int, validate_choice=False)
    destination_2 = SelectField(_l("Second review site"), coerce=int, validate_choice=False)
    destination_3 = SelectField(_l("Third review site"), coerce=int, validate_choice=False)
    destination_4 = SelectField(
        _l("Fourth review site (roomy layouts only)"), coerce=int, validate_choice=False, default=0
    )
    presence_line = StringField(_l("Presence line (optional)"), validators=[Optional(), Length(max=200)])
    offer_kind = SelectField(
        _l("Thank-you offer"),
        choices=options([
            ("none", _l("No offer")),
            ("thank_you", _l("A thank-you given with the card, to everyone")),
            ("private_feedback", _l("A reward for writing to us privately (the card gets a QR code to a private feedback page)")),
        ]),
        default="none",
    )
    offer_text = StringField(_l("Offer text"), validators=[Optional(), Length(max=200)])
    offer_validity_days = IntegerField(_l("Offer valid for (days)"), validators=[Optional(), NumberRange(1, 730)])
    link_mode = SelectField(
        _l("Links in the QR codes"),
        choices=options(
            [("direct", _l("Direct to each review site")), ("tracked", _l("Tracked through this app (counts scans)"))]
        ),
        default="direct",
    )
    distribution = SelectField(
        _l("Who gets a card"),
        choices=options([("every_customer", _l("Every customer")), ("every_nth", _l("Every Nth bill"))]),
        default="every_customer",
    )
    every_nth = IntegerField(_l("N"), validators=[Optional(), NumberRange(2, 100)])
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on (optional)"), validators=[Optional()])

    def set_destination_choices(self, destinations, names: dict[int, str]) -> None:
        """The location's sites that may be featured, by the names the view gives them."""
        choices = options([(0, "—")] + [(d.id, names[d.id]) for d in destinations if not d.presence_only])
        for field in self.destination_fields:
            field.choices = choices

    @property
    def destination_fields(self) -> tuple[SelectField, ...]:
        return (self.destination_1, self.destination_2, self.destination_3, self.destination_4)

    def to_input(self) -> CampaignInput:
        chosen = tuple(field.data for field in self.destination_fields)
        return CampaignInput(
            name=self.name.data or "",
            language=self.language.data,
            headline=self.headline.data or "",
            body=self.body.data or "",
            destination_ids=tuple(d for d in chosen if d),
            presence_line=self.presence_line.data or "",
            offer_kind=self.offer_kind.data,
            offer_text=self.offer_text.data or "",
            offer_validity_days=self.offer_validity_days.data,
            link_mode=self.link_mode.data,
            distribution=self.distribution.data,
            every_nth=self.every_nth.data,
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
        )


class PrintForm(Form):
    layout = SelectField(_l("Layout"))
    count = IntegerField(_l("Number of cards"), default=50, validators=[DataRequired(), NumberRange(1, 10_000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout.choices = options((layout.name, gettext(layout.title)) for layout in available_layouts().values())


class MillimetresField(StringField):
    """A number of millimetres written the reader's way ("-1,5" in French, "-1.5" in English; a point
    is understood everywhere, and a unit typed after it too). ``number`` is None when left empty."""

    number: float | None = None

    def process_data(self, value):
        super().process_data(format_decimal(value) if isinstance(value, (int, float, Decimal)) else value)

    def pre_validate(self, form):
        self.number = None
        text = (self.data or "").strip().replace("\u2212", "-").replace("+", "").removesuffix("mm").strip()
        if not text:
            return
        try:
            self.number = float(parse_decimal(text, locale=str(get_locale() or "en"), strict=True))
        except NumberFormatError:
            try:
                self.number = float(Decimal(text.replace(",", ".")))
            except InvalidOperation:
                raise ValidationError(
                    gettext("Write a number of millimetres, such as %(example)s.", example=format_decimal(-1.5))
                ) from None


def offset_in_range(_form, field: MillimetresField) -> None:
    check_rule(offset_problem(field.number))


class PrintOffsetForm(Form):
    print_offset_x = MillimetresField(_l("Offset across (mm)"), validators=[Length(max=20), offset_in_range])
    print_offset_y = MillimetresField(_l("Offset down (mm)"), validators=[Length(max=20), offset_in_range])

    def to_input(self) -> PrintOffsetInput:
        return PrintOffsetInput(self.print_offset_x.number, self.print_offset_y.number)


class PublicAddressForm(Form):
    public_address = StringField(_l("Public address of this app"), validators=[Optional(), Length(max=300)])


def platform_choices(blank_label) -> list[SelectChoice]:
    return options([("", blank_label)] + [(key, gettext(p.label)) for key, p in load_registry().items()])


class ReviewUploadForm(Form):
    file = FileField(_l("Export file"), validators=[FileRequired(_l("Choose a file."))])
    source = SelectField(
        _l("Format"),
        choices=options([
            ("", _l("Tell from the file")),
            ("gbp", _l("Google Business Profile (JSON)")),
            ("csv", _l("Spreadsheet (CSV)")),
        ]),
        default="",
    )
    platform = SelectField(_l("Site of every review, if the file does not say"), default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform.choices = platform_choices(_l("The file says"))

    def to_input(self) -> UploadInput:
        return UploadInput(
            filename=self.file.data.filename or "", data=self.file.data.read(),
            source=self.source.data or None, platform=self.platform.data or None,
        )


REVIEW_FIELD_LABELS = {
    "posted_at": _l("Date posted"),
    "platform": _l("Site"),
    "rating": _l("Rating (1 to 5)"),
    "author": _l("Author"),
    "text": _l("Review text"),
    "reply": _l("Owner's reply"),
    "replied_at": _l("Reply date"),
    "external_id": _l("The site's review id"),
}


class ColumnMappingForm(Form):
    """One choice per review field: which column of the file holds it, or none."""

    platform = SelectField(_l("Site of every review, if the file does not say"), default="")
    column_posted_at = SelectField(REVIEW_FIELD_LABELS["posted_at"], validate_choice=False)
    column_platform = SelectField(REVIEW_FIELD_LABELS["platform"], validate_choice=False)
    column_rating = SelectField(REVIEW_FIELD_LABELS["rating"], validate_choice=False)
    column_author = SelectField(REVIEW_FIELD_LABELS["author"], validate_choice=False)
    column_text = SelectField(REVIEW_FIELD_LABELS["text"], validate_choice=False)
    column_reply = SelectField(REVIEW_FIELD_LABELS["reply"], validate_choice=False)
    column_replied_at = SelectField(REVIEW_FIELD_LABELS["replied_at"], validate_choice=False)
    column_external_id = SelectField(REVIEW_FIELD_LABELS["external_id"], validate_choice=False)

    def column_fields(self):
        return [getattr(self, f"column_{name}") for name in REVIEW_FIELD_LABELS]

    def set_columns(self, headers, guessed: dict[str, int]) -> None:
        """The file's columns as choices; the guess is what a new page shows."""
        self.platform.choices = platform_choices(_l("The file says"))
        choices = options([("", _l("(none)"))] + [(str(i), header or f"#{i + 1}") for i, header in enumerate(headers)])
        for name in REVIEW_FIELD_LABELS:
            field = getattr(self, f"column_{name}")
            field.choices = choices
            if not self.is_submitted():
                field.data = str(guessed[name]) if name in guessed else ""

    def mapping(self) -> dict[str, int]:
        return {
            name: int(getattr(self, f"column_{name}").data)
            for name in REVIEW_FIELD_LABELS
            if str(getattr(self, f"column_{name}").data or "").isdigit()
        }


class ManualReviewForm(Form):
    destination_id = SelectField(_l("Review site"), coerce=int, validate_choice=False)
    posted_on = DateField(_l("Posted on"), validators=[DataRequired(_l("Give the date the review was posted."))])
    rating = SelectField(_l("Rating"), choices=options([("", _l("No stars"))] + [(str(n), "★" * n) for n in range(5, 0, -1)]), default="")
    author_name = StringField(_l("Author"), validators=[Optional(), Length(max=120)])
    text = TextAreaField(_l("Review text"), validators=[Optional(), Length(max=10_000)])

    def to_input(self) -> ManualReviewInput:
        return ManualReviewInput(self.destination_id.data, self.posted_on.data,
                                 int(self.rating.data) if self.rating.data else None,
                                 self.author_name.data or "", self.text.data or "")


class MonthCountForm(Form):
    destination_id = SelectField(_l("Review site"), coerce=int, validate_choice=False)
    month = StringField(_l("Month (YYYY-MM)"), validators=[DataRequired(), Length(max=7)])
    review_count = IntegerField(_l("Reviews posted that month"), validators=[DataRequired(), NumberRange(0, 100_000)])
    average_rating = DecimalField(_l("Average rating (optional)"), places=2, validators=[Optional(), NumberRange(1, 5)])

    def to_input(self) -> MonthCountInput:
        average = self.average_rating.data
        return MonthCountInput(self.destination_id.data, self.month.data.strip(), self.review_count.data,
                               float(average) if average is not None else None)


class LinkReviewForm(Form):
    code = StringField(_l("Card code"), validators=[DataRequired(), Length(max=40)])



class FeedbackForm(Form):
    """A customer's private message; the lengths are the domain's rules, checked by the service."""

    message = TextAreaField(_l("Your message"))
    name = StringField(_l("Your name (optional)"))
    contact = StringField(_l("Email or phone, if you would like an answer (optional)"))

    def to_input(self) -> FeedbackInput:
        return FeedbackInput(message=self.message.data or "", name=self.name.data or "", contact=self.contact.data or "")

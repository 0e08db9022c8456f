"""What the campaign pages show in the owner's words: site names, field names, local print times."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask_babel import get_locale, gettext

from ..domain.platforms import load_registry
from ..services.layouts import available_layouts


def platform_label(platform: str) -> str:
    """A review site's name in the reader's language ("Other website" is the one that changes)."""
    platform_ = load_registry().get(platform)
    return gettext(platform_.label) if platform_ else platform


def site_name(destination) -> str:
    return destination.label or platform_label(destination.platform)


def site_names(destinations) -> dict[int, str]:
    """Each site by its name, with its address only where two sites share a name."""
    names = {destination.id: site_name(destination) for destination in destinations}
    repeated = Counter(names.values())
    return {
        destination.id: f"{names[destination.id]} · {destination.display_url}"
        if repeated[names[destination.id]] > 1 else names[destination.id]
        for destination in destinations
    }


def field_labels(form) -> dict[str, str]:
    """The editor's field names, by the name the rules check gives the field."""
    labels = {name: str(field.label.text) for name, field in form._fields.items()}
    labels["offer_text"] = labels.get("offer_text", "")
    labels["platforms"] = gettext("Review sites")
    return labels


@dataclass(frozen=True)
class BatchRow:
    id: int
    printed_at: str  # in the location's time zone, in the reader's format
    card_count: int
    layout_title: str


def batch_rows(batches, location) -> list[BatchRow]:
    layouts = available_layouts()
    zone, locale = ZoneInfo(location.timezone), get_locale()

    def local(moment) -> str:
        moment = moment.astimezone(zone)
        return f"{format_date(moment, 'medium', locale=locale)} {format_time(moment, 'short', locale=locale)}"

    return [
        BatchRow(
            id=batch.id,
            printed_at=local(batch.printed_at),
            card_count=batch.card_count,
            layout_title=gettext(layouts[batch.layout].title) if batch.layout in layouts else batch.layout,
        )
        for batch in batches
    ]

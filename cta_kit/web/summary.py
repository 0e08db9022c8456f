"""The owner's monthly summary on screen (charts drawn as SVG on the server), as CSV and as a PDF page."""

from __future__ import annotations

import io
from datetime import datetime, timezone

from babel.dates import format_date
from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..domain.errors import DomainError
from ..domain.summary.charts import summary_charts
from ..domain.summary.labels import SummaryLabels, site_label
from ..domain.summary.spreadsheet import summary_csv
from ..pdf.render import DocumentInfo
from ..pdf.summary_charts import chart_svg
from ..pdf.summary_report import Numbers, render_summary
from ..services.summary import SummaryPage, summary_page
from .i18n import translate
from .security import owner_required

bp = Blueprint("summary", __name__)
SEPARATORS = {"semicolon": ";", "comma": ","}


@bp.get("/summary")
@owner_required
def overview():
    # The switcher's form names the location as a parameter; its page has an address of its own.
    chosen = request.args.get("location", "")
    if chosen.isdigit():
        return redirect(url_for("summary.location", location_id=int(chosen), month=request.args.get("month") or None))
    return _show(None)


@bp.get("/locations/<int:location_id>/summary")
@owner_required
def location(location_id: int):
    return _show(location_id)


@bp.get("/summary.csv")
@owner_required
def overview_csv():
    return _download_csv(None)


@bp.get("/locations/<int:location_id>/summary.csv")
@owner_required
def location_csv(location_id: int):
    return _download_csv(location_id)


@bp.get("/summary.pdf")
@owner_required
def overview_pdf():
    return _download_pdf(None)


@bp.get("/locations/<int:location_id>/summary.pdf")
@owner_required
def location_pdf(location_id: int):
    return _download_pdf(location_id)


def _page(location_id: int | None) -> SummaryPage | None:
    """The summary asked for; None (with a message shown) when the month is not one."""
    try:
        return summary_page(current_user, location_id, request.args.get("month"))
    except DomainError as error:
        flash(translate(error.message), "error")
        return None


def _back(location_id: int | None):
    if location_id is None:
        return redirect(url_for("summary.overview"))
    return redirect(url_for("summary.location", location_id=location_id))


def _labels() -> SummaryLabels:
    return SummaryLabels().translated(_)


def _locale() -> str:
    return str(get_locale() or "en")


def _heading(page: SummaryPage) -> str:
    return page.location.name if page.location else _labels().all_locations


def _month_title(month) -> str:
    return format_date(datetime(month.year, month.month, 1), "LLLL y", locale=_locale())


def _show(location_id: int | None):
    page = _page(location_id)
    if page is None:
        return _back(location_id)
    labels, numbers = _labels(), Numbers(_locale())
    charts = [
        (chart, Markup(chart_svg(chart, f"chart-{chart.key}", numbers.rating)))
        for chart in summary_charts(page.summary, labels, page.names)
    ]
    return render_template(
        "summary/page.html", page=page, data=page.summary.to_json(), labels=labels, numbers=numbers, charts=charts,
        heading=_heading(page), month_title=_month_title, site_name=lambda key: site_label(key, labels, page.names),
        location_id=location_id,
    )


def _download_csv(location_id: int | None):
    page = _page(location_id)
    if page is None:
        return _back(location_id)
    separator = SEPARATORS.get(request.args.get("separator", ""), ";" if _locale() == "fr" else ",")
    body = summary_csv(page.summary, separator, _labels(), page.names)
    return _no_store(send_file(io.BytesIO(body.encode("utf-8")), mimetype="text/csv", as_attachment=True,
                               download_name=f"summary-{_file_part(page)}.csv"))


def _download_pdf(location_id: int | None):
    page = _page(location_id)
    if page is None:
        return _back(location_id)
    labels = _labels()
    info = DocumentInfo(f"{labels.title} – {_heading(page)}", current_user.business.name, str(page.summary.month),
                        datetime.now(timezone.utc))
    pdf = render_summary(page.summary, info, _heading(page), labels, page.names, _locale(),
                         _month_title(page.summary.month))
    return _no_store(send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                               download_name=f"summary-{_file_part(page)}.pdf"))


def _file_part(page: SummaryPage) -> str:
    where = f"location{page.location.id}" if page.location else "all-locations"
    return f"{where}-{page.summary.month}"


def _no_store(response):
    # The figures are the business's own: no shared cache or browser history keeps a copy.
    response.headers["Cache-Control"] = "no-store"
    return response

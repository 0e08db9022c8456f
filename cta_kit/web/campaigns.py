"""The campaign editor with its live preview and policy check, printing and reprinting."""

from __future__ import annotations

import io

from flask import Blueprint, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.platforms import load_registry
from ..domain.wording import default_wording
from ..forms import CampaignForm, PrintForm, apply_service_errors
from ..services import campaigns as service
from ..services import print_jobs, printing
from ..services.errors import ServiceError
from ..services.layouts import available_layouts
from ..services.locations import location_for
from ..services.print_choice import layout_to_offer
from ..services.public_address import public_base_url
from . import print_settings
from .campaign_display import batch_rows, field_labels, site_names
from .i18n import translate
from .security import owner_required, rerender_on_csrf_failure

bp = Blueprint("campaigns", __name__, url_prefix="/locations/<int:location_id>")


@bp.get("/campaigns/")
@owner_required
def index(location_id: int):
    location = location_for(current_user, location_id)
    return render_template(
        "campaigns/index.html",
        location=location,
        campaigns=service.campaigns_of(current_user, location_id),
        platforms=load_registry(),
    )


def _editor_form(location, **kwargs) -> CampaignForm:
    form = CampaignForm(**kwargs)
    form.set_destination_choices(location.destinations, site_names(location.destinations))
    return form


@bp.route("/campaigns/new", methods=["GET", "POST"])
@owner_required
@rerender_on_csrf_failure
def create(location_id: int):
    location = location_for(current_user, location_id)
    wording = default_wording(location.language)
    form = _editor_form(location, language=location.language, headline=wording.headline, body=wording.body)
    if not form.is_submitted():
        usable = [d for d in location.destinations if not d.presence_only]
        # Three by default: every layout takes three; a fourth is the owner's choice.
        for field, destination in zip(form.destination_fields[:3], usable):
            field.data = destination.id
        if any(d.presence_only for d in location.destinations):
            form.presence_line.data = wording.presence_line
    if form.validate_on_submit():
        try:
            campaign = service.create_campaign(current_user, location_id, form.to_input())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(_("Campaign saved. Check the preview, then print."), "success")
            return redirect(url_for("campaigns.edit", location_id=location_id, campaign_id=campaign.id))
    return _render_editor(location, form, campaign=None)


@bp.route("/campaigns/<int:campaign_id>", methods=["GET", "POST"])
@owner_required
@rerender_on_csrf_failure
def edit(location_id: int, campaign_id: int):
    campaign = service.campaign_for(current_user, location_id, campaign_id)
    form = _editor_form(campaign.location, obj=campaign)
    if not form.is_submitted():
        for field, destination in zip(form.destination_fields, campaign.destinations):
            field.data = destination.id
    if form.validate_on_submit():
        try:
            service.update_campaign(current_user, location_id, campaign_id, form.to_input())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(_("Campaign saved."), "success")
            return redirect(url_for("campaigns.edit", location_id=location_id, campaign_id=campaign_id))
    return _render_editor(campaign.location, form, campaign=campaign)


def _render_editor(location, form: CampaignForm, campaign):
    findings = service.findings_for(campaign) if campaign is not None else []
    batches = printing.batches_of(campaign) if campaign is not None else []
    jobs = print_jobs.active_jobs_of(campaign) if campaign is not None else []
    kept = print_settings.kept(location.id)
    print_form = PrintForm(formdata=None, layout=layout_to_offer(location, kept.get("layout")), count=kept.get("count", 50))
    return render_template(
        "campaigns/edit.html",
        location=location,
        form=form,
        campaign=campaign,
        findings=findings,
        field_labels=field_labels(form),
        print_form=print_form,
        batches=batch_rows(batches, location),
        jobs=jobs,
        public_base_url=public_base_url(),
        roomy_layouts=[_(layout.title) for layout in available_layouts().values() if layout.qr_slots >= 4],
    )


@bp.post("/campaigns/preview")
@owner_required
def preview(location_id: int):
    """The live preview: the editor posts what is typed so far (nothing is saved).

    A POST, as a query string of long non-Latin wording outgrows servers' request-line limits
    (gunicorn's is 4094 bytes); the CSRF token is checked before any view runs.
    """
    form = _editor_form(location_for(current_user, location_id), formdata=request.form, meta={"csrf": False})
    form.validate()
    try:
        svg, findings, notes = printing.preview_card(
            current_user, location_id, form.to_input(), request.form.get("preview_layout", "business-card-10up-a4")
        )
    except ServiceError as error:
        return jsonify(svg="", findings=[], error=" ".join(translate(m) for m in error.errors.values())), 400
    labels = field_labels(form)
    return jsonify(
        svg=svg,
        findings=[
            {"severity": f.severity, "message": translate(f.message), "source": f.source, "field": _("%(field)s:", field=labels[f.field]) if labels.get(f.field) else ""}
            for f in findings
        ]
        + [{"severity": note.severity, "message": translate(note.message), "source": ""} for note in notes],
    )


@bp.post("/campaigns/<int:campaign_id>/print")
@owner_required
def print_cards(location_id: int, campaign_id: int):
    service.campaign_for(current_user, location_id, campaign_id)  # another location's campaign: 404
    form = PrintForm()
    print_settings.keep(location_id, form.layout.data, form.count.data)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for("campaigns.edit", location_id=location_id, campaign_id=campaign_id))
    order = printing.PrintOrder(campaign_id=campaign_id, count=form.count.data, layout=form.layout.data)
    try:
        job = print_jobs.queue_print(order, current_user, location_id)
    except printing.PrintRefused:
        flash(_("Not printed: the rules check below found problems to fix first."), "error")
        return redirect(url_for("campaigns.edit", location_id=location_id, campaign_id=campaign_id))
    except ServiceError as error:
        for message in error.errors.values():
            flash(_("Not printed: %(reason)s", reason=translate(message)), "error")
        return redirect(url_for("campaigns.edit", location_id=location_id, campaign_id=campaign_id))
    # The cards are drawn by the print worker; the job page follows them and offers the PDF.
    return redirect(url_for("print_jobs.show", location_id=location_id, job_id=job.id))


@bp.get("/batches/<int:batch_id>.pdf")
@owner_required
def batch_pdf(location_id: int, batch_id: int):
    return send_pdf(print_jobs.batch_pdf(batch_id, current_user, location_id))


@bp.get("/batches/<int:batch_id>/manifest.csv")
@owner_required
def batch_manifest(location_id: int, batch_id: int):
    body = printing.manifest_csv(batch_id, current_user, location_id)
    return send_file(
        io.BytesIO(body.encode("utf-8")),
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"cards-batch{batch_id}-manifest.csv",
    )


def send_pdf(download: print_jobs.PdfDownload):
    source = download.path if download.path is not None else io.BytesIO(download.pdf)
    return send_file(source, mimetype="application/pdf", as_attachment=True, download_name=download.filename)

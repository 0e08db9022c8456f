"""A print running in the background: its page, its progress as JSON, and its PDF."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, url_for
from flask_login import current_user

from ..services import print_jobs as service
from .campaigns import send_pdf
from .security import owner_required

bp = Blueprint("print_jobs", __name__, url_prefix="/locations/<int:location_id>/print-jobs")


@bp.get("/<int:job_id>")
@owner_required
def show(location_id: int, job_id: int):
    job = service.job_for(current_user, location_id, job_id)
    return render_template(
        "print_jobs/show.html", job=job, state=service.state_of(job), errors=service.errors_of(job), location_id=location_id
    )


@bp.get("/<int:job_id>.json")
@owner_required
def status(location_id: int, job_id: int):
    job = service.job_for(current_user, location_id, job_id)
    state = service.state_of(job)
    return jsonify(
        state=state.state,
        done=state.done,
        total=state.total,
        percent=state.percent,
        finished=state.finished,
        pdf_url=url_for(".pdf", location_id=location_id, job_id=job_id) if state.state == "done" else None,
    )


@bp.get("/<int:job_id>.pdf")
@owner_required
def pdf(location_id: int, job_id: int):
    return send_pdf(service.job_pdf(current_user, location_id, job_id))

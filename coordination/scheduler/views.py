"""The administrator's page of the scheduler: jobs, runs, failures, heartbeat; "Run now"."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user, login_required

from coordination.core.access import require
from coordination.core.db import utcnow
from coordination.core.features import registry
from coordination.core.views import render_form
from coordination.extensions import db
from coordination.i18n import _
from coordination.scheduler import queries
from coordination.scheduler.models import JobRunRequest
from coordination.scheduler.policies import can_run_jobs, can_view_scheduler

bp = Blueprint("scheduler", __name__, url_prefix="/admin/scheduler", template_folder="templates")


@bp.route("/")
@login_required
def index():
    require(can_view_scheduler(current_user))
    held = queries.scheduler_lease()
    return render_form(
        "scheduler/index.html",
        lease=held,
        alive=bool(held and held.alive()),
        states=queries.job_states(),
        runs=queries.recent_runs(),
        stuck_emails=queries.stuck_emails(),
        pending_emails=queries.pending_emails(),
        can_run=can_run_jobs(current_user),
        now=utcnow(),
    )


@bp.route("/jobs/<job:job_id>/run", methods=["POST"])
@login_required
def run_now(job_id: str):
    """Ask the scheduler to run a job now: never run here, in a web worker."""
    require(can_run_jobs(current_user))
    require(job_id in registry().jobs)
    held = queries.scheduler_lease()
    if db.session.get(JobRunRequest, job_id) is None:
        db.session.add(JobRunRequest(job_id=job_id, requested_by_id=current_user.id))
    if held and held.alive():
        flash(_("The scheduler will run the job within a few seconds."), "success")
    else:
        flash(
            _("No scheduler is running: the job will run when one starts (flask scheduler run)."),
            "warning",
        )
    return redirect(url_for("scheduler.index"))

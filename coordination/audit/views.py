"""Reading the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func

from coordination.audit.models import AuditEntry
from coordination.audit.operations import Problem, latest_checkpoint, verify_chain
from coordination.audit.policies import (
    can_verify_audit_log,
    can_view_audit_log,
    visible_entries,
)
from coordination.core.access import require
from coordination.core.text import clean_query
from coordination.core.views import paginate, render_form
from coordination.i18n import _

bp = Blueprint("audit", __name__, url_prefix="/audit", template_folder="templates")


@bp.route("/")
@login_required
def index():
    require(can_view_audit_log(current_user), hide=False)
    query = visible_entries(current_user)
    action = clean_query(request.args.get("action"), max_length=64)
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    who = clean_query(request.args.get("who"), max_length=64).lower()
    if who:
        query = query.where(func.lower(AuditEntry.actor_name) == who)
    page = paginate(query.order_by(AuditEntry.id.desc()))
    can_verify = can_verify_audit_log(current_user)
    # Administrators see the last signed checkpoint (read from the end of the file, unchecked
    # against the log: "Verify integrity" does that).
    checkpoint, checkpoint_valid = latest_checkpoint() if can_verify else (None, True)
    return render_form(
        "audit/list.html",
        page=page,
        action=action,
        who=who,
        can_verify=can_verify,
        checkpoint=checkpoint,
        checkpoint_valid=checkpoint_valid,
    )


@bp.route("/verify", methods=["POST"])
@login_required
def verify():
    require(can_verify_audit_log(current_user), hide=False)
    check = verify_chain()
    if check.intact:
        flash(
            _("The audit log is intact: %(count)d entries verified.", count=check.entries),
            "success",
        )
    else:
        for problem in check.problems:
            message = _("The audit log has been altered: %(problem)s", problem=_problem(problem))
            flash(message, "error")
    if not check.checkpoint_file_exists:
        flash(_("No audit checkpoint has been written yet."), "info")
    return redirect(url_for("audit.index"))


def _problem(problem: Problem) -> str:
    params = problem.params
    if problem.code == "entries_missing" and params["first"] == params["last"]:
        return _("entry %(first)d is missing (deleted).", first=params["first"])
    if problem.code == "entries_missing":
        return _("entries %(first)d to %(last)d are missing (deleted).", **params)
    if problem.code == "entry_altered":
        return _("entry %(sequence)d was changed, or the entry before it replaced.", **params)
    if problem.code == "state_missing":
        return _("the record of where the log ends was deleted.")
    if problem.code in ("state_mismatch", "state_signature"):
        return _("the record of where the log ends was edited or reset.")
    if problem.code == "checkpoint_forged":
        return _("line %(line)d of the checkpoint file is forged or edited.", **params)
    return _(
        "entries up to %(sequence)d, covered by the checkpoint of %(at)s, were deleted or "
        "replaced.",
        **params,
    )

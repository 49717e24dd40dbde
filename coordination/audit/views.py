"""Reading the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func

from coordination.audit.models import AuditEntry
from coordination.audit.operations import verify_chain
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
    return render_form(
        "audit/list.html",
        page=page,
        action=action,
        who=who,
        can_verify=can_verify_audit_log(current_user),
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
        flash(
            _("The audit log has been altered: entry %(id)d does not match.", id=check.broken_at),
            "error",
        )
    return redirect(url_for("audit.index"))

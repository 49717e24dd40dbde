from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_time
from flask import Blueprint
from flask_babel import get_locale, get_timezone
from flask_login import current_user, login_required
from sqlalchemy import func, select

from coordination.audit.actions import Reader
from coordination.audit.models import AuditEntry
from coordination.audit.policies import can_view_audit_log, visible_entries
from coordination.auth.models import User
from coordination.core.db import count_rows, utcnow
from coordination.core.panels import panels_for
from coordination.core.views import render_form
from coordination.directory.queries import visible_partnerships
from coordination.exchange.models import AWAITING_ANSWER, Request
from coordination.exchange.queries import filtered, inbox, outbox
from coordination.extensions import db
from coordination.handovers import policies as handover_policies
from coordination.handovers import queries as handover_queries

bp = Blueprint("dashboard", __name__, template_folder="templates")


@bp.route("/")
@login_required
def index():
    office = current_user.office
    partnerships = db.session.scalars(visible_partnerships(current_user, office_id=office.id)).all()
    colleagues = db.session.scalar(
        select(func.count(User.id)).where(User.office_id == office.id, User.is_enabled.is_(True))
    )
    recent = []
    if can_view_audit_log(current_user):
        entries = db.session.scalars(
            visible_entries(current_user).order_by(AuditEntry.id.desc()).limit(8)
        ).all()
        # Each entry as the audit log reads it: a translated sentence, not its code.
        locale = get_locale()
        reader = Reader(current_user, locale.language if locale else "vi")
        reader.load(entries)
        recent = [reader.show(entry) for entry in entries]
    # The inbox's two counts in one pass: awaiting an answer, and of those the overdue.
    awaiting = (
        inbox(current_user)
        .where(Request.state.in_([str(state) for state in AWAITING_ANSWER]))
        .subquery()
    )
    awaiting_count, overdue_count = db.session.execute(
        select(func.count(), func.count().filter(awaiting.c.deadline_at < utcnow())).select_from(
            awaiting
        )
    ).one()
    counts = {
        "awaiting": awaiting_count,
        "overdue": overdue_count,
        "sent_overdue": count_rows(filtered(outbox(current_user), overdue=True)),
    }
    return render_form(
        "dashboard/index.html",
        **_coming_handovers(),
        counts=counts,
        office=office,
        partnerships=partnerships,
        colleagues=colleagues,
        recent=recent,
        panels=panels_for("dashboard", office, current_user),
    )


def _coming_handovers() -> dict:
    """The gate's week, first thing for those who work the gate (border guards, liaison
    officers): today's and the next days' handovers, in the reader's days."""
    if not handover_policies.can_schedule_handovers(current_user):
        return {"coming_days": None}
    zone = str(get_timezone())
    today = datetime.now(ZoneInfo(zone)).date()
    handovers = handover_queries.coming_handovers(current_user, zone, today)
    return {
        "coming_days": handover_queries.by_local_day(handovers, zone),
        "coming_span": handover_queries.COMING_DAYS,
        "today": today,
        "tomorrow": today + timedelta(days=1),
        "clock": lambda moment: format_time(
            moment, "short", tzinfo=ZoneInfo(zone), locale=get_locale()
        ),
        "can_manage": lambda handover: handover_policies.can_manage_handover(
            current_user, handover
        ),
    }

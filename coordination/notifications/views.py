"""The user's notifications (the unread count in the menu is the feature's NavEntry badge)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, flash, redirect, url_for
from flask_babel import get_timezone
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.core.access import require
from coordination.core.views import paginate, render_form, submit
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.i18n import _
from coordination.notifications import operations, policies, queries
from coordination.notifications.describe import describe
from coordination.notifications.models import Notification
from coordination.notifications.schemas import ReminderSettingSchema

bp = Blueprint("notifications", __name__, url_prefix="/notifications", template_folder="templates")


@bp.route("/")
@login_required
def index():
    query = (
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.id.desc())
        # The requests the page links to, in one query rather than one per notification.
        .options(selectinload(Notification.request))
    )
    page = paginate(query)
    # Notifications about something else than a request (a handover): told by its feature.
    zone = get_timezone()
    described = {
        note.id: describe(note, current_user, zone) for note in page.items if note.request is None
    }
    return render_form(
        "notifications/list.html",
        page=page,
        described=described,
        can_set_reminders=policies.can_set_any_reminders(current_user),
    )


@bp.route("/read", methods=["POST"])
@login_required
def mark_all_read():
    operations.mark_read(current_user)
    return redirect(url_for("notifications.index"))


@bp.route("/reminders")
@login_required
def reminders():
    require(policies.can_set_any_reminders(current_user), hide=False)
    return _reminders_page()


@bp.route("/reminders/<int:office_id>", methods=["POST"])
@login_required
def set_reminders(office_id: int):
    office = db.session.get(Office, office_id)
    require(office is not None and policies.can_set_reminders(current_user, office))
    sent = submit(
        ReminderSettingSchema(), operations.set_reminder_settings, office, actor=current_user
    )
    if sent.done:
        flash(
            _("The reminder settings of %(office)s have been saved.", office=office.name), "success"
        )
        return redirect(url_for("notifications.reminders"))
    return _reminders_page(sent.errors, office.id)


def _reminders_page(errors=None, failed_office_id=None):
    deadline = current_app.config.get("DEADLINE_REMINDER_HOURS", 48)
    fields = [
        ReminderField(
            "deadline_reminder_hours",
            _("Before a reply deadline (hours)"),
            _("Default: %(hours)d hours.", hours=deadline),
        ),
        ReminderField(
            "event_reminder_days",
            _("Before a liaison meeting or joint patrol (days)"),
            _("Default: a meeting 3 days before, a patrol the day before."),
        ),
        ReminderField(
            "event_reminder_hours",
            _("Again, the same day (hours before)"),
            _("Default: 2 hours."),
        ),
    ]
    return render_form(
        "notifications/reminders.html",
        errors,
        settings=queries.reminder_settings(current_user),
        fields=fields,
        failed_office_id=failed_office_id,
    )


@dataclass(frozen=True)
class ReminderField:
    name: str
    label: str
    hint: str

"""The user's notifications (the unread count in the menu is the feature's NavEntry badge)."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_babel import get_timezone
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.core.views import paginate, render_form
from coordination.notifications import operations
from coordination.notifications.describe import describe
from coordination.notifications.models import Notification

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
    return render_form("notifications/list.html", page=page, described=described)


@bp.route("/read", methods=["POST"])
@login_required
def mark_all_read():
    operations.mark_read(current_user)
    return redirect(url_for("notifications.index"))

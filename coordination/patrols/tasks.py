"""The patrols' scheduled jobs (run by core.jobs.run_job): reminders of a coming patrol,
and a word to the side that proposed it when the other side has not confirmed in time.

Like the handovers' reminders, the jobs look at what is due NOW (``job_now``) and hand
notices to ``notify_once``, keyed by (kind, "patrol:<id>", recipient, start time): a repeated,
late or concurrent run sends each notice once, and a patrol moved to another time is a new
occasion. The notices name the border segment, the other side and the time, never a person.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from flask_babel import get_locale
from sqlalchemy import select

from coordination.auth.models import Role
from coordination.core.formatting import moment_text
from coordination.core.jobs import Counted, job_now
from coordination.extensions import db
from coordination.i18n import L_, _, timezone_label
from coordination.notifications.describe import Description
from coordination.notifications.operations import (
    Notice,
    event_lead_times,
    longest_event_lead,
    notify_once,
    officers_of,
)
from coordination.patrols.models import AWAITING_STATES, Patrol, PatrolState
from coordination.patrols.policies import can_view_patrol

DAY_BEFORE = timedelta(hours=24)
SOON = timedelta(hours=2)
UNCONFIRMED_BEFORE = timedelta(days=3)

PATROL_TOMORROW = "patrol_tomorrow"
PATROL_SOON = "patrol_soon"
PATROL_UNCONFIRMED = "patrol_unconfirmed"
# Events (sent by the operations, once per step of the thread).
PATROL_PROPOSED = "patrol_proposed"
PATROL_UPDATED = "patrol_updated"
KINDS = {
    PATROL_PROPOSED: L_("A joint patrol was proposed to your office"),
    PATROL_UPDATED: L_("A joint patrol was answered or changed"),
    PATROL_TOMORROW: L_("A joint patrol is coming up"),
    PATROL_SOON: L_("A joint patrol starts within hours"),
    PATROL_UNCONFIRMED: L_("A joint patrol is not confirmed yet"),
}


def subject_key(patrol_id: int) -> str:
    return f"patrol:{patrol_id}"


def _slot(starts_at: datetime) -> str:
    return starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def _arrangers(office_ids) -> dict[int, list[int]]:
    """The active border guards and liaison officers of each office."""
    found: dict[int, list[int]] = {}
    for role in (Role.BORDER_GUARD, Role.LIAISON_OFFICER):
        for office_id, users in officers_of(office_ids, role).items():
            found.setdefault(office_id, []).extend(users)
    return {office_id: sorted(set(users)) for office_id, users in found.items()}


def remind_patrols(now: datetime | None = None) -> Counted:
    """Remind both offices' guards and liaison officers of a confirmed patrol the day
    before and two hours before it starts, or as each office set (Reminder settings)."""
    now = now or job_now()
    horizon = longest_event_lead(DAY_BEFORE)
    due = db.session.execute(
        select(Patrol.id, Patrol.starts_at, Patrol.proposing_office_id, Patrol.partner_office_id)
        .where(
            Patrol.state == str(PatrolState.CONFIRMED),
            Patrol.starts_at > now,
            Patrol.starts_at <= now + horizon,
        )
        .order_by(Patrol.starts_at, Patrol.id)
    ).all()
    if not due:
        return Counted(0, "patrols coming: 0; notices sent: 0")
    offices = {row.proposing_office_id for row in due} | {row.partner_office_id for row in due}
    people = _arrangers(offices)
    leads = event_lead_times(offices, DAY_BEFORE, SOON)
    notices = []
    for row in due:
        for office_id in (row.proposing_office_id, row.partner_office_id):
            office_days, office_hours = leads[office_id]
            if row.starts_at > now + office_days:
                continue  # not yet, for this office
            kind = PATROL_SOON if row.starts_at <= now + office_hours else PATROL_TOMORROW
            notices += [
                Notice(user, kind, subject_key(row.id), _slot(row.starts_at))
                for user in people.get(office_id, ())
            ]
    sent = notify_once(notices)
    return Counted(sent, f"patrols coming: {len(due)}; notices sent: {sent}")


def tell_unconfirmed(now: datetime | None = None) -> Counted:
    """Tell the side that proposed (or last proposed another time) when the other side has
    not confirmed a patrol that starts within three days."""
    now = now or job_now()
    due = db.session.execute(
        select(
            Patrol.id,
            Patrol.starts_at,
            Patrol.proposing_office_id,
            Patrol.partner_office_id,
            Patrol.awaiting_office_id,
        )
        .where(
            Patrol.state.in_([str(state) for state in AWAITING_STATES]),
            Patrol.starts_at > now,
            Patrol.starts_at <= now + UNCONFIRMED_BEFORE,
        )
        .order_by(Patrol.starts_at, Patrol.id)
    ).all()
    if not due:
        return Counted(0, "unconfirmed patrols within three days: 0; notices sent: 0")

    def waiting_side(row) -> int:
        if row.awaiting_office_id == row.proposing_office_id:
            return row.partner_office_id
        return row.proposing_office_id

    people = _arrangers({waiting_side(row) for row in due})
    notices = [
        Notice(user, PATROL_UNCONFIRMED, subject_key(row.id), _slot(row.starts_at))
        for row in due
        for user in people.get(waiting_side(row), ())
    ]
    sent = notify_once(notices)
    return Counted(sent, f"unconfirmed patrols within three days: {len(due)}; notices sent: {sent}")


def describe_notice(notification, user, zone: tzinfo) -> Description | None:
    """What a patrol notice says (the notifications.describe hook): the segment, the other
    side, the start in the reader's zone; never a person's name (it goes out by e-mail)."""
    prefix, _sep, raw = (notification.subject_key or "").partition(":")
    if prefix != "patrol" or not raw.isdigit() or len(raw) > 18:
        return None
    patrol = db.session.get(Patrol, int(raw))
    if patrol is None or not can_view_patrol(user, patrol):
        return None
    locale = get_locale() or "vi"
    other = patrol.other_office(user.office_id) if user.office_id in patrol.office_ids else None
    other = other or patrol.partner_office
    values = {
        "segment": patrol.segment,
        "partner": other.name_in(str(locale)),
        "time": moment_text(patrol.starts_at, locale, zone),
        "zone": timezone_label(str(zone), patrol.starts_at),
    }
    if notification.kind == PATROL_UNCONFIRMED:
        title = _("Not confirmed yet: joint patrol %(segment)s with %(partner)s on %(time)s "
                  "(%(zone)s)", **values)  # fmt: skip
    else:
        title = _("Joint patrol %(segment)s with %(partner)s on %(time)s (%(zone)s)", **values)
    lines = (
        (_("Border segment"), patrol.segment),
        (_("Start"), f"{values['time']} ({values['zone']})"),
        (_("Meeting point"), patrol.meeting_point),
        (_("Partner"), values["partner"]),
        (_("Status"), patrol.state_label),
    )
    return Description(
        title=title,
        lines=lines,
        endpoint="patrols.detail",
        values={"patrol_id": patrol.id},
        link_label=_("Open the joint patrol:"),
    )

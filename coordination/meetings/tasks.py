"""The meetings' scheduled jobs (run by core.jobs.run_job): reminders of a coming meeting
(each office's own lead times, else MEETING_REMINDER_DAYS before, 3 by default, and
MEETING_REMINDER_HOURS before, 2 by default), and of an action item falling due.

Each notice goes through ``notify_once``, keyed by (kind, subject, recipient, occasion): the
occurrence's start for a meeting (a moved occurrence is a new occasion), the due date for an
action item; a repeated, late or concurrent run sends each once. Notices name the kind of
meeting, the other office and the time, never a person.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import select

from coordination.auth.models import Role
from coordination.core.formatting import day_text, moment_text
from coordination.core.jobs import Counted, job_now
from coordination.extensions import db
from coordination.i18n import L_, _, timezone_label
from coordination.meetings.models import (
    ActionItem,
    ActionStatus,
    Meeting,
    MeetingKind,
    MeetingState,
    Occurrence,
)
from coordination.meetings.policies import can_view_action_item, can_view_meeting
from coordination.notifications.describe import Description
from coordination.notifications.operations import (
    Notice,
    event_lead_times,
    longest_event_lead,
    notify_once,
    officers_of,
)

MEETING_DAYS = "meeting_days"
MEETING_SOON = "meeting_soon"
ACTION_DUE = "action_item_due"
KINDS = {
    MEETING_DAYS: L_("A liaison meeting is coming in a few days"),
    MEETING_SOON: L_("A liaison meeting starts within hours"),
    ACTION_DUE: L_("An action item of a liaison meeting is due"),
}


def lead_times() -> tuple[timedelta, timedelta]:
    days = current_app.config.get("MEETING_REMINDER_DAYS", 3)
    hours = current_app.config.get("MEETING_REMINDER_HOURS", 2)
    return timedelta(days=days), timedelta(hours=hours)


def _slot(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def remind_meetings(now: datetime | None = None) -> Counted:
    """Remind both offices' liaison officers and the attendees of an occurrence some days
    before it and again some hours before it (each once): each office's own lead times
    (Reminder settings), else MEETING_REMINDER_DAYS and MEETING_REMINDER_HOURS."""
    now = now or job_now()
    days, hours = lead_times()
    horizon = longest_event_lead(days)
    meetings = db.session.scalars(
        select(Meeting)
        .where(
            Meeting.state == str(MeetingState.PLANNED),
            Meeting.last_ends_at > now,
            Meeting.starts_at <= now + horizon,
        )
        .order_by(Meeting.id)
    ).unique()
    due = [
        (meeting, occ)
        for meeting in meetings
        for occ in meeting.occurrences(include_skipped=False)
        if now < occ.starts_at <= now + horizon
    ]
    if not due:
        return Counted(0, "meetings coming: 0; notices sent: 0")
    offices = {oid for meeting, _occ in due for oid in meeting.office_ids}
    leads = event_lead_times(offices, days, hours)
    liaison = officers_of(offices, Role.LIAISON_OFFICER)
    notices = []
    for meeting, occ in due:
        for office_id in (meeting.host_office_id, meeting.partner_office_id):
            office_days, office_hours = leads[office_id]
            if occ.starts_at > now + office_days:
                continue  # not yet, for this office
            kind = MEETING_SOON if occ.starts_at <= now + office_hours else MEETING_DAYS
            recipients = dict.fromkeys(
                [
                    *liaison.get(office_id, ()),
                    *(
                        a.user_id
                        for a in meeting.attendees
                        if a.user_id and a.office_id == office_id
                    ),
                ]
            )
            notices += [
                Notice(user, kind, f"meeting:{meeting.id}", _slot(occ.starts_at))
                for user in recipients
            ]
    sent = notify_once(notices)
    return Counted(sent, f"meetings coming: {len(due)}; notices sent: {sent}")


def remind_action_items(now: datetime | None = None) -> Counted:
    """Tell the owner of an action item not done (the person, else the owner office's
    liaison officers) on the day before it is due, once per due date."""
    now = now or job_now()
    horizon: date = (now + timedelta(days=1)).date()
    items = list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.status != str(ActionStatus.DONE), ActionItem.due_on <= horizon)
            .order_by(ActionItem.due_on, ActionItem.id)
        )
    )
    if not items:
        return Counted(0, "action items due: 0; notices sent: 0")
    liaison = officers_of({item.owner_office_id for item in items}, Role.LIAISON_OFFICER)
    notices = []
    for item in items:
        users = (
            [item.owner_user_id] if item.owner_user_id else liaison.get(item.owner_office_id, [])
        )
        notices += [
            Notice(user, ACTION_DUE, f"action_item:{item.id}", item.due_on.isoformat())
            for user in users
        ]
    sent = notify_once(notices)
    return Counted(sent, f"action items due: {len(items)}; notices sent: {sent}")


def _record_id(subject_key: str, prefix: str) -> int | None:
    found, _sep, raw = (subject_key or "").partition(":")
    if found != prefix or not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)


def _noticed_occurrence(meeting: Meeting, slot: str | None) -> Occurrence:
    """The occurrence a reminder was sent for: its slot is the start it had then (the
    occurrence starting then; else the one planned then, moved since). Failing both (moved
    twice since), the next one."""
    try:
        moment = datetime.strptime(slot or "", "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    except ValueError:
        moment = None
    occurrences = meeting.occurrences(include_skipped=False)
    if moment is not None:
        for found in (
            next((occ for occ in occurrences if occ.starts_at == moment), None),
            next((occ for occ in occurrences if occ.key == moment), None),
        ):
            if found is not None:
                return found
    return meeting.next_occurrence(job_now() - timedelta(hours=12)) or meeting.occurrences()[0]


def describe_notice(notification, user, zone: tzinfo) -> Description | None:
    """What a meeting or action item notice says (the notifications.describe hook)."""
    locale = str(get_locale() or "vi")
    meeting_id = _record_id(notification.subject_key, "meeting")
    if meeting_id is not None:
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None or not can_view_meeting(user, meeting):
            return None
        occ = _noticed_occurrence(meeting, notification.due_slot)
        values = {
            "kind": MeetingKind(meeting.kind).label,
            "partner": meeting.other_office(user.office_id).name_in(locale),
            "time": moment_text(occ.starts_at, locale, zone),
            "zone": timezone_label(str(zone), occ.starts_at),
        }
        return Description(
            title=_("%(kind)s with %(partner)s on %(time)s (%(zone)s)", **values),
            lines=(
                (_("Time"), f"{values['time']} ({values['zone']})"),
                (_("Meeting place"), meeting.place),
                (_("Partner"), values["partner"]),
            ),
            endpoint="meetings.detail",
            values={"meeting_id": meeting.id},
            link_label=_("Open the meeting:"),
        )
    item_id = _record_id(notification.subject_key, "action_item")
    if item_id is None:
        return None
    item = db.session.get(ActionItem, item_id)
    if item is None or not can_view_action_item(user, item):
        return None
    due = day_text(item.due_on, locale)
    meeting = item.minutes.meeting
    # Neither the item's text nor its owner's name: free text that may name a person, and
    # the notice goes out by e-mail. The page behind the link says what it is.
    return Description(
        title=_(
            "Action item of the %(kind)s with %(partner)s: due on %(day)s",
            kind=MeetingKind(meeting.kind).label,
            partner=meeting.other_office(user.office_id).name_in(locale),
            day=due,
        ),
        lines=(
            (_("Owner"), item.owner_office.name_in(locale)),
            (_("Status"), item.status_label),
        ),
        endpoint="meetings.detail",
        values={"meeting_id": item.minutes.meeting_id},
        link_label=_("Open the meeting:"),
    )

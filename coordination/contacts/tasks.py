"""The contacts' scheduled job: answers promised in a call or letter, due soon or overdue.

Like the exchange's reminders: the job looks at what is due NOW (``job_now``) and hands
notices to ``notify_once``, keyed by (kind, "contact:<id>", recipient, due time), so that a
repeated, late or concurrent run sends each notice once, and a new due date is a new
occasion. Who is told: whoever logged the contact, the liaison officers of its office, and
those of the liaison office a border guard station passed it to.
A follow-up closed meanwhile is reminded no more.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from flask_babel import get_locale
from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.contacts.models import Contact
from coordination.contacts.policies import can_view_contact
from coordination.core.formatting import moment_text
from coordination.core.jobs import Counted, job_now
from coordination.extensions import db
from coordination.i18n import L_, _, timezone_label
from coordination.notifications.describe import Description
from coordination.notifications.operations import Notice, notify_once, officers_of

DUE_SOON = timedelta(hours=24)
FOLLOW_UP_DUE = "contact_follow_up_due"
FOLLOW_UP_OVERDUE = "contact_follow_up_overdue"
PASSED_ON = "contact_passed_on"


def notification_kinds() -> dict:
    """The kinds of notice this feature sends (notifications.describe.KINDS_HOOK)."""
    return {
        FOLLOW_UP_DUE: L_("A promised answer is due within a day"),
        FOLLOW_UP_OVERDUE: L_("A promised answer is overdue"),
        PASSED_ON: L_("A border guard station passed a call or letter to your office"),
    }


def notify_passed_on(contact: Contact) -> int:
    """Tell the liaison officers of the office a contact was passed to (once)."""
    officers = officers_of([contact.forwarded_office_id], Role.LIAISON_OFFICER)
    key, slot = subject_key(contact.id), _slot(contact.forwarded_at)
    return notify_once(
        Notice(user_id, PASSED_ON, key, slot)
        for user_id in officers.get(contact.forwarded_office_id, ())
    )


def subject_key(contact_id: int) -> str:
    return f"contact:{contact_id}"


def _slot(due: datetime) -> str:
    return due.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def remind_follow_ups(now: datetime | None = None) -> Counted:
    """Tell the officers of each contact whose promised answer is due within a day, and
    again once it is overdue (once each per due date)."""
    now = now or job_now()
    rows = db.session.execute(
        select(
            Contact.id,
            Contact.office_id,
            Contact.forwarded_office_id,
            Contact.created_by_id,
            Contact.follow_up_due_at,
        )
        .where(
            Contact.follow_up_due_at.is_not(None),
            Contact.follow_up_done_at.is_(None),
            Contact.follow_up_due_at <= now + DUE_SOON,
        )
        .order_by(Contact.follow_up_due_at, Contact.id)
    ).all()
    if not rows:
        return Counted(0, "follow-ups due or overdue: 0; notices sent: 0")
    offices = {row.office_id for row in rows} | {
        row.forwarded_office_id for row in rows if row.forwarded_office_id
    }
    liaison = officers_of(offices, Role.LIAISON_OFFICER)
    loggers = {
        user.id
        for user in db.session.scalars(
            select(User).where(User.id.in_({row.created_by_id for row in rows}))
        )
        if user.is_active
    }
    notices = []
    for row in rows:
        kind = FOLLOW_UP_OVERDUE if row.follow_up_due_at <= now else FOLLOW_UP_DUE
        recipients = dict.fromkeys(
            [
                *([row.created_by_id] if row.created_by_id in loggers else []),
                *liaison.get(row.office_id, ()),
                *liaison.get(row.forwarded_office_id, ()),
            ]
        )
        key, slot = subject_key(row.id), _slot(row.follow_up_due_at)
        notices += [Notice(user_id, kind, key, slot) for user_id in recipients]
    sent = notify_once(notices)
    return Counted(sent, f"follow-ups due or overdue: {len(rows)}; notices sent: {sent}")


def describe_notice(notification, user, zone: tzinfo) -> Description | None:
    """What a follow-up reminder says (notifications.describe hook): the partner, the
    channel, when the answer is due; no person's name (it may go out by e-mail)."""
    prefix, _sep, raw = (notification.subject_key or "").partition(":")
    if prefix != "contact" or not raw.isdigit() or len(raw) > 18:
        return None
    contact = db.session.get(Contact, int(raw))
    if contact is None or not can_view_contact(user, contact):
        return None
    locale = str(get_locale() or "vi")
    if notification.kind == PASSED_ON:
        return _describe_passed_on(contact, locale, zone)
    if contact.follow_up_due_at is None:
        return None
    due = moment_text(contact.follow_up_due_at, locale, zone)
    zone_name = timezone_label(str(zone), contact.follow_up_due_at)
    partner = contact.partner_office.name_in(locale)
    if notification.kind == FOLLOW_UP_OVERDUE:
        title = _("Overdue: the answer %(partner)s promised (%(channel)s)", partner=partner,
                  channel=contact.channel_label)  # fmt: skip
    else:
        title = _("Due soon: the answer %(partner)s promised (%(channel)s)", partner=partner,
                  channel=contact.channel_label)  # fmt: skip
    lines = (
        (_("Partner office"), partner),
        (_("Channel"), contact.channel_label),
        (_("Answer due"), f"{due} ({zone_name})"),
        (_("Urgency"), contact.urgency_label),
    )
    return Description(
        title=title,
        lines=lines,
        endpoint="contacts.detail",
        values={"contact_id": contact.id},
        link_label=_("Open the contact:"),
    )


def _describe_passed_on(contact: Contact, locale: str, zone: tzinfo) -> Description:
    """The office, partner, channel, urgency and time of a contact passed on; no names."""
    partner = contact.partner_office.name_in(locale)
    when = moment_text(contact.occurred_at, locale, zone)
    zone_name = timezone_label(str(zone), contact.occurred_at)
    if contact.is_urgent:
        title = _("Urgent, passed on by %(office)s: %(channel)s · %(partner)s",
                  office=contact.office.name_in(locale), channel=contact.channel_label,
                  partner=partner)  # fmt: skip
    else:
        title = _("Passed on by %(office)s: %(channel)s · %(partner)s",
                  office=contact.office.name_in(locale), channel=contact.channel_label,
                  partner=partner)  # fmt: skip
    lines = (
        (_("Logged by"), contact.office.name_in(locale)),
        (_("Partner office"), partner),
        (_("Channel"), contact.channel_label),
        (_("When"), f"{when} ({zone_name})"),
        (_("Urgency"), contact.urgency_label),
    )
    return Description(
        title=title,
        lines=lines,
        endpoint="contacts.detail",
        values={"contact_id": contact.id},
        link_label=_("Open the contact:"),
    )

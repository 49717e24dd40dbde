"""The handovers' scheduled job: reminders of a coming handover (run by core.jobs.run_job).

A scheduled handover is reminded twice to everyone who works it (the liaison officers of the
handing and receiving offices, the border guards of the stations on the gate's two sides):
the day before (within 24 hours of its time) and two hours before. Like the exchange's
reminders, the job looks at what is due NOW (``job_now``) and hands notices to
``notify_once``, keyed by (kind, "handover:<id>", recipient, scheduled time): a repeated,
late or concurrent run sends each notice once, and a handover moved to a new time (a
postponement, a new schedule) is a new occasion, reminded again for its new time.

After downtime a run sends only what is still relevant: nothing for a handover completed,
cancelled or already past, and only the two-hour notice for one now less than two hours
away (the day-before notice it missed would say the same, later).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo

from babel.dates import format_time
from flask_babel import get_locale
from sqlalchemy import select

from coordination.auth.models import Role, User, UserRole
from coordination.core.formatting import day_text, moment_text
from coordination.core.jobs import Counted, job_now
from coordination.directory.models import BorderGate, Office, OfficeKind
from coordination.directory.operations import top_level_area
from coordination.extensions import db
from coordination.handovers.models import Handover, HandoverState
from coordination.handovers.policies import can_view_handover
from coordination.i18n import _, ngettext, timezone_label
from coordination.notifications.describe import Description
from coordination.notifications.models import NotificationKind
from coordination.notifications.operations import Notice, notify_once, officers_of

DAY_BEFORE = timedelta(hours=24)
SOON = timedelta(hours=2)
# Postponed handovers keep their (new) time and are reminded; completed and cancelled not.
REMINDED_STATES = [str(HandoverState.SCHEDULED), str(HandoverState.POSTPONED)]


def subject_key(handover_id: int) -> str:
    return f"handover:{handover_id}"


def _slot(scheduled_at: datetime) -> str:
    """The due slot: the scheduled time (a handover moved to a new time is a new occasion)."""
    return scheduled_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def _gate_provinces(gate_ids: Iterable[int]) -> dict[int, set[int]]:
    gates = db.session.scalars(select(BorderGate).where(BorderGate.id.in_(set(gate_ids))))
    return {
        gate.id: {top_level_area(gate.vietnam_area).id, top_level_area(gate.partner_area).id}
        for gate in gates
    }


def _station_guards(province_ids: Iterable[int]) -> dict[int, list[int]]:
    """The active border guards of the border guard stations of each province."""
    province_ids = sorted(set(province_ids))
    found: dict[int, list[int]] = {}
    if not province_ids:
        return found
    rows = db.session.execute(
        select(Office.province_id, User.id)
        .join(User, User.office_id == Office.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            Office.province_id.in_(province_ids),
            Office.kind == str(OfficeKind.BORDER_GUARD_STATION),
            User.is_enabled.is_(True),
            UserRole.role == str(Role.BORDER_GUARD),
        )
        .order_by(User.id)
    ).all()
    for province_id, user_id in rows:
        found.setdefault(province_id, []).append(user_id)
    return found


def remind_handovers(now: datetime | None = None) -> Counted:
    """Remind everyone who works a handover of it, the day before and two hours before."""
    now = now or job_now()
    due = db.session.execute(
        select(
            Handover.id,
            Handover.scheduled_at,
            Handover.gate_id,
            Handover.handing_office_id,
            Handover.receiving_office_id,
        )
        .where(
            Handover.state.in_(REMINDED_STATES),
            # Postponed without a new time: its old time is not when it happens.
            Handover.new_time_pending.is_(False),
            Handover.scheduled_at > now,
            Handover.scheduled_at <= now + DAY_BEFORE,
        )
        .order_by(Handover.scheduled_at, Handover.id)
    ).all()
    if not due:
        return Counted(0, "handovers within a day: 0; notices sent: 0")
    offices = {row.handing_office_id for row in due} | {row.receiving_office_id for row in due}
    liaison = officers_of(offices, Role.LIAISON_OFFICER)
    rows = db.session.execute(select(Office.id, Office.province_id).where(Office.id.in_(offices)))
    office_provinces = {row.id: row.province_id for row in rows}
    gate_sides = _gate_provinces(row.gate_id for row in due)
    guards = _station_guards(province for sides in gate_sides.values() for province in sides)
    notices = []
    for row in due:
        kind = (
            NotificationKind.HANDOVER_SOON
            if row.scheduled_at <= now + SOON
            else NotificationKind.HANDOVER_TOMORROW
        )
        # The stations of the gate's two sides, which are the two offices' provinces.
        provinces = gate_sides.get(row.gate_id, set()) & {
            office_provinces.get(row.handing_office_id),
            office_provinces.get(row.receiving_office_id),
        }
        recipients = dict.fromkeys(
            [
                *liaison.get(row.handing_office_id, ()),
                *liaison.get(row.receiving_office_id, ()),
                *(user for province in sorted(provinces) for user in guards.get(province, ())),
            ]
        )
        key, slot = subject_key(row.id), _slot(row.scheduled_at)
        notices += [Notice(user, kind, key, slot) for user in recipients]
    sent = notify_once(notices)
    return Counted(sent, f"handovers within a day: {len(due)}; notices sent: {sent}")


def describe_notice(notification, user, zone: tzinfo) -> Description | None:
    """What a handover reminder says (the notifications.describe hook): the gate, the day
    and time in the reader's zone, the number of people; never a person's name (it goes out
    by e-mail). "Today" and "tomorrow" are as of the notice's sending, in the reader's zone."""
    prefix, _sep, raw = (notification.subject_key or "").partition(":")
    if prefix != "handover" or not raw.isdigit() or len(raw) > 18:
        return None
    handover = db.session.get(Handover, int(raw))
    if handover is None or not can_view_handover(user, handover):
        return None
    locale = get_locale() or "vi"
    at = handover.scheduled_at.astimezone(zone)
    sent = (notification.created_at or at).astimezone(zone)
    values = {
        "gate": handover.gate.name,
        "time": format_time(at, "short", tzinfo=zone, locale=locale),
        "zone": timezone_label(str(zone), handover.scheduled_at),
    }
    count = len(handover.listed_people)
    days = (at.date() - sent.date()).days
    if days == 0:
        title = ngettext(
            "Handover at %(gate)s today at %(time)s (%(zone)s), %(num)d person",
            "Handover at %(gate)s today at %(time)s (%(zone)s), %(num)d people",
            count,
            **values,
        )
    elif days == 1:
        title = ngettext(
            "Handover at %(gate)s tomorrow at %(time)s (%(zone)s), %(num)d person",
            "Handover at %(gate)s tomorrow at %(time)s (%(zone)s), %(num)d people",
            count,
            **values,
        )
    else:
        title = ngettext(
            "Handover at %(gate)s on %(date)s at %(time)s (%(zone)s), %(num)d person",
            "Handover at %(gate)s on %(date)s at %(time)s (%(zone)s), %(num)d people",
            count,
            date=day_text(at.date(), locale),
            **values,
        )
    when = moment_text(handover.scheduled_at, locale, zone)
    lines = (
        (_("Border gate"), handover.gate.name),
        (_("Scheduled for"), f"{when} ({values['zone']})"),
        (_("Handing-over side"), handover.handing_office.name_in(str(locale))),
        (_("Receiving side"), handover.receiving_office.name_in(str(locale))),
        (_("People"), str(count)),
        (_("State"), handover.state_label),
    )
    return Description(
        title=title,
        lines=lines,
        endpoint="handovers.detail",
        values={"handover_id": handover.id},
        link_label=_("Open the handover:"),
    )

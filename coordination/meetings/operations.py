"""Planning liaison meetings, changing one occurrence, attendees, the agenda, minutes and
action items. They flush, never commit, audit every change, and refuse before anything is
written: an end before the start, a recurrence that yields no date, a time zone that does
not exist, an attendee from an unrelated office, an agenda item the partner may not see,
signed minutes changed without a new version.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo, available_timezones

from dateutil.rrule import rrulestr
from sqlalchemy import or_, select

from coordination.audit.operations import record
from coordination.auth.models import User
from coordination.cases.models import Case
from coordination.cases.policies import can_view_case
from coordination.core.db import utcnow
from coordination.core.errors import OperationError, check_version, field_error
from coordination.directory.models import BorderGate, Office
from coordination.directory.operations import find_partnership, next_reference, top_level_area
from coordination.exchange.models import Request, RequestState
from coordination.exchange.policies import can_view_request
from coordination.extensions import db
from coordination.i18n import _
from coordination.meetings.minutes_pdf import render_minutes
from coordination.meetings.models import (
    MAX_OCCURRENCES,
    REPEAT_RULES,
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaKind,
    Meeting,
    MeetingAttendee,
    MeetingOverride,
    MeetingState,
    Minutes,
    MinutesRecord,
    OverrideKind,
    PlaceKind,
    Repeat,
    expand_rule,
)
from coordination.meetings.records import build_snapshot

# A meeting lasts at most this long (a typing slip in a date gives weeks).
LONGEST = timedelta(days=5)
# Minutes are written once the occurrence has begun (a phone's clock may run behind).
CLOCK_LEEWAY = timedelta(minutes=5)


def _check_times(starts_at, ends_at) -> None:
    if starts_at is None:
        raise field_error("starts_at", _("Give the start of the meeting."))
    if ends_at is None:
        raise field_error("ends_at", _("Give the end of the meeting."))
    if ends_at <= starts_at:
        raise field_error("ends_at", _("The meeting must end after it starts."))
    if ends_at - starts_at > LONGEST:
        raise field_error(
            "ends_at", _("A liaison meeting lasts at most five days: check the dates.")
        )


def _zone(name: str | None, host: Office) -> str:
    zone = name or host.country.timezone
    if zone not in available_timezones():
        raise field_error(
            "timezone", _("This time zone does not exist. Give one such as Asia/Vientiane.")
        )
    return zone


def _partner(actor, office_id: int) -> Office:
    partner = db.session.get(Office, office_id)
    partnership = find_partnership(actor.office_id, office_id) if partner else None
    if partner is None or partnership is None or not partnership.active or not partner.active:
        raise field_error(
            "partner_office_id",
            _("This office is not a partner of yours. Liaison meetings are held with partner "
              "offices only."),
        )  # fmt: skip
    return partner


def recurrence_rule(data: dict, starts_at: datetime, zone: str) -> str | None:
    """The RRULE of the form's repetition (None: one-off), checked to give at least one
    date and at most MAX_OCCURRENCES."""
    repeat = Repeat(data.get("repeat") or Repeat.NONE)
    if repeat == Repeat.NONE:
        return None
    count, until = data.get("count"), data.get("until")
    if count is None and until is None:
        raise field_error(
            "count", _("Give how many times the meeting repeats, or the last day of the series.")
        )
    rule = REPEAT_RULES[repeat]
    if count is not None:
        rule += f";COUNT={count}"
    else:
        last = datetime.combine(until, time.max.replace(microsecond=0), tzinfo=ZoneInfo(zone))
        rule += ";UNTIL=" + last.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    local = starts_at.astimezone(ZoneInfo(zone))
    dates = list(islice(rrulestr(rule, dtstart=local), MAX_OCCURRENCES + 1))
    if not dates:
        raise field_error(
            "until",
            _("This recurrence gives no date: the last day of the series is before the first "
              "meeting."),
        )  # fmt: skip
    if len(dates) > MAX_OCCURRENCES:
        raise field_error(
            "count",
            _("A series has at most %(count)d meetings: plan a shorter one.",
              count=MAX_OCCURRENCES),
        )  # fmt: skip
    return rule


def _gate_joins(gate: BorderGate, first: Office, second: Office) -> bool:
    sides = {top_level_area(gate.vietnam_area).id, top_level_area(gate.partner_area).id}
    return sides == {first.province_id, second.province_id}


def _place(data: dict, host: Office, partner: Office) -> dict:
    kind = PlaceKind(data["place_kind"])
    place = {"place_kind": kind.value, "gate_id": None, "place_office_id": None,
             "online_link": None, "place_detail": data.get("place_detail")}  # fmt: skip
    if kind == PlaceKind.GATE:
        gate = db.session.get(BorderGate, data["gate_id"]) if data.get("gate_id") else None
        if gate is None or not gate.active:
            raise field_error("gate_id", _("Choose the border gate where the meeting is held."))
        if not _gate_joins(gate, host, partner):
            raise field_error(
                "gate_id", _("This border gate is not on the border between these two offices.")
            )
        place["gate_id"] = gate.id
    elif kind == PlaceKind.OFFICE:
        if data.get("place_office_id") not in (host.id, partner.id):
            raise field_error(
                "place_office_id", _("Choose one of the two offices: the host or the partner.")
            )
        place["place_office_id"] = data["place_office_id"]
    else:
        link = data.get("online_link") or ""
        if not link.lower().startswith(("https://", "http://")) or " " in link:
            raise field_error(
                "online_link", _("Give the link of the online meeting (starting with https://).")
            )
        place["online_link"] = link
    return place


def plan(data: dict, *, actor) -> Meeting:
    """Plan a one-off or recurring meeting hosted by the actor's office."""
    partner = _partner(actor, data["partner_office_id"])
    host = actor.office
    zone = _zone(data.get("timezone"), host)
    _check_times(data.get("starts_at"), data.get("ends_at"))
    starts_at, ends_at = data["starts_at"], data["ends_at"]
    rule = recurrence_rule(data, starts_at, zone)
    place = _place(data, host, partner)
    last_start = expand_rule(rule, starts_at, zone)[-1]
    meeting = Meeting(
        host_office_id=host.id,
        partner_office_id=partner.id,
        kind=data["kind"],
        title=data["title"],
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=zone,
        repeat=data.get("repeat") or Repeat.NONE.value,
        rrule=rule,
        last_ends_at=last_start + (ends_at - starts_at),
        purpose=data.get("purpose"),
        state=MeetingState.PLANNED,
        created_by_id=actor.id,
        overrides=[],
        attendees=[],
        agenda=[],
        minutes=[],
        **place,
    )
    db.session.add(meeting)
    db.session.flush()
    record(
        "meeting.plan",
        actor=actor,
        target=meeting,
        details={"partner": partner.code, "rrule": rule, "timezone": zone},
        subject_office_id=actor.office_id,
    )
    return meeting


def _occurrence_key(meeting: Meeting, key: datetime) -> datetime:
    if key not in meeting.planned_starts():
        raise OperationError(_("This meeting has no occurrence at that time."))
    return key


def _refresh_window(meeting: Meeting) -> None:
    """last_ends_at covers moved occurrences too (the calendar's window)."""
    ends = [occ.ends_at for occ in meeting.occurrences()]
    meeting.last_ends_at = max(ends)
    meeting.updated_at = utcnow()


def _check_between_neighbours(meeting: Meeting, key: datetime, starts_at: datetime) -> None:
    """A moved occurrence stays in its place in the series: not onto another occurrence's
    start, not past the occurrence before or after it (a skipped one holds no place), and
    not before the series starts (the calendar and the reminders look from there)."""
    others = [occ for occ in meeting.occurrences(include_skipped=False) if occ.key != key]
    if any(occ.starts_at == starts_at for occ in others):
        raise field_error("starts_at", _("Another occurrence of this series starts at that time."))
    if starts_at < meeting.starts_at:
        raise field_error("starts_at", _("An occurrence cannot be moved before the series begins."))
    before = [occ.starts_at for occ in others if occ.key < key]
    after = [occ.starts_at for occ in others if occ.key > key]
    if (before and starts_at < max(before)) or (after and starts_at > min(after)):
        raise field_error(
            "starts_at",
            _("An occurrence cannot be moved past the one before or after it: choose a time "
              "between them."),
        )  # fmt: skip


def change_occurrence(meeting: Meeting, key: datetime, data: dict, *, actor) -> MeetingOverride:
    """Move one occurrence to other times, or skip it; a second change replaces the first."""
    check_version(meeting, data.get("version"))
    if meeting.cancelled:
        raise OperationError(_("This meeting has been cancelled."))
    key = _occurrence_key(meeting, key)
    if meeting.minutes_for(key) is not None:
        # Minutes say it took place: one side alone cannot move or skip it afterwards.
        raise OperationError(
            _("This occurrence has minutes: it took place and can no longer be moved or skipped.")
        )
    kind = OverrideKind(data["kind"])
    override = next((o for o in meeting.overrides if o.original_start == key), None)
    if kind == OverrideKind.MOVED:
        _check_times(data.get("starts_at"), data.get("ends_at"))
        if data["starts_at"] == key and data["ends_at"] == key + meeting.duration:
            raise field_error("starts_at", _("These are the planned times: give other times."))
        _check_between_neighbours(meeting, key, data["starts_at"])
    elif not data.get("reason"):
        raise field_error("reason", _("Give the reason."))
    if override is None:
        override = MeetingOverride(original_start=key, created_by_id=actor.id)
        meeting.overrides.append(override)
    override.kind = kind.value
    override.starts_at = data.get("starts_at") if kind == OverrideKind.MOVED else None
    override.ends_at = data.get("ends_at") if kind == OverrideKind.MOVED else None
    override.reason = data.get("reason")
    _refresh_window(meeting)
    db.session.flush()
    details = {"occurrence": key.isoformat()}
    if kind == OverrideKind.MOVED:
        details |= {"starts_at": override.starts_at.isoformat(),
                    "ends_at": override.ends_at.isoformat()}  # fmt: skip
    record(
        "meeting.move" if kind == OverrideKind.MOVED else "meeting.skip",
        actor=actor,
        target=meeting,
        details=details,
        subject_office_id=actor.office_id,
    )
    return override


def cancel(meeting: Meeting, data: dict, *, actor) -> None:
    """Cancel the whole series (it stays on the calendar, cancelled)."""
    check_version(meeting, data.get("version"))
    if meeting.cancelled:
        raise OperationError(_("This meeting has been cancelled."))
    if meeting.minutes:
        raise OperationError(
            _("Minutes have been recorded for this series: skip the occurrences still to come "
              "instead of cancelling it.")
        )  # fmt: skip
    if not data.get("reason"):
        raise field_error("reason", _("Give the reason."))
    meeting.state = MeetingState.CANCELLED
    meeting.purpose = "\n\n".join(filter(None, (meeting.purpose, data["reason"])))
    db.session.flush()
    record("meeting.cancel", actor=actor, target=meeting, subject_office_id=actor.office_id)


def add_attendee(meeting: Meeting, data: dict, *, actor) -> MeetingAttendee:
    if data["office_id"] not in meeting.office_ids:
        raise field_error(
            "office_id",
            _("An attendee comes from one of the two offices of the meeting."),
        )
    user = None
    if data.get("user_id"):
        user = db.session.get(User, data["user_id"])
        if user is None or user.office_id != data["office_id"] or not user.is_active:
            raise field_error(
                "user_id", _("This person is not a user of the office chosen for them.")
            )
        if any(attendee.user_id == user.id for attendee in meeting.attendees):
            raise field_error("user_id", _("This person already attends."))
    elif not data.get("name"):
        raise field_error("name", _("Give the attendee's name, or choose a user."))
    attendee = MeetingAttendee(
        office_id=data["office_id"],
        user_id=user.id if user else None,
        name=None if user else data.get("name"),
        position=data.get("position"),
    )
    meeting.attendees.append(attendee)
    db.session.flush()
    record(
        "meeting.attendee_add",
        actor=actor,
        target=meeting,
        details={"office_id": attendee.office_id, "user_id": attendee.user_id},
        subject_office_id=actor.office_id,
    )
    return attendee


def remove_attendee(meeting: Meeting, attendee_id: int, *, actor) -> None:
    attendee = next((a for a in meeting.attendees if a.id == attendee_id), None)
    if attendee is None:
        raise OperationError(_("This attendee is not on the list."))
    meeting.attendees.remove(attendee)
    db.session.flush()
    record(
        "meeting.attendee_remove",
        actor=actor,
        target=meeting,
        details={"office_id": attendee.office_id, "user_id": attendee.user_id},
        subject_office_id=actor.office_id,
    )


def between(meeting: Meeting):
    """The condition "a request between the meeting's two offices" (either way)."""
    host, partner = meeting.office_ids
    return or_(
        (Request.sender_office_id == host) & (Request.recipient_office_id == partner),
        (Request.sender_office_id == partner) & (Request.recipient_office_id == host),
    )


def request_shared(meeting: Meeting, request: Request) -> bool:
    return {request.sender_office_id, request.recipient_office_id} == set(
        meeting.office_ids
    ) and request.state != RequestState.DRAFT


def case_shared(meeting: Meeting, case: Case) -> bool:
    """A case of either office that a request between the two offices is about."""
    if case.office_id not in meeting.office_ids:
        return False
    found = db.session.scalar(
        select(Request.id)
        .where(Request.case_id == case.id, Request.state != str(RequestState.DRAFT))
        .where(between(meeting))
        .limit(1)
    )
    return found is not None


def _check_agenda_open(meeting: Meeting, key: datetime) -> None:
    minutes = meeting.minutes_for(key)
    if minutes is not None and minutes.signed:
        raise OperationError(_("The minutes of this meeting are signed: its agenda stays."))


def add_agenda_item(meeting: Meeting, key: datetime, data: dict, *, actor) -> AgendaItem:
    """A topic, or a request or case between the two offices, on one occurrence's agenda
    (not once its minutes are signed: the signed agenda stays as it was signed)."""
    key = _occurrence_key(meeting, key)
    _check_agenda_open(meeting, key)
    kind, title, request, case = AgendaKind.TOPIC, data.get("title"), None, None
    if data.get("request_id"):
        request = db.session.get(Request, data["request_id"])
        if (
            request is None
            or not can_view_request(actor, request)
            or not request_shared(meeting, request)
        ):
            raise field_error(
                "request_id",
                _("The partner may not see this request: only requests between the two "
                  "offices can be on the agenda."),
            )  # fmt: skip
        kind = AgendaKind.REQUEST
        title = title or f"{request.reference} · {request.subject}"
        if any(item.request_id == request.id for item in meeting.agenda_for(key)):
            raise field_error("request_id", _("This request is already on the agenda."))
    elif data.get("case_id"):
        case = db.session.get(Case, data["case_id"])
        if case is None or not can_view_case(actor, case) or not case_shared(meeting, case):
            raise field_error(
                "case_id",
                _("The partner may not see this case: only cases of requests between the two "
                  "offices can be on the agenda."),
            )  # fmt: skip
        kind = AgendaKind.CASE
        title = title or case.number
        if any(item.case_id == case.id for item in meeting.agenda_for(key)):
            raise field_error("case_id", _("This case is already on the agenda."))
    if not title:
        raise field_error("title", _("Give the topic, or choose a request or a case."))
    position = max((item.position for item in meeting.agenda), default=0) + 1
    item = AgendaItem(
        occurs_at=key,
        position=position,
        kind=kind.value,
        request_id=request.id if request else None,
        case_id=case.id if case else None,
        title=title[:300],
        note=data.get("note"),
        added_by_office_id=actor.office_id,
    )
    meeting.agenda.append(item)
    meeting.updated_at = utcnow()
    db.session.flush()
    record(
        "meeting.agenda_add",
        actor=actor,
        target=meeting,
        details={"occurrence": key.isoformat(), "kind": kind.value,
                 "request_id": item.request_id, "case_id": item.case_id},
    )  # fmt: skip
    return item


def remove_agenda_item(meeting: Meeting, item_id: int, *, actor) -> None:
    item = next((item for item in meeting.agenda if item.id == item_id), None)
    if item is None:
        raise OperationError(_("This item is not on the agenda."))
    _check_agenda_open(meeting, item.occurs_at)
    meeting.agenda.remove(item)
    db.session.flush()
    record(
        "meeting.agenda_remove",
        actor=actor,
        target=meeting,
        details={"occurrence": item.occurs_at.isoformat(), "title": item.title},
    )


def _check_action(meeting: Meeting, index: int, data: dict) -> None:
    if data["owner_office_id"] not in meeting.office_ids:
        raise field_error(
            f"action_items-{index}-owner_office_id",
            _("The owner of an action item is one of the two offices of the meeting."),
        )
    if data.get("owner_user_id"):
        user = db.session.get(User, data["owner_user_id"])
        if user is None or user.office_id != data["owner_office_id"] or not user.is_active:
            raise field_error(
                f"action_items-{index}-owner_user_id",
                _("This person is not a user of the office chosen for them."),
            )


def save_minutes(meeting: Meeting, key: datetime, data: dict, *, actor) -> Minutes:
    """Write (or change) the minutes of one occurrence; action items given are added.
    Signed minutes change only with a reason, and a new version is issued at once."""
    key = _occurrence_key(meeting, key)
    occurrence = meeting.occurrence(key)
    if occurrence.skipped:
        raise OperationError(_("This occurrence was skipped: it has no minutes."))
    if occurrence.starts_at > utcnow() + CLOCK_LEEWAY:
        raise OperationError(_("The meeting has not started yet: write its minutes afterwards."))
    minutes = meeting.minutes_for(key)
    if minutes is not None:
        check_version(minutes, data.get("version"))
        if minutes.signed and not data.get("correction_reason"):
            raise field_error(
                "correction_reason",
                _("These minutes have been signed. To change them, give the reason for the "
                  "correction: a new version of the minutes is issued."),
            )  # fmt: skip
    for index, action in enumerate(data.get("action_items") or []):
        _check_action(meeting, index, action)
    created = minutes is None
    if created:
        minutes = Minutes(occurs_at=key, created_by_id=actor.id, action_items=[], records=[])
        meeting.minutes.append(minutes)
    minutes.summary = data.get("summary")
    minutes.decisions = list(data.get("decisions") or [])
    position = max((item.position for item in minutes.action_items), default=0)
    for action in data.get("action_items") or []:
        position += 1
        minutes.action_items.append(
            ActionItem(
                position=position,
                text=action["text"],
                owner_office_id=action["owner_office_id"],
                owner_user_id=action.get("owner_user_id"),
                owner_name=None if action.get("owner_user_id") else action.get("owner_name"),
                due_on=action["due_on"],
                status=ActionStatus.OPEN,
            )
        )
    minutes.updated_at = utcnow()
    db.session.flush()
    record(
        "meeting.minutes_save",
        actor=actor,
        target=meeting,
        details={"occurrence": key.isoformat(), "decisions": len(minutes.decisions),
                 "action_items": len(minutes.action_items)},
    )  # fmt: skip
    if minutes.signed:
        sign_minutes(minutes, actor=actor, reason=data["correction_reason"],
                     trilingual=_was_trilingual(minutes))  # fmt: skip
    return minutes


def _was_trilingual(minutes: Minutes) -> bool:
    latest = minutes.latest_record
    return bool(latest and len(latest.snapshot.get("languages", [])) >= 3)


def sign_minutes(minutes: Minutes, *, actor, trilingual: bool = False, reason=None):
    """Freeze the minutes as a new signed version (the first gets its number)."""
    meeting = minutes.meeting
    previous = minutes.latest_record
    if previous is None:
        year = minutes.occurs_at.astimezone(ZoneInfo(meeting.timezone)).year
        number, version = next_reference(meeting.host_office, "bbh", year), 1
    else:
        number, version = previous.number, previous.version + 1
    snapshot = build_snapshot(
        minutes, number=number, version=version, previous=previous, trilingual=trilingual,
        reason=reason,
    )  # fmt: skip
    pdf = render_minutes(snapshot)
    issued = MinutesRecord(
        number=number,
        version=version,
        supersedes=previous,
        snapshot=snapshot,
        sha256=hashlib.sha256(pdf).hexdigest(),
        reason=reason,
        created_by_id=actor.id,
    )
    minutes.records.append(issued)
    minutes.signed_at = utcnow()
    db.session.flush()
    record(
        "meeting.minutes_sign",
        actor=actor,
        target=meeting,
        details={"number": number, "version": version, "sha256": issued.sha256},
    )
    return issued


def record_download(issued: MinutesRecord, *, actor) -> None:
    record(
        "meeting.minutes_download",
        actor=actor,
        target=issued.minutes.meeting,
        details={"number": issued.number, "version": issued.version},
    )


def set_action_status(item: ActionItem, data: dict, *, actor) -> ActionItem:
    check_version(item, data.get("version"))
    status = ActionStatus(data["status"])
    if status == item.status:
        return item
    item.status = status.value
    item.done_at = utcnow() if status == ActionStatus.DONE else None
    db.session.flush()
    record(
        "meeting.action_status",
        actor=actor,
        target=item.minutes.meeting,
        details={"action_item": item.id, "status": status.value},
    )
    return item

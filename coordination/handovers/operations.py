"""Scheduling, postponing, cancelling and logging handovers; issuing their records.

Operations flush and never commit. Each checks the rules a form cannot: the proposal is
agreed, the gate is on the two offices' border, the people are the proposal's, completion
is neither in the future nor before the handover was arranged, a completed handover
changes only through a correction.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from coordination.audit.operations import record
from coordination.core.db import utcnow
from coordination.core.errors import OperationError, check_version, field_error
from coordination.core.signals import handover_completed
from coordination.directory.models import BorderGate, Office
from coordination.directory.operations import next_reference
from coordination.exchange.models import Request, RequestPerson
from coordination.extensions import db
from coordination.handovers.models import (
    Handover,
    HandoverPerson,
    HandoverRecord,
    HandoverState,
    Referral,
)
from coordination.handovers.policies import AGREED_STATES
from coordination.handovers.queries import is_referral_centre, joins
from coordination.handovers.record_pdf import render_handover_record
from coordination.handovers.records import build_snapshot
from coordination.i18n import _
from coordination.matching.names import romanise
from coordination.notifications.models import NotificationKind
from coordination.notifications.operations import notify_office

SCHEDULE_FIELDS = (
    "handing_unit",
    "receiving_unit",
    "handing_officers",
    "receiving_officers",
    "interpreter",
    "witnesses",
    "transport",
    "notes",
)
LOG_FIELDS = (
    "handed_over",
    "identity_checked",
    "health",
    "belongings",
    "documents",
    "victim_file_received",
    "return_certificate_number",
    "referral",
    "referral_detail",
    "referral_office_id",
    "note",
)
OPEN_STATES = (HandoverState.SCHEDULED, HandoverState.POSTPONED)


def _check_gate(gate_id: int, request: Request) -> BorderGate:
    gate = db.session.get(BorderGate, gate_id)
    if gate is None or not gate.active:
        raise field_error("gate_id", _("Choose one of the listed options."))
    if not joins(gate, request):
        raise field_error(
            "gate_id", _("This border gate is not on the border between these two offices.")
        )
    return gate


def _check_agreed(request: Request) -> None:
    if request.kind != "handover_proposal" or request.state not in AGREED_STATES:
        raise field_error(
            "request_id",
            _("Only a handover proposal the partner has agreed to can be scheduled."),
        )


def _set_people(handover: Handover, request: Request, person_ids: list[int]) -> None:
    listed = {person.id: person for person in request.people}
    chosen = list(dict.fromkeys(person_ids))
    if not chosen:
        raise field_error("person_ids", _("Choose the people to hand over."))
    if any(person_id not in listed for person_id in chosen):
        raise field_error("person_ids", _("Choose people of this proposal only."))
    kept = {p.request_person_id: p for p in handover.people if p.on_list}
    handover.people = [p for p in handover.people if not p.on_list]
    for person_id in chosen:
        shared: RequestPerson = listed[person_id]
        person = kept.get(person_id) or HandoverPerson(
            request_person_id=person_id,
            on_list=True,
            name_as_written=shared.shared.get("name_as_written") or "?",
            name_romanised=shared.shared.get("name_romanised"),
        )
        handover.people.append(person)
    _renumber(handover)


def _renumber(handover: Handover) -> None:
    """Positions 1…n in list order; through negatives first, clear of the unique
    (handover, position) while rows move."""
    for position, person in enumerate(handover.people, start=1):
        person.position = -position
    db.session.flush()
    for position, person in enumerate(handover.people, start=1):
        person.position = position


def _romanised(people: list[dict]) -> list[dict]:
    return [{**person, "romanised": romanise(person["name"])} for person in people]


def _apply_schedule(handover: Handover, request: Request, data: dict) -> None:
    handover.gate = _check_gate(data["gate_id"], request)
    sender, recipient = request.sender_office_id, request.recipient_office_id
    handing_is_sender = data["handing_side"] == "sender"
    handover.handing_office_id = sender if handing_is_sender else recipient
    handover.receiving_office_id = recipient if handing_is_sender else sender
    handover.scheduled_at = data["scheduled_at"]
    for name in SCHEDULE_FIELDS:
        value = data.get(name)
        if name in ("handing_officers", "receiving_officers", "witnesses"):
            value = _romanised(value or [])
        setattr(handover, name, value)
    _set_people(handover, request, data.get("person_ids") or [])


def schedule(request: Request, data: dict, *, actor) -> Handover:
    _check_agreed(request)
    handover = Handover(request=request, created_by_id=actor.id, people=[])
    with db.session.no_autoflush:  # checked and filled in before the row may be written
        _apply_schedule(handover, request, data)
    db.session.add(handover)
    db.session.flush()
    record(
        "handover.schedule",
        actor=actor,
        target=handover,
        details={"request": request.reference, "people": len(handover.people)},
        subject_office_id=actor.office_id,
    )
    _tell_the_other_side(handover, actor)
    return handover


def update_schedule(handover: Handover, data: dict, *, actor) -> Handover:
    check_version(handover, data.get("version"))
    if handover.state not in OPEN_STATES:
        raise OperationError(
            _("This handover is %(state)s: its schedule can no longer change.",
              state=handover.state_label)
        )  # fmt: skip
    _apply_schedule(handover, handover.request, data)
    handover.state = HandoverState.SCHEDULED
    handover.new_time_pending = False
    db.session.flush()
    record("handover.reschedule", actor=actor, target=handover, subject_office_id=actor.office_id)
    _tell_the_other_side(handover, actor)
    return handover


def postpone(handover: Handover, data: dict, *, actor) -> Handover:
    return _stop(handover, data, HandoverState.POSTPONED, actor)


def cancel(handover: Handover, data: dict, *, actor) -> Handover:
    return _stop(handover, data, HandoverState.CANCELLED, actor)


def _stop(handover: Handover, data: dict, state: HandoverState, actor) -> Handover:
    check_version(handover, data.get("version"))
    if handover.state not in OPEN_STATES:
        raise OperationError(
            _("This handover is %(state)s: it can no longer be postponed or cancelled.",
              state=handover.state_label)
        )  # fmt: skip
    handover.state = state
    handover.state_reason = data["reason"]
    if state == HandoverState.POSTPONED and data.get("scheduled_at"):
        handover.scheduled_at = data["scheduled_at"]
    handover.new_time_pending = state == HandoverState.POSTPONED and not data.get("scheduled_at")
    db.session.flush()
    record(
        f"handover.{state.value}",
        actor=actor,
        target=handover,
        details={"reason": data["reason"]},
        subject_office_id=actor.office_id,
    )
    _tell_the_other_side(handover, actor)
    return handover


def log_at_gate(handover: Handover, data: dict, people_data: dict[int, dict], *, actor):
    """Save what happened at the gate; ``data["action"]`` "complete" also issues the
    record, "correct" (on a completed handover) issues a corrected version of it."""
    check_version(handover, data.get("version"))
    action = data.get("action") or "save"
    completed = handover.state == HandoverState.COMPLETED
    if handover.state == HandoverState.CANCELLED:
        raise OperationError(_("This handover was cancelled."))
    if completed and action != "correct":
        raise OperationError(
            _("This handover is completed: change it through a correction, with its reason.")
        )
    if action == "correct" and not completed:
        raise OperationError(_("Only a completed handover has a record to correct."))
    if action == "correct" and not data.get("correction_reason"):
        raise field_error("correction_reason", _("Say what the correction is for."))
    for person in handover.listed_people:  # checked before anything is set
        _check_referral(handover, person, people_data.get(person.id))
    for person in handover.listed_people:  # unlisted arrivals: from not_on_list below
        for name, value in (people_data.get(person.id) or {}).items():
            if name in LOG_FIELDS:
                setattr(person, name, value)
        if person.referral != Referral.SOCIAL_PROTECTION_CENTRE:
            person.referral_office_id = None  # a referral changed away takes its centre along
    _set_not_on_list(handover, data.get("not_on_list") or [])
    handover.notes = data.get("notes")
    if action in ("complete", "correct"):
        _check_completion(handover, data.get("completed_at"))
        handover.completed_at = data["completed_at"]
        handover.state = HandoverState.COMPLETED
    db.session.flush()
    record("handover.log", actor=actor, target=handover, subject_office_id=actor.office_id)
    if action in ("complete", "correct"):
        issued = issue_record(
            handover,
            actor=actor,
            trilingual=bool(data.get("trilingual")),
            reason=data.get("correction_reason"),
        )
        if action == "complete":
            handover_completed.send(handover, record=issued, actor=actor)
        return issued
    return None


def _check_referral(handover: Handover, person: HandoverPerson, given: dict | None) -> None:
    """A centre is named only for a referral to a social protection centre, and it is an
    active centre or shelter of the directory in the receiving office's country."""
    if not given or not given.get("referral_office_id"):
        return
    field = f"p{person.id}-referral_office_id"
    referral = given.get("referral", person.referral)
    if referral != Referral.SOCIAL_PROTECTION_CENTRE:
        raise field_error(
            field,
            _("A centre or shelter is chosen only for a referral to a social protection "
              "centre."),
        )  # fmt: skip
    office = db.session.get(Office, given["referral_office_id"])
    if not is_referral_centre(office, handover):
        raise field_error(
            field,
            _("Choose a social protection centre or shelter of the receiving country from "
              "the list."),
        )  # fmt: skip


def _set_not_on_list(handover: Handover, people: list[dict]) -> None:
    """People who came to the gate without being on the agreed list: flagged rows."""
    existing = {p.name_as_written: p for p in handover.people if not p.on_list}
    wanted = [person["name"] for person in people]
    handover.people = [p for p in handover.people if p.on_list or p.name_as_written in wanted]
    for person in people:
        row = existing.get(person["name"])
        if row is None:
            row = HandoverPerson(on_list=False, handed_over=True, name_as_written=person["name"])
            handover.people.append(row)
        row.name_romanised = romanise(person["name"])
        row.note = person.get("note") or None
    _renumber(handover)


# A time typed on a phone whose clock runs a little ahead of the server's is not refused
# as "in the future" (the form reads to the minute).
CLOCK_LEEWAY = timedelta(minutes=2)
# How long before its scheduled time a handover entered after the fact may have happened.
EARLIEST_BEFORE_SCHEDULE = timedelta(days=1)


def earliest_completion(handover: Handover) -> datetime:
    """The earliest believable completion time: when the handover was put on the schedule,
    or one day before its scheduled time if that is earlier (a handover entered after the
    fact). Anything before it is a typing slip (a wrong year, a wrong month)."""
    created = handover.created_at or utcnow()
    # The form gives minutes: a handover arranged at 00:26:30 may be completed "at 00:26".
    return min(created - CLOCK_LEEWAY, handover.scheduled_at - EARLIEST_BEFORE_SCHEDULE)


def _check_completion(handover: Handover, completed_at: datetime | None) -> None:
    """Handovers happen early and late: any actual time is taken (and marked early or
    late, see handovers.timing) but one in the future or before the handover could
    have been arranged. Everyone on the list must have been decided on."""
    if completed_at is None:
        raise field_error("completed_at", _("Give the time the handover was completed."))
    if completed_at > utcnow() + CLOCK_LEEWAY:
        raise field_error("completed_at", _("This time is in the future."))
    if completed_at < earliest_completion(handover):
        raise field_error(
            "completed_at",
            _("This time is before the handover was arranged: check the date."),
        )
    undecided = [person for person in handover.listed_people if person.handed_over is None]
    if undecided:
        names = ", ".join(person.name_as_written for person in undecided)
        raise field_error(
            "people",
            _("Say for each person whether they were handed over (not yet: %(names)s).",
              names=names),
        )  # fmt: skip
    if not any(person.handed_over for person in handover.people):
        raise field_error("people", _("Tick at least one person as handed over."))


def issue_record(handover: Handover, *, actor, trilingual: bool = False, reason=None):
    """Freeze the handover's data as a new record version (the first gets its number)."""
    previous = handover.latest_record
    if previous is None:
        number = next_reference(actor.office, "bg", handover.completed_at.year)
        version = 1
    else:
        number, version = previous.number, previous.version + 1
    snapshot = build_snapshot(
        handover, number=number, version=version, previous=previous, trilingual=trilingual
    )
    pdf = render_handover_record(snapshot)
    issued = HandoverRecord(
        handover=handover,
        number=number,
        version=version,
        supersedes=previous,
        snapshot=snapshot,
        sha256=hashlib.sha256(pdf).hexdigest(),
        reason=reason,
        created_by_id=actor.id,
    )
    db.session.add(issued)
    db.session.flush()
    record(
        "handover_record.issue",
        actor=actor,
        target=handover,
        details={"number": number, "version": version, "sha256": issued.sha256},
        subject_office_id=actor.office_id,
    )
    return issued


def record_download(issued: HandoverRecord, *, actor, records=()) -> None:
    """``records``: our records whose names our side's copy printed ([kind, id] pairs)."""
    details = {"number": issued.number, "version": issued.version}
    if records:
        details["records"] = list(records)
    record(
        "handover_record.download",
        actor=actor,
        target=issued.handover,
        details=details,
        subject_office_id=actor.office_id,
    )


def record_view(handover: Handover, *, actor, records=()) -> None:
    """``records``: our records whose names the page showed ([kind, id] pairs)."""
    details = {"records": list(records)} if records else None
    record(
        "handover.view",
        actor=actor,
        target=handover,
        details=details,
        subject_office_id=actor.office_id,
    )


def record_day_view(handovers: list[Handover], *, actor, records=()) -> None:
    if handovers:
        details = {"handovers": [handover.id for handover in handovers]}
        if records:
            details["records"] = list(records)
        record(
            "handover.day_view",
            actor=actor,
            target_type="handovers",
            details=details,
            subject_office_id=actor.office_id,
        )


def _tell_the_other_side(handover: Handover, actor) -> None:
    request = handover.request
    for office_id in (request.sender_office_id, request.recipient_office_id):
        if office_id != actor.office_id:
            notify_office(office_id, NotificationKind.REQUEST_UPDATED, request)

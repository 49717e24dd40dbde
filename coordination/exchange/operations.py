"""Composing, sending and answering requests. They flush, never commit."""

from __future__ import annotations

from datetime import timedelta

from coordination.attachments.storage import save_document
from coordination.audit.operations import record
from coordination.cases.models import Case, Person
from coordination.core.db import utcnow
from coordination.core.errors import OperationError, check_version, field_error
from coordination.core.signals import request_answered
from coordination.directory.models import Office, RequestKind
from coordination.directory.operations import find_partnership, next_reference
from coordination.exchange.models import (
    MessageKind,
    Request,
    RequestMessage,
    RequestPerson,
    RequestState,
    VerificationResult,
)
from coordination.exchange.policies import RECIPIENT_STEPS, SENDER_STEPS
from coordination.exchange.schemas import SHAREABLE_FIELDS
from coordination.extensions import db
from coordination.i18n import _
from coordination.notifications.models import NotificationKind
from coordination.notifications.operations import notify_office

# The state a request moves to after each step.
NEXT_STATE = {
    MessageKind.SEND: RequestState.SENT,
    MessageKind.ACKNOWLEDGE: RequestState.ACKNOWLEDGED,
    MessageKind.REPLY: RequestState.ANSWERED,
    MessageKind.ASK_BACK: RequestState.INFORMATION_REQUESTED,
    MessageKind.SUPPLEMENT: RequestState.ACKNOWLEDGED,
    MessageKind.DECLINE: RequestState.DECLINED,
    MessageKind.WITHDRAW: RequestState.WITHDRAWN,
    MessageKind.REOPEN: RequestState.ACKNOWLEDGED,
    MessageKind.CLOSE: RequestState.CLOSED,
}
NEEDS_TEXT = {
    MessageKind.REPLY,
    MessageKind.ASK_BACK,
    MessageKind.SUPPLEMENT,
    MessageKind.DECLINE,
    MessageKind.REOPEN,
}


def _area_value(area):
    return {"id": area.id, "names": area.names} if area is not None else None


def shared_snapshot(person: Person, fields: list[str]) -> dict:
    """The chosen fields of ``person`` as plain data; a child is always marked as one."""
    values = {
        "name_as_written": person.name_as_written,
        "name_romanised": person.name_romanised,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "estimated_age": person.estimated_age,
        "nationality": person.nationality,
        "home_province": _area_value(person.home_province),
        "home_commune": _area_value(person.home_commune),
        "home_address": person.home_address,
        "identity_documents": person.identity_documents,
        "relatives_contacts": person.relatives_contacts,
        "guardian": person.guardian,
    }
    chosen = {name: values[name] for name in SHAREABLE_FIELDS if name in fields}
    # A partner must know it is dealing with a child, whatever else is shared.
    chosen["child"] = person.is_child()
    return chosen


def compose(data: dict, *, actor, files=()) -> Request:
    """Create a request (as a draft, or sent at once when data["action"] == "send")."""
    recipient = db.session.get(Office, data["recipient_office_id"])
    partnership = find_partnership(actor.office_id, recipient.id) if recipient else None
    if recipient is None or partnership is None or not partnership.active:
        raise field_error(
            "recipient_office_id",
            _("This office is not a partner of yours. Requests go to partner offices only."),
        )
    case = None
    if data.get("case_id"):
        case = db.session.get(Case, data["case_id"])
        if case is None or case.office_id != actor.office_id:
            raise field_error("case_id", _("Choose one of your office's cases."))
    people = []
    for person_id in dict.fromkeys(data.get("person_ids") or []):
        person = db.session.get(Person, person_id)
        if person is None or case is None or person.case_id != case.id:
            raise field_error("person_ids", _("Choose people of this case only."))
        people.append(person)
    if people and "name_as_written" not in data["shared_fields"]:
        raise field_error("shared_fields", _("Share at least the person's name."))
    request = Request(
        kind=data["kind"],
        state=RequestState.DRAFT,
        sender_office_id=actor.office_id,
        recipient_office_id=recipient.id,
        case=case,
        subject=data["subject"],
        body=data.get("body"),
        created_by_id=actor.id,
    )
    for position, person in enumerate(people, start=1):
        request.people.append(
            RequestPerson(
                person=person,
                position=position,
                shared=shared_snapshot(person, data["shared_fields"]),
            )
        )
    db.session.add(request)
    db.session.flush()
    record(
        "request.create",
        actor=actor,
        target=request,
        details={
            "recipient": recipient.code,
            "people": [person.id for person in people],
            "shared_fields": sorted(data["shared_fields"]) if people else [],
        },
    )
    if data.get("action", "send") == "send":
        send(request, actor=actor, files=files)
    else:
        request.refresh_search_text()
    return request


def send(request: Request, *, actor, files=()) -> Request:
    if request.state != RequestState.DRAFT:
        raise OperationError(_("This request has already been sent."))
    partnership = find_partnership(request.sender_office_id, request.recipient_office_id)
    if partnership is None or not partnership.active:
        raise OperationError(_("This office is not a partner of yours any more."))
    days = partnership.deadline_days(request.kind)
    if days is None:
        raise OperationError(_("The partnership sets no reply deadline for this kind of request."))
    now = utcnow()
    request.reference = next_reference(request.sender_office, "request", now.year)
    request.state = RequestState.SENT
    request.sent_at = now
    request.deadline_at = now + timedelta(days=days)
    request.refresh_search_text()
    _add_message(request, MessageKind.SEND, request.body, actor, files)
    db.session.flush()
    record("request.send", actor=actor, target=request, details={"reference": request.reference})
    notify_office(request.recipient_office_id, NotificationKind.REQUEST_RECEIVED, request)
    return request


def _add_message(request: Request, kind, body: str | None, actor, files=()) -> RequestMessage:
    """A message of the thread, with its attachments: (bytes, content type, file name)."""
    message = RequestMessage(
        request=request,
        kind=str(kind),
        author_id=actor.id,
        author_office_id=actor.office_id,
        body=body,
        created_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    for data, content_type, filename in files:
        save_document(
            data,
            content_type,
            filename,
            office_id=actor.office_id,
            uploader=actor,
            request_message_id=message.id,
        )
    return message


def take_step(request: Request, step: MessageKind, data: dict, outcomes: dict, *, actor, files=()):
    """Move the thread on: acknowledge, reply, ask back, decline, supplement, withdraw…

    ``outcomes`` maps RequestPerson ids to a VerificationResult, for replies to identity
    verification requests (one per person is required).
    """
    # The state machine refuses a step that no longer applies; a version, when the form
    # sends one, also catches two officers of the same office acting at once.
    if data.get("version") is not None:
        check_version(request, data["version"])
    step = MessageKind(step)
    sender_side = actor.office_id == request.sender_office_id
    allowed = (SENDER_STEPS if sender_side else RECIPIENT_STEPS).get(step, ())
    if step == MessageKind.SEND:
        return send(request, actor=actor, files=files)
    if request.state not in allowed:
        raise OperationError(
            _("This step is not possible now: the request is %(state)s.", state=request.state_label)
        )
    body = data.get("body")
    if step in NEEDS_TEXT and not body:
        raise field_error("body", _("Write a message for this step."))
    if step == MessageKind.REPLY and request.kind == RequestKind.IDENTITY_VERIFICATION:
        _record_outcomes(request, outcomes, actor)
    message = _add_message(request, step, body, actor, files)
    request.state = NEXT_STATE[step]
    if step == MessageKind.REPLY:
        request.answered_at = utcnow()
    db.session.flush()
    record(
        f"request.{step}",
        actor=actor,
        target=request,
        details={"reference": request.reference, "state": request.state},
    )
    other_office = request.recipient_office_id if sender_side else request.sender_office_id
    kind = (
        NotificationKind.REQUEST_ANSWERED
        if step == MessageKind.REPLY
        else (NotificationKind.REQUEST_UPDATED)
    )
    notify_office(other_office, kind, request)
    if step == MessageKind.REPLY:
        request_answered.send(request, message=message, actor=actor)
    return message


def _record_outcomes(request: Request, outcomes: dict, actor) -> None:
    missing = []
    for shared_person in request.people:
        outcome = outcomes.get(shared_person.id)
        if outcome not in {result.value for result in VerificationResult}:
            missing.append(shared_person.display_name)
            continue
        shared_person.outcome = outcome
        shared_person.outcome_at = utcnow()
        shared_person.outcome_by_id = actor.id
    if missing:
        raise field_error(
            "outcomes",
            _(
                "Give the verification outcome for every person: %(names)s.",
                names=", ".join(missing),
            ),
        )

"""Logging contacts, correcting them, sharing them with the partner, the partner's answer,
and turning a contact into a request. They flush and audit, never commit."""

from __future__ import annotations

from datetime import timedelta

from coordination.attachments.storage import save_document
from coordination.audit.operations import record
from coordination.cases.models import Case, Person
from coordination.contacts.models import Contact, ContactDocument, ContactPerson
from coordination.core.db import utcnow
from coordination.core.errors import OperationError, check_version, field_error
from coordination.directory.models import Office
from coordination.directory.operations import find_partnership
from coordination.exchange import operations as exchange_operations
from coordination.exchange.models import Request
from coordination.exchange.schemas import DEFAULT_SHARED
from coordination.extensions import db
from coordination.i18n import _

# A phone's clock and the server's may differ a little: "now" on the phone is not the future.
CLOCK_SKEW = timedelta(minutes=2)

EDITABLE = (
    "partner_person",
    "channel",
    "direction",
    "occurred_at",
    "duration_minutes",
    "language",
    "interpreter",
    "asked",
    "answered",
    "urgency",
    "case_id",
    "request_id",
    "reference_number",
    "reference_date",
    "follow_up_due_at",
)


def _checked(data: dict, actor, contact: Contact | None = None) -> tuple[dict, list[Person]]:
    """The values to store, every rule checked first (nothing is stored on a refusal)."""
    values = {name: data.get(name) for name in EDITABLE}
    now = utcnow()
    partner = db.session.get(Office, data["partner_office_id"])
    partnership = find_partnership(actor.office_id, partner.id) if partner else None
    if partner is None or partnership is None or not partnership.active:
        raise field_error(
            "partner_office_id",
            _("This office is not a partner of yours. Log contacts with partner offices only."),
        )
    values["partner_office_id"] = partner.id
    if values["occurred_at"] is None:
        values["occurred_at"] = contact.occurred_at if contact else now
    if values["occurred_at"] > now + CLOCK_SKEW:
        raise field_error("occurred_at", _("The contact cannot have taken place in the future."))
    if values["duration_minutes"] is not None and values["duration_minutes"] < 0:
        raise field_error("duration_minutes", _("A duration cannot be negative."))
    case = None
    if values["case_id"] is not None:
        case = db.session.get(Case, values["case_id"])
        if case is None or case.office_id != actor.office_id:
            raise field_error("case_id", _("Choose one of your office's cases."))
    if values["request_id"] is not None:
        linked = db.session.get(Request, values["request_id"])
        ours = linked is not None and (
            linked.sender_office_id == actor.office_id
            or (linked.recipient_office_id == actor.office_id and linked.state != "draft")
        )
        if not ours:
            raise field_error("request_id", _("Choose one of your office's requests."))
    people = []
    for person_id in dict.fromkeys(data.get("person_ids") or []):
        person = db.session.get(Person, person_id)
        if person is None or person.case.office_id != actor.office_id:
            raise field_error("person_ids", _("Choose people of your office's cases only."))
        people.append(person)
    return values, people


def _save_scans(contact: Contact, files, actor) -> list[int]:
    ids = []
    for data, content_type, filename in files:
        document = save_document(
            data, content_type, filename, office_id=contact.office_id, uploader=actor
        )
        contact.scans.append(ContactDocument(document=document))
        ids.append(document.id)
    return ids


def log_contact(data: dict, *, actor, files=()) -> Contact:
    """Log a call, letter, note, fax or meeting with a partner office."""
    values, people = _checked(data, actor)
    contact = Contact(office_id=actor.office_id, created_by_id=actor.id, **values)
    contact.people = [ContactPerson(person=person) for person in people]
    db.session.add(contact)
    db.session.flush()
    scans = _save_scans(contact, files, actor)
    db.session.flush()
    record(
        "contact.create",
        actor=actor,
        target=contact,
        details={
            "partner": contact.partner_office.code,
            "channel": contact.channel,
            "direction": contact.direction,
            "urgency": contact.urgency,
            "people": [person.id for person in people],
            **({"documents": scans} if scans else {}),
        },
    )
    return contact


def update_contact(contact: Contact, data: dict, *, actor, files=()) -> Contact:
    """Correct what was logged (the form says which version it edits)."""
    check_version(contact, data.get("version"))
    values, people = _checked(data, actor, contact)
    if (
        contact.shared_at is not None
        and values.get("partner_office_id", contact.partner_office_id) != contact.partner_office_id
    ):
        # What the partner saw, confirmed or noted is not to be handed to another office.
        raise field_error(
            "partner_office_id",
            _("This contact is shared with its partner office, which can no longer change."),
        )
    changes = {}
    for name, value in values.items():
        before = getattr(contact, name)
        if before != value:
            changes[name] = [_plain(before), _plain(value)]
            setattr(contact, name, value)
    before_people = sorted(link.person_id for link in contact.people)
    after_people = sorted(person.id for person in people)
    if before_people != after_people:
        keep = {link.person_id: link for link in contact.people}
        contact.people = [keep.get(p.id) or ContactPerson(person=p) for p in people]
        changes["people"] = [before_people, after_people]
    scans = _save_scans(contact, files, actor)
    if scans:
        changes["documents"] = [None, scans]
    if changes:
        contact.updated_at = utcnow()
    if contact.confirmed_at is not None and set(changes) - OURS_ONLY:
        # The partner confirmed what it read then: a changed text needs its confirmation anew.
        contact.confirmed_at = contact.confirmed_by_id = None
        changes["confirmation_withdrawn"] = True
    db.session.flush()
    if changes:
        record("contact.update", actor=actor, target=contact, details=changes)
    return contact


# What the partner never sees of a contact: changing it leaves the partner's confirmation.
OURS_ONLY = {"case_id", "request_id", "people"}


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def share_contact(contact: Contact, data: dict, *, actor) -> Contact:
    """Let the partner office see the contact (and confirm it or add its notes)."""
    check_version(contact, data.get("version"))
    if contact.shared_at is not None:
        raise OperationError(_("This contact is already shared with the partner."))
    contact.shared_at = utcnow()
    contact.shared_by_id = actor.id
    db.session.flush()
    record(
        "contact.share",
        actor=actor,
        target=contact,
        details={"partner": contact.partner_office.code},
    )
    return contact


def respond(contact: Contact, data: dict, *, actor) -> Contact:
    """The partner office's answer: confirm the contact took place, and/or add its notes."""
    check_version(contact, data.get("version"))
    if contact.shared_at is None or actor.office_id != contact.partner_office_id:
        raise OperationError(_("Only the partner office answers a shared contact."))
    confirm, note = bool(data.get("confirm")), data.get("note")
    if not confirm and not note:
        raise field_error("note", _("Confirm the contact or write a note."))
    now = utcnow()
    if confirm:
        if contact.confirmed_at is not None:
            raise field_error("confirm", _("This contact has already been confirmed."))
        contact.confirmed_at, contact.confirmed_by_id = now, actor.id
    if note:
        contact.partner_note = note
        contact.partner_note_at, contact.partner_note_by_id = now, actor.id
    db.session.flush()
    if confirm:
        record("contact.confirm", actor=actor, target=contact)
    if note:
        record("contact.note", actor=actor, target=contact)
    return contact


def close_follow_up(contact: Contact, data: dict, *, actor) -> Contact:
    """The promised answer came: the follow-up is no longer awaited."""
    check_version(contact, data.get("version"))
    if not contact.follow_up_pending():
        raise OperationError(_("No answer is awaited for this contact."))
    contact.follow_up_done_at = utcnow()
    db.session.flush()
    record("contact.follow_up_done", actor=actor, target=contact)
    return contact


def make_request(contact: Contact, data: dict, *, actor) -> Request:
    """A request to the contact's partner about its case and people, sent at once, in one
    step with linking it to the contact (exchange.operations.compose does the sending)."""
    check_version(contact, data.get("version"))
    if contact.request_id is not None:
        raise OperationError(_("A request has already been made from this contact."))
    people = [link.person_id for link in contact.people if link.person.case_id == contact.case_id]
    created = exchange_operations.compose(
        {
            "recipient_office_id": contact.partner_office_id,
            "kind": data["kind"],
            "subject": data["subject"],
            "body": data.get("body"),
            "case_id": contact.case_id,
            "person_ids": people if contact.case_id else [],
            "shared_fields": list(DEFAULT_SHARED) if people and contact.case_id else [],
            "action": "send",
        },
        actor=actor,
    )
    contact.request_id = created.id
    db.session.flush()
    record(
        "contact.request",
        actor=actor,
        target=contact,
        details={"reference": created.reference},
    )
    return created

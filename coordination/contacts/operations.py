"""Logging contacts, correcting them, sharing them with the partner, the partner's answer,
and turning a contact into a request. They flush and audit, never commit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_

from coordination.attachments.storage import save_document
from coordination.audit.operations import record
from coordination.cases.models import Case, Person
from coordination.contacts.models import Contact, ContactDocument, ContactPerson
from coordination.contacts.policies import passes_contacts_on
from coordination.contacts.tasks import notify_passed_on
from coordination.core.db import utcnow
from coordination.core.errors import OperationError, check_version, field_error
from coordination.directory.models import Office, OfficeKind, Partnership
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
    "case_reference",
)
# The links to an office's case file (on a contact passed on: the liaison office's).
LINKS = ("case_id", "request_id")


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
    if (
        values["follow_up_due_at"] is not None
        and values["follow_up_due_at"] < values["occurred_at"]
    ):
        raise field_error(
            "follow_up_due_at", _("An answer cannot be due before the contact took place.")
        )
    if contact is not None and contact.forwarded_at is not None:
        # Passed on: the case, request and people are the liaison office's to link.
        values.update({name: getattr(contact, name) for name in LINKS})
        return values, [link.person for link in contact.people]
    people = _links(values, data, actor.office_id)
    return values, people


def _links(values: dict, data: dict, office_id: int) -> list[Person]:
    """Check the case, request and people ``values``/``data`` link: the office's own; a
    person of the linked case (or, with no case, of one of the office's cases)."""
    case = None
    if values["case_id"] is not None:
        case = db.session.get(Case, values["case_id"])
        if case is None or case.office_id != office_id:
            raise field_error("case_id", _("Choose one of your office's cases."))
    if values["request_id"] is not None:
        linked = db.session.get(Request, values["request_id"])
        ours = linked is not None and (
            linked.sender_office_id == office_id
            or (linked.recipient_office_id == office_id and linked.state != "draft")
        )
        if not ours:
            raise field_error("request_id", _("Choose one of your office's requests."))
    people = []
    for person_id in dict.fromkeys(data.get("person_ids") or []):
        person = db.session.get(Person, person_id)
        if person is None or person.case.office_id != office_id:
            raise field_error("person_ids", _("Choose people of your office's cases only."))
        if case is not None and person.case_id != case.id:
            raise field_error("person_ids", _("Choose people of the linked case only."))
        people.append(person)
    return people


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
    if data.get("forward") and not forward_targets(actor.office):
        raise field_error("forward", _("Your office passes no contacts to a liaison office."))
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
    if data.get("forward"):
        office_id = forward_targets(actor.office)[0].id
        forward_contact(contact, {"version": contact.version, "office_id": office_id}, actor=actor)
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


def forward_contact(contact: Contact, data: dict, *, actor) -> Contact:
    """A border guard station passes the contact to a liaison office of its province."""
    check_version(contact, data.get("version"))
    if contact.forwarded_at is not None:
        raise OperationError(_("This contact has already been passed on."))
    targets = forward_targets(contact.office)
    chosen = data.get("office_id") or (targets[0].id if len(targets) == 1 else None)
    office = next((target for target in targets if target.id == chosen), None)
    if office is None:
        raise field_error("office_id", _("Choose a liaison office of your province."))
    contact.forwarded_office_id = office.id
    contact.forwarded_at = utcnow()
    contact.forwarded_by_id = actor.id
    db.session.flush()
    record("contact.forward", actor=actor, target=contact, details={"office": office.code})
    notify_passed_on(contact)
    return contact


def forward_targets(office) -> list[Office]:
    """The active liaison offices of ``office``'s province, by code (none for an office that
    does not pass its contacts on)."""
    if not passes_contacts_on(office):
        return []
    return list(
        db.session.scalars(
            db.select(Office)
            .where(
                Office.province_id == office.province_id,
                Office.kind == OfficeKind.BORDER_LIAISON_OFFICE.value,
                Office.id != office.id,
                Office.active.is_(True),
            )
            .order_by(Office.code)
        )
    )


def link_records(contact: Contact, data: dict, *, actor) -> Contact:
    """The liaison office a contact was passed to links its own case, request and people."""
    check_version(contact, data.get("version"))
    values = {name: data.get(name) for name in LINKS}
    people = _links(values, data, actor.office_id)
    changes = {}
    for name, value in values.items():
        if getattr(contact, name) != value:
            changes[name] = [getattr(contact, name), value]
            setattr(contact, name, value)
    before = sorted(link.person_id for link in contact.people)
    after = sorted(person.id for person in people)
    if before != after:
        keep = {link.person_id: link for link in contact.people}
        contact.people = [keep.get(p.id) or ContactPerson(person=p) for p in people]
        changes["people"] = [before, after]
    if changes:
        contact.updated_at = utcnow()
    db.session.flush()
    if changes:
        record("contact.link", actor=actor, target=contact, details=changes)
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
    earlier = contact.partner_note
    if note:
        contact.partner_note = note
        contact.partner_note_at, contact.partner_note_by_id = now, actor.id
    db.session.flush()
    if confirm:
        record("contact.confirm", actor=actor, target=contact)
    if note:
        # The contact keeps the latest notes; the audit keeps every earlier text.
        record("contact.note", actor=actor, target=contact, details={"note": [earlier, note]})
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


def request_recipients(office_id: int) -> list[Office]:
    """The office's active partner offices, by name."""
    offices = [
        partnership.other_office(office_id)
        for partnership in db.session.scalars(
            db.select(Partnership).where(
                or_(Partnership.office_a_id == office_id, Partnership.office_b_id == office_id),
                Partnership.active.is_(True),
            )
        )
    ]
    return sorted((o for o in offices if o.active), key=lambda office: office.name)


def default_recipient(contact: Contact, office_id: int) -> int | None:
    """Whom a request made from the contact goes to: the contact's partner office if it is a
    partner of ``office_id`` (the office making the request); else, for a contact passed on
    by a border guard station, that office's partner liaison office in the same province as
    the station's partner (Pingxiang's liaison office for a call from Youyiguan)."""
    partners = request_recipients(office_id)
    if any(office.id == contact.partner_office_id for office in partners):
        return contact.partner_office_id
    theirs = contact.partner_office
    near = [o for o in partners if o.province_id == theirs.province_id]
    # The same city or county first (Pingxiang), then a liaison office, then by code.
    near.sort(
        key=lambda o: (
            o.area_id != theirs.area_id,
            o.kind != OfficeKind.BORDER_LIAISON_OFFICE,
            o.code,
        )
    )
    return near[0].id if near else None


def make_request(contact: Contact, data: dict, *, actor) -> Request:
    """A request to the contact's partner about its case and people, sent at once, in one
    step with linking it to the contact (exchange.operations.compose does the sending)."""
    check_version(contact, data.get("version"))
    if contact.request_id is not None:
        raise OperationError(_("A request has already been made from this contact."))
    people = [link.person_id for link in contact.people if link.person.case_id == contact.case_id]
    created = exchange_operations.compose(
        {
            "recipient_office_id": data.get("recipient_office_id")
            or default_recipient(contact, actor.office_id),
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

"""Actions on cases, people, events and missing-person reports. They flush, never commit."""

from __future__ import annotations

from datetime import date

from coordination.attachments.models import Document
from coordination.attachments.storage import save_document
from coordination.audit.operations import changes, record, snapshot
from coordination.auth.models import Role
from coordination.cases.models import (
    Case,
    CaseStatus,
    MissingPersonReport,
    MissingPersonStatus,
    Person,
    TraffickingEvent,
)
from coordination.core.errors import OperationError, check_version, field_error
from coordination.core.signals import missing_report_saved, person_saved
from coordination.directory.models import AdministrativeArea
from coordination.directory.operations import next_reference
from coordination.directory.queries import HOME_PLACE_KINDS, lies_within
from coordination.extensions import db
from coordination.i18n import _
from coordination.notifications.operations import Notice, notify_once, officers_of

CASE_FIELDS = ["title", "summary", "opened_on", "status"]
IDENTITY_FIELDS = [
    "name_as_written",
    "name_romanised",
    "sex",
    "date_of_birth",
    "estimated_age",
    "home_province_id",
    "home_commune_id",
    "home_address",
]
PERSON_FIELDS = [
    "role",
    *IDENTITY_FIELDS,
    "nationality",
    "relatives_contacts",
    "guardian",
    "flagged_child",
    "victim_status",
]
MISSING_FIELDS = [
    *IDENTITY_FIELDS,
    "missing_since",
    "last_seen_place",
    "last_seen_with",
    "reporter_name",
    "reporter_contact",
    "reporter_relationship",
]


def _apply(obj, data: dict, names: list[str]) -> None:
    for name in names:
        if name in data:
            setattr(obj, name, data[name])


def _check_home(data: dict, current=None) -> None:
    """The commune, if given, lies in the province given (or kept, for a partial update of
    ``current``)."""

    def value(name):
        if name in data or current is None:
            return data.get(name)
        return getattr(current, name)

    province_id, commune_id = value("home_province_id"), value("home_commune_id")
    province = db.session.get(AdministrativeArea, province_id) if province_id else None
    if province_id and province is None:
        raise field_error("home_province_id", _("Choose one of the listed options."))
    if commune_id:
        # The home place below the province: a commune, a Lao district, a Chinese county or
        # city (directory.queries.HOME_PLACE_KINDS), current, not a former unit.
        commune = db.session.get(AdministrativeArea, commune_id)
        if commune is None or commune.kind not in HOME_PLACE_KINDS or not commune.current:
            raise field_error("home_commune_id", _("Choose one of the listed options."))
        if province is not None and not lies_within(commune, province.id):
            raise field_error("home_commune_id", _("This commune is not in that province."))


# --- Cases ---------------------------------------------------------------------------------


def create_case(data: dict, *, actor) -> Case:
    case = Case(
        office_id=actor.office_id,
        number=next_reference(actor.office, "case", data["opened_on"].year),
        status=CaseStatus.OPEN,
        created_by_id=actor.id,
    )
    _apply(case, {**data, "status": CaseStatus.OPEN}, CASE_FIELDS)
    db.session.add(case)
    db.session.flush()
    record("case.create", actor=actor, target=case, details={"number": case.number})
    return case


def update_case(case: Case, data: dict, *, actor) -> Case:
    check_version(case, data.get("version"))
    before = snapshot(case, CASE_FIELDS)
    _apply(case, {k: v for k, v in data.items() if v is not None or k == "summary"}, CASE_FIELDS)
    diff = changes(case, before, CASE_FIELDS)
    if diff:
        db.session.flush()
        record("case.update", actor=actor, target=case, details=diff)
    return case


# --- People --------------------------------------------------------------------------------


def _check_birth_or_age(data: dict, current) -> None:
    """A partial update keeps what it does not send: the result has one or the other."""
    date_of_birth = data.get("date_of_birth", current.date_of_birth)
    estimated_age = data.get("estimated_age", current.estimated_age)
    if date_of_birth and estimated_age is not None:
        raise field_error(
            "estimated_age" if "estimated_age" in data else "date_of_birth",
            _("Give either the date of birth or an estimated age, not both."),
        )


def _identity_documents(data: dict) -> list[dict]:
    if data.get("identity_document_number"):
        return [
            {
                "kind": data.get("identity_document_kind") or "other",
                "number": data["identity_document_number"],
            }
        ]
    return []


def _updated_identity_documents(person: Person, data: dict) -> list[dict]:
    """The one document the form edits, changed only in what was sent."""
    if "identity_document_number" not in data and "identity_document_kind" not in data:
        return person.identity_documents
    current = person.identity_documents[0] if person.identity_documents else {}
    return _identity_documents(
        {
            "identity_document_kind": data.get("identity_document_kind", current.get("kind")),
            "identity_document_number": data.get("identity_document_number", current.get("number")),
        }
    )


def add_person(case: Case, data: dict, *, actor) -> Person:
    _check_home(data)
    person = Person(case=case, identity_documents=_identity_documents(data))
    _apply(person, data, PERSON_FIELDS)
    if person.estimated_age is not None:
        person.age_recorded_on = date.today()
    person.refresh_search_text()
    db.session.add(person)
    db.session.flush()
    person_saved.send(person, created=True, actor=actor)
    record("person.create", actor=actor, target=person, details={"case": case.number})
    return person


def update_person(person: Person, data: dict, *, actor) -> Person:
    """Change the fields given in ``data`` (a partial update leaves the others as they are).

    A child's protection is never lowered implicitly: a change after which a person recorded
    as a child is no longer one (flag removed, a birth date or age of 18 or more) needs
    ``confirm_not_child`` and ``not_child_reason``, and is audited with the reason.
    """
    check_version(person, data.get("version"))
    _check_home(data, person)
    _check_birth_or_age(data, person)
    fields = [*PERSON_FIELDS, "identity_documents", "age_recorded_on"]
    with db.session.no_autoflush:
        was_child = person.is_child()
        before = snapshot(person, fields)
        _apply(person, data, PERSON_FIELDS)
        person.identity_documents = _updated_identity_documents(person, data)
        if person.estimated_age is not None and person.estimated_age != before["estimated_age"]:
            person.age_recorded_on = date.today()
        no_longer_child = was_child and not person.is_child()
        if no_longer_child:
            try:
                _check_confirmed_not_child(data)
            except OperationError:
                for name in fields:
                    setattr(person, name, before[name])
                raise
    person.refresh_search_text()
    person_saved.send(person, created=False, actor=actor)
    diff = changes(person, before, [*PERSON_FIELDS, "identity_documents"])
    if diff:
        db.session.flush()
        # The audit log says which fields changed, not their values: it is widely readable.
        record("person.update", actor=actor, target=person, details={"fields": sorted(diff)})
    if no_longer_child:
        record(
            "person.not_a_child",
            actor=actor,
            target=person,
            details={"reason": data["not_child_reason"], "fields": sorted(diff)},
        )
    return person


def _check_confirmed_not_child(data: dict) -> None:
    errors = {}
    if not data.get("confirm_not_child"):
        errors["confirm_not_child"] = [
            _(
                "This person is recorded as a child, and this change would record them as an "
                "adult. Confirm that they are not a child, and give the reason."
            )
        ]
    if not data.get("not_child_reason"):
        errors["not_child_reason"] = [
            _("Give the reason why this person is no longer recorded as a child.")
        ]
    if errors:
        raise OperationError(next(iter(errors.values()))[0], errors)


def record_case_view(case: Case, *, actor) -> None:
    """A case page shows its people: reading it is reading their records."""
    record(
        "case.view",
        actor=actor,
        target=case,
        details={"people": [person.id for person in case.people]},
    )


def record_person_view(person: Person, *, actor) -> None:
    record("person.view", actor=actor, target=person, details={"case": person.case.number})


def add_event(case: Case, data: dict, *, actor) -> TraffickingEvent:
    if data.get("area_id") and db.session.get(AdministrativeArea, data["area_id"]) is None:
        raise field_error("area_id", _("Choose one of the listed options."))
    event = TraffickingEvent(case=case, **data)
    db.session.add(event)
    db.session.flush()
    record("event.create", actor=actor, target=case, details={"kind": event.kind})
    return event


# --- Missing-person register ---------------------------------------------------------------


def create_missing_report(data: dict, *, actor) -> MissingPersonReport:
    _check_home(data)
    report = MissingPersonReport(office_id=actor.office_id, created_by_id=actor.id)
    _apply(report, data, MISSING_FIELDS)
    report.refresh_search_text()
    db.session.add(report)
    db.session.flush()
    missing_report_saved.send(report, created=True, actor=actor)
    record("missing_report.create", actor=actor, target=report)
    return report


def update_missing_report(report: MissingPersonReport, data: dict, *, actor):
    """Change the fields given in ``data`` (a partial update leaves the others as they are)."""
    check_version(report, data.get("version"))
    _check_home(data, report)
    _check_birth_or_age(data, report)
    before = snapshot(report, MISSING_FIELDS)
    _apply(report, data, MISSING_FIELDS)
    report.refresh_search_text()
    missing_report_saved.send(report, created=False, actor=actor)
    diff = changes(report, before, MISSING_FIELDS)
    if diff:
        db.session.flush()
        record(
            "missing_report.update", actor=actor, target=report, details={"fields": sorted(diff)}
        )
    return report


def record_missing_view(report: MissingPersonReport, *, actor) -> None:
    record("missing_report.view", actor=actor, target=report)


def close_missing_report(report: MissingPersonReport, data: dict, *, actor):
    """Close an entry: the person was found (on a date), or the report is withdrawn."""
    check_version(report, data.get("version"))
    if report.status != MissingPersonStatus.OPEN:
        raise OperationError(_("This entry is already closed."))
    if data.get("found") and not data.get("found_on"):
        raise field_error("found_on", _("Give the date the person was found."))
    if data.get("found_on") and data["found_on"] < report.missing_since:
        raise field_error("found_on", _("The person cannot be found before going missing."))
    report.status = MissingPersonStatus.FOUND if data.get("found") else MissingPersonStatus.CLOSED
    report.found_on = data.get("found_on") if data.get("found") else None
    report.outcome_note = data.get("outcome_note")
    db.session.flush()
    record("missing_report.close", actor=actor, target=report, details={"status": report.status})
    return report


# --- The journey: changes made by what happens in higher features --------------------------
# A confirmed match (matching) and a completed handover (handovers) move these records on;
# the higher feature's receiver calls these, with the cause, which each audit entry names.


NOTICE_FOUND = "missing_found"  # a notification kind of this feature (cases.setup)


def mark_found_by_match(
    report: MissingPersonReport,
    *,
    request_id: int,
    request_person_id: int,
    request_reference: str | None,
    decision_id: int,
    found_on: date,
    actor,
) -> bool:
    """The person of an open entry was found: an officer confirmed that a partner's request
    asks about them. The entry names the request and the person in it. False (nothing
    changed) for an entry already found or closed."""
    if report.status != MissingPersonStatus.OPEN:
        return False
    report.status = MissingPersonStatus.FOUND
    report.found_on = max(found_on, report.missing_since)
    report.found_request_id = request_id
    report.found_request_person_id = request_person_id
    db.session.flush()
    record(
        "missing_report.found_by_match",
        actor=actor,
        target=report,
        details={
            "status": report.status,
            "request": request_reference,
            "request_person": request_person_id,
            "match_decision": decision_id,
        },
    )
    # The report's office tells the family: its liaison officers are notified (the notice
    # names no one; the page it leads to shows who reported and how to reach them).
    notify_once(
        Notice(
            user_id=user_id,
            kind=NOTICE_FOUND,
            subject_key=f"missing:{report.id}",
            due_slot=f"request_person:{request_person_id}",
        )
        for user_id in officers_of([report.office_id], Role.LIAISON_OFFICER).get(
            report.office_id, []
        )
        if user_id != actor.id
    )
    return True


def withdraw_found_by_match(
    report: MissingPersonReport, *, request_person_id: int, request_reference, actor
) -> bool:
    """The match that found this entry was withdrawn ("not this person"): it is missing
    again. An entry found or closed otherwise is left as it is."""
    if (
        report.status != MissingPersonStatus.FOUND
        or report.found_request_person_id != request_person_id
    ):
        return False
    report.status = MissingPersonStatus.OPEN
    report.found_on = None
    report.found_request_id = None
    report.found_request_person_id = None
    db.session.flush()
    record(
        "missing_report.match_withdrawn",
        actor=actor,
        target=report,
        details={
            "status": report.status,
            "request": request_reference,
            "request_person": request_person_id,
        },
    )
    return True


# A case moves to "handed over" from the states before it; one already further on (in
# support, follow-up, closed) stays where it is.
BEFORE_HANDOVER = (
    CaseStatus.OPEN,
    CaseStatus.VERIFICATION,
    CaseStatus.VICTIM_DETERMINED,
    CaseStatus.HANDOVER_SCHEDULED,
)


def mark_handed_over(
    case: Case, people: list[Person], *, handover_id: int, record_number: str | None, actor
) -> bool:
    """A handover at the gate was completed for ``people`` of ``case``: the case moves to
    "handed over", and each person's history says so. True if the case's status changed."""
    cause = {"handover": handover_id, "number": record_number}
    for person in people:
        record("person.handed_over", actor=actor, target=person, details=cause)
    if case.status not in BEFORE_HANDOVER:
        return False
    before = case.status
    case.status = CaseStatus.HANDED_OVER
    db.session.flush()
    record(
        "case.handed_over",
        actor=actor,
        target=case,
        details={"previous_status": before, "status": case.status, **cause},
    )
    return True


# --- Documents and photos ------------------------------------------------------------------


def attach_to_case(case: Case, files, *, actor) -> list:
    """Store scans and photos (bytes, content type, name) in the case's file."""
    documents = [
        save_document(
            data, content_type, name, office_id=case.office_id, uploader=actor, case_id=case.id
        )
        for data, content_type, name in files
    ]
    for document in documents:
        record(
            "document.upload",
            actor=actor,
            target=case,
            details={"document": document.id, "name": document.filename},
        )
    return documents


def set_photo(person: Person, data: bytes, content_type: str, name: str | None, *, actor):
    case = person.case
    photo = save_document(
        data, content_type, name, office_id=case.office_id, uploader=actor, case_id=case.id
    )
    previous = db.session.get(Document, person.photo_id) if person.photo_id else None
    person.photo_id = photo.id
    if previous is not None and person.is_child():
        # A child's earlier photo is no ordinary file of the case once replaced: it leaves
        # the case's files (row and bytes are kept, for the record) so that no one reaches
        # it through the case, as the child's current photo is protected.
        previous.case_id = None
    db.session.flush()
    details = {"document": photo.id}
    if previous is not None:
        details["replaced"] = previous.id
    record("person.photo", actor=actor, target=person, details=details)
    return photo

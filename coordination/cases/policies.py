"""Who may see and change cases, people and missing-person reports.

A case belongs to the office that opened it. Partner offices never see a case: they see
only the requests sent to them (see exchange.policies). Who sees a case's files is decided
here too (case_document_access, registered with the attachments feature). Administrators
run the system and do not read case files (need to know). Children's photos and exact
addresses are for the case office's liaison officers, social workers and supervisors.
"""

from __future__ import annotations

from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.cases.models import Case, MissingPersonReport, Person
from coordination.extensions import db

CASE_WORKERS = (Role.LIAISON_OFFICER, Role.SOCIAL_WORKER, Role.SUPERVISOR)


def _in_province(user: User, office) -> bool:
    return user.has_role(Role.SUPERVISOR) and user.office.province_id == office.province_id


def can_open_case(user: User) -> bool:
    return user.is_active and user.has_role(Role.LIAISON_OFFICER)


def can_view_case(user: User, case: Case) -> bool:
    if not user.is_active:
        return False
    if user.office_id == case.office_id:
        return any(user.has_role(role) for role in (*CASE_WORKERS, Role.BORDER_GUARD))
    return _in_province(user, case.office)


def can_edit_case(user: User, case: Case) -> bool:
    return (
        user.is_active and user.office_id == case.office_id and user.has_role(Role.LIAISON_OFFICER)
    )


def can_view_person(user: User, person: Person) -> bool:
    return can_view_case(user, person.case)


def can_edit_person(user: User, person: Person) -> bool:
    return can_edit_case(user, person.case)


def can_see_protected_details(user: User, person: Person) -> bool:
    """A child's photo and exact address: only for those who work the case."""
    if not can_view_person(user, person):
        return False
    return any(user.has_role(role) for role in CASE_WORKERS)


def can_report_missing(user: User) -> bool:
    return user.is_active and user.has_role(Role.LIAISON_OFFICER)


def can_view_missing(user: User, report: MissingPersonReport) -> bool:
    """The register serves identity verification across the country's provinces."""
    if not user.is_active:
        return False
    same_country = user.office.area.country_id == report.office.area.country_id
    return same_country and (user.has_role(Role.LIAISON_OFFICER) or user.has_role(Role.SUPERVISOR))


def tells_the_family(user: User, report: MissingPersonReport) -> bool:
    """The office the family reported to tells them their relative was found: its users
    (who see the register) get the reporter's contact beside the news."""
    return user.office_id == report.office_id and can_view_missing(user, report)


def sees_found_request(user: User, report: MissingPersonReport) -> bool:
    """Which partner's request found the entry, and whom in it: for the office the family
    reported to, and the two offices of that request (what the partner shared stays
    between them)."""
    found = report.found_request
    if found is None or not can_view_missing(user, report):
        return False
    parties = {report.office_id, found.sender_office_id, found.recipient_office_id}
    return user.office_id in parties


def can_edit_missing(user: User, report: MissingPersonReport) -> bool:
    if not user.is_active:
        return False
    if user.office_id == report.office_id and user.has_role(Role.LIAISON_OFFICER):
        return True
    return _in_province(user, report.office)


def case_document_access(user: User, document) -> bool | None:
    """The rule of the attachments feature's DOCUMENT_ACCESS for the files of a case: seen
    by whoever may see the case; a child's photo only by those who see the child's
    protected details. None for a file that is not a case's."""
    if document.case_id is None:
        return None
    case = db.session.get(Case, document.case_id)
    if case is None or not can_view_case(user, case):
        return False
    # A photo of a child is protected like the child's address.
    person = db.session.scalar(select(Person).where(Person.photo_id == document.id))
    return person is None or not person.is_child() or can_see_protected_details(user, person)

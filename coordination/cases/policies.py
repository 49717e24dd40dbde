"""Who may see and change cases, people and missing-person reports.

A case belongs to the office that opened it. Partner offices never see a case: they see
only the requests sent to them (see exchange.policies, which also decides who sees the
files of a request's thread: hook ``DOCUMENT_ACCESS``). Administrators run the system and
do not read case files (need to know). Children's photos and exact addresses are for the
case office's liaison officers, social workers and supervisors.
"""

from __future__ import annotations

from sqlalchemy import select

from coordination.auth.models import Role, User
from coordination.cases.models import Case, Document, MissingPersonReport, Person
from coordination.core.panels import hooks
from coordination.extensions import db

CASE_WORKERS = (Role.LIAISON_OFFICER, Role.SOCIAL_WORKER, Role.SUPERVISOR)

# Hook: who may see a file attached to another feature's record (exchange: a file of a
# request's thread). function(user, document) -> True or False for a file it owns, None
# for a file it does not; the first answer decides.
DOCUMENT_ACCESS = "cases.document_access"


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


def can_edit_missing(user: User, report: MissingPersonReport) -> bool:
    if not user.is_active:
        return False
    if user.office_id == report.office_id and user.has_role(Role.LIAISON_OFFICER):
        return True
    return _in_province(user, report.office)


def can_view_document(user: User, document: Document) -> bool:
    """A file is seen by whoever may see what it is attached to."""
    for rule in hooks(DOCUMENT_ACCESS):
        answer = rule(user, document)
        if answer is not None:
            return answer
    if document.case_id is not None:
        case = db.session.get(Case, document.case_id)
        if case is None or not can_view_case(user, case):
            return False
        # A photo of a child is protected like the child's address.
        person = db.session.scalar(select(Person).where(Person.photo_id == document.id))
        return person is None or not person.is_child() or can_see_protected_details(user, person)
    return False

"""Loading a case, person or missing-person report for a user: views and API alike.

Each returns the record or answers 404 (missing, or not visible to ``user``), so that the
access check cannot be forgotten on the way in.
"""

from __future__ import annotations

from coordination.cases import policies
from coordination.cases.models import Case, MissingPersonReport, Person
from coordination.core.access import get_visible_or_404


def case_or_404(case_id: int, user) -> Case:
    return get_visible_or_404(Case, case_id, policies.can_view_case, user)


def person_or_404(person_id: int, user) -> Person:
    return get_visible_or_404(Person, person_id, policies.can_view_person, user)


def missing_report_or_404(report_id: int, user) -> MissingPersonReport:
    return get_visible_or_404(MissingPersonReport, report_id, policies.can_view_missing, user)

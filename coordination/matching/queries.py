"""Candidates for a person named in an identity-verification request, among what the
verifying user may see: their country's missing-person register, their cases' people."""

from __future__ import annotations

from sqlalchemy import select

from coordination.cases.models import Case, MissingPersonReport, Person
from coordination.cases.queries import visible_cases, visible_missing_reports
from coordination.extensions import db
from coordination.matching.index import candidate_ids
from coordination.matching.scoring import Candidate, rank


def candidates_for(user, shared: dict, limit: int = 5) -> list[Candidate]:
    visible_people = select(Person.id).where(
        Person.case_id.in_(visible_cases(user).with_only_columns(Case.id))
    )
    visible_missing = visible_missing_reports(user).with_only_columns(MissingPersonReport.id)
    people_ids = candidate_ids(shared, "person", visible_people)
    missing_ids = candidate_ids(shared, "missing", visible_missing)
    records: list[tuple[str, object]] = []
    if people_ids:
        records += [
            ("person", person)
            for person in db.session.scalars(select(Person).where(Person.id.in_(people_ids)))
        ]
    if missing_ids:
        records += [
            ("missing", report)
            for report in db.session.scalars(
                select(MissingPersonReport).where(MissingPersonReport.id.in_(missing_ids))
            )
        ]
    return rank(shared, records, limit)

"""Candidates among what a user may see (their country's missing-person register, their
cases' people), the decisions taken on them, and the people search."""

from __future__ import annotations

from sqlalchemy import select

from coordination.cases.models import Case, MissingPersonReport, Person
from coordination.cases.queries import visible_cases, visible_missing_reports
from coordination.exchange.models import VerificationResult
from coordination.extensions import db
from coordination.matching.index import candidate_ids
from coordination.matching.models import MatchDecision, MatchDecisionKind
from coordination.matching.names import comparable_forms
from coordination.matching.places import RequestedPlace, requested_place
from coordination.matching.scoring import Candidate, rank

RECORD_KINDS = ("person", "missing")
SEARCH_LIMIT = 20
MIN_SEARCH_SCORE = 60


def _visible_ids(user, record_kind: str):
    if record_kind == "person":
        return select(Person.id).where(
            Person.case_id.in_(visible_cases(user).with_only_columns(Case.id))
        )
    return visible_missing_reports(user).with_only_columns(MissingPersonReport.id)


def _model(record_kind: str):
    return Person if record_kind == "person" else MissingPersonReport


def place_asked_about(user, shared: dict) -> RequestedPlace:
    """The home place of a shared person, read in the user's country (whose register and
    cases the candidates come from)."""
    return requested_place(shared, user.office.area.country_id)


def candidates_for(user, shared: dict, limit: int = 5) -> list[Candidate]:
    place = place_asked_about(user, shared)
    records: list[tuple[str, object]] = []
    for kind in RECORD_KINDS:
        ids = candidate_ids(shared, kind, _visible_ids(user, kind), place)
        if ids:
            model = _model(kind)
            query = select(model).where(model.id.in_(ids))
            records += [(kind, found) for found in db.session.scalars(query)]
    return rank(shared, records, limit, place)


def rank_one(user, shared: dict, record_kind: str, found) -> Candidate:
    """The score and reasons of one record (opened from the list, or from a link)."""
    return rank(shared, [(record_kind, found)], 1, place_asked_about(user, shared))[0]


def visible_record(user, record_kind: str, record_id: int):
    """The person or register entry, if ``user`` may see it; None otherwise."""
    if record_kind not in RECORD_KINDS:
        return None
    model = _model(record_kind)
    visible = model.id.in_(_visible_ids(user, record_kind))
    return db.session.scalar(select(model).where(model.id == record_id, visible))


def unreadable_text(*names: str | None) -> str:
    """The parts of names written in a script the matcher cannot read (said to the user)."""
    return "".join(comparable_forms(name).unreadable for name in names if name)


def decisions_for(shared_ids) -> dict[int, dict[tuple[str, int], MatchDecision]]:
    """Decisions taken on the candidates of these requested people, by person."""
    found: dict[int, dict[tuple[str, int], MatchDecision]] = {}
    if not shared_ids:
        return found
    query = select(MatchDecision).where(MatchDecision.request_person_id.in_(list(shared_ids)))
    for decision in db.session.scalars(query):
        key = (decision.record_kind, decision.record_id)
        found.setdefault(decision.request_person_id, {})[key] = decision
    return found


def suggested_outcomes(shared_ids) -> dict[int, str]:
    """A confirmed match pre-fills "identity confirmed" in the reply for that person."""
    query = select(MatchDecision.request_person_id).where(
        MatchDecision.request_person_id.in_(list(shared_ids)),
        MatchDecision.decision == MatchDecisionKind.CONFIRMED,
    )
    return dict.fromkeys(db.session.scalars(query), VerificationResult.CONFIRMED.value)


def candidates_and_decided(user, shared_person, decided: dict, limit: int = 5) -> list[Candidate]:
    """The best candidates, plus any record already decided on that ranks lower."""
    found = candidates_for(user, shared_person.shared, limit)
    listed = {(candidate.record_kind, candidate.record.id) for candidate in found}
    for kind, record_id in decided:
        if (kind, record_id) not in listed:
            decided_record = visible_record(user, kind, record_id)
            if decided_record is not None:
                found.append(rank_one(user, shared_person.shared, kind, decided_record))
    return found


def search_people(user, text: str, limit: int = SEARCH_LIMIT) -> list[Candidate]:
    """People whose names are like ``text``, scored on the name alone (0–100)."""
    found = candidates_for(user, {"name_as_written": text}, limit)
    for candidate in found:
        candidate.score = candidate.name_score
    # A shared syllable or two ("Nguyễn Thị") brings many; only names alike are answers.
    return [candidate for candidate in found if candidate.score >= MIN_SEARCH_SCORE]

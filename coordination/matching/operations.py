"""Actions of the matching feature: keeping the name index current, deciding matches.
Never commits."""

from __future__ import annotations

from sqlalchemy import delete, select

from coordination.audit.operations import record as record_audit
from coordination.cases.models import MissingPersonReport, Person
from coordination.core.db import utcnow
from coordination.core.errors import OperationError
from coordination.core.signals import match_confirmed, match_withdrawn
from coordination.directory.models import AdministrativeArea
from coordination.exchange.models import RequestPerson
from coordination.extensions import db
from coordination.i18n import _
from coordination.matching.index import blocking_keys, place_keys
from coordination.matching.models import MatchDecision, MatchDecisionKind, NameKey
from coordination.matching.places import place_names_of
from coordination.matching.policies import OPEN_FOR_VERIFICATION
from coordination.matching.search import search_keys


def index_name(record_kind: str, record) -> None:
    """Replace the keys of one person or register entry (call after it is created or edited:
    the keys follow its names and its home commune)."""
    names = (record.name_as_written, record.name_romanised)
    keys = blocking_keys(*names) | place_keys(names, place_names_of(record.home_commune_id))
    keys |= search_keys(*names)  # each word of the name, for the people search (search.py)
    db.session.execute(
        delete(NameKey).where(NameKey.record_kind == record_kind, NameKey.record_id == record.id)
    )
    db.session.add_all(
        NameKey(record_kind=record_kind, record_id=record.id, key=key) for key in sorted(keys)
    )


def reindex_home_place(area_id: int) -> int:
    """Re-key the people and register entries from a place (or from the communes under it)
    after its name changed: their place keys hold its name. Returns how many."""
    communes = select(AdministrativeArea.id).where(
        (AdministrativeArea.id == area_id) | (AdministrativeArea.parent_id == area_id)
    )
    count = 0
    for kind, model in (("person", Person), ("missing", MissingPersonReport)):
        for found in db.session.scalars(select(model).where(model.home_commune_id.in_(communes))):
            index_name(kind, found)
            count += 1
    return count


def decide_match(
    shared_person: RequestPerson,
    record_kind: str,
    record,
    decision: str,
    *,
    note: str | None,
    score: float | None,
    actor,
) -> MatchDecision:
    """Record that ``record`` is (or is not) the person the partner asked about.

    One confirmed match per requested person: confirming another candidate first needs
    the earlier confirmation withdrawn (marked "not this person").
    """
    decision = MatchDecisionKind(decision)
    request = shared_person.request
    if request.state not in OPEN_FOR_VERIFICATION:
        raise OperationError(
            _("This request is %(state)s: matches can no longer be decided.",
              state=request.state_label)
        )  # fmt: skip
    found = db.session.scalar(
        select(MatchDecision).where(
            MatchDecision.request_person_id == shared_person.id,
            MatchDecision.record_kind == record_kind,
            MatchDecision.record_id == record.id,
        )
    )
    if decision == MatchDecisionKind.CONFIRMED:
        other = db.session.scalar(
            select(MatchDecision).where(
                MatchDecision.request_person_id == shared_person.id,
                MatchDecision.decision == MatchDecisionKind.CONFIRMED,
                (MatchDecision.record_kind != record_kind) | (MatchDecision.record_id != record.id),
            )
        )
        if other is not None:
            raise OperationError(
                _("Another record is already confirmed as this person. "
                  "Mark it as not this person first.")
            )  # fmt: skip
    withdrawn = (
        found is not None
        and found.decision == MatchDecisionKind.CONFIRMED
        and decision != MatchDecisionKind.CONFIRMED
    )
    if found is None:
        found = MatchDecision(
            request_person_id=shared_person.id, record_kind=record_kind, record_id=record.id
        )
        db.session.add(found)
    found.decision = decision.value
    found.note = note
    found.score = score
    found.decided_by_id = actor.id
    found.decided_at = utcnow()
    db.session.flush()
    record_audit(
        f"match.{decision.value}",
        actor=actor,
        target=request,
        details={
            "request_person": shared_person.id,
            "record_kind": record_kind,
            "record_id": record.id,
            "score": score,
        },
        subject_office_id=actor.office_id,
    )
    if decision == MatchDecisionKind.CONFIRMED or withdrawn:
        sent = match_confirmed if decision == MatchDecisionKind.CONFIRMED else match_withdrawn
        sent.send(
            found,
            request_person=shared_person,
            record_kind=record_kind,
            record=record,
            actor=actor,
        )
    return found


def record_candidates_shown(request, candidates, *, actor) -> None:
    """Candidates put names and birth years of register entries and case people on screen:
    which records were shown, to whom, is audited like any view of a person's record."""
    if not candidates:
        return
    record_audit(
        "match.candidates_shown",
        actor=actor,
        target=request,
        details={"records": [[c.record_kind, c.record.id] for c in candidates]},
        subject_office_id=actor.office_id,
    )

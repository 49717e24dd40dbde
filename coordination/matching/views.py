"""Verifying a requested person against one's own records, and the people search."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from coordination.audit.operations import record
from coordination.cases.models import Person
from coordination.cases.operations import record_missing_view, record_person_view
from coordination.cases.policies import can_see_protected_details
from coordination.core.access import require
from coordination.core.validation import load_form
from coordination.core.views import attempt, render_form
from coordination.exchange.models import RequestPerson
from coordination.exchange.policies import can_view_request
from coordination.exchange.presenters import shared_rows
from coordination.extensions import db
from coordination.matching import operations, policies, queries
from coordination.matching.models import MatchDecisionKind
from coordination.matching.presenters import comparison_rows
from coordination.matching.schemas import DecisionSchema, PeopleSearchArgs
from coordination.matching.search import find_people

bp = Blueprint("matching", __name__, template_folder="templates")


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user; each view then checks its own policy."""


def load_shared_person(shared_id: int) -> RequestPerson:
    found = db.session.get(RequestPerson, shared_id)
    require(found is not None and can_view_request(current_user, found.request))
    require(policies.can_review_candidates(current_user, found.request), hide=False)
    return found


def _show_protected(record) -> bool:
    if isinstance(record, Person) and record.is_child():
        return can_see_protected_details(current_user, record)
    return True


@bp.route("/verification/<int:shared_id>")
def candidates(shared_id: int):
    shared = load_shared_person(shared_id)
    record("request.view", actor=current_user, target=shared.request)
    decisions = queries.decisions_for([shared.id]).get(shared.id, {})
    found = queries.candidates_and_decided(current_user, shared, decisions, limit=10)
    operations.record_candidates_shown(shared.request, found, actor=current_user)
    return render_form(
        "matching/candidates.html",
        shared=shared,
        req=shared.request,
        shared_rows=shared_rows(shared),
        found=found,
        decisions=decisions,
        unreadable=queries.unreadable_text(*shared.names()),
    )


@bp.route("/verification/<int:shared_id>/<any(person, missing):kind>/<int:record_id>",
          methods=["GET", "POST"])  # fmt: skip
def compare(shared_id: int, kind: str, record_id: int):
    shared = load_shared_person(shared_id)
    candidate_record = queries.visible_record(current_user, kind, record_id)
    require(candidate_record is not None)
    errors = {}
    scored = queries.rank_one(current_user, shared.shared, kind, candidate_record)
    if request.method == "POST":
        require(policies.can_decide_match(current_user, shared.request), hide=False)
        data, errors = load_form(DecisionSchema(), request.form)
        if not errors:
            _decision, errors = attempt(
                operations.decide_match,
                shared,
                kind,
                candidate_record,
                data["decision"],
                note=data.get("note"),
                score=scored.score,
                actor=current_user,
            )
        if not errors:
            flash(MatchDecisionKind(data["decision"]).label, "success")
            return redirect(
                url_for("exchange.detail", request_id=shared.request_id, _anchor=f"p{shared.id}")
            )
    # Both records are personal data: the view of each is audited.
    record("request.view", actor=current_user, target=shared.request)
    _record_view(kind, candidate_record)
    show_protected = _show_protected(candidate_record)
    return render_form(
        "matching/compare.html",
        errors,
        shared=shared,
        req=shared.request,
        kind=kind,
        candidate=candidate_record,
        scored=scored,
        rows=comparison_rows(
            shared.shared,
            candidate_record,
            name_score=scored.name_score,
            same_place=scored.same_place,
            show_protected=show_protected,
        ),
        show_photo=bool(candidate_record.photo_id) and show_protected and kind == "person",
        decision=queries.decisions_for([shared.id]).get(shared.id, {}).get((kind, record_id)),
        can_decide=policies.can_decide_match(current_user, shared.request),
        decision_options=[(choice.value, choice.label) for choice in MatchDecisionKind],
    )


def _record_view(kind: str, candidate_record) -> None:
    if kind == "person":
        record_person_view(candidate_record, actor=current_user)
    else:
        record_missing_view(candidate_record, actor=current_user)


@bp.route("/search/people")
def search():
    require(policies.can_search_people(current_user))
    args, errors = load_form(PeopleSearchArgs(), request.args)
    text = (args or {}).get("q")
    answer = None
    if text and not errors:
        answer = find_people(current_user, text, page=args.get("page") or 1)
        # Who looked for whom is itself sensitive: the search is audited like a view.
        details = {"query": text, "found": answer.shown}
        if answer.page > 1:
            details["page"] = answer.page
        record("person.search", actor=current_user, details=details)
    return render_form(
        "matching/search.html",
        errors,
        text=text or request.args.get("q", "")[:200],
        answer=answer,
        searched=answer is not None,
        unreadable=queries.unreadable_text(text) if text else "",
    )

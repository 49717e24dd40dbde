"""Inbox, outbox, composing a request, and its thread."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import lazyload

from coordination.attachments.storage import read_uploads
from coordination.audit.operations import record
from coordination.cases.models import Case
from coordination.cases.policies import can_edit_case
from coordination.core.access import require
from coordination.core.paging import paginate
from coordination.core.panels import hooks, panels_for
from coordination.core.validation import load_form, parse_ids
from coordination.core.views import attempt, record_named, render_form
from coordination.directory.models import Partnership, RequestKind
from coordination.directory.queries import visible_partnerships
from coordination.exchange import operations, policies, queries
from coordination.exchange.loaders import request_or_404
from coordination.exchange.models import (
    STEP_BUTTON_LABELS,
    MessageKind,
    Request,
    RequestState,
    VerificationResult,
)
from coordination.exchange.presenters import shared_rows
from coordination.exchange.schemas import (
    DEFAULT_SHARED,
    SHAREABLE_FIELDS,
    ComposeSchema,
    ListArgs,
    StepSchema,
)
from coordination.extensions import db
from coordination.i18n import _
from coordination.notifications.operations import mark_read

bp = Blueprint("exchange", __name__, url_prefix="/requests", template_folder="templates")


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user; each view then checks its own policy."""


def load_request(request_id: int) -> Request:
    return request_or_404(request_id, current_user)


def _list(box: str):
    args, errors = load_form(ListArgs(), request.args)
    args = args or {}
    page = paginate(queries.box(current_user, box, **{k: v for k, v in args.items() if v}))
    partners = [
        p.other_office(current_user.office_id)
        for p in db.session.scalars(
            # The partners' names only: not each partnership's reply deadlines.
            visible_partnerships(current_user, current_user.office_id).options(
                lazyload(Partnership.deadlines)
            )
        )
    ]
    return render_form(
        "exchange/list.html",
        page=page,
        box=box,
        args=args,
        filter_errors=errors,
        kinds=[(kind.value, kind.label) for kind in RequestKind],
        states=[(state.value, state.label) for state in RequestState],
        partners=partners,
        can_send=policies.can_send_requests(current_user),
    )


@bp.route("/inbox")
def inbox():
    return _list("inbox")


@bp.route("/outbox")
def outbox():
    return _list("outbox")


def _compose_page(case: Case | None, errors: dict):
    partnerships = db.session.scalars(
        visible_partnerships(current_user, current_user.office_id)
    ).all()
    submitted = request.method == "POST"
    return render_form(
        "exchange/compose.html",
        errors,
        case=case,
        partner_options=[
            (p.other_office(current_user.office_id).id, p.other_office(current_user.office_id).name)
            for p in partnerships
            if p.active
        ],
        kinds=[(kind.value, kind.label) for kind in RequestKind],
        shareable=[(name, str(label)) for name, label in SHAREABLE_FIELDS.items()],
        shared_checked=request.form.getlist("shared_fields") if submitted else DEFAULT_SHARED,
        people_checked=parse_ids(request.form.getlist("person_ids"))
        if submitted
        else [person.id for person in case.people]
        if case
        else [],
    )


@bp.route("/new", methods=["GET", "POST"])
def compose():
    require(policies.can_send_requests(current_user), hide=False)
    case = record_named(Case, "case", "case_id")
    if case is not None:
        # Another office's case: 404 as for one that does not exist.
        require(can_edit_case(current_user, case))
    errors = {}
    if request.method == "POST":
        data, errors = load_form(ComposeSchema(), request.form)
        files, file_errors = read_uploads(request.files.getlist("attachments"), "attachments")
        errors = {**errors, **file_errors}
        if not errors:
            created, errors = attempt(operations.compose, data, actor=current_user, files=files)
        if not errors:
            if created.state == RequestState.SENT:
                flash(
                    _("Request %(reference)s has been sent.", reference=created.reference),
                    "success",
                )
            else:
                flash(_("The draft has been saved."), "success")
            return redirect(url_for("exchange.detail", request_id=created.id))
    return _compose_page(case, errors)


@bp.route("/<int:request_id>")
def detail(request_id: int):
    found = load_request(request_id)
    if found.people:
        # The shared people's data is personal data: every view is audited.
        record("request.view", actor=current_user, target=found)
    mark_read(current_user, found.id)
    return _thread_page(found)


def _thread_page(found: Request, errors: dict | None = None):
    steps = policies.allowed_steps(current_user, found)
    needs_outcomes = found.kind == RequestKind.IDENTITY_VERIFICATION and bool(found.people)
    return render_form(
        "exchange/detail.html",
        errors,
        req=found,
        steps=steps,
        outcome_options=[(result.value, result.label) for result in VerificationResult],
        needs_outcomes=needs_outcomes,
        shared_rows=shared_rows,
        outcome_values=_outcome_values(found) if needs_outcomes and "reply" in steps else {},
        # Other features' parts of the page: in each person's part (matching's candidates),
        # and below the people (scheduling a handover).
        person_panels=panels_for("request.person", found, current_user),
        panels=panels_for("request.detail", found, current_user),
        viewer_is_sender=current_user.office_id == found.sender_office_id,
        step_labels={step.value: str(label) for step, label in STEP_BUTTON_LABELS.items()},
    )


def _outcome_values(found: Request) -> dict[int, str | None]:
    """The reply's outcome per person: as submitted, else what other features suggest
    (matching: the person's confirmed match). Hook "request.suggested_outcomes":
    function(request) -> {request person id: VerificationResult value}."""
    suggested: dict[int, str] = {}
    for suggest in hooks("request.suggested_outcomes"):
        suggested.update(suggest(found))
    return {
        shared.id: request.form.get(f"outcome_{shared.id}") or suggested.get(shared.id)
        for shared in found.people
    }


@bp.route("/<int:request_id>/steps", methods=["POST"])
def step(request_id: int):
    found = load_request(request_id)
    data, errors = load_form(StepSchema(), request.form)
    if not errors and not policies.can_take_step(current_user, found, data["step"]):
        message = _(
            "This step is not possible now: the request is %(state)s.", state=found.state_label
        )
        errors = {"_schema": [message]}
    if not errors:
        outcomes = {
            shared.id: request.form.get(f"outcome_{shared.id}") or None for shared in found.people
        }
        files, errors = read_uploads(request.files.getlist("attachments"), "attachments")
    if not errors:
        _message, errors = attempt(
            operations.take_step,
            found,
            MessageKind(data["step"]),
            data,
            outcomes,
            actor=current_user,
            files=files,
        )
    if errors:
        return _thread_page(found, errors)
    flash(_("Done: %(step)s.", step=MessageKind(data["step"]).label), "success")
    return redirect(url_for("exchange.detail", request_id=found.id))

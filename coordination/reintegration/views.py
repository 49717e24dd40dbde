"""A centre's caseload and referrals, a person's reintegration file, and its forms."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask_babel import get_locale, get_timezone
from flask_login import current_user, login_required

from coordination.cases.loaders import person_or_404
from coordination.core.access import get_visible_or_404, require
from coordination.core.validation import load_form
from coordination.core.views import paginate, render_form, submit
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.i18n import _
from coordination.notifications.operations import mark_read
from coordination.reintegration import operations, policies, queries
from coordination.reintegration.history import build_history
from coordination.reintegration.history_pdf import render_history
from coordination.reintegration.models import (
    ClosureReason,
    FollowUpVisit,
    Referral,
    RiskLevel,
    ServiceType,
    Stage,
    SupportService,
    VisitMethod,
)
from coordination.reintegration.schemas import (
    AnswerSchema,
    CaseloadArgs,
    ClosureDecisionSchema,
    ClosureRequestSchema,
    ConsentWithdrawalSchema,
    EndSupportSchema,
    ExtraVisitSchema,
    IntakeSchema,
    ReferSchema,
    ServiceFormSchema,
    VisitSchema,
)

bp = Blueprint("reintegration", __name__, url_prefix="/reintegration", template_folder="templates")


@bp.before_request
@login_required
def _signed_in():
    return None


def _options(enum) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]


@bp.context_processor
def _helpers():
    return {
        "service_types": _options(ServiceType),
        "risk_levels": _options(RiskLevel),
        "visit_methods": _options(VisitMethod),
        "closure_reasons": _options(ClosureReason),
        "stages": _options(Stage),
        "today": _today(),
    }


def _today():
    return datetime.now(ZoneInfo(str(get_timezone()))).date()


def load_referral(referral_id: int) -> Referral:
    return get_visible_or_404(Referral, referral_id, policies.can_view_status, current_user)


def _back(referral: Referral):
    return redirect(url_for("reintegration.detail", referral_id=referral.id))


# --- The caseload and the referrals ---------------------------------------------------------


@bp.route("/")
def caseload():
    args, errors = load_form(CaseloadArgs(), request.args)
    args = args or {}
    centres = queries.centres_for(current_user)
    if not centres:
        return redirect(url_for("reintegration.referrals"))
    office = centres[0]
    if args.get("office_id"):
        office = db.session.get(Office, args["office_id"])
        require(office is not None and policies.can_view_caseload(current_user, office))
    require(policies.can_view_caseload(current_user, office))
    today = _today()
    page = paginate(queries.caseload(office.id, args, today))
    return render_form(
        "reintegration/caseload.html",
        office=office,
        centres=centres,
        counts=queries.caseload_counts(office.id, today),
        page=page,
        args=args,
        filter_errors=errors,
        missed=queries.missed_visit_referrals(page.items, today),
    )


@bp.route("/referrals")
def referrals():
    """The centre's inbox (social workers) and what the user's office referred (liaison)."""
    user = current_user
    inbox = sent = None
    if policies.is_centre(user.office) and user.has_role("social_worker"):
        inbox = paginate(queries.inbox(user.office_id))
    if user.has_role("liaison_officer"):
        sent = paginate(queries.sent_by(user.office_id))
    require(inbox is not None or sent is not None)
    return render_form("reintegration/referrals.html", inbox=inbox, sent=sent)


@bp.route("/refer/<int:person_id>", methods=["GET", "POST"])
def refer(person_id: int):
    person = person_or_404(person_id, current_user)
    require(policies.can_refer_person(current_user, person), hide=False)
    sent = submit(ReferSchema(), operations.refer_person, person, actor=current_user)
    if sent.done:
        flash(_("The person has been referred. The centre's social workers were notified."))
        return _back(sent.result)
    return render_form(
        "reintegration/refer.html",
        sent.errors,
        person_name=person.name_as_written,
        referral=None,
        centres=queries.referable_centres(current_user.office),
    )


@bp.route("/<int:referral_id>/refer-again", methods=["GET", "POST"])
def refer_again(referral_id: int):
    referral = load_referral(referral_id)
    require(policies.can_refer_again(current_user, referral), hide=False)
    sent = submit(ReferSchema(), operations.refer_again, referral, actor=current_user)
    if sent.done:
        flash(_("The person has been referred. The centre's social workers were notified."))
        return _back(sent.result)
    return render_form(
        "reintegration/refer.html",
        sent.errors,
        person_name=referral.display_name,
        referral=referral,
        centres=[
            c
            for c in queries.referable_centres(referral.from_office)
            if c.id != referral.centre_office_id
        ],
    )


# --- The person's file ---------------------------------------------------------------------


def _detail(referral: Referral, errors=None, form=None):
    user = current_user
    full = policies.can_view_support(user, referral)
    sensitive = policies.can_read_sensitive(user, referral)
    if full:
        operations.record_view(referral, actor=user)
    if sensitive and referral.intake is not None:
        operations.record_sensitive_read(referral, actor=user)
    return render_form(
        "reintegration/detail.html",
        errors,
        referral=referral,
        full=full,
        sensitive=sensitive,
        form=form,
        can_answer=policies.can_answer_referral(user, referral),
        can_work=policies.can_work(user, referral),
        can_add_service=policies.can_add_service(user, referral),
        can_decide=policies.can_decide_closure(user, referral),
        can_refer_again=policies.can_refer_again(user, referral),
    )


@bp.route("/<int:referral_id>")
def detail(referral_id: int):
    referral = load_referral(referral_id)
    mark_read(current_user, subject_key=operations.subject_key(referral.id))
    return _detail(referral)


def _act(referral_id: int, allowed, schema, operation, message, target=None):
    """A small form of the file's page: validate, act, back to the page (or the page with
    the errors, answered 422)."""
    referral = load_referral(referral_id)
    require(allowed(current_user, referral), hide=False)
    sent = submit(schema, operation, target if target is not None else referral, actor=current_user)
    if sent.done:
        flash(message, "success")
        return _back(referral)
    return _detail(referral, sent.errors, form=request.endpoint)


@bp.route("/<int:referral_id>/answer", methods=["POST"])
def answer(referral_id: int):
    decision = request.form.get("decision")
    return _act(
        referral_id,
        policies.can_answer_referral,
        AnswerSchema(),
        operations.answer_referral,
        _("The referral has been accepted.")
        if decision == "accept"
        else _("The referral has been declined; the referring office was notified."),
    )


@bp.route("/<int:referral_id>/intake", methods=["GET", "POST"])
def intake(referral_id: int):
    referral = load_referral(referral_id)
    require(policies.can_work(current_user, referral), hide=False)
    sent = submit(IntakeSchema(), operations.record_intake, referral, actor=current_user)
    if sent.done:
        flash(_("The intake has been saved."), "success")
        return _back(referral)
    if referral.intake is not None and request.method == "GET":
        operations.record_sensitive_read(referral, actor=current_user)
    return render_form(
        "reintegration/intake.html", sent.errors, referral=referral, intake=referral.intake
    )


@bp.route("/<int:referral_id>/consent/withdraw", methods=["POST"])
def withdraw_consent(referral_id: int):
    return _act(
        referral_id,
        policies.can_work,
        ConsentWithdrawalSchema(),
        operations.withdraw_consent,
        _("The withdrawal of consent has been recorded; it applies from now on."),
    )


@bp.route("/<int:referral_id>/services/new", methods=["GET", "POST"])
def new_service(referral_id: int):
    referral = load_referral(referral_id)
    require(policies.can_add_service(current_user, referral), hide=False)
    sent = submit(ServiceFormSchema(), operations.add_service, referral, actor=current_user)
    if sent.done:
        flash(_("The service has been added to the plan."), "success")
        return _back(referral)
    return render_form("reintegration/service.html", sent.errors, referral=referral, service=None)


@bp.route("/<int:referral_id>/services/<int:service_id>", methods=["GET", "POST"])
def edit_service(referral_id: int, service_id: int):
    referral = load_referral(referral_id)
    require(policies.can_work(current_user, referral), hide=False)
    service = db.session.get(SupportService, service_id)
    require(service is not None and service.referral_id == referral.id)
    sent = submit(ServiceFormSchema(), operations.update_service, service, actor=current_user)
    if sent.done:
        flash(_("The service has been saved."), "success")
        return _back(referral)
    return render_form(
        "reintegration/service.html", sent.errors, referral=referral, service=service
    )


@bp.route("/<int:referral_id>/end-support", methods=["POST"])
def end_support(referral_id: int):
    return _act(
        referral_id,
        policies.can_work,
        EndSupportSchema(),
        operations.end_support,
        _("Support has ended; follow-up visits are planned."),
    )


@bp.route("/<int:referral_id>/visits/new", methods=["POST"])
def plan_visit(referral_id: int):
    return _act(
        referral_id,
        policies.can_work,
        ExtraVisitSchema(),
        operations.add_visit,
        _("The extra follow-up visit has been planned."),
    )


@bp.route("/<int:referral_id>/visits/<int:visit_id>", methods=["GET", "POST"])
def visit(referral_id: int, visit_id: int):
    referral = load_referral(referral_id)
    require(policies.can_work(current_user, referral), hide=False)
    found = db.session.get(FollowUpVisit, visit_id)
    require(found is not None and found.referral_id == referral.id)
    sent = submit(VisitSchema(), operations.record_visit, found, actor=current_user)
    if sent.done:
        flash(_("The follow-up visit has been recorded."), "success")
        return _back(referral)
    if request.method == "GET" and found.visited_on is not None:
        operations.record_sensitive_read(referral, actor=current_user)
    return render_form("reintegration/visit.html", sent.errors, referral=referral, visit=found)


@bp.route("/<int:referral_id>/closure", methods=["POST"])
def request_closure(referral_id: int):
    return _act(
        referral_id,
        policies.can_work,
        ClosureRequestSchema(),
        operations.request_closure,
        _("The closure awaits a supervisor's approval."),
    )


@bp.route("/<int:referral_id>/closure/decide", methods=["POST"])
def decide_closure(referral_id: int):
    decision = request.form.get("decision")
    return _act(
        referral_id,
        policies.can_decide_closure,
        ClosureDecisionSchema(),
        operations.decide_closure,
        _("The file has been closed.")
        if decision == "approve"
        else _("The closure was not approved; the file stays open."),
    )


@bp.route("/<int:referral_id>/history.pdf")
def history_pdf(referral_id: int):
    referral = load_referral(referral_id)
    require(policies.can_view_support(current_user, referral))
    locale = str(get_locale() or "vi")
    sensitive = policies.can_read_sensitive(current_user, referral)
    snapshot = build_history(referral, locale=locale, zone=str(get_timezone()), sensitive=sensitive)
    operations.record_history_download(referral, actor=current_user)
    if sensitive:  # the PDF carries the counselling and health notes: a read like the page's
        operations.record_sensitive_read(referral, actor=current_user)
    pdf = render_history(snapshot)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="support-history-{referral.id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )

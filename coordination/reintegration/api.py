"""API: referrals and reintegration files. Same policies and operations as the HTML views."""

from __future__ import annotations

from marshmallow import fields
from sqlalchemy import false, or_, select

from coordination.auth.models import Role
from coordination.cases.loaders import person_or_404
from coordination.core.access import get_visible_or_404, require
from coordination.core.api import SQLPage, api_blueprint, api_user, query_args
from coordination.core.validation import Choice, Id, Schema
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.reintegration import operations, policies
from coordination.reintegration.models import FollowUpVisit, Referral, Stage, SupportService
from coordination.reintegration.schemas import (
    AnswerSchema,
    ClosureDecisionSchema,
    ClosureRequestSchema,
    EndSupportSchema,
    IntakeSchema,
    ReferSchema,
    ServiceSchema,
    VisitSchema,
)

blp = api_blueprint(
    "api_reintegration",
    __name__,
    "/reintegration",
    "Referrals to social protection centres, intake, support services, follow-up visits and "
    "closure. The police side reads the status only; counselling and health notes are for "
    "the centre's social workers.",
)


class NewReferralSchema(ReferSchema):
    person_id = Id(required=True)


class ServiceOut(Schema):
    id = fields.Integer()
    type = fields.String()
    provider = fields.String(allow_none=True)
    planned_start = fields.Date()
    planned_end = fields.Date(allow_none=True)
    actual_start = fields.Date(allow_none=True)
    actual_end = fields.Date(allow_none=True)
    cost = fields.Integer(allow_none=True)
    currency = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    referred_to = fields.String(allow_none=True)
    delivered = fields.Boolean(allow_none=True)
    extension_decision = fields.String(allow_none=True)
    version = fields.Integer()


class VisitOut(Schema):
    id = fields.Integer()
    due_on = fields.Date()
    visited_on = fields.Date(allow_none=True)
    method = fields.String(allow_none=True)
    safety_risk = fields.String(allow_none=True)
    version = fields.Integer()


class IntakeOut(Schema):
    arrived_on = fields.Date()
    safety_risk = fields.String(allow_none=True)
    consent_services = fields.Boolean()
    consent_sharing = fields.Boolean()
    consent_withdrawn_at = fields.DateTime(allow_none=True)
    version = fields.Integer()


class SensitiveOut(Schema):
    health = fields.String(allow_none=True)
    psychological = fields.String(allow_none=True)
    counselling_note = fields.String(allow_none=True)


class ReferralOut(Schema):
    """The status (everyone who may see the referral)."""

    id = fields.Integer()
    centre_office_id = fields.Integer()
    from_office_id = fields.Integer()
    case_id = fields.Integer(allow_none=True)
    person_id = fields.Integer(allow_none=True)
    name_as_written = fields.String()
    name_romanised = fields.String(allow_none=True)
    stage = fields.String()
    referred_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)
    decline_reason = fields.String(allow_none=True)
    home_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    version = fields.Integer()


class ReferralDetailOut(ReferralOut):
    """With the support file for the centre and its supervisors (null for the police side),
    and the sensitive notes for the centre's social workers only."""

    intake = fields.Nested(IntakeOut, allow_none=True)
    services = fields.List(fields.Nested(ServiceOut), allow_none=True)
    visits = fields.List(fields.Nested(VisitOut), allow_none=True)
    sensitive = fields.Nested(SensitiveOut, allow_none=True)


def _referral(referral_id: int) -> Referral:
    return get_visible_or_404(Referral, referral_id, policies.can_view_status, api_user())


def _detail(referral: Referral) -> dict:
    user = api_user()
    full = policies.can_view_support(user, referral)
    sensitive = policies.can_read_sensitive(user, referral) and referral.intake is not None
    if full:
        operations.record_view(referral, actor=user)
    if sensitive:
        operations.record_sensitive_read(referral, actor=user)
    out = {name: getattr(referral, name) for name in ReferralOut().fields}
    out.update(
        intake=referral.intake if full else None,
        services=referral.services if full else None,
        visits=referral.visits if full else None,
        sensitive=referral.intake if sensitive else None,
    )
    return out


def visible_referrals(user):
    """Referrals listed to ``user``: their centre's, their office's, their province's."""
    query = select(Referral)
    if not user.is_active:
        return query.where(false())
    conditions = []
    if user.has_role(Role.SOCIAL_WORKER):
        conditions.append(Referral.centre_office_id == user.office_id)
    if user.has_role(Role.LIAISON_OFFICER):
        conditions.append(Referral.from_office_id == user.office_id)
    if user.has_role(Role.SUPERVISOR):
        province = select(Office.id).where(Office.province_id == user.office.province_id)
        conditions += [
            Referral.centre_office_id.in_(province),
            Referral.from_office_id.in_(province),
        ]
    if not conditions:
        return query.where(false())
    return query.where(or_(*conditions)).order_by(Referral.referred_at.desc(), Referral.id.desc())


class ListArgs(Schema):
    stage = Choice([stage.value for stage in Stage])


@blp.route("/referrals")
@blp.arguments(query_args(ListArgs), location="query", as_kwargs=True)
@blp.response(200, ReferralOut(many=True))
@blp.paginate(SQLPage, page_size=50, max_page_size=200)
def list_referrals(stage=None):
    """The referrals you may see: your centre's, your office's, your province's."""
    query = visible_referrals(api_user())
    return query.where(Referral.stage == stage) if stage else query


@blp.route("/referrals", methods=["POST"])
@blp.arguments(NewReferralSchema)
@blp.response(201, ReferralDetailOut)
def refer(data):
    person = person_or_404(data.pop("person_id"), api_user())
    require(policies.can_refer_person(api_user(), person), hide=False)
    return _detail(operations.refer_person(person, data, actor=api_user()))


@blp.route("/referrals/<int:referral_id>")
@blp.response(200, ReferralDetailOut)
def get_referral(referral_id: int):
    return _detail(_referral(referral_id))


def _act(referral_id: int, allowed, operation, data, target=None):
    referral = _referral(referral_id)
    require(allowed(api_user(), referral), hide=False)
    operation(target if target is not None else referral, data, actor=api_user())
    return _detail(referral)


@blp.route("/referrals/<int:referral_id>/answer", methods=["POST"])
@blp.arguments(AnswerSchema)
@blp.response(200, ReferralDetailOut)
def answer(data, referral_id: int):
    """Accept or decline (with a reason) a referral to your centre."""
    return _act(referral_id, policies.can_answer_referral, operations.answer_referral, data)


@blp.route("/referrals/<int:referral_id>/intake", methods=["PUT"])
@blp.arguments(IntakeSchema)
@blp.response(200, ReferralDetailOut)
def intake(data, referral_id: int):
    """Record or replace the intake (send `version` when replacing)."""
    return _act(referral_id, policies.can_work, operations.record_intake, data)


@blp.route("/referrals/<int:referral_id>/services", methods=["POST"])
@blp.arguments(ServiceSchema)
@blp.response(201, ReferralDetailOut)
def add_service(data, referral_id: int):
    """A service of the plan; added to a closed file, it reopens it."""
    return _act(referral_id, policies.can_add_service, operations.add_service, data)


@blp.route("/referrals/<int:referral_id>/services/<int:service_id>", methods=["PUT"])
@blp.arguments(ServiceSchema)
@blp.response(200, ReferralDetailOut)
def update_service(data, referral_id: int, service_id: int):
    referral = _referral(referral_id)
    service = db.session.get(SupportService, service_id)
    require(service is not None and service.referral_id == referral.id)
    return _act(referral_id, policies.can_work, operations.update_service, data, service)


@blp.route("/referrals/<int:referral_id>/end-support", methods=["POST"])
@blp.arguments(EndSupportSchema)
@blp.response(200, ReferralDetailOut)
def end_support(data, referral_id: int):
    return _act(referral_id, policies.can_work, operations.end_support, data)


@blp.route("/referrals/<int:referral_id>/visits/<int:visit_id>", methods=["PUT"])
@blp.arguments(VisitSchema)
@blp.response(200, ReferralDetailOut)
def record_visit(data, referral_id: int, visit_id: int):
    referral = _referral(referral_id)
    visit = db.session.get(FollowUpVisit, visit_id)
    require(visit is not None and visit.referral_id == referral.id)
    return _act(referral_id, policies.can_work, operations.record_visit, data, visit)


@blp.route("/referrals/<int:referral_id>/closure", methods=["POST"])
@blp.arguments(ClosureRequestSchema)
@blp.response(200, ReferralDetailOut)
def request_closure(data, referral_id: int):
    return _act(referral_id, policies.can_work, operations.request_closure, data)


@blp.route("/referrals/<int:referral_id>/closure/decision", methods=["POST"])
@blp.arguments(ClosureDecisionSchema)
@blp.response(200, ReferralDetailOut)
def decide_closure(data, referral_id: int):
    """A supervisor of the centre's province approves or turns down the closure."""
    return _act(referral_id, policies.can_decide_closure, operations.decide_closure, data)

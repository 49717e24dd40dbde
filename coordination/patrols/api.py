"""API: joint patrols, the steps of their threads, and each side's outcome report. Same
policies as the HTML views: a patrol not shared with the caller's office is 404."""

from __future__ import annotations

from marshmallow import fields

from coordination.core.access import require
from coordination.core.api import SQLPage, api_blueprint, api_user, query_args
from coordination.core.errors import OperationError
from coordination.core.validation import Schema
from coordination.i18n import _
from coordination.patrols import operations, policies, queries
from coordination.patrols.loaders import patrol_or_404
from coordination.patrols.models import Patrol
from coordination.patrols.schemas import (
    PatrolListArgs,
    PatrolProposeSchema,
    PatrolReportSchema,
    PatrolStepSchema,
)

blp = api_blueprint("api_patrols", __name__, "/patrols", "Joint patrols with partner units.")


class PatrolLeaderOut(Schema):
    name = fields.String()
    rank = fields.String(allow_none=True)


class PatrolMessageOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    author_office_id = fields.Integer()
    author_name = fields.Function(lambda message: message.author.full_name)
    body = fields.String(allow_none=True)
    starts_at = fields.DateTime(allow_none=True)
    ends_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class PatrolRescuedOut(Schema):
    person_id = fields.Integer()
    case_id = fields.Function(lambda rescue: rescue.person.case_id)
    name_as_written = fields.Function(lambda rescue: rescue.person.name_as_written)


class PatrolReportOut(Schema):
    id = fields.Integer()
    office_id = fields.Integer()
    people_checked = fields.Integer()
    incidents = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    rescued_count = fields.Function(lambda report: len(report.rescued))
    rescued = fields.Method(
        "_rescued",
        metadata={"description": "The people rescued: for the reporting office only"},
    )
    version = fields.Integer()

    def _rescued(self, report):
        if not policies.can_see_rescued(api_user(), report):
            return None
        return PatrolRescuedOut(many=True).dump(report.rescued)


class PatrolOut(Schema):
    id = fields.Integer()
    proposing_office_id = fields.Integer()
    partner_office_id = fields.Integer()
    awaiting_office_id = fields.Integer(allow_none=True)
    marker_from = fields.String(allow_none=True)
    marker_to = fields.String(allow_none=True)
    gate_id = fields.Integer(allow_none=True)
    segment = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    meeting_point = fields.String()
    state = fields.String()
    version = fields.Integer()


class PatrolDetailOut(PatrolOut):
    proposing_unit = fields.String(allow_none=True)
    partner_unit = fields.String(allow_none=True)
    proposing_leaders = fields.List(fields.Nested(PatrolLeaderOut))
    partner_leaders = fields.List(fields.Nested(PatrolLeaderOut))
    purpose = fields.String(allow_none=True)
    state_reason = fields.String(allow_none=True)
    messages = fields.List(fields.Nested(PatrolMessageOut))
    reports = fields.List(fields.Nested(PatrolReportOut))
    allowed_steps = fields.Method("_steps")

    def _steps(self, patrol):
        return [str(step) for step in policies.allowed_steps(api_user(), patrol)]


class PatrolReportIn(PatrolReportSchema):
    pass


def _patrol(patrol_id: int) -> Patrol:
    return patrol_or_404(patrol_id, api_user())


@blp.route("")
@blp.arguments(query_args(PatrolListArgs), location="query", as_kwargs=True)
@blp.response(200, PatrolOut(many=True))
@blp.paginate(SQLPage, page_size=50, max_page_size=200)
def list_patrols(show="upcoming"):
    return queries.listed(api_user(), show or "upcoming")


@blp.route("", methods=["POST"])
@blp.arguments(PatrolProposeSchema)
@blp.response(201, PatrolDetailOut)
def propose_patrol(data):
    require(policies.can_propose_patrols(api_user()), hide=False)
    return operations.propose(data, actor=api_user())


@blp.route("/<int:patrol_id>")
@blp.response(200, PatrolDetailOut)
def get_patrol(patrol_id: int):
    patrol = _patrol(patrol_id)
    mine = patrol.report_of(api_user().office_id)
    if mine is not None and mine.rescued and policies.can_see_rescued(api_user(), mine):
        operations.record_view(patrol, actor=api_user())
    return patrol


@blp.route("/<int:patrol_id>/steps", methods=["POST"])
@blp.arguments(PatrolStepSchema)
@blp.response(200, PatrolDetailOut)
def take_step(data, patrol_id: int):
    patrol = _patrol(patrol_id)
    if not policies.can_take_step(api_user(), patrol, data["step"]):
        raise OperationError(
            _("This step is not possible now: the patrol is %(state)s.", state=patrol.state_label)
        )
    operations.take_step(patrol, data["step"], data, actor=api_user())
    return patrol


@blp.route("/<int:patrol_id>/report", methods=["PUT"])
@blp.arguments(PatrolReportIn)
@blp.response(200, PatrolDetailOut)
def report_outcome(data, patrol_id: int):
    """Make or change the caller's office's outcome report (send its ``version`` to change
    it). Each person in ``rescued`` is added to a case of the office at once."""
    patrol = _patrol(patrol_id)
    if not policies.can_report(api_user(), patrol):
        raise OperationError(
            _("Only a confirmed patrol has an outcome to report: the patrol is %(state)s.",
              state=patrol.state_label)
        )  # fmt: skip
    operations.report_outcome(patrol, data, actor=api_user())
    return patrol

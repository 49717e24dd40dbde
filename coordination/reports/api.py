"""API: a report's figures (counted now, or as stored), the stored versions, generating a
new version. The same policies as the pages: a scope the caller may not see is 404. Every
figure is protected (counts 1 to 4 as "<5", see coordination/reports/protect.py)."""

from __future__ import annotations

from marshmallow import fields

from coordination.core.access import require
from coordination.core.api import api_blueprint, api_user, query_args
from coordination.core.errors import field_error
from coordination.core.validation import Schema
from coordination.reports import figures, operations, policies
from coordination.reports.loaders import load_report, protected_snapshot, stored_versions
from coordination.reports.periods import PeriodError, from_args
from coordination.reports.protect import leaving_the_office
from coordination.reports.schemas import GenerateSchema, ReportArgs, StoredArgs
from coordination.reports.scopes import from_key

blp = api_blueprint(
    "api_reports",
    __name__,
    "/reports",
    "Periodic reports for the steering committees: figures of a period and scope.",
)


class FiguresOut(Schema):
    format = fields.Integer()
    protected = fields.Boolean()
    period = fields.Dict()
    scope = fields.Dict()
    previous_period = fields.Dict()
    last_year_period = fields.Dict()
    figures = fields.Dict(
        metadata={
            "description": "cases, victims, requests, verification, "
            "handovers, reintegration, patrols, meetings"
        }
    )
    previous = fields.Dict()
    last_year = fields.Dict()
    trend = fields.Dict(
        allow_none=True,
        metadata={
            "description": "the twelve months up to the period's end: months (YYYY-MM) and "
            "cases_opened, requests_sent, handovers per month, protected like the figures"
        },
    )
    version = fields.Integer()
    generated_at = fields.String()


class StoredOut(Schema):
    id = fields.Integer()
    scope_key = fields.String()
    period_key = fields.String()
    period_start = fields.Date()
    period_end = fields.Date()
    version = fields.Integer()
    reason = fields.String(allow_none=True)
    generated_at = fields.DateTime()
    generated_by_id = fields.Integer(allow_none=True)


def _scope_and_period(args: dict):
    user = api_user()
    require(policies.can_use_reports(user))
    scope = from_key(args.get("scope") or "")
    require(policies.can_view_scope(user, scope))
    try:
        period = from_args(args)
    except PeriodError as error:
        raise field_error(
            "start" if args.get("start") or args.get("end") else "period", str(error)
        ) from None
    return scope, period


@blp.route("/figures")
@blp.arguments(query_args(ReportArgs), location="query")
@blp.response(200, FiguresOut)
def report_figures(args):
    """The figures counted now, beside the previous period's and last year's."""
    scope, period = _scope_and_period(args)
    return leaving_the_office(figures.snapshot(scope, period))


@blp.route("")
@blp.arguments(query_args(StoredArgs), location="query")
@blp.response(200, StoredOut(many=True))
def list_reports(args):
    """The stored versions of a scope's report for a period, newest first."""
    scope, period = _scope_and_period(args)
    return stored_versions(scope, period)


@blp.route("", methods=["POST"])
@blp.arguments(GenerateSchema)
@blp.response(201, StoredOut)
def generate_report(data):
    """Count the figures now and store them as a new version."""
    scope, period = _scope_and_period(data)
    return operations.generate_report(scope, period, actor=api_user(), reason=data.get("reason"))


@blp.route("/<int:report_id>")
@blp.response(200, FiguresOut)
def get_report(report_id: int):
    """A stored version, as frozen when it was made."""
    return protected_snapshot(load_report(report_id, api_user()))

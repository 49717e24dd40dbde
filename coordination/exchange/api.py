"""API: requests between partner offices and the steps of their threads."""

from __future__ import annotations

from marshmallow import fields, validate

from coordination.audit.operations import record
from coordination.core.access import require
from coordination.core.api import SQLPage, api_blueprint, api_user, query_args
from coordination.core.errors import OperationError
from coordination.core.validation import Choice, Schema
from coordination.exchange import operations, policies, queries
from coordination.exchange.loaders import request_or_404
from coordination.exchange.models import MessageKind, Request
from coordination.exchange.schemas import OUTCOME_CHOICES, ComposeSchema, ListArgs, StepSchema
from coordination.i18n import _

blp = api_blueprint("api_exchange", __name__, "/requests", "Requests between partner offices.")


class SharedPersonOut(Schema):
    id = fields.Integer()
    position = fields.Integer()
    shared = fields.Dict(metadata={"description": "Only the fields the sender chose to share"})
    outcome = fields.String(allow_none=True)
    outcome_note = fields.String(allow_none=True)


class MessageOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    author_office_id = fields.Integer()
    author_name = fields.Function(lambda message: message.author.full_name)
    body = fields.String(allow_none=True)
    created_at = fields.DateTime()


class RequestOut(Schema):
    id = fields.Integer()
    reference = fields.String(allow_none=True)
    kind = fields.String()
    state = fields.String()
    overdue = fields.Function(lambda request: request.is_overdue())
    sender_office_id = fields.Integer()
    recipient_office_id = fields.Integer()
    subject = fields.String()
    sent_at = fields.DateTime(allow_none=True)
    deadline_at = fields.DateTime(allow_none=True)
    version = fields.Integer()


class RequestDetailOut(RequestOut):
    body = fields.String(allow_none=True)
    people = fields.List(fields.Nested(SharedPersonOut))
    messages = fields.List(fields.Nested(MessageOut))
    allowed_steps = fields.Method("_steps")

    def _steps(self, request):
        return [str(step) for step in policies.allowed_steps(api_user(), request)]


class BoxArgs(ListArgs):
    box = Choice(["inbox", "outbox"], load_default="inbox")


class StepIn(StepSchema):
    outcomes = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^\d{1,10}$")),
        values=Choice(OUTCOME_CHOICES),
        load_default=dict,
        metadata={"description": "Request-person id → outcome (for verification replies)"},
    )

    # For the OpenAPI document (core.api): the keys are ids.
    openapi_extra = {"properties": {"outcomes": {"propertyNames": {"pattern": r"^\d{1,10}$"}}}}


def _request(request_id: int) -> Request:
    return request_or_404(request_id, api_user())


@blp.route("")
@blp.arguments(query_args(BoxArgs), location="query", as_kwargs=True)
@blp.response(200, RequestOut(many=True))
@blp.paginate(SQLPage, page_size=50, max_page_size=200)
def list_requests(box="inbox", **filters):
    return queries.box(api_user(), box, **{name: value for name, value in filters.items() if value})


@blp.route("", methods=["POST"])
@blp.arguments(ComposeSchema)
@blp.response(201, RequestDetailOut)
def create_request(data):
    require(policies.can_send_requests(api_user()), hide=False)
    return operations.compose(data, actor=api_user())


@blp.route("/<int:request_id>")
@blp.response(200, RequestDetailOut)
def get_request(request_id: int):
    found = _request(request_id)
    if found.people:
        record("request.view", actor=api_user(), target=found)
    return found


@blp.route("/<int:request_id>/steps", methods=["POST"])
@blp.arguments(StepIn)
@blp.response(200, RequestDetailOut)
def take_step(data, request_id: int):
    found = _request(request_id)
    if not policies.can_take_step(api_user(), found, data["step"]):
        raise OperationError(
            _("This step is not possible now: the request is %(state)s.", state=found.state_label)
        )
    outcomes = {int(key): value for key, value in data.pop("outcomes").items()}
    operations.take_step(found, MessageKind(data["step"]), data, outcomes, actor=api_user())
    return found

"""API: liaison meetings, their occurrences (moved or skipped), attendees, agenda, minutes
and action items. Same policies as the HTML views: a meeting not shared with the caller's
office is 404."""

from __future__ import annotations

from flask import Response, abort
from marshmallow import fields

from coordination.core.access import require
from coordination.core.api import SQLPage, api_blueprint, api_user, query_args
from coordination.core.errors import OperationError
from coordination.core.validation import Schema
from coordination.extensions import db
from coordination.i18n import _
from coordination.meetings import operations, policies, queries
from coordination.meetings.loaders import action_item_or_404, meeting_or_404, occurrence_key_or_404
from coordination.meetings.minutes_pdf import render_minutes
from coordination.meetings.models import Meeting, MinutesRecord
from coordination.meetings.schemas import (
    ActionStatusSchema,
    AgendaItemSchema,
    AttendeeSchema,
    CancelSchema,
    MeetingListArgs,
    MeetingPlanSchema,
    MinutesSchema,
    OccurrenceChangeSchema,
    SignSchema,
)

blp = api_blueprint("api_meetings", __name__, "/meetings", "Liaison meetings with partner offices.")


class OccurrenceOut(Schema):
    key = fields.Function(lambda occ: occ.slug, metadata={"description": "20270115T0200Z"})
    original_start = fields.Function(lambda occ: occ.key.isoformat())
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    override = fields.String(allow_none=True, metadata={"description": "moved, skipped or null"})
    reason = fields.String(allow_none=True)


class AttendeeOut(Schema):
    id = fields.Integer()
    office_id = fields.Integer()
    user_id = fields.Integer(allow_none=True)
    name = fields.Function(lambda attendee: attendee.display_name)
    position = fields.String(allow_none=True)


class AgendaItemOut(Schema):
    id = fields.Integer()
    occurrence = fields.Function(lambda item: item.occurs_at.isoformat())
    kind = fields.String()
    request_id = fields.Integer(allow_none=True)
    case_id = fields.Integer(allow_none=True)
    title = fields.String()
    note = fields.String(allow_none=True)


class ActionItemOut(Schema):
    id = fields.Integer()
    meeting_id = fields.Function(lambda item: item.minutes.meeting_id)
    text = fields.String()
    owner_office_id = fields.Integer()
    owner_user_id = fields.Integer(allow_none=True)
    owner_name = fields.String(allow_none=True)
    due_on = fields.Date()
    status = fields.String()
    overdue = fields.Function(lambda item: item.is_overdue())
    version = fields.Integer()


class RecordOut(Schema):
    id = fields.Integer()
    number = fields.String()
    version = fields.Integer()
    sha256 = fields.String()
    reason = fields.String(allow_none=True)
    created_at = fields.DateTime()


class SignedAttendeeOut(Schema):
    name = fields.String()
    position = fields.String()
    office_code = fields.String()


class MinutesOut(Schema):
    id = fields.Integer()
    occurrence = fields.Function(lambda minutes: minutes.occurs_at.isoformat())
    summary = fields.String(allow_none=True)
    decisions = fields.List(fields.String())
    signed_at = fields.DateTime(allow_none=True)
    action_items = fields.List(fields.Nested(ActionItemOut))
    records = fields.List(fields.Nested(RecordOut))
    attendees = fields.Method(
        "_attendees",
        metadata={"description": "The attendees as signed (null until the minutes are signed); "
                  "the series' attendees may change later for the meetings still to come"},
    )  # fmt: skip
    version = fields.Integer()

    def _attendees(self, minutes):
        signed = minutes.signed_attendees("vi")
        return None if signed is None else SignedAttendeeOut(many=True).dump(signed)


class MeetingOut(Schema):
    id = fields.Integer()
    host_office_id = fields.Integer()
    partner_office_id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    timezone = fields.String()
    repeat = fields.String()
    rrule = fields.String(allow_none=True, metadata={"description": "RFC 5545 RRULE value"})
    place_kind = fields.String()
    place = fields.String()
    online_link = fields.String(allow_none=True)
    state = fields.String()
    version = fields.Integer()


class MeetingDetailOut(MeetingOut):
    purpose = fields.String(allow_none=True)
    occurrences = fields.Method("_occurrences")
    attendees = fields.List(fields.Nested(AttendeeOut))
    agenda = fields.List(fields.Nested(AgendaItemOut))

    def _occurrences(self, meeting):
        return OccurrenceOut(many=True).dump(meeting.occurrences())


class ActionItemsArgs(Schema):
    mine = fields.Boolean(load_default=False, metadata={"description": "Only the caller's own"})


def _meeting(meeting_id: int) -> Meeting:
    return meeting_or_404(meeting_id, api_user())


@blp.route("")
@blp.arguments(query_args(MeetingListArgs), location="query", as_kwargs=True)
@blp.response(200, MeetingOut(many=True))
@blp.paginate(SQLPage, page_size=50, max_page_size=200)
def list_meetings(show="upcoming"):
    return queries.listed(api_user(), show or "upcoming")


@blp.route("", methods=["POST"])
@blp.arguments(MeetingPlanSchema)
@blp.response(201, MeetingDetailOut)
def plan_meeting(data):
    require(policies.can_plan_meetings(api_user()), hide=False)
    return operations.plan(data, actor=api_user())


@blp.route("/<int:meeting_id>")
@blp.response(200, MeetingDetailOut)
def get_meeting(meeting_id: int):
    return _meeting(meeting_id)


@blp.route("/<int:meeting_id>/cancel", methods=["POST"])
@blp.arguments(CancelSchema)
@blp.response(200, MeetingDetailOut)
def cancel_meeting(data, meeting_id: int):
    meeting = _meeting(meeting_id)
    require(policies.can_schedule(api_user(), meeting), hide=False)
    operations.cancel(meeting, data, actor=api_user())
    return meeting


@blp.route("/<int:meeting_id>/occurrences/<key>", methods=["PUT"])
@blp.arguments(OccurrenceChangeSchema)
@blp.response(200, MeetingDetailOut)
def change_occurrence(data, meeting_id: int, key: str):
    """Move one occurrence (``kind``: moved, with new times) or skip it (with a reason)."""
    meeting = _meeting(meeting_id)
    original = occurrence_key_or_404(meeting, key)
    require(policies.can_schedule(api_user(), meeting), hide=False)
    operations.change_occurrence(meeting, original, data, actor=api_user())
    return meeting


@blp.route("/<int:meeting_id>/attendees", methods=["POST"])
@blp.arguments(AttendeeSchema)
@blp.response(201, AttendeeOut)
def add_attendee(data, meeting_id: int):
    meeting = _meeting(meeting_id)
    require(policies.can_prepare(api_user(), meeting), hide=False)
    return operations.add_attendee(meeting, data, actor=api_user())


@blp.route("/<int:meeting_id>/occurrences/<key>/agenda", methods=["POST"])
@blp.arguments(AgendaItemSchema)
@blp.response(201, AgendaItemOut)
def add_agenda_item(data, meeting_id: int, key: str):
    """A topic, or a request or case between the two offices (only those)."""
    meeting = _meeting(meeting_id)
    original = occurrence_key_or_404(meeting, key)
    require(policies.can_prepare(api_user(), meeting), hide=False)
    return operations.add_agenda_item(meeting, original, data, actor=api_user())


@blp.route("/<int:meeting_id>/occurrences/<key>/minutes")
@blp.response(200, MinutesOut)
def get_minutes(meeting_id: int, key: str):
    meeting = _meeting(meeting_id)
    minutes = meeting.minutes_for(occurrence_key_or_404(meeting, key))
    if minutes is None:
        abort(404)
    return minutes


@blp.route("/<int:meeting_id>/occurrences/<key>/minutes", methods=["PUT"])
@blp.arguments(MinutesSchema)
@blp.response(200, MinutesOut)
def save_minutes(data, meeting_id: int, key: str):
    """Write or change the minutes (send their ``version`` to change them); the action
    items given are added. Signed minutes change only with ``correction_reason``, which
    issues a new version."""
    meeting = _meeting(meeting_id)
    original = occurrence_key_or_404(meeting, key)
    require(policies.can_record_minutes(api_user(), meeting), hide=False)
    return operations.save_minutes(meeting, original, data, actor=api_user())


@blp.route("/<int:meeting_id>/occurrences/<key>/minutes/sign", methods=["POST"])
@blp.arguments(SignSchema)
@blp.response(201, RecordOut)
def sign_minutes(data, meeting_id: int, key: str):
    meeting = _meeting(meeting_id)
    original = occurrence_key_or_404(meeting, key)
    require(policies.can_record_minutes(api_user(), meeting), hide=False)
    minutes = meeting.minutes_for(original)
    if minutes is None:
        raise OperationError(_("Write the minutes first."))
    if minutes.signed:
        raise OperationError(_("These minutes are signed already: a change issues a new version."))
    return operations.sign_minutes(minutes, actor=api_user(), trilingual=data["trilingual"])


@blp.route("/<int:meeting_id>/minutes/<int:record_id>.pdf")
@blp.response(200, content_type="application/pdf")
def download_minutes(meeting_id: int, record_id: int):
    meeting = _meeting(meeting_id)
    issued = db.session.get(MinutesRecord, record_id)
    if issued is None or issued.minutes.meeting_id != meeting.id:
        abort(404)
    operations.record_download(issued, actor=api_user())
    return Response(render_minutes(issued.snapshot), mimetype="application/pdf")


@blp.route("/action-items")
@blp.arguments(query_args(ActionItemsArgs), location="query", as_kwargs=True)
@blp.response(200, ActionItemOut(many=True))
def list_action_items(mine=False):
    """The open action items of the caller's office (``mine``: the caller's own and the
    office's unassigned ones), the earliest due first."""
    user = api_user()
    return queries.open_action_items(user.office_id, user.id if mine else None)


@blp.route("/action-items/<int:item_id>", methods=["PATCH"])
@blp.arguments(ActionStatusSchema)
@blp.response(200, ActionItemOut)
def update_action_item(data, item_id: int):
    item = action_item_or_404(item_id, api_user())
    require(policies.can_update_action_item(api_user(), item), hide=False)
    return operations.set_action_status(item, data, actor=api_user())

"""Validation of the meeting forms (and the same JSON on the API)."""

from __future__ import annotations

from datetime import date
from zoneinfo import available_timezones

from marshmallow import ValidationError, fields, validates_schema

from coordination.core.validation import Choice, Id, Int, LocalDateTime, Schema, Text, Version
from coordination.i18n import L_, _
from coordination.meetings.models import ActionStatus, MeetingKind, OverrideKind, PlaceKind, Repeat

# What the OpenAPI document says of a date and time (LocalDateTime): ISO 8601, years 2000 to
# 2100, with a UTC offset (else the user's zone applies). That the end follows the start is
# the operations' check (a message on the field).
DATETIME_DOC = {
    "type": "string",
    "pattern": r"^(20\d\d|2100)-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])"
    r"T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?(Z|[+-](0\d|1[0-4]):[0-5]\d)?$",
    "description": "ISO 8601 date and time; without an offset, in the user's time zone",
}
DATE_DOC = {
    "pattern": r"^(20\d\d|2100)-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])$",
    "description": "ISO 8601 date, 2000 to 2100",
}


class TimeZone(Choice):
    """An IANA time zone name (the OpenAPI document lists them); another name is refused
    with a message saying so."""

    def __init__(self, **kwargs):
        super().__init__(sorted(available_timezones()), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError:
            raise ValidationError(
                _("This time zone does not exist. Give one such as Asia/Vientiane.")
            ) from None


MAX_DECISIONS = 50
MAX_ACTIONS = 30


class DueDate(fields.Date):
    """A due date: 2000 to 2100; empty means not given."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value in ("", None):
            if self.required:
                raise ValidationError(_("This field is required."))
            return None
        day = super()._deserialize(value, attr, data, **kwargs)
        if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
            raise ValidationError(_("Enter a date between 2000 and 2100."))
        return day


class Lines(Text):
    """One entry per line: a list of strings."""

    def __init__(self, maximum: int, **kwargs):
        self.maximum = maximum
        super().__init__(max_length=20_000, multiline=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list):
            value = "\n".join(str(line) for line in value)
        text = super()._deserialize(value, attr, data, **kwargs)
        lines = [line.strip()[:1000] for line in (text or "").splitlines() if line.strip()]
        if len(lines) > self.maximum:
            raise ValidationError(_("Enter at most %(count)d lines.", count=self.maximum))
        return lines


class MeetingPlanSchema(Schema):
    partner_office_id = Id(required=True)
    kind = Choice([kind.value for kind in MeetingKind], required=True)
    title = Text(required=True, max_length=200)
    starts_at = LocalDateTime(required=True, metadata=DATETIME_DOC)
    ends_at = LocalDateTime(required=True, metadata=DATETIME_DOC)
    timezone = TimeZone(
        load_default=None,
        metadata={"description": "The host's IANA time zone; by default the host country's"},
    )
    repeat = Choice([repeat.value for repeat in Repeat], load_default=Repeat.NONE.value)
    count = Int(
        1, 60, error=L_("Enter a number between {min} and {max}."), load_default=None,
        metadata={"description": "How many occurrences (a recurring series)"},
    )  # fmt: skip
    until = DueDate(
        load_default=None, metadata={**DATE_DOC, "description": "Last day of the series"}
    )
    place_kind = Choice([kind.value for kind in PlaceKind], required=True)
    gate_id = Id(load_default=None)
    place_office_id = Id(load_default=None)
    place_detail = Text(max_length=300)
    online_link = Text(max_length=500)
    purpose = Text(max_length=5000, multiline=True)


class OccurrenceChangeSchema(Schema):
    """Move one occurrence (new times) or skip it (a reason)."""

    kind = Choice([kind.value for kind in OverrideKind], required=True)
    starts_at = LocalDateTime(load_default=None, metadata=DATETIME_DOC)
    ends_at = LocalDateTime(load_default=None, metadata=DATETIME_DOC)
    reason = Text(max_length=2000, multiline=True)
    version = Version()


class CancelSchema(Schema):
    reason = Text(required=True, max_length=2000, multiline=True)
    version = Version()


class AttendeeSchema(Schema):
    office_id = Id(required=True)
    user_id = Id(load_default=None)
    name = Text(max_length=200)
    position = Text(max_length=200)


class AgendaItemSchema(Schema):
    title = Text(max_length=300)
    note = Text(max_length=5000, multiline=True)
    request_id = Id(load_default=None)
    case_id = Id(load_default=None)


class ActionItemSchema(Schema):
    text = Text(required=True, max_length=500)
    owner_office_id = Id(required=True)
    owner_user_id = Id(load_default=None)
    owner_name = Text(max_length=200)
    due_on = DueDate(required=True, metadata=DATE_DOC)


class MinutesSchema(Schema):
    summary = Text(max_length=20_000, multiline=True)
    decisions = Lines(MAX_DECISIONS, load_default=list)
    action_items = fields.List(fields.Nested(ActionItemSchema), load_default=list)
    correction_reason = Text(
        max_length=2000, multiline=True,
        metadata={"description": "Required to change signed minutes: a new version is issued"},
    )  # fmt: skip
    version = Version()

    @validates_schema
    def _not_too_many(self, data, **kwargs):
        if len(data.get("action_items") or []) > MAX_ACTIONS:
            raise ValidationError(
                _("Enter at most %(count)d action items.", count=MAX_ACTIONS), "action_items"
            )


class SignSchema(Schema):
    trilingual = fields.Boolean(load_default=False)


class ActionStatusSchema(Schema):
    status = Choice([status.value for status in ActionStatus], required=True)
    version = Version()


SHOWS = ("upcoming", "past")


class ListArgs(Schema):
    class Meta:
        unknown = "exclude"

    show = Choice(SHOWS, load_default="upcoming")


class MeetingListArgs(Schema):
    show = Choice(SHOWS, load_default="upcoming")

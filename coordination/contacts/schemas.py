"""Input validation for contacts: logging, correcting, sharing, the partner's answer."""

from __future__ import annotations

from datetime import date

from marshmallow import fields

from coordination.contacts.models import Channel, Direction, Language, Urgency
from coordination.core.validation import (
    Choice,
    FormBool,
    Id,
    Int,
    LocalDateTime,
    PastDate,
    Schema,
    Text,
    Version,
)
from coordination.directory.models import RequestKind
from coordination.i18n import L_

MAX_MINUTES = 24 * 60
_TIME = r"T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)?$"


def _alternatives(values) -> str:
    return "(" + "|".join(values) + ")"


def _past_days(today: date) -> str:
    """A pattern for the days from 2000-01-01 up to ``today`` (as core.api's for dates)."""
    parts = []
    if today.year > 2000:
        parts.append(_alternatives(str(y) for y in range(2000, today.year)) + r"-\d\d-\d\d")
    if today.month > 1:
        months = _alternatives(f"{m:02d}" for m in range(1, today.month))
        parts.append(f"{today.year}-{months}-\\d\\d")
    days = _alternatives(f"{d:02d}" for d in range(1, today.day + 1))
    parts.append(f"{today.year}-{today.month:02d}-{days}")
    return _alternatives(parts)


def _moment(description: str, *, past: bool) -> dict:
    """How the API document describes a moment typed in the user's zone: an ISO 8601 date
    and time (with an offset, or none for the user's zone); a past one from 2000 up to today
    (the server also refuses a time later today that has not come), or any from 2000 to
    2099."""
    days = _past_days(date.today()) if past else r"20\d\d-\d\d-\d\d"
    return {
        "type": "string",
        "format": "date-time",
        "pattern": f"^{days}{_TIME}",
        "description": description,
    }


class ContactSchema(Schema):
    partner_office_id = Id(required=True)
    partner_person = Text(max_length=200)
    channel = Choice([c.value for c in Channel], required=True)
    direction = Choice([d.value for d in Direction], required=True)
    occurred_at = LocalDateTime(
        metadata=_moment("When (empty: now); never in the future.", past=True)
    )
    duration_minutes = Int(
        0,
        MAX_MINUTES,
        error=L_("Give the duration in minutes, from 0 to 1440 (24 hours)."),
    )
    language = Choice([lang.value for lang in Language])
    interpreter = Text(max_length=200)
    asked = Text(max_length=10000, multiline=True)
    answered = Text(max_length=10000, multiline=True)
    urgency = Choice([u.value for u in Urgency], load_default=Urgency.ROUTINE.value)
    case_id = Id(load_default=None)
    request_id = Id(load_default=None)
    person_ids = fields.List(Id(), load_default=list)
    reference_number = Text(max_length=100)
    reference_date = PastDate()
    follow_up_due_at = LocalDateTime(
        metadata=_moment("By when an answer was promised (empty: none).", past=False)
    )
    case_reference = Text(max_length=60)
    # Pass the new contact to the province's liaison office in the same tap (a border
    # guard station's only; ignored on a correction).
    forward = FormBool(load_default=False)
    version = Version()


class VersionSchema(Schema):
    version = Version()


class ForwardSchema(Schema):
    office_id = Id(load_default=None)
    version = Version()


class LinkSchema(Schema):
    case_id = Id(load_default=None)
    request_id = Id(load_default=None)
    person_ids = fields.List(Id(), load_default=list)
    version = Version()


class RespondSchema(Schema):
    confirm = FormBool(load_default=False)
    note = Text(max_length=10000, multiline=True)
    version = Version()


class MakeRequestSchema(Schema):
    recipient_office_id = Id(load_default=None)
    kind = Choice([kind.value for kind in RequestKind], required=True)
    subject = Text(required=True, max_length=200)
    body = Text(max_length=10000, multiline=True)
    version = Version()


class ListArgs(Schema):
    class Meta:
        unknown = "exclude"

    partner = Id(load_default=None)
    channel = Choice([c.value for c in Channel], load_default=None)
    direction = Choice([d.value for d in Direction], load_default=None)
    urgency = Choice([u.value for u in Urgency], load_default=None)
    since = PastDate(load_default=None)
    until = PastDate(load_default=None)
    overdue = fields.Boolean(load_default=False)

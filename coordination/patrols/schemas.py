"""Validation of the patrol forms (and the same JSON on the API)."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validates_schema

from coordination.cases.models import Sex
from coordination.cases.schemas import NATIONALITIES
from coordination.core.validation import (
    Choice,
    Id,
    Int,
    LocalDateTime,
    Schema,
    Text,
    Version,
)
from coordination.i18n import L_, _
from coordination.patrols.models import PatrolStep

MAX_LEADERS = 20
MAX_RESCUED = 30


class LeaderLines(Text):
    """One leader per line, "name; rank": a list of {"name", "rank"}."""

    def __init__(self, **kwargs):
        super().__init__(max_length=4000, multiline=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        leaders = []
        for line in (text or "").splitlines():
            name, _sep, rank = line.partition(";")
            if name.strip():
                leaders.append({"name": name.strip()[:200], "rank": rank.strip()[:200]})
        if len(leaders) > MAX_LEADERS:
            raise ValidationError(_("Enter at most %(count)d people.", count=MAX_LEADERS))
        return leaders


# What the OpenAPI document says of a date and time (LocalDateTime): ISO 8601, years 2000 to
# 2100, with a UTC offset (else the user's zone applies). That the end follows the start, and
# that neither has passed, is the operations' check (a message on the field).
DATETIME_DOC = {
    "type": "string",
    "pattern": r"^(20\d\d|2100)-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])"
    r"T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?(Z|[+-](0\d|1[0-4]):[0-5]\d)?$",
    "description": "ISO 8601 date and time; without an offset, in the user's time zone",
}


class _Times(Schema):
    starts_at = LocalDateTime(required=True, metadata=DATETIME_DOC)
    ends_at = LocalDateTime(required=True, metadata=DATETIME_DOC)


class PatrolProposeSchema(_Times):
    partner_office_id = Id(required=True)
    marker_from = Text(max_length=32)
    marker_to = Text(max_length=32)
    gate_id = Id(load_default=None)
    meeting_point = Text(required=True, max_length=300)
    proposing_unit = Text(max_length=300)
    partner_unit = Text(max_length=300)
    proposing_leaders = LeaderLines(load_default=list)
    partner_leaders = LeaderLines(load_default=list)
    purpose = Text(max_length=5000, multiline=True)


class PatrolStepSchema(Schema):
    step = Choice([step.value for step in PatrolStep if step.value not in ("propose", "report")],
                  required=True)  # fmt: skip
    body = Text(max_length=5000, multiline=True)
    starts_at = LocalDateTime(load_default=None, metadata=DATETIME_DOC)
    ends_at = LocalDateTime(load_default=None, metadata=DATETIME_DOC)
    # The partner office's own side, given when it confirms or proposes another time (left
    # as it is when not sent; empty clears it).
    partner_unit = Text(
        max_length=300,
        metadata={"description": "The partner office's participating units (partner only; "
                  "taken on confirm and counter)"},
    )  # fmt: skip
    partner_leaders = LeaderLines(
        metadata={"description": "The partner office's leaders, one per line: name; rank "
                  "(partner only; taken on confirm and counter)"},
    )  # fmt: skip
    version = Version()


class PatrolRescuedSchema(Schema):
    """A person rescued: who, as far as known, and the case they join (none: a new case)."""

    name_as_written = Text(required=True, max_length=200)
    sex = Choice([sex.value for sex in Sex], load_default=Sex.UNKNOWN.value)
    estimated_age = Int(
        0, 120, error=L_("Enter an age between {min} and {max}."), load_default=None
    )
    nationality = Choice(NATIONALITIES, load_default=None)
    case_id = Id(
        load_default=None,
        metadata={"description": "An open case of the reporting office; none opens a new case"},
    )


class PatrolReportSchema(Schema):
    people_checked = Int(0, 100_000, required=True)
    incidents = Text(max_length=5000, multiline=True)
    notes = Text(max_length=5000, multiline=True)
    rescued = fields.List(fields.Nested(PatrolRescuedSchema), load_default=list)
    version = Version()

    @validates_schema
    def _not_too_many(self, data, **kwargs):
        if len(data.get("rescued") or []) > MAX_RESCUED:
            raise ValidationError(
                _("Enter at most %(count)d people.", count=MAX_RESCUED), "rescued"
            )


SHOWS = ("upcoming", "awaiting", "past")


class ListArgs(Schema):
    class Meta:
        unknown = "exclude"

    show = Choice(SHOWS, load_default="upcoming")


class PatrolListArgs(Schema):
    show = Choice(SHOWS, load_default="upcoming")

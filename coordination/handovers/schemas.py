"""Validation of the schedule and gate-log forms."""

from __future__ import annotations

from datetime import date

from marshmallow import ValidationError, fields, validate

from coordination.core.validation import (
    Choice,
    FormBool,
    Id,
    LocalDateTime,
    Schema,
    Text,
    Version,
)
from coordination.handovers.models import Referral
from coordination.i18n import L_, _

MAX_LINES = 30


class NameLines(Text):
    """One person per line, "name; rank" (or "name; role"): a list of dicts."""

    def __init__(self, second: str, **kwargs):
        self.second = second
        super().__init__(max_length=4000, multiline=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        people = []
        for line in (text or "").splitlines():
            name, _sep, other = line.partition(";")
            if name.strip():
                people.append({"name": name.strip()[:200], self.second: other.strip()[:200]})
        if len(people) > MAX_LINES:
            raise ValidationError(_("Enter at most %(count)d people.", count=MAX_LINES))
        return people


class ScheduleSchema(Schema):
    gate_id = Id(required=True)
    scheduled_at = LocalDateTime(required=True)
    handing_side = Choice(["sender", "recipient"], required=True)
    person_ids = fields.List(Id(), load_default=list)
    handing_unit = Text(max_length=300)
    receiving_unit = Text(max_length=300)
    handing_officers = NameLines("rank", load_default=list)
    receiving_officers = NameLines("rank", load_default=list)
    interpreter = Text(max_length=200)
    witnesses = NameLines("role", load_default=list)
    transport = Text(max_length=300)
    notes = Text(max_length=5000, multiline=True)
    version = Version()


class NewScheduleSchema(ScheduleSchema):
    request_id = Id(required=True)


class Decision(fields.Field):
    """Handed over or not, from two radio buttons: "1" yes, "0" no; nothing chosen (or
    an empty value) means not decided yet (None)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = str(value).strip().lower() if value is not None else ""
        if not text:
            return None
        if text in FormBool.truthy:
            return True
        if text in FormBool.falsy:
            return False
        raise ValidationError(_("Choose one of the listed options."))


class PersonLogSchema(Schema):
    handed_over = Decision(load_default=None, allow_none=True)
    identity_checked = FormBool(load_default=False)
    health = Text(max_length=2000, multiline=True)
    belongings = Text(max_length=2000, multiline=True)
    documents = Text(max_length=2000, multiline=True)
    victim_file_received = FormBool(load_default=False)
    return_certificate_number = Text(max_length=64)
    referral = Choice([referral.value for referral in Referral])
    referral_detail = Text(max_length=300)
    # The centre or shelter of the directory, for a referral to a social protection centre.
    referral_office_id = Id(load_default=None)
    note = Text(max_length=2000, multiline=True)


class LogSchema(Schema):
    completed_at = LocalDateTime()
    not_on_list = NameLines("note", load_default=list)
    notes = Text(max_length=5000, multiline=True)
    trilingual = FormBool(load_default=False)
    correction_reason = Text(max_length=2000, multiline=True)
    action = Choice(["save", "complete", "correct"], load_default="save")
    version = Version()


class ReasonSchema(Schema):
    reason = Text(required=True, max_length=2000, multiline=True)
    scheduled_at = LocalDateTime()
    version = Version()


class ListArgs(Schema):
    class Meta:
        unknown = "exclude"

    gate_id = Id(load_default=None)
    # Bounded: a day at the ends of the calendar (9999-12-31) overflows in the reader's zone.
    day = fields.Date(
        load_default=None,
        validate=validate.Range(
            min=date(2000, 1, 1),
            max=date(2100, 12, 31),
            error=L_("Enter a date between 2000 and 2100."),
        ),
    )
    state = Choice(["scheduled", "completed", "postponed", "cancelled"])

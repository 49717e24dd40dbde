"""Validation of the reintegration forms (and the API's bodies)."""

from __future__ import annotations

from datetime import date

from marshmallow import ValidationError, fields

from coordination.core.validation import (
    EARLIEST_DATE,
    Choice,
    FormBool,
    Id,
    Int,
    Schema,
    Text,
    Version,
    _OptionalWhenEmpty,
)
from coordination.i18n import _
from coordination.reintegration.models import (
    MAX_COST,
    ClosureReason,
    RiskLevel,
    ServiceType,
    Stage,
    VisitMethod,
)

NOTE = 5000


LAST_DATE = date(2099, 12, 31)


class Day(_OptionalWhenEmpty, fields.Date):
    """A date from 1900 to 2099 (plans may be in the future; operations check what may not)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {"pattern": "^(19|20)\\d\\d-\\d\\d-\\d\\d$"})
        super().__init__(**kwargs)

    def _read(self, day):
        if day < EARLIEST_DATE or day > LAST_DATE:
            raise ValidationError(_("Enter a date between 1900 and 2099."))
        return day


def _values(enum) -> list[str]:
    return [member.value for member in enum]


class ReferSchema(Schema):
    centre_office_id = Id(required=True)
    reason = Text(max_length=2000, multiline=True)
    version = Version()


class AnswerSchema(Schema):
    decision = Choice(["accept", "decline"], required=True)
    reason = Text(max_length=2000, multiline=True)
    version = Version()


class IntakeSchema(Schema):
    arrived_on = Day(required=True)
    health = Text(max_length=NOTE, multiline=True)
    psychological = Text(max_length=NOTE, multiline=True)
    safety_risk = Choice(_values(RiskLevel))
    safety_note = Text(max_length=NOTE, multiline=True)
    family_situation = Text(max_length=NOTE, multiline=True)
    education = Text(max_length=NOTE, multiline=True)
    skills = Text(max_length=NOTE, multiline=True)
    income = Text(max_length=NOTE, multiline=True)
    counselling_note = Text(max_length=NOTE, multiline=True)
    consent_services = FormBool(load_default=False)
    consent_sharing = FormBool(load_default=False)
    guardian = Text(max_length=2000, multiline=True)
    school_status = Text(max_length=2000, multiline=True)
    legal_representative = Text(max_length=2000, multiline=True)
    best_interests_note = Text(max_length=NOTE, multiline=True)
    version = Version()


class ConsentWithdrawalSchema(Schema):
    consent = Choice(["services", "sharing", "all"], required=True)
    version = Version()


class Delivered(fields.Boolean):
    """Delivered or not (true / false; a form's select: "1", "0"); empty or null: not
    known yet."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool) or value in ("1", "0", "true", "false"):
            return value in (True, "1", "true")
        raise ValidationError(_("Choose one of the listed options."))


class ServiceSchema(Schema):
    type = Choice(_values(ServiceType), required=True)
    provider = Text(max_length=300)
    planned_start = Day(required=True)
    planned_end = Day()
    actual_start = Day()
    actual_end = Day()
    cost = Int(0, MAX_COST)
    currency = Choice(["VND", "LAK", "CNY", "USD"])
    outcome = Text(max_length=NOTE, multiline=True)
    referred_to = Text(max_length=300)
    delivered = Delivered(load_default=None, allow_none=True)
    extension_decision = Text(max_length=2000, multiline=True)
    version = Version()


class DeliveredChoice(fields.Field):
    """The form's select for ``delivered``: "1", "0", or empty (not known yet)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return Delivered()._deserialize(value, attr, data, **kwargs)


class ServiceFormSchema(ServiceSchema):
    """The HTML form: a select, not a checkbox (an empty choice means not known)."""

    delivered = DeliveredChoice(load_default=None, allow_none=True)


class EndSupportSchema(Schema):
    home_on = Day(required=True)
    version = Version()


class VisitSchema(Schema):
    visited_on = Day(required=True)
    method = Choice(_values(VisitMethod), required=True)
    housing = Text(max_length=NOTE, multiline=True)
    income = Text(max_length=NOTE, multiline=True)
    health = Text(max_length=NOTE, multiline=True)
    safety_risk = Choice(_values(RiskLevel))
    safety_note = Text(max_length=NOTE, multiline=True)
    stigma = Text(max_length=NOTE, multiline=True)
    legal_proceedings = Text(max_length=NOTE, multiline=True)
    note = Text(max_length=NOTE, multiline=True)
    version = Version()


class ExtraVisitSchema(Schema):
    due_on = Day(required=True)


class ClosureRequestSchema(Schema):
    reason = Choice(_values(ClosureReason), required=True)
    note = Text(max_length=NOTE, multiline=True)
    version = Version()


class ClosureDecisionSchema(Schema):
    decision = Choice(["approve", "reject"], required=True)
    note = Text(max_length=2000, multiline=True)
    version = Version()


class CaseloadArgs(Schema):
    class Meta:
        unknown = "exclude"

    office_id = Id(load_default=None)
    stage = Choice(_values(Stage))
    show = Choice(["all", "services_due", "visits_due", "visits_missed", "limit_near", "closed"])
    q = Text(max_length=100)

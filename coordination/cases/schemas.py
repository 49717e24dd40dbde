"""Input validation for cases, people, events and missing-person reports."""

from __future__ import annotations

from marshmallow import ValidationError, validates_schema

from coordination.cases.models import (
    CaseStatus,
    EventKind,
    ExploitationType,
    PersonRole,
    Sex,
    VictimStatus,
)
from coordination.core.validation import (
    Choice,
    FormBool,
    Id,
    Int,
    PastDate,
    Schema,
    Text,
    Version,
)
from coordination.i18n import L_, _

NATIONALITIES = ("VN", "LA", "CN", "KH", "MM", "TH")
IDENTITY_DOCUMENT_KINDS = ("id_card", "passport", "birth_certificate", "household_book", "other")
IDENTITY_DOCUMENT_LABELS = {
    "id_card": L_("Identity card"),
    "passport": L_("Passport"),
    "birth_certificate": L_("Birth certificate"),
    "household_book": L_("Household registration book"),
    "other": L_("Other document"),
}


def _values(enum_class):
    return [member.value for member in enum_class]


class FilledChoice(Choice):
    """A choice that may be left out (its default applies) but not sent empty: the column
    always holds one of the values ("unknown" is one)."""

    empty_means_none = False

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("allow_none", False)
        super().__init__(choices, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if value is None:
            raise ValidationError(_("Choose one of the listed options."))
        return value


class CaseSchema(Schema):
    title = Text(required=True, max_length=200)
    summary = Text(max_length=5000, multiline=True)
    opened_on = PastDate(required=True)
    status = Choice(_values(CaseStatus), load_default=None)
    version = Version()


class _IdentityFields(Schema):
    name_as_written = Text(required=True, max_length=200)
    name_romanised = Text(max_length=200)
    sex = FilledChoice(_values(Sex), load_default=Sex.UNKNOWN.value)
    date_of_birth = PastDate(load_default=None)
    estimated_age = Int(
        0, 120, error=L_("Enter an age between {min} and {max}."), load_default=None
    )
    home_province_id = Id(load_default=None)
    home_commune_id = Id(load_default=None)
    home_address = Text(max_length=500, multiline=True)

    # For the OpenAPI document (core.api): not both a date of birth and an estimated age.
    openapi_extra = {
        "not": {
            "required": ["date_of_birth", "estimated_age"],
            "properties": {
                "date_of_birth": {"type": "string", "minLength": 1},
                "estimated_age": {"type": "integer"},
            },
        }
    }

    @validates_schema
    def _birth_or_age(self, data, **kwargs):
        if data.get("date_of_birth") and data.get("estimated_age") is not None:
            raise ValidationError(
                _("Give either the date of birth or an estimated age, not both."),
                "estimated_age",
            )


class PersonSchema(_IdentityFields):
    role = Choice(_values(PersonRole), required=True)
    nationality = Choice(NATIONALITIES, load_default=None)
    identity_document_kind = Choice(IDENTITY_DOCUMENT_KINDS, load_default=None)
    identity_document_number = Text(max_length=64)
    relatives_contacts = Text(max_length=2000, multiline=True)
    guardian = Text(max_length=1000, multiline=True)
    flagged_child = FormBool(load_default=False)
    victim_status = Choice(_values(VictimStatus), load_default=None)
    version = Version()
    # Only for a change that would record a child as an adult (see operations.update_person).
    confirm_not_child = FormBool(
        load_default=False,
        metadata={"description": "Confirms that a person recorded as a child is an adult"},
    )
    not_child_reason = Text(
        max_length=1000,
        multiline=True,
        metadata={"description": "Why the person is no longer recorded as a child"},
    )


# Fields of the person form that are not stored on the person.
PERSON_ACTION_FIELDS = ("confirm_not_child", "not_child_reason")


class EventSchema(Schema):
    kind = Choice(_values(EventKind), required=True)
    occurred_on = PastDate(load_default=None)
    place = Text(max_length=300)
    area_id = Id(load_default=None)
    means = Text(max_length=2000, multiline=True)
    exploitation_type = Choice(_values(ExploitationType), load_default=None)


class MissingPersonSchema(_IdentityFields):
    missing_since = PastDate(required=True)
    last_seen_place = Text(max_length=300)
    last_seen_with = Text(max_length=1000, multiline=True)
    reporter_name = Text(required=True, max_length=200)
    reporter_contact = Text(max_length=200)
    reporter_relationship = Text(max_length=100)
    version = Version()


class MissingPersonCloseSchema(Schema):
    found = FormBool(load_default=False)
    found_on = PastDate(load_default=None)
    outcome_note = Text(max_length=2000, multiline=True)
    version = Version()


class SearchArgs(Schema):
    class Meta:
        unknown = "exclude"

    q = Text(max_length=100)
    status = Text(max_length=32)

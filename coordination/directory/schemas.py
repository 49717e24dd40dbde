"""Input validation for directory forms, and the directory's API output."""

from __future__ import annotations

import re

from marshmallow import ValidationError, fields, pre_load, validate, validates_schema

from coordination.core.validation import Choice, Email, FormBool, Id, Schema, Text, Version
from coordination.directory.models import AreaKind, OfficeKind, RequestKind
from coordination.i18n import L_, LOCALES, _

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")


def _code_field(**kwargs):
    return Text(
        required=True,
        max_length=32,
        validate=validate.Regexp(
            CODE_PATTERN,
            error=L_("Use 2 to 32 capital letters, digits and hyphens, e.g. QT-BLO."),
        ),
        **kwargs,
    )


class TranslatedNamesSchema(Schema):
    name_vi = Text(required=True, max_length=200)
    name_lo = Text(required=True, max_length=200)
    name_zh = Text(required=True, max_length=200)
    name_en = Text(required=True, max_length=200)
    names_reviewed = FormBool(load_default=False)


class OfficeSchema(TranslatedNamesSchema):
    code = _code_field()
    kind = Choice([kind.value for kind in OfficeKind], required=True)
    area_id = Id(required=True)
    address = Text(max_length=500, multiline=True)
    phone = Text(max_length=64)
    email = Email()
    active = FormBool(load_default=False)
    version = Version()


class BorderGateSchema(TranslatedNamesSchema):
    code = _code_field()
    vietnam_area_id = Id(required=True)
    partner_area_id = Id(required=True)
    active = FormBool(load_default=False)
    version = Version()

    @validates_schema
    def _different_sides(self, data, **kwargs):
        if data.get("vietnam_area_id") and data.get("vietnam_area_id") == data.get(
            "partner_area_id"
        ):
            raise ValidationError(
                _("The two sides of a border gate must be in different places."), "partner_area_id"
            )


class AreaSchema(TranslatedNamesSchema):
    """A place. Kind and parent are fixed at creation; later edits change code and names."""

    code = _code_field()
    kind = Choice([kind.value for kind in AreaKind], required=True)
    country_code = Choice(["VN", "LA", "CN"], required=True)
    parent_id = Id(load_default=None, allow_none=True)
    version = Version()

    @pre_load
    def _blank_parent(self, data, **kwargs):
        if isinstance(data, dict) and data.get("parent_id") == "":
            data = {**data, "parent_id": None}
        return data


def _days_field():
    return fields.Integer(
        required=True,
        strict=False,
        validate=validate.Range(
            min=1, max=365, error=L_("Enter a number of days between {min} and {max}.")
        ),
    )


def deadline_field_name(kind: RequestKind | str) -> str:
    return f"deadline_{kind}"


class PartnershipSchema(Schema):
    office_a_id = Id(required=True)
    office_b_id = Id(required=True)
    working_languages = fields.List(Choice(list(LOCALES)), required=True)
    active = FormBool(load_default=False)
    notes = Text(max_length=2000, multiline=True)
    version = Version()
    # One reply deadline (days) per request kind; field names follow deadline_field_name().
    deadline_identity_verification = _days_field()
    deadline_information = _days_field()
    deadline_rescue_assistance = _days_field()
    deadline_handover_proposal = _days_field()

    @validates_schema
    def _two_offices_and_a_language(self, data, **kwargs):
        errors = {}
        if data.get("office_a_id") and data.get("office_a_id") == data.get("office_b_id"):
            errors["office_b_id"] = [
                _("An office cannot be its own partner. Choose another office.")
            ]
        if not data.get("working_languages"):
            errors["working_languages"] = [_("Choose at least one working language.")]
        if errors:
            raise ValidationError(errors)


# --- API output --------------------------------------------------------------------------


class NamesOut(Schema):
    vi = fields.String(attribute="name_vi")
    lo = fields.String(attribute="name_lo")
    zh = fields.String(attribute="name_zh")
    en = fields.String(attribute="name_en")


class CountryOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String(metadata={"description": "Name in the requested language"})
    names = fields.Function(lambda obj: obj.names)
    default_locale = fields.String()
    timezone = fields.String()


class AreaOut(Schema):
    id = fields.Integer()
    code = fields.String()
    kind = fields.String()
    country = fields.Function(lambda obj: obj.country.code)
    parent_id = fields.Integer(allow_none=True)
    name = fields.String()
    names = fields.Function(lambda obj: obj.names)
    names_reviewed = fields.Boolean()


class OfficeOut(Schema):
    id = fields.Integer()
    code = fields.String()
    kind = fields.String()
    kind_label = fields.String()
    country = fields.Function(lambda obj: obj.country.code)
    area_id = fields.Integer()
    province_id = fields.Integer()
    name = fields.String()
    names = fields.Function(lambda obj: obj.names)
    address = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    active = fields.Boolean()


class BorderGateOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    names = fields.Function(lambda obj: obj.names)
    vietnam_area_id = fields.Integer()
    partner_area_id = fields.Integer()
    names_reviewed = fields.Boolean()
    active = fields.Boolean()


class PartnershipOut(Schema):
    id = fields.Integer()
    office_ids = fields.List(fields.Integer())
    working_languages = fields.List(fields.String(), attribute="languages")
    reply_deadline_days = fields.Function(
        lambda obj: {deadline.request_kind: deadline.days for deadline in obj.deadlines}
    )
    active = fields.Boolean()


class OfficeListArgs(Schema):
    class Meta:
        unknown = "exclude"

    country = Choice(["VN", "LA", "CN"])
    kind = Choice([kind.value for kind in OfficeKind])
    q = Text(max_length=100)

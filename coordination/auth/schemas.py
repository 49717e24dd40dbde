"""Input validation for sign-in, accounts and preferences."""

from __future__ import annotations

import re

from marshmallow import ValidationError, fields, pre_load, validate, validates_schema

from coordination.auth.models import Role
from coordination.core.validation import Choice, Email, FormBool, Id, Schema, Text, Version
from coordination.i18n import L_, LOCALES, TIMEZONES, _

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
PASSWORD_MIN, PASSWORD_MAX = 10, 128


class LoginSchema(Schema):
    username = Text(required=True, max_length=64)
    password = fields.String(required=True, validate=validate.Length(max=PASSWORD_MAX))
    next = fields.String(load_default=None)


class LocaleSchema(Schema):
    locale = Choice(list(LOCALES), required=True)
    next = fields.String(load_default=None)


def _password_field(**kwargs):
    return fields.String(
        validate=validate.Length(
            min=PASSWORD_MIN,
            max=PASSWORD_MAX,
            error=L_("A password needs {min} to {max} characters."),
        ),
        **kwargs,
    )


class _PasswordPair(Schema):
    password = _password_field(required=True)
    password_confirm = fields.String(required=True)

    @validates_schema
    def _passwords_match(self, data, **kwargs):
        if data.get("password") != data.get("password_confirm"):
            raise ValidationError(_("The two passwords differ."), "password_confirm")
        username = data.get("username")
        if username and data.get("password", "").lower() == username.lower():
            raise ValidationError(_("The password must not be the user name."), "password")


class _UserFields(Schema):
    username = Text(
        required=True,
        max_length=64,
        validate=validate.Regexp(
            USERNAME_PATTERN,
            error=L_(
                "Use 3 to 64 small letters, digits, dots, hyphens or underscores, "
                "starting with a letter or digit."
            ),
        ),
    )
    full_name = Text(required=True, max_length=200)
    email = Email()
    office_id = Id(required=True)
    roles = fields.List(
        Choice([role.value for role in Role]),
        required=True,
        validate=validate.Length(min=1, error=L_("Give the user at least one role.")),
    )
    locale = Choice(list(LOCALES), required=True)
    timezone = Choice(list(TIMEZONES), required=True)

    @pre_load
    def _lowercase_username(self, data, **kwargs):
        if isinstance(data, dict) and isinstance(data.get("username"), str):
            data = {**data, "username": data["username"].strip().lower()}
        return data


class UserCreateSchema(_UserFields, _PasswordPair):
    pass


class UserUpdateSchema(_UserFields):
    is_enabled = FormBool(load_default=False)
    version = Version()


class PasswordResetSchema(_PasswordPair):
    pass


class PasswordChangeSchema(_PasswordPair):
    current_password = fields.String(required=True)


class PreferencesSchema(Schema):
    full_name = Text(required=True, max_length=200)
    email = Email()
    locale = Choice(list(LOCALES), required=True)
    timezone = Choice(list(TIMEZONES), required=True)


class TokenCreateSchema(Schema):
    name = Text(required=True, max_length=100)

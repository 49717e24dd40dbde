"""API: who am I."""

from __future__ import annotations

from marshmallow import fields

from coordination.core.api import api_blueprint, api_user
from coordination.core.validation import Schema

blp = api_blueprint("api_auth", __name__, "/me", "The user the API token belongs to.")


class MeOut(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    office_id = fields.Integer()
    office_code = fields.Function(lambda user: user.office.code)
    roles = fields.Function(lambda user: sorted(user.roles))
    locale = fields.String()
    timezone = fields.String()


@blp.route("")
@blp.response(200, MeOut)
def me():
    return api_user()

"""The JSON API under /api/v1: flask-smorest, bearer-token authentication, SQL pagination.

flask-smorest's ``Api`` binds to one application, so each app gets its own (tests build
many apps in one process). Error bodies come from ``core.errors`` like every other error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask import Flask, abort, current_app, g, request
from flask_smorest import Api, Blueprint, Page
from flask_smorest import abort as smorest_abort
from marshmallow import ValidationError, fields, pre_load, validate

from coordination.core.db import count_rows
from coordination.core.validation import (
    EARLIEST_DATE,
    MAX_ID,
    Choice,
    PastDate,
    Schema,
    Text,
)
from coordination.extensions import csrf, db
from coordination.i18n import _, refresh_locale

API_PREFIX = "/api/v1"


class ErrorOut(Schema):
    """The body of every error response (see coordination.core.errors)."""

    code = fields.Integer(required=True, metadata={"description": "HTTP status code"})
    status = fields.String(required=True, metadata={"description": "Title of the status"})
    message = fields.String(required=True, metadata={"description": "Translated explanation"})
    errors = fields.Dict(
        keys=fields.String(),
        metadata={"description": "Translated messages by field name (`_schema`: whole body)"},
    )


class CoordinationApi(Api):
    ERROR_SCHEMA = ErrorOut

    def _register_error_handlers(self):
        """Errors are rendered by coordination.core.errors for the whole app."""


class ApiBlueprint(Blueprint):
    def _document_pagination_metadata(self, spec, resp_doc):
        """The header's value is a JSON text (flask-smorest documents it as an object)."""
        resp_doc.setdefault("headers", {})[self.PAGINATION_HEADER_NAME] = {
            "description": "Pagination metadata as a JSON object: total, total_pages, "
            "first_page, last_page, page, previous_page, next_page.",
            "schema": {"type": "string"},
        }


# --- What the OpenAPI document says about the project's own fields ------------------------

# Control characters the text fields refuse (single-line text turns white space, including
# line breaks and tabs, into single spaces; multi-line text keeps line breaks and tabs).
_SINGLE_LINE_REFUSED = "\\x00-\\x08\\x0e-\\x1b\\x7f-\\x84\\x86-\\x9f"
_MULTI_LINE_REFUSED = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"


def _document_field(converter, field, **kwargs) -> dict:
    """OpenAPI properties of coordination.core.validation's fields (an apispec attribute
    function): text length and characters, choices, bounds; empty optional values mean
    "none", required ones must hold a character other than white space."""
    if isinstance(field, Text):
        refused = _MULTI_LINE_REFUSED if field.multiline else _SINGLE_LINE_REFUSED
        if field.multiline:  # a line break is LF or CR LF, never a lone CR
            char = f"(?:[^{refused}\\r]|\\r\\n)"
            first = f"[^\\s{refused}\\r]"
        else:
            char, first = f"[^{refused}]", f"[^\\s{refused}]"
        pattern = f"^\\s*{first}{char}*$" if field.required else f"^{char}*$"
        return {"maxLength": field.max_length, "pattern": pattern}
    if isinstance(field, Choice):
        choices = list(field.choices)
        if not field.required and getattr(field, "empty_means_none", True):
            choices.append("")
        if field.allow_none:
            choices.append(None)
        return {"enum": choices}
    if isinstance(field, PastDate):
        return {"pattern": past_date_pattern(date.today())}
    return {}


def _alternatives(values) -> str:
    return "(" + "|".join(values) + ")"


def past_date_pattern(today: date) -> str:
    """A pattern for the dates from EARLIEST_DATE up to ``today`` (the document is built
    when the app starts; the server checks against the current day)."""
    earlier_years = _alternatives(str(year) for year in range(EARLIEST_DATE.year, today.year))
    parts = [f"{earlier_years}-\\d\\d-\\d\\d"]
    if today.month > 1:
        months = _alternatives(f"{month:02d}" for month in range(1, today.month))
        parts.append(f"{today.year}-{months}-\\d\\d")
    days = _alternatives(f"{day:02d}" for day in range(1, today.day + 1))
    parts.append(f"{today.year}-{today.month:02d}-{days}")
    return "^" + _alternatives(parts) + "$"


# --- Query strings: an unknown argument is refused, as the document says ----------------

PAGINATION_ARGS = ("page", "page_size")


def query_args(base: type[Schema] = Schema) -> type[Schema]:
    """``base`` for an API query string, as documented: an argument it does not know is
    refused (the pagination arguments are read by flask-smorest), and so is an argument
    given more than once."""

    def _as_documented(self, data, **kwargs):
        known = {field.data_key or name for name, field in self.load_fields.items()}
        errors = {}
        for key in request.args:
            if key not in known and key not in PAGINATION_ARGS:
                errors[key or "_schema"] = [_("Unknown field.")]
            elif len(request.args.getlist(key)) > 1:
                errors[key] = [_("Give this argument only once.")]
        if errors:
            raise ValidationError(errors)
        return {key: data[key] for key in data if key not in PAGINATION_ARGS}

    return type(base.__name__ + "Query", (base,), {"_as_documented": pre_load(_as_documented)})


# --- Updates: PUT sends the whole object, PATCH only what changes -------------------------


def _api_version():
    return fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "The version of the record the change was made on"},
    )


class _SendEverything:
    """A PUT body must name every field of the object (null or "" for none)."""

    must_send: tuple[str, ...] = ()

    @pre_load
    def _everything_sent(self, data, **kwargs):
        if isinstance(data, Mapping):
            missing = [name for name in self.must_send if name not in data]
            if missing:
                message = _("Missing data for required field.")
                raise ValidationError({name: [message] for name in missing})
        return data


def put_schema(base: type[Schema], *, optional: tuple[str, ...] = ()) -> type[Schema]:
    """``base`` for a PUT: every field but ``optional`` (actions, not stored fields) must be
    sent, ``version`` included; nothing is left to a default."""
    name = base.__name__.removesuffix("Schema") + "Put"
    must_send = tuple(
        field.data_key or key
        for key, field in base._declared_fields.items()
        if not field.dump_only and key not in optional
    )
    return type(
        name,
        (_SendEverything, base),
        {"must_send": must_send, "version": _api_version(), "__module__": base.__module__},
    )


def patch_schema(base: type[Schema]) -> Schema:
    """``base`` for a PATCH: only ``version`` is required; fields not sent are not changed
    (no defaults are filled in)."""
    name = base.__name__.removesuffix("Schema") + "Patch"
    schema = type(name, (base,), {"version": _api_version(), "__module__": base.__module__})
    return schema(partial=tuple(key for key in schema._declared_fields if key != "version"))


class SQLPage(Page):
    """Pages over a SQLAlchemy ``Select``: one COUNT and one LIMIT/OFFSET query."""

    @property
    def items(self):
        params = self.page_params
        if params.first_item > MAX_ID:  # past any real page; OFFSET would overflow
            return []
        query = self.collection.limit(params.page_size).offset(params.first_item)
        return db.session.scalars(query).unique().all()

    @property
    def item_count(self):
        return count_rows(self.collection)


TOKEN_LOADER_KEY = "coordination.api_token_loader"  # noqa: S105 - a name, not a secret


def set_token_loader(app: Flask, loader) -> None:
    """``loader(token) -> user | None`` finds the user of a bearer token (the auth feature
    provides it, so that core needs no import of auth)."""
    app.extensions[TOKEN_LOADER_KEY] = loader


def authenticate_api_request() -> None:
    """Every API call needs ``Authorization: Bearer <token>`` (cookies are not accepted,
    which is why the API needs no CSRF token)."""
    user_for_token = current_app.extensions[TOKEN_LOADER_KEY]
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        abort_unauthorized(_("Send an API token in the Authorization header: Bearer <token>."))
    user = user_for_token(token.strip())
    if user is None:
        abort_unauthorized(_("The API token is invalid, expired or revoked."))
    g.api_user = user
    # Something before this hook may have translated a string (and so chosen the locale)
    # without a user: choose again, in the token owner's language and zone.
    refresh_locale()


def abort_unauthorized(message: str):
    smorest_abort(401, message=message, headers={"WWW-Authenticate": "Bearer"})


def api_user():
    user = g.get("api_user")
    if user is None:  # only reachable if a blueprint was built without api_blueprint()
        abort(401)
    return user


def api_blueprint(name: str, import_name: str, url_prefix: str, description: str) -> Blueprint:
    blueprint = ApiBlueprint(
        name, import_name, url_prefix=API_PREFIX + url_prefix, description=description
    )
    blueprint.before_request(authenticate_api_request)
    csrf.exempt(blueprint)
    return blueprint


def _complete_schema_documents(api: CoordinationApi) -> None:
    """What field properties cannot say: the fields a PUT must send, and rules across
    fields that a schema class states in ``openapi_extra`` (a dict of JSON-schema keywords)."""
    schemas = api.spec.components.schemas
    for key, name in api.ma_plugin.converter.refs.items():
        schema_class, document = key[0], schemas.get(name)
        if document is None:
            continue
        if issubclass(schema_class, _SendEverything):
            document["required"] = sorted(
                set(document.get("required", [])) | set(schema_class.must_send)
            )
        for keyword, value in getattr(schema_class, "openapi_extra", {}).items():
            if keyword == "properties":  # keywords added to the fields' own
                for field_name, extra in value.items():
                    document["properties"][field_name].update(extra)
            else:
                document[keyword] = value


def create_api(app: Flask, blueprints) -> CoordinationApi:
    """The API of ``blueprints`` (the features' API blueprints, in the registry's order)."""
    api = CoordinationApi(
        spec_kwargs={
            "info": {
                "description": "Directory and coordination data for partner offices. "
                "Authenticate with a personal API token: Authorization: Bearer <token>."
            },
            "security": [{"bearerAuth": []}],
        }
    )
    api.init_app(app)
    api.ma_plugin.converter.add_attribute_function(_document_field)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    _complete_schema_documents(api)
    app.extensions["coordination-api"] = api
    return api

"""The JSON API under /api/v1: flask-smorest, bearer-token authentication, SQL pagination.

flask-smorest's ``Api`` binds to one application, so each app gets its own (tests build
many apps in one process). Error bodies come from ``core.errors`` like every other error.
"""

from __future__ import annotations

from flask import Flask, abort, g, request
from flask_smorest import Api, Blueprint, Page
from flask_smorest import abort as smorest_abort

from coordination.core.db import count_rows
from coordination.core.validation import MAX_ID
from coordination.extensions import csrf, db
from coordination.i18n import _

API_PREFIX = "/api/v1"


class CoordinationApi(Api):
    def _register_error_handlers(self):
        """Errors are rendered by coordination.core.errors for the whole app."""


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


def authenticate_api_request() -> None:
    """Every API call needs ``Authorization: Bearer <token>`` (cookies are not accepted,
    which is why the API needs no CSRF token)."""
    from coordination.auth.operations import user_for_token

    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        abort_unauthorized(_("Send an API token in the Authorization header: Bearer <token>."))
    user = user_for_token(token.strip())
    if user is None:
        abort_unauthorized(_("The API token is invalid, expired or revoked."))
    g.api_user = user


def abort_unauthorized(message: str):
    smorest_abort(401, message=message, headers={"WWW-Authenticate": "Bearer"})


def api_user():
    user = g.get("api_user")
    if user is None:  # only reachable if a blueprint was built without api_blueprint()
        abort(401)
    return user


def api_blueprint(name: str, import_name: str, url_prefix: str, description: str) -> Blueprint:
    blueprint = Blueprint(
        name, import_name, url_prefix=API_PREFIX + url_prefix, description=description
    )
    blueprint.before_request(authenticate_api_request)
    csrf.exempt(blueprint)
    return blueprint


def create_api(app: Flask) -> CoordinationApi:
    from coordination.auth.api import blp as auth_api
    from coordination.cases.api import blp as cases_api
    from coordination.directory.api import blp as directory_api
    from coordination.exchange.api import blp as exchange_api

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
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for blueprint in (auth_api, directory_api, cases_api, exchange_api):
        api.register_blueprint(blueprint)
    app.extensions["coordination-api"] = api
    return api

"""Errors that operations raise, and the app's error pages (HTML) and bodies (JSON)."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from coordination.core.validation import translate_errors
from coordination.extensions import db
from coordination.i18n import L_, _

log = logging.getLogger(__name__)


class OperationError(Exception):
    """An action the rules refuse; ``errors`` maps form fields to translated messages."""

    status = 422

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.errors = errors or {}


def field_error(field: str, message: str) -> OperationError:
    """A refusal about one form field: the message shown at the top and beside the field."""
    return OperationError(message, {field: [message]})


class ConflictError(OperationError):
    """Someone else changed the record since it was loaded."""

    status = 409
    what = "?"  # what conflicted, for the log

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or _(
                "Someone else changed this record while you were editing it. "
                "Your changes were not saved; reload the page to see the current version."
            )
        )


def check_version(obj, expected: int | None) -> None:
    """Refuse an edit made on a stale copy of ``obj``, or one that does not say which copy."""
    if expected is None:
        raise OperationError(
            _("The form does not say which version of the record it edits. Reload the page.")
        )
    if obj.version != expected:
        conflict = ConflictError()
        conflict.what = f"{type(obj).__name__} {obj.id} version {obj.version}, form {expected}"
        raise conflict


# Titles and explanations for the statuses users can meet.
_STATUS_TEXT = {
    400: (L_("Bad request"), L_("The request could not be understood.")),
    401: (L_("Not signed in"), L_("Sign in to continue.")),
    403: (L_("Not allowed"), L_("You do not have permission to do this.")),
    404: (L_("Not found"), L_("There is nothing here, or you do not have access to it.")),
    405: (L_("Method not allowed"), L_("This address does not accept this kind of request.")),
    409: (L_("Conflict"), L_("The record was changed by someone else.")),
    413: (L_("Too large"), L_("The upload is larger than allowed.")),
    415: (L_("Unsupported type"), L_("This kind of content is not accepted.")),
    422: (L_("Invalid input"), L_("Some of the data given is not valid.")),
    429: (L_("Too many attempts"), L_("Too many attempts. Wait a minute and try again.")),
    500: (L_("Server error"), L_("Something went wrong on our side. The error has been logged.")),
    503: (L_("Try again"), L_("The service is busy. Wait a moment and try again.")),
}
BUSY_MESSAGE = L_("The database is busy. Nothing was saved; wait a moment and try again.")
INTEGRITY_MESSAGE = L_(
    "This would duplicate or break a link to another record; nothing was saved. "
    "Reload the page and check the data."
)
CSRF_MESSAGE = L_(
    "The form has expired or was not sent from this site. Reload the page and try again."
)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _status_text(code: int) -> tuple[str, str]:
    title, message = _STATUS_TEXT.get(code, (None, None))
    return (str(title) if title else str(code), str(message) if message else "")


def _respond(code: int, message: str | None = None, errors=None, headers=None):
    title, default_message = _status_text(code)
    message = message or default_message
    if wants_json():
        body = {"code": code, "status": title, "message": message}
        if errors:
            body["errors"] = errors
        response = jsonify(body)
        response.status_code = code
    else:
        page = render_template("errors/error.html", code=code, title=title, message=message)
        response = make_response(page, code)
    if headers:
        response.headers.update(headers)
    return response


def handle_http_exception(error: HTTPException):
    if error.code is None:
        return error
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    if errors:
        errors = translate_errors(_errors_by_field(errors))
    message = data.get("message")
    headers = data.get("headers") or _kept_headers(error)
    return _respond(error.code, str(message) if message else None, errors, headers)


_LOCATIONS = ("json", "query", "form", "files", "headers")


def _errors_by_field(errors) -> dict:
    """Errors as an object of field -> messages (the documented shape).

    webargs nests them by location ("json", "query"): a single location's field errors are
    flattened; messages about the request as a whole (a list) come under ``_schema``.
    """
    if isinstance(errors, dict) and len(errors) == 1 and next(iter(errors)) in _LOCATIONS:
        inner = next(iter(errors.values()))
        errors = inner if isinstance(inner, dict) else {"_schema": inner}
    if not isinstance(errors, dict):
        errors = {"_schema": errors if isinstance(errors, list) else [errors]}
    return errors


def _kept_headers(error: HTTPException) -> dict | None:
    """Headers the status needs: Allow on 405, Retry-After on 429, WWW-Authenticate on 401."""
    kept = {
        name: value
        for name, value in error.get_headers()
        if name.lower() in ("allow", "retry-after", "www-authenticate")
    }
    return kept or None


def handle_csrf_error(error: CSRFError):
    return _respond(400, str(CSRF_MESSAGE))


def handle_stale_data(error: StaleDataError):
    db.session.rollback()
    # Every 409 is logged with what conflicted (the table, from SQLAlchemy's message).
    log.warning("409 conflict on %s %s: %s", request.method, request.path, error)
    return _respond(409, ConflictError().message)


def handle_integrity_error(error: IntegrityError):
    # Operations check uniqueness first; this catches the race between two such checks.
    db.session.rollback()
    log.warning("409 integrity error on %s %s: %s", request.method, request.path, error.orig)
    return _respond(409, str(INTEGRITY_MESSAGE))


def handle_database_busy(error: OperationalError):
    db.session.rollback()
    log.warning("database unavailable: %s", error.orig)
    return _respond(503, str(BUSY_MESSAGE))


def handle_operation_error(error: OperationError):
    db.session.rollback()
    if error.status == 409:
        log.warning(
            "409 conflict on %s %s: %s",
            request.method,
            request.path,
            getattr(error, "what", error.message),
        )
    return _respond(error.status, error.message, error.errors or None)


def handle_internal_error(error: InternalServerError):
    log.error("unhandled error", exc_info=error.original_exception or error)
    db.session.rollback()
    return _respond(500)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(StaleDataError, handle_stale_data)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(OperationalError, handle_database_busy)
    app.register_error_handler(OperationError, handle_operation_error)
    # Unhandled exceptions reach Flask's InternalServerError handler (outside testing).
    app.register_error_handler(InternalServerError, handle_internal_error)

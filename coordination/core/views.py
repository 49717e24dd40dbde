"""Small helpers shared by the features' HTML views."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import abort, current_app, render_template, request, url_for

from coordination.core.errors import ConflictError, OperationError
from coordination.core.validation import load_form, parse_id
from coordination.extensions import db


def safe_next(target: str | None, default_endpoint: str = "dashboard.index") -> str:
    """A redirect target on this site only (no //host or scheme: open redirects)."""
    if target:
        parts = urlsplit(target)
        local = target.startswith("/") and not target.startswith(("//", "/\\"))
        if local and not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for(default_endpoint)


def render_form(template: str, errors: dict | None = None, **context):
    """Render a form page; a page showing errors answers 422 so nothing gets committed."""
    status = 422 if errors else 200
    return render_template(template, errors=errors or {}, **context), status


MAX_PAGE = 100_000  # far beyond any list; keeps OFFSET inside the database's integer range


def paginate(query):
    page = request.args.get("page", 1, type=int) or 1
    return db.paginate(
        query,
        page=min(max(page, 1), MAX_PAGE),
        per_page=current_app.config["PAGE_SIZE"],
        max_per_page=100,
        error_out=False,
    )


def record_named(model, *names: str):
    """The record whose id the query string or form gives under the first of ``names`` that
    is filled in (a prefilled form: ``/requests/new?case=12``), or None if none is.

    An id that names no record (malformed, out of the database's range, or deleted) is 404:
    the same answer as the caller's ``require(policy)`` gives for another office's record,
    so the answer does not tell whether that record exists.
    """
    raw = next((request.values.get(name) for name in names if request.values.get(name)), None)
    if raw is None or not raw.strip():
        return None
    record_id = parse_id(raw)
    found = db.session.get(model, record_id) if record_id is not None else None
    if found is None:
        abort(404)
    return found


def form_value(name: str, obj=None, default=""):
    """The value to show in a form field: what was submitted, else the object's, else default."""
    if request.method == "POST" and name in request.form:
        return request.form.get(name)
    if obj is not None:
        value = getattr(obj, name, None)
        return default if value is None else value
    return default


def form_checked(name: str, obj=None, default: bool = False) -> bool:
    """Whether a checkbox shows ticked: as submitted, else as stored, else ``default``."""
    if request.method == "POST":
        return name in request.form
    if obj is not None:
        return bool(getattr(obj, name, default))
    return default


def attempt(operation, *args, **kwargs):
    """Run an operation for a form: (result, {}) or (None, errors to show on the form).

    A refusal (OperationError) is shown on the form the user filled in, keeping their input;
    a conflict (someone else saved first) propagates to the conflict page instead.
    """
    try:
        return operation(*args, **kwargs), {}
    except ConflictError:
        raise
    except OperationError as error:
        db.session.rollback()
        return None, error.errors or {"_schema": [error.message]}


@dataclass
class Submission:
    """What became of a form: ``done`` once the operation succeeded (``result`` is what it
    returned); else the ``errors`` to show beside the fields (none on a GET)."""

    done: bool = False
    result: object = None
    errors: dict = field(default_factory=dict)


def submit(schema, operation, *args, **kwargs) -> Submission:
    """On a POST: validate the form with ``schema`` and call ``operation(*args, data, …)``.

    The load → check → act steps of a form view, with the access check left to the view
    (before calling this) and the redirect after it: ``if sent.done: flash…; redirect…``.
    """
    if request.method != "POST":
        return Submission()
    data, errors = load_form(schema, request.form)
    if errors:
        return Submission(errors=errors)
    result, errors = attempt(operation, *args, data, **kwargs)
    return Submission(done=not errors, result=result, errors=errors)

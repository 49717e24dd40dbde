"""What happens around every request: audit origin, the commit boundary, security headers."""

from __future__ import annotations

from flask import Flask, current_app, request, session
from sqlalchemy.exc import IntegrityError, OperationalError

from coordination.audit.operations import Origin, set_origin
from coordination.core.errors import handle_database_busy, handle_integrity_error
from coordination.extensions import db

# Everything is served by the app itself: no CDN, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)


def _remember_origin() -> None:
    set_origin(Origin(ip_address=request.remote_addr, user_agent=request.user_agent.string))


def _commit_or_roll_back(response):
    """One commit per request, at its end: a response below 400 keeps the work, others don't.

    If the commit itself fails (a race on a unique value, a database too busy), the user
    gets a clear answer instead of the page that assumed success, and no "saved" message.
    """
    if response.status_code >= 400:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except IntegrityError as error:
        failed = handle_integrity_error(error)
    except OperationalError as error:
        failed = handle_database_busy(error)
    else:
        return response
    session.pop("_flashes", None)
    return failed


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static":
        # Pages show personal data: keep them out of shared caches and the back-button cache.
        headers.setdefault("Cache-Control", "no-store")
    return response


def register_request_hooks(app: Flask) -> None:
    app.before_request(_remember_origin)
    app.after_request(_commit_or_roll_back)
    app.after_request(_security_headers)

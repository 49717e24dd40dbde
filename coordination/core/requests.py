"""What happens around every request: audit origin, the commit boundary, security headers."""

from __future__ import annotations

from flask import Flask, request

from coordination.audit.operations import Origin, set_origin
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
    """One commit per request, at its end: a response below 400 keeps the work, others don't."""
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.endpoint != "static":
        # Pages show personal data: keep them out of shared caches and the back-button cache.
        headers.setdefault("Cache-Control", "no-store")
    return response


def register_request_hooks(app: Flask) -> None:
    app.before_request(_remember_origin)
    app.after_request(_commit_or_roll_back)
    app.after_request(_security_headers)

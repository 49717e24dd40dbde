"""What happens around every request: audit origin, the commit boundary, security headers,
bounds on JSON bodies, and the same-origin check that completes the CSRF token."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request, session
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import BadRequest

from coordination.core.db import defer_writes_to_commit
from coordination.core.errors import (
    OperationError,
    handle_database_busy,
    handle_integrity_error,
    handle_operation_error,
)
from coordination.core.origin import Origin, set_origin
from coordination.extensions import db
from coordination.i18n import _

# Everything is served by the app itself: no CDN, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)


# A JSON body carries a record, never files: 1 MB is far beyond any, and nesting deeper
# than 32 levels is never needed (Python's parser would recurse until it fails at ~1000).
MAX_JSON_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKETS = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in ``body`` (brackets inside strings ignored)."""
    depth = deepest = 0
    for bracket in _JSON_BRACKETS.findall(_JSON_STRING.sub(b'""', body)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _bad_request(message: str):
    error = BadRequest(message)
    error.data = {"message": message}  # shown by core.errors, as JSON under /api/
    return error


def _json_too_large() -> str:
    return _("The JSON data is larger than %(size)d KB.", size=MAX_JSON_BYTES // 1024)


def _bound_json_body() -> None:
    """Refuse (400, translated) a JSON body too large or too deeply nested to parse safely,
    before any view or webargs parses it."""
    if not request.is_json or request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if (request.content_length or 0) > MAX_JSON_BYTES:
        raise _bad_request(_json_too_large())
    body = request.get_data(cache=True)  # kept for get_json() afterwards
    if len(body) > MAX_JSON_BYTES:
        raise _bad_request(_json_too_large())
    if json_depth(body) > MAX_JSON_DEPTH:
        raise _bad_request(
            _("The JSON data is nested more than %(depth)d levels deep.", depth=MAX_JSON_DEPTH)
        )


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_of(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url.strip())
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:  # a port that is not a number, a malformed IPv6 host
        return None
    if not parts.scheme or not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


def _check_same_origin() -> None:
    """A form post whose CSRF token was accepted must also come from a page of this site.

    The browser's ``Origin`` (else ``Referer``) must name this site as the request reached
    it (``request.host`` and scheme, through ProxyFix when TRUSTED_PROXY_HOPS is set). With
    neither header there is nothing to compare and the token alone decides. The API is
    exempt from CSRF (bearer tokens, no cookies), so ``csrf_valid`` is never set there.
    """
    if not g.get("csrf_valid"):
        return
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return
    if _origin_of(source) != _origin_of(f"{request.scheme}://{request.host}/"):
        raise CSRFError("The request did not come from this site.")


def _remember_origin() -> None:
    set_origin(Origin(ip_address=request.remote_addr, user_agent=request.user_agent.string))
    defer_writes_to_commit()  # the request commits once, at its end


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
    except OperationError as error:  # refused by a write made at commit (the audit chain)
        failed = handle_operation_error(error)
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
    app.before_request(_bound_json_body)
    # After Flask-WTF's token check (registered earlier, in register_extensions).
    app.before_request(_check_same_origin)
    app.after_request(_commit_or_roll_back)
    app.after_request(_security_headers)

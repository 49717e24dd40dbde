"""Where the current action comes from (an address and browser, or a command or job).

Set once per request by core.requests, per command or job by core.jobs; read by the audit
log and by sign-in throttling.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_app_context


@dataclass(frozen=True)
class Origin:
    """Where an action came from: set per request (IP, browser) or per CLI/job run."""

    ip_address: str | None = None
    user_agent: str | None = None


def set_origin(origin: Origin) -> None:
    g.audit_origin = origin


def current_origin() -> Origin:
    return (g.get("audit_origin") if has_app_context() else None) or Origin()

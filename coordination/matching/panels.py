"""What the matching feature shows on a request's page: the possible matches of each person
of an identity verification among the viewer's records, and the outcomes its confirmed
matches suggest for the reply."""

from __future__ import annotations

from flask import Flask

from coordination.core.panels import Panel, register_hook, register_panel
from coordination.exchange.models import Request
from coordination.matching.operations import record_candidates_shown
from coordination.matching.policies import can_review_candidates
from coordination.matching.queries import (
    candidates_and_decided,
    decisions_for,
    suggested_outcomes,
    unreadable_text,
)

# A request may name hundreds of people (a raid): candidates are looked up inline for the
# first few only, the others from their own page, so the thread stays fast.
INLINE_CANDIDATES = 25


def verification_panel(found: Request, user) -> Panel | None:
    """Candidates for the first people of an identity verification, and decisions taken;
    rendered in each person's part of the page (with ``shared``, the person)."""
    if not can_review_candidates(user, found):
        return None
    decisions = decisions_for([shared.id for shared in found.people])
    inline = found.people[:INLINE_CANDIDATES]
    candidates = {
        shared.id: candidates_and_decided(user, shared, decisions.get(shared.id, {}), 3)
        for shared in inline
    }
    shown = [candidate for listed in candidates.values() for candidate in listed]
    record_candidates_shown(found, shown, actor=user)
    return Panel(
        "matching/_request_person.html",
        {
            "candidates": candidates,
            "decisions": decisions,
            "unreadable": {shared.id: unreadable_text(*shared.names()) for shared in inline},
        },
    )


def reply_outcomes(found: Request) -> dict[int, str]:
    """A confirmed match pre-fills "identity confirmed" in the reply for that person."""
    return suggested_outcomes([shared.id for shared in found.people])


def register(app: Flask) -> None:
    register_panel("request.person", verification_panel, app)
    register_hook("request.suggested_outcomes", reply_outcomes, app)

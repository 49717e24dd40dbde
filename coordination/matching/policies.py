"""Who may look for, and decide on, the candidates of a requested person."""

from __future__ import annotations

from coordination.auth.models import User
from coordination.exchange.models import Request, RequestState
from coordination.exchange.policies import can_verify_identities

# While the reply is still to be given (or the sender is asked for more), matches are decided.
OPEN_FOR_VERIFICATION = (
    RequestState.SENT,
    RequestState.ACKNOWLEDGED,
    RequestState.INFORMATION_REQUESTED,
)


def can_review_candidates(user: User, request: Request) -> bool:
    """The receiving office's liaison officers search their own records for the people of
    an identity verification (and may look back at what was decided after the reply)."""
    return can_verify_identities(user, request)


def can_decide_match(user: User, request: Request) -> bool:
    return can_review_candidates(user, request) and request.state in OPEN_FOR_VERIFICATION


def can_search_people(user: User) -> bool:
    """Whoever sees people's records (cases, the register) may look them up by name."""
    return user.is_active

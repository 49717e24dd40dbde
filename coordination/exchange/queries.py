"""Inbox, outbox and a case's requests, scoped like the policies; filters for the lists."""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select, text
from sqlalchemy.orm import lazyload, selectinload

from coordination.auth.models import Role, User
from coordination.cases.queries import supervised_offices
from coordination.core import paging
from coordination.core.db import utcnow
from coordination.core.paging import scoped
from coordination.core.search import contains_key
from coordination.core.text import search_key
from coordination.exchange.models import (
    AWAITING_ANSWER,
    WORKLIST_DEADLINE_SQL,
    WORKLIST_RANK_SQL,
    Request,
    RequestState,
)
from coordination.extensions import db


def _offices(user: User) -> list[int]:
    return supervised_offices(user) if user.has_role(Role.SUPERVISOR) else [user.office_id]


def inbox(user: User) -> Select:
    """Requests sent to the user's office (or, for a supervisor, to their province's)."""
    if not user.is_active:
        return select(Request).where(false())
    query = select(Request).where(Request.state != RequestState.DRAFT)
    # A supervisor's: one IN list, not an OR (see supervised_offices); a page of it is read
    # office by office (core.paging).
    return scoped(query, Request.recipient_office_id, _offices(user))


def outbox(user: User) -> Select:
    """Requests the user's office sent or drafted (or their province's, for a supervisor)."""
    if not user.is_active:
        return select(Request).where(false())
    return scoped(select(Request), Request.sender_office_id, _offices(user))


def box(user: User, name: str, **filters) -> Select:
    """The inbox or outbox (``name``) as its pages list it: filtered, and the offices of a
    page's requests in one extra query rather than joined into every row. A single office's
    own side is the reader's office, already in the session with the user: a lazy load
    finds it there, without a query."""
    if name == "inbox":
        query, own, other = inbox(user), Request.recipient_office, Request.sender_office
    else:
        query, own, other = outbox(user), Request.sender_office, Request.recipient_office
    several = paging.SCOPE in query.get_execution_options()  # a province's offices
    return filtered(query, **filters).options(
        selectinload(own) if several else lazyload(own), selectinload(other)
    )


def filtered(
    query: Select,
    *,
    kind: str | None = None,
    state: str | None = None,
    partner: int | None = None,
    overdue: bool = False,
    q: str | None = None,
) -> Select:
    if kind:
        query = query.where(Request.kind == kind)
    if state:
        query = query.where(Request.state == state)
    if partner:
        query = query.where(
            or_(Request.sender_office_id == partner, Request.recipient_office_id == partner)
        )
    if overdue:
        query = query.where(
            Request.state.in_([str(s) for s in AWAITING_ANSWER]), Request.deadline_at < utcnow()
        )
    key = search_key(q) if q else ""
    if key:
        query = query.where(contains_key(Request, key))
    if overdue:  # all awaiting an answer: nearest deadline first
        return query.order_by(Request.deadline_at, Request.id.desc())
    # Awaiting an answer first, nearest deadline first; then the rest, most recent first.
    # Written as the worklist indexes are (see exchange.models), so that they serve it.
    return query.order_by(text(WORKLIST_RANK_SQL), text(WORKLIST_DEADLINE_SQL), Request.id.desc())


def requests_of_case(user: User, case) -> list[Request]:
    """The requests sent about one of the office's cases (cases stay with their office)."""
    query = outbox(user).where(Request.case_id == case.id).order_by(Request.id.desc())
    # The partners joined in (the model's default); the sender is the case's own office,
    # found in the session after its first load.
    return db.session.scalars(query.options(lazyload(Request.sender_office))).all()

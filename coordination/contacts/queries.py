"""The contact log (the office's own contacts, and those partners shared with it), the
contacts of a case or a request, and counts for the reports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import lazyload, selectinload

from coordination.auth.models import Role, User
from coordination.cases.queries import supervised_offices
from coordination.contacts.models import Contact, ContactPerson
from coordination.contacts.policies import WORKING_ROLES, can_view_contact, sees_internal_links
from coordination.core import paging
from coordination.core.db import utcnow
from coordination.extensions import db


def _works(user: User) -> bool:
    return user.is_active and any(user.has_role(role) for role in WORKING_ROLES)


def _scoped(user: User, column, *conditions) -> Select:
    """Contacts whose ``column`` is the user's office, or for a supervisor one of their
    province's offices (one IN list, not an OR: see supervised_offices), which ride along on
    the query so that a page can be read office by office (core.paging)."""
    if not user.has_role(Role.SUPERVISOR):
        return select(Contact).where(column == user.office_id, *conditions)
    return paging.scoped(select(Contact).where(*conditions), column, supervised_offices(user))


def office_log(user: User) -> Select:
    """Contacts the user's office logged (a supervisor: its province's offices)."""
    if not _works(user):
        return select(Contact).where(false())
    return _scoped(user, Contact.office_id)


def shared_with(user: User) -> Select:
    """Contacts partner offices logged and shared with the user's office."""
    if not _works(user):
        return select(Contact).where(false())
    return _scoped(user, Contact.partner_office_id, Contact.shared_at.is_not(None))


def forwarded_to(user: User) -> Select:
    """Contacts border guard stations passed to the user's office (a liaison office; for a
    supervisor, its province's liaison offices)."""
    if not _works(user):
        return select(Contact).where(false())
    return _scoped(user, Contact.forwarded_office_id, Contact.forwarded_at.is_not(None))


def _day_start(day: date, zone) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC)


def filtered(
    query: Select,
    *,
    partner: int | None = None,
    channel: str | None = None,
    direction: str | None = None,
    urgency: str | None = None,
    since: date | None = None,
    until: date | None = None,
    overdue: bool = False,
    zone=UTC,
    partner_column=None,
) -> Select:
    """The log's filters; most recent first. ``since``/``until`` are days in ``zone``."""
    if partner:
        query = query.where((partner_column or Contact.partner_office_id) == partner)
    if channel:
        query = query.where(Contact.channel == channel)
    if direction:
        query = query.where(Contact.direction == direction)
    if urgency:
        query = query.where(Contact.urgency == urgency)
    if since:
        query = query.where(Contact.occurred_at >= _day_start(since, zone))
    if until:
        query = query.where(Contact.occurred_at < _day_start(until + timedelta(days=1), zone))
    if overdue:
        query = query.where(
            Contact.follow_up_done_at.is_(None), Contact.follow_up_due_at < utcnow()
        )
    # Offices are joined (lazy="joined"); people and scans are not shown in the list.
    return query.order_by(Contact.occurred_at.desc(), Contact.id.desc())


# The log counts its rows up to as many as the other lists (core.paging): an office's years
# of calls are found through the filters ("Page 1 of 100+").
COUNT_CAP = paging.COUNT_CAP


def page_ids(query: Select, offset: int, limit: int) -> list[int]:
    """The ids of one page of a filtered log, from the log's indexes alone; a province's
    log (a supervisor's) office by office (core.paging.merged_ids)."""
    column, offices = query.get_execution_options().get(paging.SCOPE, (None, ()))
    if len(offices) < 2:
        ids = query.with_only_columns(Contact.id).limit(limit).offset(offset)
        return list(db.session.scalars(ids))
    return paging.merged_ids(query, column, offices, offset, limit)


def page_of(query: Select, page: int, per_page: int) -> paging.Page:
    """One page of a filtered log: its ids first (ordered and counted from the log's
    indexes alone, never sorting whole rows), then those rows."""
    total = paging.count_rows(query, COUNT_CAP)
    ids = page_ids(query, (page - 1) * per_page, per_page)
    rows = {c.id: c for c in db.session.scalars(select(Contact).where(Contact.id.in_(ids)))}
    items = [rows[i] for i in ids if i in rows]
    return paging.Page.counted(items, page, per_page, total, COUNT_CAP)


def _visible(user: User, query: Select) -> list[Contact]:
    contacts = db.session.scalars(
        query.options(selectinload(Contact.people).selectinload(ContactPerson.person)).order_by(
            Contact.occurred_at.desc(), Contact.id.desc()
        )
    ).all()
    # Which case or request a contact is linked to is the linking side's (as the API
    # says): the partner sees the contact in its own log, not under our case or request.
    return [
        contact
        for contact in contacts
        if can_view_contact(user, contact) and sees_internal_links(user, contact)
    ]


def contacts_of_case(user: User, case) -> list[Contact]:
    """The contacts logged about one of the office's cases (cases stay with their office)."""
    # Their office is the case's (or one of its stations): found in the session once loaded.
    query = select(Contact).where(Contact.case_id == case.id).options(lazyload(Contact.office))
    return _visible(user, query)


def contacts_of_request(user: User, request) -> list[Contact]:
    """The contacts about a request that this user may see (each side its own, and what the
    other side shared)."""
    return _visible(user, select(Contact).where(Contact.request_id == request.id))


# --- Counting, for the reports ------------------------------------------------------------


@dataclass(frozen=True)
class ContactCount:
    period: str  # "2026" (year), "2026-Q3" (quarter), "2026-07" (month)
    office_id: int
    partner_office_id: int
    channel: str
    direction: str
    count: int


PERIODS = ("month", "quarter", "year")


def _period(year: int, month: int, per: str) -> str:
    if per == "year":
        return f"{year:04d}"
    if per == "quarter":
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    return f"{year:04d}-{month:02d}"


def count_contacts(
    *,
    office_ids: list[int] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    per: str = "month",
) -> list[ContactCount]:
    """How many contacts each office logged with each partner, per channel and direction,
    in each period (calendar months, quarters or years, in UTC) from ``since`` (inclusive) to
    ``until`` (exclusive). Counted by the database, grouped by month; sorted."""
    if per not in PERIODS:
        raise ValueError(f"per must be one of {PERIODS}")
    year = func.extract("year", Contact.occurred_at)
    month = func.extract("month", Contact.occurred_at)
    query = select(
        year,
        month,
        Contact.office_id,
        Contact.partner_office_id,
        Contact.channel,
        Contact.direction,
        func.count(),
    ).group_by(
        year, month, Contact.office_id, Contact.partner_office_id, Contact.channel,
        Contact.direction,
    )  # fmt: skip
    if office_ids is not None:
        query = query.where(Contact.office_id.in_(sorted(set(office_ids))))
    if since is not None:
        query = query.where(Contact.occurred_at >= since)
    if until is not None:
        query = query.where(Contact.occurred_at < until)
    totals: dict[tuple, int] = defaultdict(int)
    for y, m, office, partner, channel, direction, count in db.session.execute(query):
        totals[(_period(int(y), int(m), per), office, partner, channel, direction)] += count
    return [ContactCount(*key, count) for key, count in sorted(totals.items())]

"""The contact log (the office's own contacts, and those partners shared with it), the
contacts of a case or a request, and counts for the reports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, false, func, select, union_all
from sqlalchemy.orm import selectinload

from coordination.auth.models import Role, User
from coordination.cases.queries import supervised_offices
from coordination.contacts.models import Contact, ContactPerson
from coordination.contacts.policies import WORKING_ROLES, can_view_contact, sees_internal_links
from coordination.core.db import utcnow
from coordination.extensions import db


def _works(user: User) -> bool:
    return user.is_active and any(user.has_role(role) for role in WORKING_ROLES)


SCOPE = "contacts_offices"  # execution option: (column name, office ids) of a province log


def _scoped(user: User, column, *conditions) -> Select:
    """Contacts whose ``column`` is the user's office, or for a supervisor one of their
    province's offices (one IN list, not an OR: see supervised_offices). The supervisor's
    offices ride along on the query, so that a page can be read office by office."""
    if not user.has_role(Role.SUPERVISOR):
        return select(Contact).where(column == user.office_id, *conditions)
    offices = supervised_offices(user)
    return (
        select(Contact)
        .where(column.in_(offices), *conditions)
        .execution_options(**{SCOPE: (column.key, tuple(offices))})
    )


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


# The log counts its rows up to this many: an office's years of calls are found through
# the filters, and counting them all would cost more than the page itself ("400+ pages").
COUNT_CAP = 10_000


@dataclass
class LogPage:
    """A page of the log, as the pagination macro reads it (like Flask-SQLAlchemy's);
    ``more`` when there are more than COUNT_CAP rows (``total`` is then COUNT_CAP)."""

    items: list
    page: int
    per_page: int
    total: int
    more: bool = False

    @property
    def pages(self) -> int:
        counted = max(1, -(-self.total // self.per_page))
        return max(counted, self.page + (1 if self.more and self.items else 0))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def page_ids(query: Select, offset: int, limit: int) -> list[int]:
    """The ids of one page of a filtered log, from the log's indexes alone.

    A province's log (a supervisor's) is read office by office: each office's newest
    ``offset + limit`` from its own index, merged; rather than sorting every contact of the
    province to find the newest few."""
    column, offices = query.get_execution_options().get(SCOPE, (None, ()))
    if len(offices) < 2:
        ids = query.with_only_columns(Contact.id).limit(limit).offset(offset)
        return list(db.session.scalars(ids))
    parts = [
        select(
            query.where(getattr(Contact, column) == office)
            .with_only_columns(Contact.id, Contact.occurred_at)
            .limit(offset + limit)
            .subquery()
        )
        for office in offices
    ]
    merged = union_all(*parts).subquery()
    ids = (
        select(merged.c.id)
        .order_by(merged.c.occurred_at.desc(), merged.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(db.session.scalars(ids))


def page_of(query: Select, page: int, per_page: int) -> LogPage:
    """One page of a filtered log: its ids first (ordered and counted from the log's
    indexes alone, never sorting whole rows), then those rows."""
    total = capped_count(query)
    ids = page_ids(query, (page - 1) * per_page, per_page)
    rows = {c.id: c for c in db.session.scalars(select(Contact).where(Contact.id.in_(ids)))}
    items = [rows[i] for i in ids if i in rows]
    return LogPage(items, page, per_page, min(total, COUNT_CAP), more=total > COUNT_CAP)


def capped_count(query: Select, cap: int | None = None) -> int:
    """How many rows ``query`` gives, counted up to ``cap + 1`` (from the index alone)."""
    cap = cap or COUNT_CAP
    limited = query.with_only_columns(Contact.id).order_by(None).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(limited))


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
    return _visible(user, select(Contact).where(Contact.case_id == case.id))


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

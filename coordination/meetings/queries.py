"""The meetings a user may see (mirrors policies.can_view_meeting), the list's parts, and
what the forms offer: partners, gates, the two offices' users, and the agenda's candidates
(open requests and cases BETWEEN THE TWO OFFICES only)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, false, or_, select

from coordination.auth.models import Role, User
from coordination.cases.models import Case, CaseStatus
from coordination.core.db import utcnow
from coordination.directory.models import BorderGate, Office
from coordination.directory.operations import top_level_area
from coordination.directory.queries import visible_partnerships
from coordination.exchange.models import FINISHED, Request, RequestState
from coordination.extensions import db
from coordination.i18n import local_today
from coordination.meetings.models import ActionItem, ActionStatus, Meeting, MeetingState, Minutes
from coordination.meetings.operations import between


def visible_meetings(user: User) -> Select:
    query = select(Meeting)
    if not user.is_active:
        return query.where(false())
    conditions = [
        Meeting.host_office_id == user.office_id,
        Meeting.partner_office_id == user.office_id,
    ]
    if user.has_role(Role.SUPERVISOR):
        province = select(Office.id).where(Office.province_id == user.office.province_id)
        conditions += [
            Meeting.host_office_id.in_(province),
            Meeting.partner_office_id.in_(province),
        ]
    return query.where(or_(*conditions))


def listed(user: User, show: str) -> Select:
    """ "upcoming" (a series with an occurrence still to come), or "past" (over, or
    cancelled; latest first)."""
    now = utcnow()
    query = visible_meetings(user)
    if show == "past":
        return query.where(
            or_(Meeting.last_ends_at <= now, Meeting.state == str(MeetingState.CANCELLED))
        ).order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    return query.where(
        Meeting.last_ends_at > now, Meeting.state == str(MeetingState.PLANNED)
    ).order_by(Meeting.starts_at, Meeting.id)


def partner_options(user: User) -> list[tuple[int, str]]:
    partnerships = db.session.scalars(visible_partnerships(user, user.office_id)).all()
    offices = [p.other_office(user.office_id) for p in partnerships if p.active]
    return [(office.id, office.name) for office in offices if office.active]


def gate_options(user: User) -> list[tuple[int, str]]:
    """Active gates on the border of the user's province (either side)."""
    province = user.office.province_id
    gates = db.session.scalars(
        select(BorderGate).where(BorderGate.active.is_(True)).order_by(BorderGate.code)
    )
    return [
        (gate.id, gate.name)
        for gate in gates
        if province in (top_level_area(gate.vietnam_area).id, top_level_area(gate.partner_area).id)
    ]


def user_options(meeting: Meeting) -> list[tuple[int, str]]:
    """The active users of the two offices (attendees and owners of action items)."""
    users = db.session.scalars(
        select(User)
        .where(User.office_id.in_(meeting.office_ids), User.is_enabled.is_(True))
        .order_by(User.office_id, User.full_name)
    )
    return [(user.id, f"{user.full_name} ({user.office.code})") for user in users]


def open_requests(meeting: Meeting, limit: int = 100) -> list[Request]:
    """Requests between the two offices still open (not closed, declined or withdrawn, nor
    a draft), the overdue first (nearest deadline first)."""
    finished = [str(state) for state in (*FINISHED, RequestState.DRAFT)]
    query = (
        select(Request)
        .where(between(meeting), Request.state.not_in(finished))
        .order_by(Request.deadline_at.is_(None), Request.deadline_at, Request.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def shared_cases(meeting: Meeting, user: User, limit: int = 100) -> list[Case]:
    """Open cases of the user's office that a request between the two offices is about."""
    if user.office_id not in meeting.office_ids:
        return []
    closed = [str(status) for status in CaseStatus if status.is_closed]
    case_ids = (
        select(Request.case_id)
        .where(between(meeting), Request.case_id.is_not(None))
        .where(Request.state != str(RequestState.DRAFT))
    )
    query = (
        select(Case)
        .where(Case.id.in_(case_ids), Case.office_id == user.office_id)
        .where(Case.status.not_in(closed))
        .order_by(Case.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def open_action_items(office_id: int, user_id: int | None = None, limit: int = 50):
    """Action items of an office (or of one person) not done yet, the earliest due first;
    only those of meetings still shared with the office."""
    query = (
        select(ActionItem)
        .join(Minutes, ActionItem.minutes_id == Minutes.id)
        .join(Meeting, Minutes.meeting_id == Meeting.id)
        .where(ActionItem.status != str(ActionStatus.DONE))
        .where(or_(Meeting.host_office_id == office_id, Meeting.partner_office_id == office_id))
        .order_by(ActionItem.due_on, ActionItem.id)
        .limit(limit)
    )
    if user_id is not None:
        query = query.where(
            or_(
                ActionItem.owner_user_id == user_id,
                (ActionItem.owner_office_id == office_id) & ActionItem.owner_user_id.is_(None),
            )
        )
    else:
        query = query.where(ActionItem.owner_office_id == office_id)
    return list(db.session.scalars(query))


def overdue(items, today: date | None = None) -> int:
    today = today or local_today()
    return sum(1 for item in items if item.is_overdue(today))

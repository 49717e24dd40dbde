"""The figures of a report: a few SQL aggregates (GROUP BY) per section, for one period and
one scope. Every function returns plain JSON-able values; ``count_all`` puts the sections
together (the snapshot's ``figures``).

What is counted (the same rule in every report):

- cases: ``opened`` = cases of the scope's offices opened in the period; ``closed`` = those
  in a closed state (closed, referred, not a victim) whose last change fell in the period.
- victims: people with the role "victim" (not those found not to be victims) in the cases
  opened in the period. Age group: the age on the day the case was opened, from the date of
  birth, else the estimated age as recorded; "unknown" when neither is known. Nationality:
  the person's nationality (ISO code), "unknown" when not recorded. Exploitation type: the
  types of the case's exploitation events (a victim counted once per type), "unknown" when
  the case records none.
- requests: sent (by the scope's offices) and received (by them) in the period, per partner
  office and kind ("<partner code>|<kind>"); answered = answered since; on time = answered no
  later than the deadline; the rate = on time / sent (or received); the median reply time in
  hours from sending to the answer, over those answered.
- verification: outcomes recorded in the period on the people of requests of the scope.
- handovers: completed in the period, per gate; people = those on the list handed over.
- reintegration: people referred to the scope's centres and accepted, in support at some day
  of the period; services delivered (ended, else started, in the period) by type; follow-up
  visits made in the period; visits missed = due in the period and not made by its end.
- patrols: joint patrols completed that started in the period; meetings: liaison meetings of
  which minutes were written for an occurrence in the period; action items due in the period,
  and those done by their due day (UTC).

A partnership scope counts only what passes between its two offices (requests, handovers,
patrols, meetings) and their own cases.
"""

from __future__ import annotations

from sqlalchemy import Integer, and_, case, cast, distinct, false, func, literal, or_, select, true
from sqlalchemy.orm import aliased

from coordination.cases.models import Case, Person, TraffickingEvent
from coordination.directory.models import BorderGate, Office
from coordination.exchange.models import Request, RequestPerson
from coordination.extensions import db
from coordination.handovers.models import Handover, HandoverPerson
from coordination.meetings.models import ActionItem, Meeting, MeetingState, Minutes
from coordination.patrols.models import Patrol, PatrolState
from coordination.reintegration.models import FollowUpVisit, Referral, Stage, SupportService
from coordination.reports.periods import Period
from coordination.reports.scopes import Scope

FORMAT = 1
AGE_GROUPS = ("under_16", "16_17", "adult", "unknown")
UNKNOWN = "unknown"


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _in(scope: Scope, column):
    if scope.offices is None:
        return true()
    if not scope.offices:
        return false()
    return column.in_(sorted(scope.offices))


def _between(scope: Scope, first, second):
    """Something passing between two offices belongs to the scope: for a partnership, when it
    passes between the pair; otherwise when either side is one of the scope's offices."""
    if scope.pair is not None:
        a, b = scope.pair
        return or_(and_(first == a, second == b), and_(first == b, second == a))
    if scope.offices is None:
        return true()
    return or_(_in(scope, first), _in(scope, second))


def _within(column, period: Period):
    """A timestamp column within the period (its days in REPORT_TIMEZONE)."""
    return and_(column >= period.starts_at, column < period.ends_before)


def _days(column, period: Period):
    return and_(column >= period.start, column <= period.end)


def _day(column):
    """The (UTC) day of a timestamp column, comparable with a Date column."""
    if _dialect() == "sqlite":
        return func.date(column)
    return cast(column, db.Date)


def _grouped(statement) -> dict:
    return {
        str(key if key is not None else UNKNOWN): int(n) for key, n in db.session.execute(statement)
    }


# --- cases and victims ----------------------------------------------------------------------
def cases(scope: Scope, period: Period) -> dict:
    opened, closed = db.session.execute(
        select(
            func.count().filter(_days(Case.opened_on, period)),
            func.count().filter(
                and_(Case.status.like("closed%"), _within(Case.updated_at, period))
            ),
        ).where(_in(scope, Case.office_id))
    ).one()
    return {"opened": int(opened), "closed": int(closed)}


def _age_years():
    if _dialect() == "postgresql":
        from_birth = cast(
            func.extract("year", func.age(Case.opened_on, Person.date_of_birth)), Integer
        )
    else:
        year = lambda column: cast(func.strftime("%Y", column), Integer)  # noqa: E731
        from_birth = (
            year(Case.opened_on)
            - year(Person.date_of_birth)
            - cast(
                func.strftime("%m-%d", Case.opened_on)
                < func.strftime("%m-%d", Person.date_of_birth),
                Integer,
            )
        )
    return func.coalesce(
        case((Person.date_of_birth.is_not(None), from_birth)), Person.estimated_age
    )


def _victims_of(scope: Scope, period: Period):
    return and_(
        Person.role == "victim",
        or_(Person.victim_status.is_(None), Person.victim_status != "not_a_victim"),
        _in(scope, Case.office_id),
        _days(Case.opened_on, period),
    )


def victims(scope: Scope, period: Period) -> dict:
    where = _victims_of(scope, period)
    base = select(Person.id).join(Case, Case.id == Person.case_id).where(where)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    by_sex = _grouped(
        select(Person.sex, func.count())
        .join(Case, Case.id == Person.case_id)
        .where(where)
        .group_by(Person.sex)
    )
    age = _age_years()
    group = case(
        (age.is_(None), literal(UNKNOWN)),
        (age < 16, literal("under_16")),
        (age < 18, literal("16_17")),
        else_=literal("adult"),
    ).label("age_group")
    by_age = _grouped(
        select(group, func.count())
        .join(Case, Case.id == Person.case_id)
        .where(where)
        .group_by(group)
    )
    by_nationality = _grouped(
        select(Person.nationality, func.count())
        .join(Case, Case.id == Person.case_id)
        .where(where)
        .group_by(Person.nationality)
    )
    typed = and_(
        TraffickingEvent.case_id == Case.id, TraffickingEvent.exploitation_type.is_not(None)
    )
    by_exploitation = _grouped(
        select(TraffickingEvent.exploitation_type, func.count(distinct(Person.id)))
        .select_from(Person)
        .join(Case, Case.id == Person.case_id)
        .join(TraffickingEvent, typed)
        .where(where)
        .group_by(TraffickingEvent.exploitation_type)
    )
    untyped = db.session.scalar(
        select(func.count())
        .select_from(Person)
        .join(Case, Case.id == Person.case_id)
        .where(where, ~select(TraffickingEvent.id).where(typed).exists())
    )
    if untyped:
        by_exploitation[UNKNOWN] = int(untyped)
    return {
        "total": int(total),
        "by_sex": _sorted(by_sex),
        "by_age": {key: by_age.get(key, 0) for key in AGE_GROUPS},
        "by_nationality": _sorted(by_nationality),
        "by_exploitation": _sorted(by_exploitation),
    }


def _sorted(values: dict) -> dict:
    return {key: values[key] for key in sorted(values)}


# --- requests ---------------------------------------------------------------------------------
def _reply_hours():
    if _dialect() == "postgresql":
        return func.extract("epoch", Request.answered_at - Request.sent_at) / 3600.0
    return (func.julianday(Request.answered_at) - func.julianday(Request.sent_at)) * 24.0


def _median(where) -> float | None:
    hours = _reply_hours()
    answered = and_(where, Request.answered_at.is_not(None), Request.sent_at.is_not(None))
    if _dialect() == "postgresql":
        value = db.session.scalar(
            select(func.percentile_cont(0.5).within_group(hours)).where(answered)
        )
        return None if value is None else round(float(value), 1)
    count = db.session.scalar(select(func.count()).select_from(Request).where(answered))
    if not count:
        return None
    middle = select(hours.label("h")).where(answered).order_by(hours)
    values = db.session.scalars(middle.limit(2 - count % 2).offset((count - 1) // 2)).all()
    return round(sum(values) / len(values), 1)


def _requests_one_way(scope: Scope, period: Period, ours, theirs) -> dict:
    partner = aliased(Office)
    scoped = _between(scope, ours, theirs) if scope.pair is not None else _in(scope, ours)
    where = and_(scoped, Request.sent_at.is_not(None), _within(Request.sent_at, period))
    answered = Request.answered_at.is_not(None)
    on_time = and_(
        answered, Request.deadline_at.is_not(None), Request.answered_at <= Request.deadline_at
    )
    rows = db.session.execute(
        select(
            partner.code,
            Request.kind,
            func.count(),
            func.count().filter(answered),
            func.count().filter(on_time),
        )
        .join(partner, partner.id == theirs)
        .where(where)
        .group_by(partner.code, Request.kind)
        .order_by(partner.code, Request.kind)
    ).all()
    by, answered_by, on_time_by = {}, {}, {}
    for code, kind, n, n_answered, n_on_time in rows:
        key = f"{code}|{kind}"
        by[key], answered_by[key], on_time_by[key] = int(n), int(n_answered), int(n_on_time)
    total = sum(by.values())
    on_time_total = sum(on_time_by.values())
    return {
        "total": total,
        "answered": sum(answered_by.values()),
        "on_time": on_time_total,
        "on_time_rate": round(on_time_total / total, 3) if total else None,
        "median_reply_hours": _median(where),
        "by_partner_kind": by,
        "answered_by_partner_kind": answered_by,
        "on_time_by_partner_kind": on_time_by,
    }


def requests(scope: Scope, period: Period) -> dict:
    return {
        "sent": _requests_one_way(
            scope, period, Request.sender_office_id, Request.recipient_office_id
        ),
        "received": _requests_one_way(
            scope, period, Request.recipient_office_id, Request.sender_office_id
        ),
    }


def verification(scope: Scope, period: Period) -> dict:
    by = _grouped(
        select(RequestPerson.outcome, func.count())
        .join(Request, Request.id == RequestPerson.request_id)
        .where(
            RequestPerson.outcome.is_not(None),
            _within(RequestPerson.outcome_at, period),
            _between(scope, Request.sender_office_id, Request.recipient_office_id),
        )
        .group_by(RequestPerson.outcome)
    )
    return {"total": sum(by.values()), "by_outcome": _sorted(by)}


# --- handovers, reintegration, patrols, meetings ----------------------------------------------
def handovers(scope: Scope, period: Period) -> dict:
    handed = and_(
        HandoverPerson.handover_id == Handover.id,
        HandoverPerson.on_list.is_(True),
        HandoverPerson.handed_over.is_(True),
    )
    rows = db.session.execute(
        select(BorderGate.code, func.count(distinct(Handover.id)), func.count(HandoverPerson.id))
        .select_from(Handover)
        .join(BorderGate, BorderGate.id == Handover.gate_id)
        .outerjoin(HandoverPerson, handed)
        .where(
            Handover.state == "completed",
            _within(Handover.completed_at, period),
            _between(scope, Handover.handing_office_id, Handover.receiving_office_id),
        )
        .group_by(BorderGate.code)
        .order_by(BorderGate.code)
    ).all()
    by_gate = {code: int(n) for code, n, _people in rows}
    people_by_gate = {code: int(people) for code, _n, people in rows}
    return {
        "total": sum(by_gate.values()),
        "people": sum(people_by_gate.values()),
        "by_gate": by_gate,
        "people_by_gate": people_by_gate,
    }


def reintegration(scope: Scope, period: Period) -> dict:
    in_scope = _in(scope, Referral.centre_office_id)
    accepted = [str(Stage.ACCEPTED), str(Stage.IN_SUPPORT), str(Stage.FOLLOW_UP), str(Stage.CLOSED)]
    people = db.session.scalar(
        select(func.count(distinct(func.coalesce(Referral.person_id, -Referral.id)))).where(
            in_scope,
            Referral.stage.in_(accepted),
            Referral.answered_at < period.ends_before,
            or_(Referral.closed_on.is_(None), Referral.closed_on >= period.start),
        )
    )
    ended = func.coalesce(SupportService.actual_end, SupportService.actual_start)
    services = _grouped(
        select(SupportService.type, func.count())
        .join(Referral, Referral.id == SupportService.referral_id)
        .where(in_scope, SupportService.delivered.is_(True), _days(ended, period))
        .group_by(SupportService.type)
    )
    done, missed = db.session.execute(
        select(
            func.count().filter(_days(FollowUpVisit.visited_on, period)),
            func.count().filter(
                and_(
                    _days(FollowUpVisit.due_on, period),
                    or_(FollowUpVisit.visited_on.is_(None), FollowUpVisit.visited_on > period.end),
                )
            ),
        )
        .select_from(FollowUpVisit)
        .join(Referral, Referral.id == FollowUpVisit.referral_id)
        .where(in_scope)
    ).one()
    return {
        "people": int(people or 0),
        "services": sum(services.values()),
        "services_by_type": _sorted(services),
        "visits_done": int(done),
        "visits_missed": int(missed),
    }


def patrols(scope: Scope, period: Period) -> dict:
    held = db.session.scalar(
        select(func.count()).where(
            Patrol.state == str(PatrolState.COMPLETED),
            _within(Patrol.starts_at, period),
            _between(scope, Patrol.proposing_office_id, Patrol.partner_office_id),
        )
    )
    return {"held": int(held)}


def meetings(scope: Scope, period: Period) -> dict:
    between = _between(scope, Meeting.host_office_id, Meeting.partner_office_id)
    held = db.session.scalar(
        select(func.count(distinct(Minutes.id)))
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(
            between,
            Meeting.state != str(MeetingState.CANCELLED),
            _within(Minutes.occurs_at, period),
        )
    )
    owner = (
        and_(between, _in(scope, ActionItem.owner_office_id))
        if scope.pair is not None
        else _in(scope, ActionItem.owner_office_id)
    )
    due, on_time = db.session.execute(
        select(
            func.count(),
            func.count().filter(
                and_(
                    ActionItem.status == "done",
                    ActionItem.done_at.is_not(None),
                    _day(ActionItem.done_at) <= ActionItem.due_on,
                )
            ),
        )
        .select_from(ActionItem)
        .join(Minutes, Minutes.id == ActionItem.minutes_id)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(owner, _days(ActionItem.due_on, period))
    ).one()
    return {"held": int(held), "actions_due": int(due), "actions_on_time": int(on_time)}


SECTIONS = (
    ("cases", cases),
    ("victims", victims),
    ("requests", requests),
    ("verification", verification),
    ("handovers", handovers),
    ("reintegration", reintegration),
    ("patrols", patrols),
    ("meetings", meetings),
)


def count_all(scope: Scope, period: Period) -> dict:
    """Every section's figures for one period and scope."""
    return {name: counted(scope, period) for name, counted in SECTIONS}


def snapshot(scope: Scope, period: Period) -> dict:
    """What a stored report keeps: the figures of the period, of the previous period and of
    the same period a year before (raw counts; protection is applied when shown)."""
    previous, last_year = period.previous(), period.same_last_year()
    return {
        "format": FORMAT,
        "period": period.as_dict(),
        "scope": scope.as_dict(),
        "previous_period": previous.as_dict(),
        "last_year_period": last_year.as_dict(),
        "figures": count_all(scope, period),
        "previous": count_all(scope, previous),
        "last_year": count_all(scope, last_year),
    }

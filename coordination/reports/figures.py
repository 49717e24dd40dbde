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
  hours from sending to the answer, over those answered (from counts per tenth of an hour,
  so to the nearest 6 minutes). A partnership's requests are all "sent" (keyed by their
  recipient) and all "received" (keyed by their sender).
- verification: outcomes recorded in the period on the people of requests of the scope.
- handovers: completed in the period, per gate; people = those on the list handed over.
- reintegration: people referred to the scope's centres and accepted, in support at some day
  of the period; services delivered (ended, else started, in the period) by type; follow-up
  visits made in the period; visits missed = due in the period and not made by its end.
- contacts: hotline calls, letters, diplomatic notes… logged by the scope's offices in the
  period (by when they happened), per channel, direction (as the logging office recorded
  it), partner office, and the urgent ones. A partnership counts those logged between the
  two that were shared with the other side (an unshared log is the logging office's own).
- patrols: joint patrols completed that started in the period; meetings: liaison meetings of
  which minutes were written for an occurrence in the period; action items due in the period,
  and those done by their due day (UTC).

A partnership scope counts only what passes between its two offices (requests, handovers,
patrols, meetings) and their own cases.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from functools import partial

from sqlalchemy import (
    Integer,
    and_,
    case,
    cast,
    distinct,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
)

from coordination.cases.models import Case, Person, TraffickingEvent
from coordination.contacts.models import Contact
from coordination.directory.models import BorderGate, Office
from coordination.exchange.models import Request, RequestPerson
from coordination.extensions import db
from coordination.handovers.models import Handover, HandoverPerson
from coordination.meetings.models import ActionItem, Meeting, MeetingState, Minutes
from coordination.patrols.models import Patrol, PatrolState
from coordination.reintegration.models import FollowUpVisit, Referral, Stage, SupportService
from coordination.reports import lanes
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


# --- several periods in one pass -------------------------------------------------------------
# The heavy sections (cases, victims, requests) count the period, the previous period and the
# same period last year in one scan: each row is put in the bucket of the period it falls in
# (a CASE expression) and grouped by it. Periods given together never overlap (see batches).


def _bucket(condition, periods: list[Period]):
    return case(*[(condition(p), literal(i)) for i, p in enumerate(periods)], else_=None)


def _any(condition, periods: list[Period]):
    """The rows of any of the periods, found by one range from the first day to the last:
    an index is read in one pass (SQLite answers an OR of ranges by collecting row ids and
    reading each row from the table). Rows between the periods fall in no bucket (``_bucket``
    gives NULL) and every section leaves them out."""
    first = min(period.start for period in periods)
    last = max(period.end for period in periods)
    return condition(Period("range", first, last))


def _days_of(column):
    return lambda period: _days(column, period)


def _moments_of(column):
    return lambda period: _within(column, period)


# --- cases and victims ----------------------------------------------------------------------
def cases(scope: Scope, periods: list[Period]) -> list[dict]:
    closed = Case.status.like("closed%")
    columns = []
    for period in periods:
        columns.append(func.count().filter(_days(Case.opened_on, period)))
        columns.append(func.count().filter(and_(closed, _within(Case.updated_at, period))))
    values = db.session.execute(
        select(*columns).where(
            _in(scope, Case.office_id),
            or_(
                _any(_days_of(Case.opened_on), periods),
                and_(closed, _any(_moments_of(Case.updated_at), periods)),
            ),
        )
    ).one()
    return [
        {"opened": int(values[2 * i]), "closed": int(values[2 * i + 1])}
        for i in range(len(periods))
    ]


def _years_before(column, years: int):
    """The day ``years`` years before a date column (29 February: 28 February or 1 March,
    as each database does it)."""
    if _dialect() == "postgresql":
        return column - literal_column(f"interval '{int(years)} years'")
    return func.date(column, f"-{int(years)} years")


def _age_group():
    """The age group on the day the case was opened: from the date of birth (younger than
    16 when born after the day 16 years before), else from the estimated age as recorded."""
    born = Person.date_of_birth
    from_birth = case(
        (born > _years_before(Case.opened_on, 16), literal("under_16")),
        (born > _years_before(Case.opened_on, 18), literal("16_17")),
        else_=literal("adult"),
    )
    estimated = Person.estimated_age
    return case(
        (born.is_not(None), from_birth),
        (estimated.is_(None), literal(UNKNOWN)),
        (estimated < 16, literal("under_16")),
        (estimated < 18, literal("16_17")),
        else_=literal("adult"),
    ).label("age_group")


def victims(scope: Scope, periods: list[Period]) -> list[dict]:
    where = and_(
        Person.role == "victim",
        or_(Person.victim_status.is_(None), Person.victim_status != "not_a_victim"),
        _in(scope, Case.office_id),
        _any(_days_of(Case.opened_on), periods),
    )
    bucket = _bucket(_days_of(Case.opened_on), periods).label("bucket")
    group = _age_group()
    # One row per (period, sex, age group, nationality): a few dozen aggregate rows, added
    # up below into the three breakdowns.
    grouped = db.session.execute(
        select(bucket, Person.sex, group, Person.nationality, func.count())
        .join(Case, Case.id == Person.case_id)
        .where(where)
        .group_by(bucket, Person.sex, group, Person.nationality)
    ).all()
    # Exploitation types: the victims of each case (counted per case first), joined to the
    # distinct types of the case's exploitation events (no type: "unknown").
    per_case = (
        select(Person.case_id, func.count().label("n"))
        .join(Case, Case.id == Person.case_id)
        .where(where)
        .group_by(Person.case_id)
        .subquery()
    )
    types = (
        select(TraffickingEvent.case_id, TraffickingEvent.exploitation_type)
        .where(TraffickingEvent.exploitation_type.is_not(None))
        .distinct()
        .subquery()
    )
    exploitation = db.session.execute(
        select(bucket, types.c.exploitation_type, func.sum(per_case.c.n))
        .select_from(per_case)
        .join(Case, Case.id == per_case.c.case_id)
        .outerjoin(types, types.c.case_id == Case.id)
        .group_by(bucket, types.c.exploitation_type)
    ).all()
    results = []
    for index in range(len(periods)):
        by_sex, by_age, by_nationality = Counter(), Counter(), Counter()
        for row_bucket, sex, age_group, nationality, n in grouped:
            if row_bucket == index:
                by_sex[sex or UNKNOWN] += n
                by_age[age_group] += n
                by_nationality[nationality or UNKNOWN] += n
        by_exploitation = {
            kind or UNKNOWN: int(n) for row_bucket, kind, n in exploitation if row_bucket == index
        }
        results.append(
            {
                "total": sum(by_sex.values()),
                "by_sex": _sorted(by_sex),
                "by_age": {key: by_age.get(key, 0) for key in AGE_GROUPS},
                "by_nationality": _sorted(by_nationality),
                "by_exploitation": _sorted(by_exploitation),
            }
        )
    return results


def _sorted(values) -> dict:
    return {key: int(values[key]) for key in sorted(values)}


# --- requests ---------------------------------------------------------------------------------
def _reply_tenths():
    """Hours from sending to the answer, in tenths of an hour (rounded): the median is taken
    from the counts per tenth (to the nearest 6 minutes), an aggregate on both databases."""
    if _dialect() == "postgresql":
        hours = func.extract("epoch", Request.answered_at - Request.sent_at) / 3600.0
    else:
        hours = (func.julianday(Request.answered_at) - func.julianday(Request.sent_at)) * 24.0
    return cast(func.round(hours * 10), Integer)


def _median(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value in tenths: count}."""
    total = sum(histogram.values())
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # the middle one, or the middle two
    found, seen = [], 0
    for value in sorted(histogram):
        while wanted and wanted[0] < seen + histogram[value]:
            found.append(value)
            wanted.pop(0)
        seen += histogram[value]
    return round(sum(found) / len(found) / 10, 1)


def _flag(scope: Scope, column):
    if scope.pair is not None or scope.offices is None:
        return literal(1)
    return case((_in(scope, column), literal(1)), else_=literal(0))


def requests(scope: Scope, periods: list[Period]) -> list[dict]:
    """Sent: by the scope's offices (for a partnership: between the two), per recipient;
    received: by them, per sender."""
    sender, recipient = Request.sender_office_id, Request.recipient_office_id
    where = and_(
        _between(scope, sender, recipient),
        Request.sent_at.is_not(None),
        _any(_moments_of(Request.sent_at), periods),
    )
    bucket = _bucket(_moments_of(Request.sent_at), periods).label("bucket")
    answered = Request.answered_at.is_not(None)
    on_time = and_(
        answered, Request.deadline_at.is_not(None), Request.answered_at <= Request.deadline_at
    )
    rows = db.session.execute(
        select(
            bucket,
            sender,
            recipient,
            Request.kind,
            func.count(),
            func.count().filter(answered),
            func.count().filter(on_time),
        )
        .where(where)
        .group_by(bucket, sender, recipient, Request.kind)
    ).all()
    ours_sent, ours_received = _flag(scope, sender), _flag(scope, recipient)
    tenths = _reply_tenths().label("tenths")
    histogram = db.session.execute(
        select(bucket, ours_sent, ours_received, tenths, func.count())
        .where(where, answered)
        .group_by(bucket, ours_sent, ours_received, tenths)
    ).all()
    codes = dict(db.session.execute(select(Office.id, Office.code)).all())
    results = []
    for index in range(len(periods)):
        one = {}
        for direction, ours, theirs in (("sent", 1, 2), ("received", 2, 1)):
            by, answered_by, on_time_by = Counter(), Counter(), Counter()
            for row in rows:
                if row[0] != index or not _ours(scope, row[ours]):
                    continue
                key = f"{codes.get(row[theirs], row[theirs])}|{row[3]}"
                by[key] += row[4]
                answered_by[key] += row[5]
                on_time_by[key] += row[6]
            flag = 1 if direction == "sent" else 2
            times = Counter()
            for row in histogram:
                if row[0] == index and row[flag] == 1 and row[3] is not None:
                    times[int(row[3])] += row[4]
            total, on_time_total = sum(by.values()), sum(on_time_by.values())
            one[direction] = {
                "total": total,
                "answered": sum(answered_by.values()),
                "on_time": on_time_total,
                "on_time_rate": round(on_time_total / total, 3) if total else None,
                "median_reply_hours": _median(times),
                "by_partner_kind": _sorted(by),
                "answered_by_partner_kind": _sorted(answered_by),
                "on_time_by_partner_kind": _sorted(on_time_by),
            }
        results.append(one)
    return results


def _ours(scope: Scope, office_id: int) -> bool:
    return scope.offices is None or scope.pair is not None or office_id in scope.offices


def verification(scope: Scope, periods: list[Period]) -> list[dict]:
    bucket = _bucket(_moments_of(RequestPerson.outcome_at), periods).label("bucket")
    statement = (
        select(bucket, RequestPerson.outcome, func.count())
        .where(
            RequestPerson.outcome.is_not(None),
            _any(_moments_of(RequestPerson.outcome_at), periods),
        )
        .group_by(bucket, RequestPerson.outcome)
    )
    if scope.offices is not None:
        statement = statement.join(Request, Request.id == RequestPerson.request_id).where(
            _between(scope, Request.sender_office_id, Request.recipient_office_id)
        )
    rows = db.session.execute(statement).all()
    results = []
    for index in range(len(periods)):
        by = {outcome: int(n) for row_bucket, outcome, n in rows if row_bucket == index}
        results.append({"total": sum(by.values()), "by_outcome": _sorted(by)})
    return results


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


def contacts(scope: Scope, periods: list[Period]) -> list[dict]:
    """Contacts logged in each period, per channel, direction and partner; one scan (the
    office log's index holds every column read here)."""
    if scope.pair is not None:
        where = and_(
            _between(scope, Contact.office_id, Contact.partner_office_id),
            Contact.shared_at.is_not(None),
        )
    else:
        where = _in(scope, Contact.office_id)
    bucket = _bucket(_moments_of(Contact.occurred_at), periods).label("bucket")
    rows = db.session.execute(
        select(
            bucket,
            Contact.partner_office_id,
            Contact.channel,
            Contact.direction,
            func.count(),
            func.count().filter(Contact.urgency == "urgent"),
        )
        .where(where, _any(_moments_of(Contact.occurred_at), periods))
        .group_by(bucket, Contact.partner_office_id, Contact.channel, Contact.direction)
    ).all()
    codes = dict(db.session.execute(select(Office.id, Office.code)).all()) if rows else {}
    results = []
    for index in range(len(periods)):
        channel, direction, partner = Counter(), Counter(), Counter()
        urgent = 0
        for row in rows:
            if row[0] != index:
                continue
            partner[codes.get(row[1], str(row[1]))] += row[4]
            channel[row[2]] += row[4]
            direction[row[3]] += row[4]
            urgent += row[5]
        results.append(
            {
                "total": sum(channel.values()),
                "urgent": urgent,
                "by_channel": _sorted(channel),
                "by_direction": _sorted(direction),
                "by_partner": _sorted(partner),
            }
        )
    return results


# Sections counted for several periods in one pass, and those counted period by period
# (small tables: reintegration, patrols, meetings, handovers; verification).
BATCHED = (
    ("cases", cases),
    ("victims", victims),
    ("requests", requests),
    ("verification", verification),
    ("contacts", contacts),
)
SINGLE = (
    ("handovers", handovers),
    ("reintegration", reintegration),
    ("patrols", patrols),
    ("meetings", meetings),
)
ORDER = (
    "cases",
    "victims",
    "requests",
    "verification",
    "contacts",
    "handovers",
    "reintegration",
    "patrols",
    "meetings",
)


def _overlap(first: Period, second: Period) -> bool:
    return first.start <= second.end and second.start <= first.end


def batches(periods: list[Period]) -> list[list[Period]]:
    """The periods in groups of periods that do not overlap (a range longer than a year
    overlaps the same range a year before: those are counted apart)."""
    groups: list[list[Period]] = []
    for period in periods:
        for group in groups:
            if not any(_overlap(period, other) for other in group):
                group.append(period)
                break
        else:
            groups.append([period])
    return groups


# --- the twelve months up to the period's end (trend charts) ------------------------------
# Cases opened, requests sent and handovers completed per month, one GROUP BY each (a bucket
# per month), counted as the sections above count them; months run on REPORT_TIMEZONE's days.
MONTHS = 12
SERIES = ("cases_opened", "requests_sent", "handovers")


def months_ending(last_day: date, count: int = MONTHS) -> list[Period]:
    """The ``count`` calendar months up to the one holding ``last_day``, oldest first."""
    months = []
    first = last_day.replace(day=1)
    for _step in range(count):
        following = (first + timedelta(days=32)).replace(day=1)
        months.append(Period.range(first, following - timedelta(days=1)))
        first = (first - timedelta(days=1)).replace(day=1)
    return months[::-1]


def _per_month(statement, months: list[Period]) -> list[int]:
    found = {int(index): int(n) for index, n in db.session.execute(statement) if index is not None}
    return [found.get(index, 0) for index in range(len(months))]


def trend(scope: Scope, period: Period) -> dict:
    """{"months": ["2026-01", …], "cases_opened": [...], "requests_sent": [...],
    "handovers": [...]}: raw counts (protected when shown, like every figure)."""
    months = months_ending(period.end)
    opened = _bucket(_days_of(Case.opened_on), months).label("bucket")
    cases = (
        select(opened, func.count())
        .where(_in(scope, Case.office_id), _any(_days_of(Case.opened_on), months))
        .group_by(opened)
    )
    sender, recipient = Request.sender_office_id, Request.recipient_office_id
    sent = _bucket(_moments_of(Request.sent_at), months).label("bucket")
    requests = (
        select(sent, func.count())
        .where(
            _between(scope, sender, recipient),
            _flag(scope, sender) == 1,  # sent by the scope's offices (for a pair: either)
            Request.sent_at.is_not(None),
            _any(_moments_of(Request.sent_at), months),
        )
        .group_by(sent)
    )
    completed = _bucket(_moments_of(Handover.completed_at), months).label("bucket")
    handovers = (
        select(completed, func.count())
        .where(
            and_(
                Handover.state == "completed",
                _between(scope, Handover.handing_office_id, Handover.receiving_office_id),
                _any(_moments_of(Handover.completed_at), months),
            )
        )
        .group_by(completed)
    )
    return {
        "months": [month.start.strftime("%Y-%m") for month in months],
        "cases_opened": [] if scope.pair is not None else _per_month(cases, months),
        "requests_sent": _per_month(requests, months),
        "handovers": _per_month(handovers, months),
    }


# A partnership's report counts what passed between the two offices only: each office's own
# cases, victims and people in its centres were never sent to the other, not even as counts.
OFFICE_OWNED = frozenset({"cases", "victims", "reintegration"})


def _sections(scope: Scope, sections):
    if scope.pair is None:
        return sections
    return tuple((name, function) for name, function in sections if name not in OFFICE_OWNED)


def _as_list(function, scope: Scope, period: Period) -> list:
    """A section counted period by period, as a batched section answers: a list."""
    return [function(scope, period)]


# Counted on a second connection beside the others (lanes.py): the heaviest section.
ASIDE = frozenset({"requests"})


def _count(
    scope: Scope, periods: list[Period], trend_of: Period | None = None
) -> tuple[dict[Period, dict], dict | None]:
    """Every section's figures for each of the periods, and the trend up to ``trend_of``'s
    end when given."""
    unique = list(dict.fromkeys(periods))
    here: list = []
    aside: list = []
    for group in batches(unique):
        for name, function in _sections(scope, BATCHED):
            task = (name, group, partial(function, scope, group))
            (aside if name in ASIDE else here).append(task)
    for period in unique:
        for name, function in _sections(scope, SINGLE):
            here.append((name, [period], partial(_as_list, function, scope, period)))
    if trend_of is not None:
        aside.append(("trend", [], partial(trend, scope, trend_of)))
    done_here, done_aside = lanes.run(
        [task for _n, _g, task in here], [task for _n, _g, task in aside]
    )
    counted: dict[Period, dict] = {period: {} for period in unique}
    months = None
    tasks, results = [*here, *aside], [*done_here, *done_aside]
    for (name, group, _task), values in zip(tasks, results, strict=True):
        if name == "trend":
            months = values
            continue
        for period, one in zip(group, values, strict=True):
            counted[period][name] = one
    ordered = {
        period: {name: counted[period][name] for name in ORDER if name in counted[period]}
        for period in unique
    }
    return ordered, months


def count_many(scope: Scope, periods: list[Period]) -> dict[Period, dict]:
    """Every section's figures for each of the periods."""
    return _count(scope, periods)[0]


def count_all(scope: Scope, period: Period) -> dict:
    """Every section's figures for one period and scope."""
    return count_many(scope, [period])[period]


def snapshot(scope: Scope, period: Period) -> dict:
    """What a stored report keeps: the figures of the period, of the previous period and of
    the same period last year (raw counts; protection is applied when shown). For a year the
    previous period is the year before: counted once."""
    previous, last_year = period.previous(), period.same_last_year()
    counted, months = _count(scope, [period, previous, last_year], trend_of=period)
    return {
        "format": FORMAT,
        "period": period.as_dict(),
        "scope": scope.as_dict(),
        "previous_period": previous.as_dict(),
        "last_year_period": last_year.as_dict(),
        "figures": counted[period],
        "previous": counted[previous],
        "last_year": counted[last_year],
        "trend": months,
    }

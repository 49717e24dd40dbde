"""Handovers a user may see, proposals they may schedule, and the gate lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import selectinload

from coordination.auth.models import Role, User
from coordination.cases.models import MissingPersonReport, Person
from coordination.directory.models import (
    AdministrativeArea,
    BorderGate,
    Office,
    OfficeKind,
    RequestKind,
)
from coordination.directory.operations import top_level_area
from coordination.exchange.models import Request, RequestPerson
from coordination.extensions import db
from coordination.handovers.models import Handover, HandoverPerson, HandoverState
from coordination.handovers.policies import AGREED_STATES, guards_a_station
from coordination.matching.models import MatchDecision, MatchDecisionKind


def _related_offices(user: User):
    """Offices whose handovers the user sees beyond their own office's."""
    if guards_a_station(user) or user.has_role(Role.SUPERVISOR):
        return select(Office.id).where(Office.province_id == user.office.province_id)
    return None


def visible_handovers(user: User) -> Select:
    """Mirrors policies.can_view_handover."""
    query = select(Handover)
    if not user.is_active:
        return query.where(false())
    conditions = [
        Handover.handing_office_id == user.office_id,
        Handover.receiving_office_id == user.office_id,
    ]
    related = _related_offices(user)
    if related is not None:
        conditions += [
            Handover.handing_office_id.in_(related),
            Handover.receiving_office_id.in_(related),
        ]
    return query.where(or_(*conditions))


def schedulable_requests(user: User) -> Select:
    """Agreed handover proposals of the offices whose gate work the user does."""
    query = select(Request).where(
        Request.kind == RequestKind.HANDOVER_PROPOSAL, Request.state.in_(AGREED_STATES)
    )
    offices = [user.office_id] if user.has_role(Role.LIAISON_OFFICER) else []
    conditions = [
        Request.sender_office_id.in_(offices),
        Request.recipient_office_id.in_(offices),
    ]
    if guards_a_station(user):
        province = select(Office.id).where(Office.province_id == user.office.province_id)
        conditions += [
            Request.sender_office_id.in_(province),
            Request.recipient_office_id.in_(province),
        ]
    return query.where(or_(*conditions)).order_by(Request.sent_at.desc())


def joins(gate: BorderGate, request: Request) -> bool:
    """The gate lies on the border between the two offices' provinces (either way round)."""
    provinces = {request.sender_office.province_id, request.recipient_office.province_id}
    sides = {top_level_area(gate.vietnam_area).id, top_level_area(gate.partner_area).id}
    return sides == provinces


def gates_for(request: Request) -> list[BorderGate]:
    """Active gates joining the two offices' provinces (the form's options)."""
    gates = select(BorderGate).where(BorderGate.active.is_(True)).order_by(BorderGate.code)
    return [gate for gate in db.session.scalars(gates) if joins(gate, request)]


# The offices a person may be referred to at the gate ("social protection centre").
CENTRE_KINDS = (OfficeKind.SOCIAL_PROTECTION_CENTRE, OfficeKind.SHELTER)


def referral_centres(handover: Handover) -> list[Office]:
    """Active social protection centres and shelters in the receiving office's country:
    where the gate may refer the people it receives (the log form's options)."""
    country_id = handover.receiving_office.area.country_id
    query = (
        select(Office)
        .join(AdministrativeArea, Office.area_id == AdministrativeArea.id)
        .where(
            Office.kind.in_(CENTRE_KINDS),
            Office.active.is_(True),
            AdministrativeArea.country_id == country_id,
        )
        .order_by(Office.code)
    )
    return list(db.session.scalars(query))


def is_referral_centre(office: Office | None, handover: Handover) -> bool:
    return (
        office is not None
        and office.active
        and office.kind in CENTRE_KINDS
        and office.area.country_id == handover.receiving_office.area.country_id
    )


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The UTC interval of one calendar day in a time zone."""
    start = datetime.combine(day, time.min, tzinfo=ZoneInfo(zone))
    return start, start + timedelta(days=1)


def all_gates() -> list[BorderGate]:
    return list(db.session.scalars(select(BorderGate).order_by(BorderGate.code)))


COMING_DAYS = 7  # the guard's panel: today and the week after it
COMING_LIMIT = 50


def station_gate_ids(user: User) -> list[int]:
    """The gates a border guard station works: those on its province's border."""
    province = user.office.province_id
    return [
        gate.id
        for gate in all_gates()
        if province in (top_level_area(gate.vietnam_area).id, top_level_area(gate.partner_area).id)
    ]


def coming_handovers(user: User, zone: str, today: date, days: int = COMING_DAYS):
    """Handovers the user sees scheduled from the start of ``today`` to the end of the
    ``days`` after it (in ``zone``), earliest first, cancelled ones left out; a border
    guard's only at the gates of their station's province."""
    start = day_bounds(today, zone)[0]
    end = day_bounds(today + timedelta(days=days), zone)[1]
    query = visible_handovers(user).where(
        Handover.scheduled_at >= start,
        Handover.scheduled_at < end,
        Handover.state != HandoverState.CANCELLED,
    )
    if guards_a_station(user):
        query = query.where(Handover.gate_id.in_(station_gate_ids(user)))
    query = query.options(selectinload(Handover.people)).order_by(
        Handover.scheduled_at, Handover.id
    )
    return list(db.session.scalars(query.limit(COMING_LIMIT)).unique())


def by_local_day(handovers, zone: str) -> list[tuple[date, list[Handover]]]:
    """Handovers grouped by their scheduled day in ``zone``, in order."""
    days: dict[date, list[Handover]] = {}
    for handover in handovers:
        day = handover.scheduled_at.astimezone(ZoneInfo(zone)).date()
        days.setdefault(day, []).append(handover)
    return list(days.items())


# --- Our record's name beside the partner's rendering ------------------------------------------


@dataclass(frozen=True)
class OurRecord:
    """A record of ours (a person in a case, or a missing-person report) that an officer
    confirmed is a person of the handover, and who may read its name."""

    kind: str  # "person" | "missing"
    id: int
    name: str
    romanised: str | None
    office: Office  # the office that owns the record
    decided_by_office: Office  # the office that confirmed the match


def our_records(people: list[HandoverPerson]) -> dict[int, list[OurRecord]]:
    """For each handover person (by id): our records confirmed as them. A match is decided
    on the partner's identity verification request; the handover proposal shares the same
    record of the partner, so a match counts for the person the partner shared (its own
    request person, or any request person of the same partner record)."""
    shared = {p.id: p.request_person for p in people if p.request_person is not None}
    if not shared:
        return {}
    own_ids = {rp.id for rp in shared.values()}
    partner_ids = {rp.person_id for rp in shared.values() if rp.person_id is not None}
    asked = select(RequestPerson.id, RequestPerson.person_id).where(
        or_(
            RequestPerson.id.in_(own_ids),
            RequestPerson.person_id.in_(partner_ids) if partner_ids else false(),
        )
    )
    asked_about = {row.id: row.person_id for row in db.session.execute(asked)}
    decisions = db.session.scalars(
        select(MatchDecision)
        .where(
            MatchDecision.request_person_id.in_(list(asked_about)),
            MatchDecision.decision == MatchDecisionKind.CONFIRMED,
        )
        .order_by(MatchDecision.decided_at, MatchDecision.id)
    ).all()
    found: dict[int, list[OurRecord]] = {}
    for decision in decisions:
        record = _our_record(decision)
        if record is None:
            continue
        for person_id, request_person in shared.items():
            same = decision.request_person_id == request_person.id or (
                request_person.person_id is not None
                and asked_about.get(decision.request_person_id) == request_person.person_id
            )
            if not same:
                continue
            listed = found.setdefault(person_id, [])
            if (record.kind, record.id) not in {(r.kind, r.id) for r in listed}:
                listed.append(record)
    return found


def _our_record(decision: MatchDecision) -> OurRecord | None:
    if decision.record_kind == "missing":
        report = db.session.get(MissingPersonReport, decision.record_id)
        if report is None:
            return None
        name, romanised, office = report.name_as_written, report.name_romanised, report.office
    elif decision.record_kind == "person":
        person = db.session.get(Person, decision.record_id)
        if person is None:
            return None
        name, romanised, office = person.name_as_written, person.name_romanised, person.case.office
    else:
        return None
    return OurRecord(
        decision.record_kind,
        decision.record_id,
        name,
        romanised,
        office,
        decision.decided_by.office,
    )

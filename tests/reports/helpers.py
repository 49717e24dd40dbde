"""A small data set for the reports, inserted directly (every figure is counted by hand in
tests/reports/test_figures.py). The report is quarter 3 of 2026 for the office QT-BLO; the
previous period is quarter 2 of 2026, the same period last year quarter 3 of 2025."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count

from sqlalchemy import select

from coordination.cases.models import Case, Person, TraffickingEvent
from coordination.contacts.models import Contact
from coordination.directory.models import BorderGate, Office
from coordination.exchange.models import Request, RequestPerson
from coordination.extensions import db
from coordination.handovers.models import Handover, HandoverPerson
from coordination.meetings.models import ActionItem, Meeting, Minutes
from coordination.patrols.models import Patrol
from coordination.reintegration.models import FollowUpVisit, Referral, SupportService
from tests.conftest import user_named

_numbers = count(1)


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def office(code: str) -> Office:
    return db.session.scalar(select(Office).where(Office.code == code))


def add_case(code, opened_on, people=(), events=(), status="open", changed=None):
    actor = user_named("qt.liaison")
    number = next(_numbers)
    case = Case(
        office_id=office(code).id,
        number=f"T/{code}/{number}",
        title=f"Case {number}",
        status=status,
        opened_on=opened_on,
        created_by_id=actor.id,
    )
    if changed is not None:
        case.updated_at = changed
    db.session.add(case)
    db.session.flush()
    for values in people:
        db.session.add(Person(case_id=case.id, name_as_written="X", **{"role": "victim", **values}))
    for kind in events:
        db.session.add(
            TraffickingEvent(case_id=case.id, kind="exploitation", exploitation_type=kind)
        )
    db.session.flush()
    return case


def add_request(sender, recipient, kind, sent_at, *, deadline_days=15, answered_after=None):
    actor = user_named("qt.liaison")
    request = Request(
        kind=kind,
        state="sent" if answered_after is None else "answered",
        sender_office_id=office(sender).id,
        recipient_office_id=office(recipient).id,
        subject="S",
        sent_at=sent_at,
        deadline_at=sent_at + timedelta(days=deadline_days) if sent_at else None,
        answered_at=sent_at + answered_after if answered_after is not None else None,
        created_by_id=actor.id,
    )
    db.session.add(request)
    db.session.flush()
    return request


def add_contact(code, partner, channel, direction, when, *, urgent=False, shared=False):
    db.session.add(
        Contact(
            office_id=office(code).id,
            partner_office_id=office(partner).id,
            channel=channel,
            direction=direction,
            occurred_at=when,
            urgency="urgent" if urgent else "routine",
            shared_at=when if shared else None,
            created_by_id=user_named("qt.liaison").id,
        )
    )


def build() -> None:
    """The data set (see the module docstring and the counts in test_figures)."""
    actor = user_named("qt.liaison")
    # --- cases and victims of QT-BLO ---
    add_case(
        "QT-BLO",
        date(2026, 7, 10),
        [
            {"sex": "female", "date_of_birth": date(2010, 8, 1), "nationality": "VN"},  # 15
            {"sex": "male", "estimated_age": 17, "nationality": "LA"},
            {"role": "suspect", "sex": "male", "estimated_age": 40},  # not a victim
        ],
        events=("sexual", "forced_labour"),
    )
    add_case(
        "QT-BLO",
        date(2026, 8, 5),
        [
            {"sex": "female", "date_of_birth": date(1990, 1, 1), "nationality": "VN"},
            {"sex": "female", "victim_status": "not_a_victim"},  # found not to be a victim
        ],
        events=("forced_marriage",),
        status="closed",
        changed=at(2026, 9, 1, 8),
    )
    # Opened on the quarter's last day; 16 that very day.
    add_case("QT-BLO", date(2026, 9, 30), [{"sex": "unknown", "date_of_birth": date(2010, 9, 30)}])
    add_case("QT-BLO", date(2026, 10, 1), [{"sex": "female", "estimated_age": 30}])  # after
    # Closed in the quarter but opened before it (counts as closed, not opened).
    add_case("QT-BLO", date(2026, 4, 15), [{"sex": "female", "estimated_age": 30}])
    add_case(
        "QT-BLO",
        date(2026, 5, 2),
        status="closed_referred",
        changed=at(2026, 7, 2, 1),
    )
    add_case(
        "QT-BLO",
        date(2025, 8, 1),
        [{"sex": "male", "estimated_age": 30}, {"sex": "male", "estimated_age": 31}],
    )
    add_case("QT-PC", date(2026, 7, 20), [{"sex": "female", "estimated_age": 25}])  # province
    add_case("LS-BLO", date(2026, 7, 20), [{"sex": "female", "estimated_age": 25}])  # elsewhere

    # --- requests ---
    r1 = add_request(
        "QT-BLO",
        "SVK-BLO",
        "identity_verification",
        at(2026, 7, 1, 3),
        answered_after=timedelta(hours=10),
    )
    r2 = add_request(
        "QT-BLO",
        "SVK-BLO",
        "identity_verification",
        at(2026, 7, 5, 3),
        answered_after=timedelta(days=20),
    )
    add_request("QT-BLO", "SVK-BLO", "information", at(2026, 8, 1, 3))
    add_request(
        "QT-BLO",
        "SLV-BLO",
        "information",
        at(2026, 9, 1, 3),
        deadline_days=10,
        answered_after=timedelta(hours=24),
    )
    add_request(
        "SVK-BLO",
        "QT-BLO",
        "rescue_assistance",
        at(2026, 7, 10, 3),
        deadline_days=3,
        answered_after=timedelta(hours=30),
    )
    # 23:00 on 30 June in Vietnam: quarter 2. 00:30 on 1 July in Vietnam: quarter 3.
    add_request("QT-BLO", "SVK-BLO", "information", at(2026, 6, 30, 16))
    add_request("QT-BLO", "SVK-BLO", "information", at(2026, 6, 30, 17, 30))
    add_request("QT-BLO", "SVK-BLO", "information", None)  # a draft
    for position, (request, outcome, when) in enumerate(
        [
            (r1, "confirmed", at(2026, 7, 1, 13)),
            (r1, "not_confirmed", at(2026, 7, 1, 13)),
            (r2, "confirmed", at(2026, 10, 2, 1)),  # after the quarter
            (r2, None, None),
        ]
    ):
        db.session.add(
            RequestPerson(
                request_id=request.id,
                position=position,
                shared={},
                outcome=outcome,
                outcome_at=when,
            )
        )

    # --- contacts (calls, letters) logged by QT-BLO, and one by SVK-BLO ---
    add_contact("QT-BLO", "SVK-BLO", "hotline", "in", at(2026, 7, 1, 2), urgent=True, shared=True)
    add_contact("QT-BLO", "SVK-BLO", "hotline", "out", at(2026, 8, 3, 2))
    add_contact("QT-BLO", "SLV-BLO", "letter", "out", at(2026, 9, 30, 16, 30))  # 23:30 local
    add_contact("QT-BLO", "SVK-BLO", "letter", "in", at(2026, 9, 30, 17, 30))  # 1 Oct local
    add_contact("QT-BLO", "SVK-BLO", "fax", "out", at(2026, 5, 4, 2))  # quarter 2
    add_contact("SVK-BLO", "QT-BLO", "hotline", "out", at(2026, 7, 1, 2), shared=True)
    add_contact("QT-PC", "SVK-BLO", "diplomatic_note", "in", at(2026, 8, 1, 2))  # province

    # --- handovers (SVK-BLO hands over to QT-BLO at Lao Bảo) ---
    gate = db.session.scalar(select(BorderGate).where(BorderGate.code == "LAOBAO-DENSAVANH"))

    def handover(state, when, people):
        record = Handover(
            request_id=r1.id,
            handing_office_id=office("SVK-BLO").id,
            receiving_office_id=office("QT-BLO").id,
            gate_id=gate.id,
            scheduled_at=when,
            state=state,
            completed_at=when if state == "completed" else None,
            created_by_id=actor.id,
        )
        db.session.add(record)
        db.session.flush()
        for position, (on_list, handed) in enumerate(people):
            db.session.add(
                HandoverPerson(
                    handover_id=record.id,
                    position=position,
                    on_list=on_list,
                    handed_over=handed,
                    name_as_written="Y",
                )
            )

    handover(
        "completed", at(2026, 8, 10, 3), [(True, True), (True, True), (True, False), (False, True)]
    )
    handover("completed", at(2026, 9, 15, 3), [(True, True)])
    handover("scheduled", at(2026, 9, 20, 3), [(True, None)])
    handover("completed", at(2026, 5, 20, 3), [(True, True)])  # quarter 2

    # --- reintegration at QT-SPC (in the province of Quảng Trị) ---
    def referral(stage, answered, closed=None):
        record = Referral(
            centre_office_id=office("QT-SPC").id,
            from_office_id=office("QT-BLO").id,
            name_as_written="Z",
            stage=stage,
            referred_at=answered - timedelta(days=1),
            referred_by_id=actor.id,
            answered_at=answered,
            closed_on=closed,
        )
        db.session.add(record)
        db.session.flush()
        return record

    f1 = referral("in_support", at(2026, 6, 1, 3))
    referral("closed", at(2026, 3, 1, 3), date(2026, 6, 20))  # closed before the quarter
    referral("declined", at(2026, 7, 1, 3))
    referral("closed", at(2026, 7, 5, 3), date(2026, 9, 1))
    for kind, delivered, start, end in [
        ("medical", True, date(2026, 7, 2), date(2026, 8, 1)),
        ("psychological", True, date(2026, 9, 10), None),
        ("legal_aid", False, date(2026, 7, 2), date(2026, 8, 1)),
        ("medical", True, date(2026, 9, 2), date(2026, 10, 3)),  # ended after
    ]:
        db.session.add(
            SupportService(
                referral_id=f1.id,
                type=kind,
                planned_start=start,
                actual_start=start,
                actual_end=end,
                delivered=delivered,
                created_by_id=actor.id,
            )
        )
    for due, visited in [
        (date(2026, 7, 15), date(2026, 7, 14)),
        (date(2026, 8, 15), None),
        (date(2026, 9, 20), date(2026, 10, 2)),
        (date(2026, 6, 20), date(2026, 7, 3)),
    ]:
        db.session.add(FollowUpVisit(referral_id=f1.id, due_on=due, visited_on=visited))

    # --- patrols and meetings between QT-BLO and SVK-BLO ---
    for state, starts in [("completed", at(2026, 8, 1, 1)), ("cancelled", at(2026, 8, 2, 1))]:
        db.session.add(
            Patrol(
                proposing_office_id=office("QT-BLO").id,
                partner_office_id=office("SVK-BLO").id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=4),
                meeting_point="M",
                state=state,
                created_by_id=actor.id,
            )
        )
    meeting = Meeting(
        host_office_id=office("QT-BLO").id,
        partner_office_id=office("SVK-BLO").id,
        kind="monthly",
        title="Giao ban",
        starts_at=at(2026, 6, 20, 2),
        ends_at=at(2026, 6, 20, 4),
        timezone="Asia/Ho_Chi_Minh",
        repeat="monthly",
        last_ends_at=at(2027, 6, 20, 4),
        place_kind="online",
        state="planned",
        created_by_id=actor.id,
    )
    db.session.add(meeting)
    db.session.flush()
    july = Minutes(meeting_id=meeting.id, occurs_at=at(2026, 7, 20, 2), created_by_id=actor.id)
    june = Minutes(meeting_id=meeting.id, occurs_at=at(2026, 6, 20, 2), created_by_id=actor.id)
    db.session.add_all([july, june])
    db.session.flush()
    for position, (owner, due, status, done) in enumerate(
        [
            ("QT-BLO", date(2026, 8, 1), "done", at(2026, 7, 30, 3)),
            ("QT-BLO", date(2026, 8, 1), "done", at(2026, 8, 5, 3)),  # late
            ("QT-BLO", date(2026, 9, 1), "open", None),
            ("SVK-BLO", date(2026, 8, 1), "done", at(2026, 7, 30, 3)),  # the partner's
        ]
    ):
        db.session.add(
            ActionItem(
                minutes_id=july.id,
                position=position,
                text="T",
                owner_office_id=office(owner).id,
                due_on=due,
                status=status,
                done_at=done,
            )
        )
    db.session.flush()

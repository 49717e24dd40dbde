"""Referral, intake, services, follow-up and closure through the operations; the case moves
with the person; bad input is refused with a translated message and nothing is stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.core.errors import OperationError
from coordination.extensions import db
from coordination.notifications.models import Notification
from coordination.reintegration import operations
from coordination.reintegration.models import FollowUpVisit, SupportService
from tests.conftest import user_named
from tests.reintegration.helpers import (
    accepted,
    complete_with_referral,
    in_support,
    office,
    referred,
    victim,
)


def _audit(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditEntry.action == action))


def _today():
    """Today in Vietnam (the social worker's day; the host's UTC date lags until 07:00)."""
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def test_a_completed_handover_refers_each_person_and_notifies_the_centre(app_ctx):
    _handover, referrals = complete_with_referral()
    assert len(referrals) == 2
    first = referrals[0]
    assert first.centre_office.code == "QT-SPC"
    assert first.from_office.code == "QT-BLO"  # the receiving office refers
    assert first.stage == "pending"
    assert first.name_as_written == "Nguyễn Thị Hường"
    # The receiving side's own record is linked (the case of Quảng Trị).
    assert first.person is not None and first.case.office.code == "QT-BLO"
    assert first.reason == "Cần hỗ trợ tâm lý"
    social = user_named("qt.social")
    notices = db.session.scalars(
        select(Notification).where(Notification.user_id == social.id)
    ).all()
    assert {n.subject_key for n in notices} == {f"referral:{r.id}" for r in referrals}
    assert {n.kind for n in notices} == {"reintegration_referral"}
    assert _audit("reintegration.refer") == 2


def test_a_person_referred_elsewhere_or_not_handed_over_is_not_referred(app_ctx):
    from tests.handovers.helpers import scheduled_handover

    handover = scheduled_handover()
    first, second = handover.people
    first.referral_office_id = office("QT-SPC").id
    from coordination.handovers import operations as handover_operations

    handover_operations.log_at_gate(
        handover,
        {"action": "complete", "completed_at": datetime.now(UTC), "version": handover.version},
        {
            first.id: {"handed_over": True, "referral": "family"},
            second.id: {"handed_over": True, "referral": "social_protection_centre"},
        },
        actor=user_named("qt.guard"),
    )
    assert db.session.scalar(select(func.count()).select_from(operations.Referral)) == 0


def test_the_journey_moves_the_case_and_audits_each_move_with_its_cause(app_ctx):
    referral = in_support()
    case = referral.case
    assert referral.stage == "in_support"
    assert case.status == "in_support"
    social = user_named("qt.social")
    operations.add_service(
        referral,
        {"type": "essential_needs", "planned_start": _today(), "planned_end": _today()},
        actor=social,
    )
    operations.end_support(
        referral, {"home_on": _today(), "version": referral.version}, actor=social
    )
    assert referral.stage == "follow_up" and case.status == "follow_up"
    assert [v.months_after for v in referral.visits] == [1, 3, 6, 12]
    assert referral.visits[0].due_on.month == (_today().month % 12) + 1
    operations.request_closure(
        referral, {"reason": "reintegrated", "version": referral.version}, actor=social
    )
    assert referral.stage == "follow_up"  # a closure waits for a supervisor
    operations.decide_closure(
        referral,
        {"decision": "approve", "version": referral.version},
        actor=user_named("qt.supervisor"),
    )
    assert referral.stage == "closed" and case.status == "closed"
    moves = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "reintegration.case_moved")
        .order_by(AuditEntry.id)
    ).all()
    assert [(m.details["cause"], m.details["status"][1]) for m in moves] == [
        ("intake", "in_support"),
        ("end_of_support", "follow_up"),
        ("closure", "closed"),
    ]


def test_a_declined_referral_goes_back_and_another_centre_is_chosen(app_ctx):
    referral = referred()
    with pytest.raises(OperationError) as refused:
        operations.answer_referral(
            referral,
            {"decision": "decline", "version": referral.version},
            actor=user_named("qt.social"),
        )
    assert "reason" in refused.value.errors
    operations.answer_referral(
        referral,
        {"decision": "decline", "reason": "Hết chỗ", "version": referral.version},
        actor=user_named("qt.social"),
    )
    liaison = user_named("qt.liaison")
    assert db.session.scalar(
        select(func.count()).where(
            Notification.user_id == liaison.id, Notification.kind == "reintegration_declined"
        )
    )
    with pytest.raises(OperationError):  # the same centre again
        operations.refer_again(
            referral,
            {"centre_office_id": office("QT-SPC").id, "version": referral.version},
            actor=liaison,
        )
    with pytest.raises(OperationError):  # a centre of another country
        operations.refer_again(
            referral,
            {"centre_office_id": office("SVK-SPC").id, "version": referral.version},
            actor=liaison,
        )
    again = operations.refer_again(
        referral,
        {"centre_office_id": office("LS-SH").id, "version": referral.version},
        actor=liaison,
    )
    assert again.centre_office.code == "LS-SH" and again.person_id == referral.person_id


def test_a_person_cannot_be_referred_twice_nor_to_an_office_that_is_no_centre(app_ctx):
    person = victim()
    liaison = user_named("qt.liaison")
    with pytest.raises(OperationError):
        operations.refer_person(person, {"centre_office_id": office("QT-BLO").id}, actor=liaison)
    operations.refer_person(person, {"centre_office_id": office("QT-SPC").id}, actor=liaison)
    with pytest.raises(OperationError):
        operations.refer_person(person, {"centre_office_id": office("LS-SPC").id}, actor=liaison)


def _service(referral, **values):
    data = {"type": "medical", "planned_start": _today(), **values}
    return operations.add_service(referral, data, actor=user_named("qt.social"))


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"planned_end": date(2020, 1, 1)}, "planned_end"),
        ({"actual_start": date(2026, 1, 5), "actual_end": date(2026, 1, 1)}, "actual_end"),
        ({"actual_start": date(2099, 1, 1)}, "actual_start"),
        ({"cost": -5}, "cost"),
        ({"cost": 10**12}, "cost"),
        ({"cost": 100_000}, "currency"),
        ({"delivered": True}, "actual_start"),
        (
            {"type": "essential_needs", "planned_end": date.today() + timedelta(days=150)},
            "extension_decision",
        ),
        (
            {
                "type": "essential_needs",
                "planned_end": date.today() + timedelta(days=400),
                "extension_decision": "QĐ 12/QĐ-SLĐTBXH",
            },
            "planned_end",
        ),
    ],
)
def test_bad_services_are_refused_and_nothing_is_stored(app_ctx, values, field):
    referral = in_support()
    with pytest.raises(OperationError) as refused:
        _service(referral, **values)
    assert field in refused.value.errors
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(SupportService)) == 0


def test_essential_needs_beyond_120_days_with_a_recorded_decision(app_ctx):
    referral = in_support()
    service = _service(
        referral,
        type="essential_needs",
        planned_end=_today() + timedelta(days=180),
        extension_decision="Quyết định 45/QĐ-UBND gia hạn 60 ngày",
    )
    assert service.limit_on == _today() + timedelta(days=120)


def test_a_plan_for_a_person_not_referred_to_this_centre_is_refused(app_ctx):
    referral = in_support()
    with pytest.raises(OperationError):
        operations.add_service(
            referral,
            {"type": "medical", "planned_start": _today()},
            actor=user_named("ls.social"),
        )


def test_a_service_added_to_a_closed_file_reopens_it_and_the_case(app_ctx):
    referral = in_support()
    social = user_named("qt.social")
    operations.request_closure(
        referral, {"reason": "moved", "version": referral.version}, actor=social
    )
    operations.decide_closure(
        referral,
        {"decision": "approve", "version": referral.version},
        actor=user_named("qt.supervisor"),
    )
    assert referral.case.status == "closed"
    _service(referral, type="legal_aid")
    assert referral.stage == "in_support" and referral.case.status == "in_support"
    assert _audit("reintegration.reopen") == 1


def test_closing_needs_a_supervisor_and_a_turned_down_closure_keeps_the_file_open(app_ctx):
    referral = in_support()
    social = user_named("qt.social")
    with pytest.raises(OperationError):  # nothing asked yet
        operations.decide_closure(
            referral,
            {"decision": "approve", "version": referral.version},
            actor=user_named("qt.supervisor"),
        )
    operations.request_closure(
        referral, {"reason": "lost_contact", "version": referral.version}, actor=social
    )
    with pytest.raises(OperationError):  # twice
        operations.request_closure(
            referral, {"reason": "lost_contact", "version": referral.version}, actor=social
        )
    with pytest.raises(OperationError):  # turned down without a reason
        operations.decide_closure(
            referral,
            {"decision": "reject", "version": referral.version},
            actor=user_named("qt.supervisor"),
        )
    operations.decide_closure(
        referral,
        {"decision": "reject", "note": "Cần thêm một lần thăm", "version": referral.version},
        actor=user_named("qt.supervisor"),
    )
    assert referral.stage == "in_support" and referral.pending_closure is None


def test_visits_in_the_future_cannot_be_marked_done(app_ctx):
    referral = in_support()
    social = user_named("qt.social")
    operations.end_support(
        referral, {"home_on": _today(), "version": referral.version}, actor=social
    )
    visit = referral.visits[0]
    with pytest.raises(OperationError) as refused:
        operations.record_visit(
            visit,
            {"visited_on": _today() + timedelta(days=3), "method": "visit", "version": 1},
            actor=social,
        )
    assert "visited_on" in refused.value.errors
    operations.record_visit(
        visit,
        {"visited_on": _today(), "method": "phone", "housing": "Ở nhà bố mẹ", "version": 1},
        actor=social,
    )
    assert visit.visited_on == _today()


def test_the_follow_up_schedule_is_configurable(app_ctx):
    app_ctx.config["REINTEGRATION_FOLLOW_UP_MONTHS"] = (2, 6)
    referral = in_support()
    operations.end_support(
        referral, {"home_on": _today(), "version": referral.version}, actor=user_named("qt.social")
    )
    assert [v.months_after for v in referral.visits] == [2, 6]
    assert db.session.scalar(select(func.count()).select_from(FollowUpVisit)) == 2


def test_withdrawing_consent_takes_effect_at_once(app_ctx):
    referral = in_support()
    intake = referral.intake
    assert intake.consent_services and intake.consent_recorded_by_id
    operations.withdraw_consent(
        referral, {"consent": "all", "version": intake.version}, actor=user_named("qt.social")
    )
    assert not intake.consent_services and not intake.consent_sharing
    assert intake.consent_withdrawn_at is not None


def test_a_stale_form_is_a_conflict(app_ctx):
    from coordination.core.errors import ConflictError

    referral = accepted()
    with pytest.raises(ConflictError):
        operations.request_closure(
            referral,
            {"reason": "moved", "version": referral.version - 1},
            actor=user_named("qt.social"),
        )


def test_sensitive_notes_are_not_copied_into_the_log(app_ctx):
    referral = in_support()
    operations.record_intake(
        referral,
        {
            "arrived_on": _today(),
            "health": "Đã khám, ổn định",
            "version": referral.intake.version,
            "consent_services": True,
        },
        actor=user_named("qt.social"),
    )
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "reintegration.intake_update")
    )
    assert "ổn định" not in str(entry.details)
    assert entry.details["health"] == ["…", "…"]


def test_the_dashboard_counts_follow_services_and_visits(app_ctx):
    from coordination.reintegration.queries import caseload, caseload_counts

    referral = in_support()
    centre = referral.centre_office_id
    today = _today()
    counts = caseload_counts(centre, today)
    assert (counts.in_care, counts.services_due, counts.limit_near) == (1, 0, 0)
    service = _service(referral, type="essential_needs", planned_start=today - timedelta(110))
    counts = caseload_counts(centre, today)
    assert (counts.services_due, counts.limit_near) == (1, 1)
    listed = db.session.scalars(caseload(centre, {"show": "limit_near"}, today)).all()
    assert listed == [referral]
    operations.update_service(
        service,
        {
            "type": "essential_needs",
            "planned_start": service.planned_start,
            "actual_start": service.planned_start,
            "delivered": True,
            "extension_decision": "QĐ 7/QĐ-UBND",
            "version": service.version,
        },
        actor=user_named("qt.social"),
    )
    counts = caseload_counts(centre, today)
    assert (counts.services_due, counts.limit_near) == (0, 0)
    operations.end_support(
        referral, {"home_on": today, "version": referral.version}, actor=user_named("qt.social")
    )
    later = today + timedelta(days=40)  # the first visit (a month after) is now missed
    assert caseload_counts(centre, later).visits_missed == 1
    assert caseload_counts(centre, today + timedelta(days=20)).visits_due == 1

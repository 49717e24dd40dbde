"""Proposing, answering, cancelling and reporting joint patrols through the operations, and
the bad input each refuses (with a translated message, storing nothing)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from coordination.audit.models import AuditEntry
from coordination.cases import operations as case_operations
from coordination.cases.models import Case, Person
from coordination.core.errors import ConflictError, OperationError
from coordination.extensions import db
from coordination.patrols import operations
from coordination.patrols.models import PatrolState, PatrolStep
from tests.conftest import user_named
from tests.patrols.helpers import (
    confirmed_patrol,
    counts,
    future,
    gate_id,
    office_id,
    propose_data,
    proposed_patrol,
    started,
)


@pytest.fixture(autouse=True)
def _in_english(app_ctx):
    """The messages are compared with their English text (the catalogue's msgids); the
    pages' tests check them in the users' languages."""
    with force_locale("en"):
        yield


def _codes() -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.like("patrol.%"))
            .order_by(AuditEntry.id)
        )
    )


def test_propose_counter_propose_and_confirm(app_ctx):
    patrol = proposed_patrol()
    assert patrol.state == PatrolState.PROPOSED
    assert patrol.awaiting_office_id == office_id("PX-BGS")
    assert patrol.segment == "marker 601 – 605"
    # The Chinese station proposes another day; now Hữu Nghị is awaited.
    later = future(72)
    operations.take_step(
        patrol,
        PatrolStep.COUNTER,
        {"body": "改期", "starts_at": later, "ends_at": later + timedelta(hours=3),
         "version": patrol.version},
        actor=user_named("px.guard"),
    )  # fmt: skip
    assert patrol.state == PatrolState.COUNTER_PROPOSED
    assert patrol.awaiting_office_id == office_id("LS-BGS-HN")
    assert patrol.starts_at == later
    # The Chinese side may not confirm its own counter-proposal.
    with pytest.raises(OperationError):
        operations.take_step(
            patrol, PatrolStep.CONFIRM, {"version": patrol.version}, actor=user_named("px.guard")
        )
    operations.take_step(
        patrol, PatrolStep.CONFIRM, {"version": patrol.version}, actor=user_named("ls.guard")
    )
    assert patrol.state == PatrolState.CONFIRMED
    assert patrol.awaiting_office_id is None
    assert [message.kind for message in patrol.messages] == ["propose", "counter", "confirm"]
    assert _codes() == ["patrol.propose", "patrol.counter", "patrol.confirm"]


def test_a_gate_instead_of_markers(app_ctx):
    patrol = proposed_patrol(marker_from=None, marker_to=None, gate_id=gate_id())
    assert patrol.segment == patrol.gate.name


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"partner_office_id": "QT-BLO"}, "partner_office_id"),  # no partnership
        ({"partner_office_id": "LS-BGS-HN"}, "partner_office_id"),  # itself
        ({"gate_id": "LAOBAO-DENSAVANH"}, "gate_id"),  # on another border
        ({"marker_from": None, "marker_to": None}, "marker_from"),  # no segment
        ({"ends_before_start": True}, "ends_at"),
        ({"starts_in_past": True}, "starts_at"),
        ({"lasts_weeks": True}, "ends_at"),
    ],
)
def test_bad_proposals_store_nothing(app_ctx, overrides, field):
    before = counts()
    data = propose_data()
    if "partner_office_id" in overrides:
        data["partner_office_id"] = office_id(overrides["partner_office_id"])
    if "gate_id" in overrides:
        data["gate_id"] = gate_id(overrides["gate_id"])
    if "marker_from" in overrides:
        data.update(marker_from=None, marker_to=None)
    if overrides.get("ends_before_start"):
        data["ends_at"] = data["starts_at"] - timedelta(hours=1)
    if overrides.get("starts_in_past"):
        data["starts_at"] = future(-30)
        data["ends_at"] = future(-26)
    if overrides.get("lasts_weeks"):
        data["ends_at"] = data["starts_at"] + timedelta(days=30)
    with pytest.raises(OperationError) as refused:
        operations.propose(data, actor=user_named("ls.guard"))
    assert field in refused.value.errors
    db.session.rollback()
    assert counts() == before


def test_bad_steps_are_refused(app_ctx):
    patrol = proposed_patrol()
    px = user_named("px.guard")
    with pytest.raises(OperationError) as refused:  # a decline needs its reason
        operations.take_step(patrol, PatrolStep.DECLINE, {"version": patrol.version}, actor=px)
    assert "body" in refused.value.errors
    same = {"starts_at": patrol.starts_at, "ends_at": patrol.ends_at, "version": patrol.version}
    with pytest.raises(OperationError) as refused:  # the same times again
        operations.take_step(patrol, PatrolStep.COUNTER, same, actor=px)
    assert "starts_at" in refused.value.errors
    backwards = {"starts_at": future(50), "ends_at": future(49), "version": patrol.version}
    with pytest.raises(OperationError) as refused:
        operations.take_step(patrol, PatrolStep.COUNTER, backwards, actor=px)
    assert "ends_at" in refused.value.errors
    past = {"starts_at": future(-50), "ends_at": future(-49), "version": patrol.version}
    with pytest.raises(OperationError) as refused:
        operations.take_step(patrol, PatrolStep.COUNTER, past, actor=px)
    assert "starts_at" in refused.value.errors
    with pytest.raises(ConflictError):  # a stale form
        operations.take_step(patrol, PatrolStep.CONFIRM, {"version": patrol.version - 1}, actor=px)
    assert patrol.state == PatrolState.PROPOSED
    operations.take_step(
        patrol, PatrolStep.DECLINE, {"body": "兵力不足", "version": patrol.version}, actor=px
    )
    assert (patrol.state, patrol.state_reason) == (PatrolState.DECLINED, "兵力不足")
    with pytest.raises(OperationError):  # declined: nothing more to confirm or cancel
        operations.take_step(
            patrol,
            PatrolStep.CANCEL,
            {"body": "x", "version": patrol.version},
            actor=user_named("ls.guard"),
        )


def test_outcome_only_once_started(app_ctx):
    patrol = proposed_patrol()
    with pytest.raises(OperationError):  # not confirmed
        operations.report_outcome(patrol, {"people_checked": 3}, actor=user_named("ls.guard"))
    operations.take_step(
        patrol, PatrolStep.CONFIRM, {"version": patrol.version}, actor=user_named("px.guard")
    )
    db.session.commit()
    before = counts()
    with pytest.raises(OperationError) as refused:  # not started yet
        operations.report_outcome(patrol, {"people_checked": 3}, actor=user_named("ls.guard"))
    assert "not started" in refused.value.message
    db.session.rollback()
    assert counts() == before


def test_outcome_with_a_rescued_person_joining_an_existing_case(app_ctx):
    guard = user_named("ls.guard")
    case = case_operations.create_case(
        {"title": "Đường dây đưa phụ nữ sang Bằng Tường", "opened_on": date(2026, 11, 1)},
        actor=guard,
    )
    patrol = started(confirmed_patrol())
    report = operations.report_outcome(
        patrol,
        {
            "people_checked": 14,
            "incidents": "Một nhóm vượt biên trái phép qua đường mòn.",
            "notes": None,
            "rescued": [
                {"name_as_written": "Lò Thị Dung", "sex": "female", "estimated_age": 19,
                 "case_id": case.id},
                {"name_as_written": "Hoàng Thị Mai", "sex": "female", "estimated_age": 16},
            ],
        },
        actor=guard,
    )  # fmt: skip
    assert patrol.state == PatrolState.COMPLETED
    joined, opened = (rescue.person for rescue in report.rescued)
    assert joined.case_id == case.id and joined.role == "victim"
    assert opened.case_id != case.id
    new_case = db.session.get(Case, opened.case_id)
    assert new_case.office_id == office_id("LS-BGS-HN")
    assert "601" in new_case.summary
    # The partner reports too; its report sits beside ours.
    px_report = operations.report_outcome(
        patrol, {"people_checked": 9}, actor=user_named("px.guard")
    )
    assert [r.office.code for r in patrol.reports] == ["LS-BGS-HN", "PX-BGS"]
    assert px_report.rescued == []
    # Changing our report keeps the people already reported and needs the version.
    with pytest.raises(OperationError):
        operations.report_outcome(patrol, {"people_checked": 15}, actor=guard)
    operations.report_outcome(
        patrol, {"people_checked": 15, "version": report.version}, actor=guard
    )
    assert report.people_checked == 15 and len(report.rescued) == 2
    assert "patrol.report" in _codes()


def test_a_rescued_person_joins_only_an_open_case_of_the_own_office(app_ctx):
    other = case_operations.create_case(
        {"title": "Vụ của Quảng Trị", "opened_on": date(2026, 11, 1)},
        actor=user_named("qt.liaison"),
    )
    patrol = started(confirmed_patrol())
    db.session.commit()
    people_before = db.session.scalar(select(Person.id).order_by(Person.id.desc()).limit(1))
    with pytest.raises(OperationError) as refused:
        operations.report_outcome(
            patrol,
            {"people_checked": 2, "rescued": [
                {"name_as_written": "Lò Thị Dung"},
                {"name_as_written": "Hoàng Thị Mai", "case_id": other.id},
            ]},
            actor=user_named("ls.guard"),
        )  # fmt: skip
    assert "rescued-1-case_id" in refused.value.errors
    db.session.rollback()
    latest = db.session.scalar(select(Person.id).order_by(Person.id.desc()).limit(1))
    assert latest == people_before
    assert patrol.reports == []


def test_either_side_may_move_a_confirmed_patrol(app_ctx):
    patrol = confirmed_patrol()
    later = future(96)
    operations.take_step(
        patrol,
        PatrolStep.COUNTER,
        {"body": "Dự báo mưa lớn.", "starts_at": later, "ends_at": later + timedelta(hours=4),
         "version": patrol.version},
        actor=user_named("ls.guard"),
    )  # fmt: skip
    assert patrol.state == PatrolState.COUNTER_PROPOSED
    assert patrol.awaiting_office_id == office_id("PX-BGS")
    operations.take_step(
        patrol, PatrolStep.CONFIRM, {"version": patrol.version}, actor=user_named("px.guard")
    )
    assert patrol.state == PatrolState.CONFIRMED and patrol.starts_at == later


def test_a_confirmed_patrol_that_has_begun_is_not_cancelled(app_ctx):
    """Found by the security probe: either side could cancel a patrol that took place."""
    patrol = started(confirmed_patrol())
    db.session.commit()
    before = counts()
    with pytest.raises(OperationError) as refused:
        operations.take_step(
            patrol,
            PatrolStep.CANCEL,
            {"body": "Nhầm", "version": patrol.version},
            actor=user_named("ls.guard"),
        )
    assert "report its outcome" in refused.value.message
    db.session.rollback()
    assert counts() == before
    # A proposal whose time passed unconfirmed can still be cancelled.
    proposal = proposed_patrol()
    operations.take_step(
        proposal,
        PatrolStep.CANCEL,
        {"body": "Không ai xác nhận", "version": proposal.version},
        actor=user_named("ls.guard"),
    )
    assert proposal.state == PatrolState.CANCELLED


def test_the_partner_gives_its_own_unit_and_leaders(app_ctx):
    """Review of issue 14: only the proposing office could name the partner's unit and
    leaders; the partner now gives them when it confirms or proposes another time."""
    patrol = proposed_patrol(partner_unit=None, partner_leaders=[])
    px, ls = user_named("px.guard"), user_named("ls.guard")
    later = future(72)
    operations.take_step(
        patrol,
        PatrolStep.COUNTER,
        {"starts_at": later, "ends_at": later + timedelta(hours=3), "version": patrol.version,
         "partner_unit": "友谊关边防检查站", "partner_leaders": [{"name": "张伟", "rank": ""}]},
        actor=px,
    )  # fmt: skip
    assert patrol.partner_unit == "友谊关边防检查站"
    assert patrol.partner_leaders == [{"name": "张伟", "rank": ""}]
    entry = db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.action == "patrol.counter")
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    assert entry.details["partner_unit"] == "友谊关边防检查站"
    assert entry.details["partner_leaders"] == 1
    # The proposing office does not speak for the partner.
    before = counts()
    with pytest.raises(OperationError) as refused, db.session.begin_nested():
        operations.take_step(
            patrol, PatrolStep.CONFIRM,
            {"version": patrol.version, "partner_unit": "Đồn khác"}, actor=ls,
        )  # fmt: skip
    assert "partner_unit" in refused.value.errors
    assert counts() == before and patrol.partner_unit == "友谊关边防检查站"
    operations.take_step(patrol, PatrolStep.CONFIRM, {"version": patrol.version}, actor=ls)
    # Either side may move a confirmed patrol; the partner adds a leader as it does.
    operations.take_step(
        patrol,
        PatrolStep.COUNTER,
        {"starts_at": later + timedelta(days=1), "ends_at": later + timedelta(days=1, hours=3),
         "version": patrol.version,
         "partner_leaders": [{"name": "张伟", "rank": ""}, {"name": "李强", "rank": "一级警长"}]},
        actor=px,
    )  # fmt: skip
    assert [leader["name"] for leader in patrol.partner_leaders] == ["张伟", "李强"]
    assert patrol.partner_unit == "友谊关边防检查站"  # not sent: left as it was
    # On a decline the fields the form sends are not taken.
    other = proposed_patrol(partner_unit=None, partner_leaders=[])
    operations.take_step(
        other, PatrolStep.DECLINE,
        {"body": "人手不足", "version": other.version, "partner_unit": "X"}, actor=px,
    )  # fmt: skip
    assert other.partner_unit is None

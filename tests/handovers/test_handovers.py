"""Scheduling a handover, logging it at the gate, and its immutable, versioned records."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.core.errors import OperationError
from coordination.extensions import db
from coordination.handovers import operations, policies, timing
from coordination.handovers.models import Handover, HandoverRecord
from coordination.handovers.record_pdf import render_handover_record
from tests.conftest import translated, user_named
from tests.handovers.helpers import (
    agreed_proposal,
    gate_id,
    schedule_data,
    scheduled_handover,
)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _complete(handover, *, actor="qt.guard", **extra):
    people = {
        person.id: {
            "handed_over": True,
            "identity_checked": True,
            "health": "Sức khỏe bình thường",
            "victim_file_received": True,
            "return_certificate_number": f"GCN-{person.id}",
            "referral": "social_protection_centre",
        }
        for person in handover.people
    }
    data = {
        "action": "complete",
        "completed_at": datetime.now(UTC) - timedelta(minutes=5),
        "version": handover.version,
        **extra,
    }
    return operations.log_at_gate(handover, data, people, actor=user_named(actor))


def _audit(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditEntry.action == action))


def test_schedule_from_an_agreed_proposal(app_ctx):
    handover = scheduled_handover()
    assert handover.state == "scheduled"
    assert [p.name_as_written for p in handover.people] == ["Nguyễn Thị Hường", "Hồ Thị Lan"]
    assert handover.handing_office.code == "SVK-BLO"
    # Names written in Lao get a Latin form to print beside them.
    romanised = handover.handing_officers[0]["romanised"]
    assert romanised.isascii() and romanised.startswith("Bunmi")
    assert _audit("handover.schedule") == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"gate_id": "LALAY-LALAY"}, "gate_id",
         "This border gate is not on the border between these two offices."),
        ({"person_ids": [999999]}, "person_ids", "Choose people of this proposal only."),
        ({"person_ids": []}, "person_ids", "Choose the people to hand over."),
    ],
)  # fmt: skip
def test_bad_schedules_are_refused(app_ctx, change, field, message):
    proposal = agreed_proposal()
    if "gate_id" in change:
        change = {"gate_id": gate_id(change["gate_id"])}
    with pytest.raises(OperationError) as refused:
        operations.schedule(
            proposal, schedule_data(proposal, **change), actor=user_named("qt.guard")
        )
    assert refused.value.errors[field] == [translated(app_ctx, "vi", message)]


def test_a_proposal_not_agreed_cannot_be_scheduled(app_ctx):
    proposal = agreed_proposal(agree=False)
    assert not policies.can_schedule_from(user_named("qt.guard"), proposal)
    with pytest.raises(OperationError) as refused:
        operations.schedule(proposal, schedule_data(proposal), actor=user_named("qt.guard"))
    assert "request_id" in refused.value.errors


def test_completion_issues_a_numbered_reproducible_record(app_ctx):
    handover = scheduled_handover()
    issued = _complete(handover)
    assert handover.state == "completed"
    assert issued.number.startswith("QT-BGS-LB/BG/") and issued.version == 1
    pdf = render_handover_record(issued.snapshot)
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == issued.sha256  # the same bytes, again
    assert issued.snapshot["languages"] == ["vi", "lo"]
    assert issued.snapshot["labels"]["border_gate"]["lo"]
    assert _audit("handover_record.issue") == 1


def test_a_handover_completed_before_its_scheduled_time_is_taken_and_marked_early(app_ctx):
    """The demo's case: scheduled for tomorrow 09:00, the other side came today."""
    tomorrow_nine = datetime.combine(
        datetime.now(VIETNAM).date() + timedelta(days=1), time(9, 0), tzinfo=VIETNAM
    )
    handover = scheduled_handover(scheduled_at=tomorrow_nine)
    issued = _complete(handover, completed_at=datetime.now(UTC) - timedelta(minutes=1))
    assert handover.state == "completed" and handover.timing == "early"
    assert issued.snapshot["timing"]["mark"] == "early"
    assert issued.snapshot["timing"]["minutes"] < -30
    early = translated(app_ctx, "vi", "Early: %(duration)s before the scheduled time", duration="|")
    before, after = early.split("|")
    text = issued.snapshot["timing"]["text"]["vi"]
    assert text.startswith(before) and text.endswith(after)
    assert hashlib.sha256(render_handover_record(issued.snapshot)).hexdigest() == issued.sha256


@pytest.mark.parametrize(
    ("minutes_after", "mark"),
    [(-31, "early"), (-30, "on_time"), (0, "on_time"), (30, "on_time"), (31, "late"),
     (60 * 26, "late")],
)  # fmt: skip
def test_early_and_late_are_more_than_the_tolerance_from_the_scheduled_time(
    app_ctx, minutes_after, mark
):
    assert timedelta(minutes=30) == timing.TOLERANCE
    scheduled = datetime.now(UTC) - timedelta(days=2)
    completed = scheduled + timedelta(minutes=minutes_after)
    handover = scheduled_handover(scheduled_at=scheduled)
    _complete(handover, completed_at=completed)
    assert handover.timing == mark
    assert handover.minutes_off == minutes_after


def test_late_by_hours_reads_in_hours_and_minutes(app_ctx):
    handover = scheduled_handover(scheduled_at=datetime.now(UTC) - timedelta(hours=3))
    issued = _complete(handover, completed_at=handover.scheduled_at + timedelta(minutes=125))
    assert issued.snapshot["timing"]["minutes"] == 125
    with force_locale("en"):
        assert handover.timing_sentence == "Late: 2 h 05 min after the scheduled time"
    assert set(issued.snapshot["timing"]["text"]) == {"vi", "lo"}


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (timedelta(hours=1), "This time is in the future."),
        (timedelta(days=400), "This time is before the handover was arranged: check the date."),
    ],
)
def test_a_time_in_the_future_or_before_the_handover_was_arranged_is_refused(
    app_ctx, when, message
):
    """Scheduled for tomorrow: an hour from now is early, but has not happened yet."""
    handover = scheduled_handover(scheduled_at=datetime.now(UTC) + timedelta(days=1))
    completed_at = datetime.now(UTC) + when if "future" in message else datetime.now(UTC) - when
    with pytest.raises(OperationError) as refused:
        _complete(handover, completed_at=completed_at)
    assert refused.value.errors["completed_at"] == [translated(app_ctx, "vi", message)]
    assert handover.records == []


def test_completion_needs_a_decision_for_everyone_on_the_list(app_ctx):
    handover = scheduled_handover()
    first, second = handover.people
    with pytest.raises(OperationError) as refused:
        operations.log_at_gate(
            handover,
            {"action": "complete", "completed_at": datetime.now(UTC), "version": 1},
            {first.id: {"handed_over": True}, second.id: {"handed_over": None}},
            actor=user_named("qt.guard"),
        )
    assert second.name_as_written in refused.value.errors["people"][0]
    assert handover.records == []


def test_a_correction_is_a_new_version_and_the_old_one_stays(app_ctx):
    handover = scheduled_handover()
    first = _complete(handover)
    with pytest.raises(OperationError):  # a completed handover is not edited in place
        operations.log_at_gate(
            handover,
            {"action": "save", "version": handover.version},
            {},
            actor=user_named("qt.guard"),
        )
    second = operations.log_at_gate(
        handover,
        {
            "action": "correct",
            "completed_at": handover.completed_at,
            "correction_reason": "Sai số giấy chứng nhận",
            "trilingual": True,
            "version": handover.version,
        },
        {handover.people[0].id: {"handed_over": True, "return_certificate_number": "GCN-9"}},
        actor=user_named("qt.guard"),
    )
    assert (second.number, second.version, second.supersedes_id) == (first.number, 2, first.id)
    assert second.snapshot["languages"] == ["vi", "lo", "zh"]
    assert second.snapshot["supersedes"] == f"{first.number} v1"
    assert render_handover_record(first.snapshot) != render_handover_record(second.snapshot)
    assert hashlib.sha256(render_handover_record(first.snapshot)).hexdigest() == first.sha256


def test_people_missing_from_the_list_and_unlisted_arrivals_are_flagged(app_ctx):
    handover = scheduled_handover()
    first, second = handover.people
    data = {
        "action": "complete",
        "completed_at": datetime.now(UTC) - timedelta(minutes=5),
        "not_on_list": [{"name": "阮氏香", "note": "Có mặt nhưng không có tên"}],
        "version": handover.version,
    }
    issued = operations.log_at_gate(
        handover,
        data,
        {first.id: {"handed_over": True}, second.id: {"handed_over": False, "note": "Ở bệnh viện"}},
        actor=user_named("qt.guard"),
    )
    assert [p["name_as_written"] for p in issued.snapshot["people"]] == ["Nguyễn Thị Hường"]
    assert issued.snapshot["missing_from_list"][0]["name_as_written"] == "Hồ Thị Lan"
    assert issued.snapshot["not_on_list"][0]["name_romanised"] == "Ruan Shi Xiang"


def test_postpone_keeps_a_reason_and_a_cancelled_handover_stays_cancelled(app_ctx):
    handover = scheduled_handover()
    later = datetime.now(UTC) + timedelta(days=2)
    operations.postpone(
        handover,
        {"reason": "Mưa lũ, đường bị chia cắt", "scheduled_at": later, "version": handover.version},
        actor=user_named("qt.guard"),
    )
    assert (handover.state, handover.state_reason) == ("postponed", "Mưa lũ, đường bị chia cắt")
    assert handover.scheduled_at == later
    operations.cancel(
        handover,
        {"reason": "Nạn nhân đã về", "version": handover.version},
        actor=user_named("qt.guard"),
    )
    with pytest.raises(OperationError):
        _complete(handover)


def test_who_may_see_and_manage(app_ctx):
    handover = scheduled_handover()
    assert policies.can_manage_handover(user_named("qt.guard"), handover)  # the gate's station
    assert policies.can_manage_handover(user_named("svk.liaison"), handover)  # a party office
    assert policies.can_view_handover(user_named("qt.supervisor"), handover)
    assert not policies.can_manage_handover(user_named("qt.supervisor"), handover)
    for outsider in ("ls.guard", "px.liaison", "slv.liaison", "qt.social"):
        assert not policies.can_view_handover(user_named(outsider), handover), outsider
    assert db.session.scalar(select(func.count(Handover.id))) == 1
    assert db.session.scalar(select(func.count(HandoverRecord.id))) == 0

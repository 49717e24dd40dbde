"""Meeting operations on the real database: recurrence, moved and skipped occurrences, the
agenda scoped to the two offices, minutes signed and corrected as new versions, action items;
bad input refused with a translated message and nothing stored."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from coordination.audit.models import AuditEntry
from coordination.core.errors import OperationError
from coordination.extensions import db
from coordination.meetings import operations
from coordination.meetings.models import Meeting
from tests.conftest import user_named
from tests.exchange.helpers import make_case, send_request
from tests.meetings.helpers import (
    counts,
    minutes_data,
    moment,
    office_id,
    plan_data,
    planned_meeting,
    recorded_minutes,
)


@pytest.fixture(autouse=True)
def _in_english(app_ctx):
    """The messages are compared with their English text (the catalogue's msgids); the
    pages' tests check them in the users' languages."""
    with force_locale("en"):
        yield


def _refused(call, field: str | None = None) -> str:
    before = counts()
    with pytest.raises(OperationError) as raised, db.session.begin_nested():
        call()
    assert counts() == before
    if field:
        assert field in (raised.value.errors or {}), raised.value.errors
        return raised.value.errors[field][0]
    return raised.value.message


def test_a_quarterly_series_keeps_its_local_time(app_ctx):
    meeting = planned_meeting()
    assert meeting.rrule == "FREQ=MONTHLY;INTERVAL=3;COUNT=4"
    starts = meeting.planned_starts()
    assert len(starts) == 4
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    assert {start.astimezone(zone).hour for start in starts} == {9}
    months = [start.astimezone(zone).month for start in starts]
    assert [(b - a) % 12 for a, b in itertools.pairwise(months)] == [3, 3, 3]
    assert meeting.last_ends_at == starts[-1] + timedelta(hours=3)
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "meeting.plan", AuditEntry.target_id == meeting.id
        )
    )
    assert entry is not None and entry.details["rrule"] == meeting.rrule


def test_until_gives_the_series_its_last_day(app_ctx):
    first = moment(10)
    meeting = planned_meeting(
        starts_at=first, count=None, repeat="monthly", until=(first + timedelta(days=95)).date()
    )
    assert len(meeting.planned_starts()) == 4  # 0, 1, 2 and 3 months on
    assert "UNTIL=" in meeting.rrule


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": moment(-30) - timedelta(hours=1)}, "ends_at"),
        ({"ends_at": moment(-30) + timedelta(days=9)}, "ends_at"),
        ({"timezone": "Asia/Atlantis"}, "timezone"),
        ({"until": (moment(-30) - timedelta(days=3)).date(), "count": None}, "until"),
        ({"until": None, "count": None}, "count"),
        ({"repeat": "monthly", "until": date(2099, 1, 1), "count": None}, "count"),
        ({"partner_office_id": None}, "partner_office_id"),
        ({"place_kind": "office", "place_office_id": None}, "place_office_id"),
        ({"place_kind": "online", "online_link": "javascript:alert(1)"}, "online_link"),
        ({"place_kind": "gate", "gate_id": None}, "gate_id"),
    ],
    ids=[
        "end before start",
        "too long",
        "no such zone",
        "recurrence without a date",
        "no count nor until",
        "too many occurrences",
        "no partner",
        "office not a party",
        "not a link",
        "no gate",
    ],
)
def test_bad_plans_are_refused_and_nothing_is_stored(app_ctx, overrides, field):
    if "partner_office_id" in overrides:
        overrides["partner_office_id"] = office_id("LS-BGS-HN")  # not a partner of QT-BLO
    message = _refused(
        lambda: operations.plan(plan_data(**overrides), actor=user_named("qt.liaison")), field
    )
    assert message


def test_the_no_date_message_is_translated(app, app_ctx):
    from flask_babel import force_locale

    with force_locale("vi"):
        message = _refused(
            lambda: operations.plan(
                plan_data(until=(moment(-30) - timedelta(days=3)).date(), count=None),
                actor=user_named("qt.liaison"),
            ),
            "until",
        )
    assert message  # the catalogue's sentence (English until the lead merges the catalogues)


def test_moving_and_skipping_occurrences(app_ctx):
    meeting = planned_meeting()
    first, second, third, _fourth = meeting.planned_starts()
    operations.change_occurrence(
        meeting,
        second,
        {
            "kind": "moved",
            "starts_at": second + timedelta(days=2),
            "ends_at": second + timedelta(days=2, hours=2),
            "reason": "Trùng lịch",
            "version": meeting.version,
        },
        actor=user_named("qt.liaison"),
    )
    operations.change_occurrence(
        meeting,
        third,
        {"kind": "skipped", "reason": "Lũ lụt", "version": meeting.version},
        actor=user_named("qt.liaison"),
    )
    occurrences = meeting.occurrences()
    assert [occ.override for occ in occurrences] == [None, "moved", "skipped", None]
    assert occurrences[1].starts_at == second + timedelta(days=2)
    assert [occ.key for occ in meeting.occurrences(include_skipped=False)] == [
        first,
        second,
        _fourth,
    ]
    # Not an occurrence of the rule, a stale form, a skip without a reason.
    _refused(
        lambda: operations.change_occurrence(
            meeting,
            second + timedelta(hours=1),
            {"kind": "skipped", "reason": "x", "version": meeting.version},
            actor=user_named("qt.liaison"),
        )
    )
    _refused(
        lambda: operations.change_occurrence(
            meeting,
            first,
            {"kind": "skipped", "reason": None, "version": meeting.version},
            actor=user_named("qt.liaison"),
        ),
        "reason",
    )
    _refused(
        lambda: operations.change_occurrence(
            meeting,
            first,
            {
                "kind": "moved",
                "starts_at": first,
                "ends_at": first - timedelta(hours=1),
                "version": meeting.version,
            },
            actor=user_named("qt.liaison"),
        ),
        "ends_at",
    )


def test_attendees_come_from_the_two_offices(app_ctx):
    meeting = planned_meeting()
    operations.add_attendee(
        meeting,
        {"office_id": office_id("SVK-BLO"), "user_id": user_named("svk.liaison").id},
        actor=user_named("qt.liaison"),
    )
    operations.add_attendee(
        meeting,
        {"office_id": office_id("SVK-BLO"), "name": "ບຸນມີ", "position": "ນາຍພາສາ"},
        actor=user_named("svk.liaison"),
    )
    assert [a.display_name for a in meeting.attendees][1] == "ບຸນມີ"
    message = _refused(
        lambda: operations.add_attendee(
            meeting,
            {"office_id": office_id("SLV-BLO"), "name": "Khamphone"},
            actor=user_named("qt.liaison"),
        ),
        "office_id",
    )
    assert "two offices" in message
    # A user of Salavan given as of Savannakhet's side.
    _refused(
        lambda: operations.add_attendee(
            meeting,
            {"office_id": office_id("SVK-BLO"), "user_id": user_named("slv.liaison").id},
            actor=user_named("qt.liaison"),
        ),
        "user_id",
    )


def test_the_agenda_takes_requests_and_cases_between_the_two_offices_only(app_ctx):
    meeting = planned_meeting()
    key = meeting.planned_starts()[0]
    case, victim, _relative = make_case()
    with_svk = send_request(case, [victim], to="SVK-BLO")
    with_slv = send_request(case, [victim], to="SLV-BLO")
    draft = send_request(case, [victim], to="SVK-BLO", action="draft")
    qt = user_named("qt.liaison")
    item = operations.add_agenda_item(meeting, key, {"request_id": with_svk.id}, actor=qt)
    assert item.title.startswith(with_svk.reference)
    case_item = operations.add_agenda_item(meeting, key, {"case_id": case.id}, actor=qt)
    assert case_item.title == case.number
    # What Quảng Trị exchanged with Salavan never comes onto a meeting with Savannakhet.
    message = _refused(
        lambda: operations.add_agenda_item(meeting, key, {"request_id": with_slv.id}, actor=qt),
        "request_id",
    )
    assert "partner may not see" in message
    _refused(
        lambda: operations.add_agenda_item(meeting, key, {"request_id": draft.id}, actor=qt),
        "request_id",
    )
    # A case of Salavan's exchange only: refused too.
    other_case, other_victim, _r = make_case()
    send_request(other_case, [other_victim], to="SLV-BLO")
    _refused(
        lambda: operations.add_agenda_item(meeting, key, {"case_id": other_case.id}, actor=qt),
        "case_id",
    )
    # The partner cannot put Quảng Trị's case on the agenda (it may not see it).
    _refused(
        lambda: operations.add_agenda_item(
            meeting, key, {"case_id": case.id}, actor=user_named("svk.liaison")
        ),
        "case_id",
    )
    _refused(lambda: operations.add_agenda_item(meeting, key, {}, actor=qt), "title")


def test_minutes_are_signed_and_corrected_only_as_a_new_version(app_ctx):
    meeting = planned_meeting()
    minutes = recorded_minutes(meeting)
    assert [item.text for item in minutes.action_items] == [
        "Trả lời yêu cầu xác minh",
        "Chuẩn bị danh sách bàn giao",
    ]
    first = operations.sign_minutes(minutes, actor=user_named("svk.liaison"))
    assert first.number.startswith("QT-BLO/BBH/") and first.version == 1
    assert first.snapshot["languages"] == ["vi", "lo"]
    # Edited after signing without a new version: refused, nothing changed.
    message = _refused(
        lambda: operations.save_minutes(
            meeting,
            minutes.occurs_at,
            minutes_data(summary="Sửa", action_items=[], version=minutes.version),
            actor=user_named("qt.liaison"),
        ),
        "correction_reason",
    )
    assert "signed" in message
    minutes = meeting.minutes_for(meeting.planned_starts()[0])
    assert minutes.summary != "Sửa" and len(minutes.records) == 1
    operations.save_minutes(
        meeting,
        minutes.occurs_at,
        minutes_data(
            summary="Sửa lỗi chính tả",
            action_items=[],
            version=minutes.version,
            correction_reason="Sai tên đơn vị",
        ),
        actor=user_named("qt.liaison"),
    )
    assert [(r.number, r.version) for r in minutes.records] == [
        (first.number, 1),
        (first.number, 2),
    ]
    assert minutes.records[1].supersedes_id == first.id
    assert minutes.records[1].snapshot["summary"] == "Sửa lỗi chính tả"
    assert first.snapshot["summary"] != "Sửa lỗi chính tả"  # the signed version stays


def test_minutes_wait_for_the_meeting_and_skip_skipped_ones(app_ctx):
    meeting = planned_meeting()
    later = meeting.planned_starts()[1]
    assert "not started" in _refused(
        lambda: operations.save_minutes(
            meeting, later, minutes_data(), actor=user_named("qt.liaison")
        )
    )
    first = meeting.planned_starts()[0]
    operations.change_occurrence(
        meeting,
        first,
        {"kind": "skipped", "reason": "Bão", "version": meeting.version},
        actor=user_named("qt.liaison"),
    )
    _refused(
        lambda: operations.save_minutes(
            meeting, first, minutes_data(), actor=user_named("qt.liaison")
        )
    )


def test_action_items_belong_to_one_of_the_two_offices(app_ctx):
    meeting = planned_meeting()
    bad = minutes_data()
    bad["action_items"][1]["owner_office_id"] = office_id("SLV-BLO")
    _refused(
        lambda: operations.save_minutes(
            meeting, meeting.planned_starts()[0], bad, actor=user_named("qt.liaison")
        ),
        "action_items-1-owner_office_id",
    )
    minutes = recorded_minutes(meeting)
    item = minutes.action_items[0]
    assert item.is_overdue()
    operations.set_action_status(
        item, {"status": "done", "version": item.version}, actor=user_named("svk.liaison")
    )
    assert item.status == "done" and item.done_at is not None and not item.is_overdue()


def test_cancelling_a_series(app_ctx):
    meeting = planned_meeting()
    _refused(
        lambda: operations.cancel(
            meeting, {"reason": None, "version": meeting.version}, actor=user_named("qt.liaison")
        ),
        "reason",
    )
    operations.cancel(
        meeting,
        {"reason": "Đổi sang hội đàm", "version": meeting.version},
        actor=user_named("qt.liaison"),
    )
    assert db.session.get(Meeting, meeting.id).cancelled


def test_an_occurrence_with_minutes_is_neither_moved_skipped_nor_cancelled(app_ctx):
    """Found by the security probe: one side alone could mark a meeting that took place,
    with minutes, as skipped, or cancel the whole series afterwards."""
    meeting = planned_meeting()
    recorded_minutes(meeting)
    first = meeting.planned_starts()[0]
    message = _refused(
        lambda: operations.change_occurrence(
            meeting,
            first,
            {"kind": "skipped", "reason": "Nhầm", "version": meeting.version},
            actor=user_named("qt.liaison"),
        )
    )
    assert "took place" in message
    assert "skip the occurrences still to come" in _refused(
        lambda: operations.cancel(
            meeting, {"reason": "Thôi", "version": meeting.version}, actor=user_named("qt.liaison")
        )
    )
    # The occurrences still to come can be skipped.
    operations.change_occurrence(
        meeting,
        meeting.planned_starts()[1],
        {"kind": "skipped", "reason": "Lũ lụt", "version": meeting.version},
        actor=user_named("qt.liaison"),
    )


def test_signed_minutes_keep_their_agenda_and_attendees(app_ctx):
    """Review of issue 14: an item could still be added to the agenda of an occurrence whose
    minutes were signed; a correction took the series' attendees as they were by then."""
    meeting = planned_meeting()
    qt = user_named("qt.liaison")
    first = meeting.planned_starts()[0]
    interpreter = operations.add_attendee(
        meeting, {"office_id": office_id("SVK-BLO"), "name": "ບຸນມີ", "position": "ນາຍພາສາ"},
        actor=qt,
    )  # fmt: skip
    operations.add_agenda_item(meeting, first, {"title": "Bàn giao"}, actor=qt)
    minutes = recorded_minutes(meeting)
    operations.sign_minutes(minutes, actor=qt)
    message = _refused(
        lambda: operations.add_agenda_item(meeting, first, {"title": "Thêm sau"}, actor=qt)
    )
    assert message == "The minutes of this meeting are signed: its agenda stays."
    assert [item.title for item in meeting.agenda_for(first)] == ["Bàn giao"]
    # A later occurrence's agenda is still open.
    operations.add_agenda_item(meeting, meeting.planned_starts()[1], {"title": "Kỳ sau"}, actor=qt)
    # The series' attendees change for the meetings still to come...
    operations.remove_attendee(meeting, interpreter.id, actor=qt)
    operations.add_attendee(
        meeting, {"office_id": office_id("QT-BLO"), "name": "Lê Văn Hải"}, actor=qt
    )
    # ... the signed occurrence keeps those signed, also in a correction.
    assert [(a.name, a.position, a.office_code) for a in minutes.signed_attendees("vi")] == [
        ("ບຸນມີ", "ນາຍພາສາ", "SVK-BLO")
    ]
    operations.save_minutes(
        meeting,
        first,
        minutes_data(action_items=[], version=minutes.version, correction_reason="Chính tả"),
        actor=qt,
    )
    assert len(minutes.records) == 2
    assert minutes.records[1].snapshot["attendees"] == minutes.records[0].snapshot["attendees"]
    assert [a.name for a in minutes.signed_attendees("lo")] == ["ບຸນມີ"]


def _move(meeting, key, starts_at, actor="qt.liaison"):
    return operations.change_occurrence(
        meeting,
        key,
        {"kind": "moved", "starts_at": starts_at, "ends_at": starts_at + timedelta(hours=2),
         "version": meeting.version},
        actor=user_named(actor),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("moved", "to", "message"),
    [
        (1, lambda s: s[2], "Another occurrence of this series starts at that time."),
        (2, lambda s: s[0], "Another occurrence of this series starts at that time."),
        (1, lambda s: s[2] + timedelta(days=1), "past the one before or after it"),
        (2, lambda s: s[1] - timedelta(days=1), "past the one before or after it"),
        (3, lambda s: s[0] + timedelta(days=1), "past the one before or after it"),
        (0, lambda s: s[0] - timedelta(hours=1), "before the series begins"),
        (1, lambda s: s[0] - timedelta(days=1), "before the series begins"),
    ],
)
def test_an_occurrence_moves_only_between_its_neighbours(app_ctx, moved, to, message):
    """Review of issue 14: an occurrence could be moved onto another's start, past its
    neighbours, or before the series begins (where the calendar and reminders never look)."""
    meeting = planned_meeting()
    starts = meeting.planned_starts()
    refused = _refused(lambda: _move(meeting, starts[moved], to(starts)), "starts_at")
    assert message in refused
    assert meeting.overrides == []


def test_an_occurrence_moves_within_its_neighbours_and_past_a_skipped_one(app_ctx):
    meeting = planned_meeting()
    first, second, third, fourth = meeting.planned_starts()
    _move(meeting, second, third - timedelta(days=1))
    _move(meeting, first, first + timedelta(days=3))
    # The one before the third is now a day before it: the third cannot go back past it.
    _refused(lambda: _move(meeting, third, third - timedelta(days=2)), "starts_at")
    # A skipped occurrence holds no place.
    operations.change_occurrence(
        meeting, third, {"kind": "skipped", "reason": "Bão", "version": meeting.version},
        actor=user_named("qt.liaison"),
    )  # fmt: skip
    _move(meeting, fourth, third + timedelta(days=1))
    assert [occ.override for occ in meeting.occurrences()] == ["moved", "moved", "skipped", "moved"]

"""Events between features (core.signals): each is sent by its action, with its object."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from coordination import create_app
from coordination.cases import operations as case_operations
from coordination.core import signals
from coordination.directory import operations as directory_operations
from coordination.directory.models import AdministrativeArea
from coordination.exchange import operations as exchange_operations
from coordination.exchange.models import MessageKind
from coordination.extensions import db
from coordination.handovers import operations as handover_operations
from coordination.matching import operations as matching_operations
from coordination.matching.models import MatchDecision
from tests.conftest import TEST_SETTINGS, user_named
from tests.handovers.helpers import agreed_proposal, scheduled_handover
from tests.matching.helpers import lao_request_about, register


@contextmanager
def received(signal):
    """The (sender, keywords) of each sending of ``signal`` while the block runs."""
    calls = []

    def receiver(sender, **keywords):
        calls.append((sender, keywords))

    with signal.connected_to(receiver):
        yield calls


@pytest.fixture
def request_ctx(app):
    """Handover records are issued from a request (their QR code holds the server's URL)."""
    with app.test_request_context():
        yield app


def test_person_saved_when_a_person_is_added_or_edited(app_ctx):
    actor = user_named("qt.liaison")
    case = case_operations.create_case(
        {"title": "Vụ việc", "opened_on": date(2026, 11, 1)}, actor=actor
    )
    with received(signals.person_saved) as calls:
        person = case_operations.add_person(
            case, {"role": "victim", "name_as_written": "Hồ Thị Lan", "sex": "female"}, actor=actor
        )
        case_operations.update_person(
            person, {"name_as_written": "Hồ Thị Lan Anh", "version": person.version}, actor=actor
        )
    assert calls == [
        (person, {"created": True, "actor": actor}),
        (person, {"created": False, "actor": actor}),
    ]
    assert person.id is not None


def test_missing_report_saved_when_an_entry_is_added_or_edited(app_ctx):
    actor = user_named("qt.liaison")
    with received(signals.missing_report_saved) as calls:
        report = register("qt.liaison", "Nguyễn Thị Hương")
        case_operations.update_missing_report(
            report, {"name_romanised": "Nguyen Thi Huong", "version": report.version}, actor=actor
        )
    assert calls == [
        (report, {"created": True, "actor": actor}),
        (report, {"created": False, "actor": actor}),
    ]


def test_area_changed_when_a_place_is_added_or_renamed(app_ctx):
    admin = user_named("admin")
    province = db.session.scalar(select(AdministrativeArea).where(AdministrativeArea.code == "QT"))
    names = {"name_vi": "Xã Lao Bảo", "name_lo": "ຕາແສງລາວບາວ", "name_zh": "老保社"}
    with received(signals.area_changed) as calls:
        area = directory_operations.create_area(
            {"kind": "commune", "country_code": "VN", "parent_id": province.id,
             "code": "QT-LAOBAO", **names, "name_en": "Lao Bao"},
            actor=admin,
        )  # fmt: skip
        unchanged = {"code": "QT-LAOBAO", **names, "name_en": "Lao Bao", "version": area.version}
        directory_operations.update_area(area, unchanged, actor=admin)  # nothing changed
        directory_operations.update_area(
            area, {**unchanged, "name_en": "Lao Bao Commune"}, actor=admin
        )
    (created, (sender, keywords)) = calls
    assert created[0] is area and created[1]["created"] is True
    assert {"code", "name_vi", "name_en"} <= created[1]["fields"]
    assert sender is area
    assert keywords == {"created": False, "fields": frozenset({"name_en"}), "actor": admin}


def test_match_confirmed_only_when_a_match_is_confirmed(app_ctx):
    actor = user_named("qt.liaison")
    request = lao_request_about("Nguyễn Thị Hương", 24)
    report = register("qt.liaison", "Nguyễn Thị Hương")
    shared_person = request.people[0]
    with received(signals.match_confirmed) as calls:
        matching_operations.decide_match(
            shared_person, "missing", report, "rejected", note=None, score=None, actor=actor
        )
        assert calls == []
        decision = matching_operations.decide_match(
            shared_person, "missing", report, "confirmed", note=None, score=91.0, actor=actor
        )
    assert isinstance(decision, MatchDecision)
    assert calls == [
        (
            decision,
            {
                "request_person": shared_person,
                "record_kind": "missing",
                "record": report,
                "actor": actor,
            },
        )
    ]


def test_request_answered_on_a_reply_only(app_ctx):
    partner = user_named("svk.liaison")
    with received(signals.request_answered) as calls:
        proposal = agreed_proposal(agree=False)
        exchange_operations.take_step(proposal, MessageKind.ACKNOWLEDGE, {}, {}, actor=partner)
        assert calls == []
        reply = exchange_operations.take_step(
            proposal, MessageKind.REPLY, {"body": "Đồng ý."}, {}, actor=partner
        )
    assert calls == [(proposal, {"message": reply, "actor": partner})]
    assert proposal.state == "answered"


def _log(handover, action, **data):
    people = {person.id: {"handed_over": True} for person in handover.people}
    data = {
        "action": action,
        "completed_at": datetime.now(UTC) - timedelta(minutes=5),
        "version": handover.version,
        **data,
    }
    return handover_operations.log_at_gate(handover, data, people, actor=user_named("qt.guard"))


def test_handover_completed_once_when_it_completes(request_ctx):
    handover = scheduled_handover()
    with received(signals.handover_completed) as calls:
        assert _log(handover, "save") is None
        assert calls == []
        issued = _log(handover, "complete")
        _log(handover, "correct", correction_reason="Sai giờ")  # a correction: not again
    assert calls == [(handover, {"record": issued, "actor": user_named("qt.guard")})]


def test_matching_connects_its_receivers_once_however_many_apps(app):
    before = {
        signal: len(signal.receivers)
        for signal in (signals.person_saved, signals.missing_report_saved, signals.area_changed)
    }
    assert all(before.values())
    create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert {signal: len(signal.receivers) for signal in before} == before

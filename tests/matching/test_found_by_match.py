"""A confirmed match marks the missing-person report found, linked to the request and the
person; the report's office is told, and sees the family's contact to tell them."""

from __future__ import annotations

import html
from datetime import date

from sqlalchemy import select

from coordination.audit.models import AuditEntry
from coordination.cases import operations as case_operations
from coordination.cases.models import MissingPersonReport
from coordination.extensions import db
from coordination.matching.operations import decide_match
from coordination.notifications.models import Notification
from tests.conftest import translated, user_named
from tests.matching.helpers import lao_request_about

CONTACT = "0912 345 678"


def _report(username="ls.liaison", **fields):
    return case_operations.create_missing_report(
        {
            "name_as_written": "Nguyễn Thị Hướng",
            "name_romanised": "Nguyen Thi Huong",
            "sex": "female",
            "missing_since": date(2026, 3, 2),
            "reporter_name": "Hồ Thị Mến",
            "reporter_relationship": "mẹ",
            "reporter_contact": CONTACT,
            **fields,
        },
        actor=user_named(username),
    )


def _decide(shared, report, decision="confirmed"):
    return decide_match(
        shared, "missing", report, decision, note=None, score=0.9, actor=user_named("qt.liaison")
    )


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_confirming_marks_the_report_found_and_tells_its_office(app_ctx):
    report = _report()  # Lạng Sơn's register; Quảng Trị verifies (the register is national)
    request = lao_request_about("ຫງວຽນ ທິ ເຮືອງ", 25)
    shared = request.people[0]
    decision = _decide(shared, report)
    assert report.status == "found"
    assert (report.found_request_id, report.found_request_person_id) == (request.id, shared.id)
    assert report.found_on is not None and report.found_on >= report.missing_since
    (entry,) = _entries("missing_report.found_by_match")
    assert (entry.target_type, entry.target_id, entry.actor_name) == (
        "missing_person_reports",
        report.id,
        "qt.liaison",
    )
    assert entry.details == {
        "status": "found",
        "request": request.reference,
        "request_person": shared.id,
        "match_decision": decision.id,
    }
    assert entry.subject_office_id == report.office_id  # Lạng Sơn's supervisors read it
    # Lạng Sơn's liaison officers are told, once, without a name in the notice.
    notices = db.session.scalars(
        select(Notification).where(Notification.subject_key == f"missing:{report.id}")
    ).all()
    assert [n.user.username for n in notices] == ["ls.liaison"]
    assert notices[0].kind == "missing_found" and notices[0].request_id is None
    # Confirming again (a note changed) sends nothing more and changes nothing.
    _decide(shared, report)
    assert len(_entries("missing_report.found_by_match")) == 1


def test_withdrawing_the_match_makes_the_report_missing_again(app_ctx):
    report = _report("qt.liaison")
    shared = lao_request_about("ຫງວຽນ ທິ ເຮືອງ", 25).people[0]
    _decide(shared, report)
    _decide(shared, report, "rejected")
    assert report.status == "open"
    assert (report.found_on, report.found_request_id, report.found_request_person_id) == (
        None,
        None,
        None,
    )
    (entry,) = _entries("missing_report.match_withdrawn")
    assert entry.details["request_person"] == shared.id


def test_a_report_already_closed_is_left_as_it_is(app_ctx):
    report = _report("qt.liaison")
    case_operations.close_missing_report(
        report,
        {"found": False, "outcome_note": "Gia đình rút tin báo", "version": report.version},
        actor=user_named("qt.liaison"),
    )
    shared = lao_request_about("ຫງວຽນ ທິ ເຮືອງ", 25).people[0]
    _decide(shared, report)
    assert report.status == "closed" and report.found_request_id is None
    assert _entries("missing_report.found_by_match") == []
    _decide(shared, report, "rejected")  # and withdrawing touches it no more
    assert report.status == "closed" and _entries("missing_report.match_withdrawn") == []


def test_a_rejection_never_touches_the_report(app_ctx):
    report = _report("qt.liaison")
    shared = lao_request_about("ຫງວຽນ ທິ ເຮືອງ", 25).people[0]
    _decide(shared, report, "rejected")
    assert report.status == "open"


def test_the_reports_office_sees_whom_to_tell_and_others_do_not(app, client, auth):
    with app.app_context():
        report = _report()
        request = lao_request_about("ຫງວຽນ ທິ ເຮືອງ", 25)
        _decide(request.people[0], report)
        db.session.commit()
        report_id, reference = report.id, request.reference
    tell = translated(app, "vi", "Tell the family")
    found = translated(app, "vi", "Found through a partner's request")
    auth.login("ls.liaison")  # the office the family reported to
    notices = html.unescape(client.get("/notifications/").get_data(as_text=True))
    title = "A person reported missing to your office was found: tell the family"
    assert translated(app, "vi", title) in notices
    assert f"/missing/{report_id}" in notices
    page = html.unescape(client.get(f"/missing/{report_id}").get_data(as_text=True))
    assert found in page and tell in page and reference in page
    assert f"Hồ Thị Mến (mẹ) · {CONTACT}" in page
    assert translated(app, "vi", "Found") in page
    with app.app_context():  # opening the report reads its notice
        notice = db.session.scalar(
            select(Notification).where(Notification.subject_key == f"missing:{report_id}")
        )
        assert notice.read_at is not None
    auth.logout()
    auth.login("qt.liaison")  # another office of the country: the news, not whom to tell
    page = html.unescape(client.get(f"/missing/{report_id}").get_data(as_text=True))
    assert found in page and tell not in page and CONTACT not in page.split(found)[1][:400]
    auth.logout()
    auth.login("qt.supervisor")  # reads the register, but is no party to the request
    page = html.unescape(client.get(f"/missing/{report_id}").get_data(as_text=True))
    assert found not in page and reference not in page
    assert translated(app, "vi", "Found") in page


def test_the_matching_page_confirms_and_the_register_follows(app, client, auth):
    """Through the verification page: the officer's form decision marks the entry."""
    with app.app_context():
        report = _report("qt.liaison")
        shared_id = lao_request_about("ຫງວຽນ ທິ ເຮືອງ", 25).people[0].id
        db.session.commit()
        report_id = report.id
    auth.login("qt.liaison")
    response = client.post(
        f"/verification/{shared_id}/missing/{report_id}", data={"decision": "confirmed"}
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(MissingPersonReport, report_id).status == "found"

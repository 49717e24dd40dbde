"""The verifying officer compares a candidate side by side, decides, and the reply follows."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.exchange.models import RequestPerson
from coordination.extensions import db
from coordination.matching.models import MatchDecision
from tests.conftest import translated
from tests.exchange.helpers import make_case
from tests.matching.helpers import lao_request, lao_request_about, register


def _incoming(app):
    """A register entry in Lạng Sơn, and Savannakhet asking Quảng Trị about her in Lao."""
    with app.app_context():
        report = register("ls.liaison", "Nguyễn Thị Hướng", "Nguyen Thi Huong", date(2001, 5, 17))
        other = register("ls.liaison", "Nguyễn Thị Hương Giang", born=date(1990, 1, 1))
        request = lao_request_about("ຫງວຽນ ທິ ເຮືອງ", date.today().year - 2001)
        db.session.commit()
        return request.id, request.people[0].id, report.id, other.id


def _audit_count(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(AuditEntry.action == action))


def _decisions(app):
    with app.app_context():
        return [
            (d.record_kind, d.record_id, d.decision, d.decided_by.username, d.note)
            for d in db.session.scalars(select(MatchDecision).order_by(MatchDecision.id))
        ]


def test_side_by_side_then_confirm_and_the_reply_is_prefilled(app, client, auth):
    request_id, shared_id, report_id, _other = _incoming(app)
    auth.login("qt.liaison")
    compare_url = f"/verification/{shared_id}/missing/{report_id}"
    # The thread links each candidate to its side-by-side page; what it showed is audited.
    assert compare_url in client.get(f"/requests/{request_id}").get_data(as_text=True)
    with app.app_context():
        shown = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "match.candidates_shown")
        ).one()
        assert ["missing", report_id] in shown.details["records"]

    views_before = _audit_count(app, "missing_report.view")
    page = client.get(compare_url).get_data(as_text=True)
    assert "ຫງວຽນ ທິ ເຮືອງ" in page and "Nguyễn Thị Hướng" in page  # both sides
    assert 'class="agree"' in page  # the names agree across scripts
    assert _audit_count(app, "missing_report.view") == views_before + 1

    response = client.post(
        compare_url, data={"decision": "confirmed", "note": "Mẹ xác nhận qua điện thoại"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/requests/{request_id}#p{shared_id}")
    assert _decisions(app) == [
        ("missing", report_id, "confirmed", "qt.liaison", "Mẹ xác nhận qua điện thoại")
    ]
    assert _audit_count(app, "match.confirmed") == 1

    thread = client.get(f"/requests/{request_id}").get_data(as_text=True)
    # The reply's outcome for her is pre-selected from the decision.
    selected = re.search(rf'name="outcome_{shared_id}".*?</select>', thread, re.S).group(0)
    assert '<option value="confirmed" selected' in selected
    assert translated(app, "vi", "Same person: match confirmed") in thread

    # Replying with the pre-filled outcome records it for the partner.
    response = client.post(
        f"/requests/{request_id}/steps",
        data={"step": "reply", f"outcome_{shared_id}": "confirmed", "body": "Đã xác minh."},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(RequestPerson, shared_id).outcome == "confirmed"
    # Once answered, the decision is history: it shows, but can no longer be changed.
    response = client.post(compare_url, data={"decision": "rejected"})
    assert response.status_code == 403
    assert _decisions(app)[0][2] == "confirmed"


def test_only_one_record_can_be_confirmed_for_a_person(app, client, auth):
    _request_id, shared_id, report_id, other_id = _incoming(app)
    auth.login("qt.liaison")
    client.post(f"/verification/{shared_id}/missing/{report_id}", data={"decision": "confirmed"})
    response = client.post(
        f"/verification/{shared_id}/missing/{other_id}", data={"decision": "confirmed"}
    )
    assert response.status_code == 422
    message = translated(
        app,
        "vi",
        "Another record is already confirmed as this person. Mark it as not this person first.",
    )
    assert message in response.get_data(as_text=True)
    assert [d[1] for d in _decisions(app)] == [report_id]
    # A changed mind: reject the first, then the second may be confirmed.
    client.post(f"/verification/{shared_id}/missing/{report_id}", data={"decision": "rejected"})
    response = client.post(
        f"/verification/{shared_id}/missing/{other_id}", data={"decision": "confirmed"}
    )
    assert response.status_code == 302
    assert sorted(d[2] for d in _decisions(app)) == ["confirmed", "rejected"]


def test_a_bad_decision_is_refused_with_a_message(app, client, auth):
    _request_id, shared_id, report_id, _other = _incoming(app)
    auth.login("qt.liaison")
    response = client.post(
        f"/verification/{shared_id}/missing/{report_id}", data={"decision": "maybe"}
    )
    assert response.status_code == 422
    assert translated(app, "vi", "Choose one of the listed options.") in response.get_data(
        as_text=True
    )
    assert _decisions(app) == []


def test_who_may_see_and_decide(app, client, auth):
    request_id, shared_id, report_id, _other = _incoming(app)
    with app.app_context():
        # A person of another office's case: never reachable through a verification.
        _case, victim, _relative = make_case("ls.liaison")
        db.session.commit()
        foreign_person = victim.id
    # The sender sees its own request but not the receiving side's records.
    auth.login("svk.liaison")
    assert client.get(f"/verification/{shared_id}").status_code == 403
    assert client.get(f"/verification/{shared_id}/missing/{report_id}").status_code == 403
    auth.logout()
    # An office the request was not sent to does not learn that it exists.
    auth.login("px.liaison")
    assert client.get(f"/verification/{shared_id}").status_code == 404
    auth.logout()
    # The receiving office's border guard does not verify identities.
    auth.login("qt.guard")
    assert client.get(f"/verification/{shared_id}").status_code in (403, 404)
    auth.logout()
    auth.login("qt.liaison")
    assert client.get(f"/verification/{shared_id}/person/{foreign_person}").status_code == 404
    assert client.get(f"/verification/{shared_id}/other/{report_id}").status_code == 404
    assert client.get(f"/verification/{shared_id}").status_code == 200
    assert client.get(f"/requests/{request_id}").status_code == 200


def test_a_request_naming_500_people_stays_usable(app, client, auth):
    with app.app_context():
        register("ls.liaison", "Nguyễn Thị Hướng", born=date(2001, 5, 17))
        people = [
            {"name_as_written": f"ຫງວຽນ ທິ ເຮືອງ {number}", "estimated_age": 20}
            for number in range(500)
        ]
        request = lao_request(people)
        db.session.commit()
        request_id = request.id
        last_shared = request.people[-1].id
    auth.login("qt.liaison")
    response = client.get(f"/requests/{request_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # Candidates inline for the first people; the rest from their own page.
    assert page.count('<div class="candidates">') == 25
    assert f'href="/verification/{last_shared}"' in page
    assert page.count('name="outcome_') == 500
    assert client.get(f"/verification/{last_shared}").status_code == 200


def test_absurd_ages_and_unknown_scripts_do_not_break_the_ranking(app, client, auth):
    with app.app_context():
        register("ls.liaison", "Nguyễn Thị Hướng", born=date(2001, 5, 17))
        request = lao_request([{"name_as_written": "ຫງວຽນ ທິ ເຮືອງ Ωμέγα", "estimated_age": 3}])
        shared = request.people[0]
        # A shared copy written by an older release or another system: read defensively.
        shared.shared = {**shared.shared, "estimated_age": 999, "date_of_birth": "31/02/2001"}
        db.session.commit()
        request_id, shared_id = request.id, shared.id
    auth.login("qt.liaison")
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "Nguyễn Thị Hướng" in page.split('class="candidates"')[1]
    assert "Ωμέγα" in page.split('class="notice warn"')[1]  # said what it could not read
    assert client.get(f"/verification/{shared_id}").status_code == 200


def test_the_verifying_officer_sees_an_empty_name_explained(app, client, auth):
    with app.app_context():
        request = lao_request([{"name_as_written": "?"}])
        db.session.commit()
        request_id = request.id
    auth.login("qt.liaison")
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert translated(app, "vi", "No one in your records shares this name.") in page

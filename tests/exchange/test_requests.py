"""Requests between partner offices: sending, sharing, the thread, deadlines, privacy."""

import re
import threading
from datetime import timedelta

from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.core.db import utcnow
from coordination.directory.models import Office
from coordination.directory.operations import next_reference
from coordination.exchange.models import Request, RequestMessage, RequestState
from coordination.extensions import db
from tests.conftest import translated, user_named
from tests.exchange.helpers import make_case, office_id, send_request

EN = {"Accept-Language": "en"}


def _sent_request(app, **kwargs):
    with app.app_context():
        case, victim, _relative = make_case()
        request = send_request(case, [victim], **kwargs)
        db.session.commit()
        return request.id, case.id, victim.id


def test_sending_gives_a_reference_and_the_partnerships_deadline(app_ctx):
    case, victim, _relative = make_case()
    request = send_request(case, [victim])
    year = request.sent_at.year
    assert request.reference == f"QT-BLO/{year}/0001"
    assert request.state == RequestState.SENT
    # QT-BLO ⇄ SVK-BLO agreed 15 days for identity verification (demo data).
    assert request.deadline_at - request.sent_at == timedelta(days=15)
    second = send_request(case, [victim], kind="information")
    assert second.reference == f"QT-BLO/{year}/0002"
    assert second.deadline_at - second.sent_at == timedelta(days=10)


def test_reference_numbers_stay_unique_under_concurrent_sending(app):
    with app.app_context():
        office = db.session.scalar(select(Office).where(Office.code == "LS-BLO"))
        office_pk = office.id
    numbers, errors = [], []

    def allocate():
        try:
            with app.app_context():
                office = db.session.get(Office, office_pk)
                for _ in range(5):
                    numbers.append(next_reference(office, "request", 2030))
                    db.session.commit()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=allocate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [f"LS-BLO/2030/{n:04d}" for n in range(1, 21)]


def test_partner_sees_only_the_shared_fields(app, client, auth):
    request_id, case_id, victim_id = _sent_request(app)
    auth.login("svk.liaison")
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "Nguyễn Thị Hướng" in page and "Nguyen Thi Huong" in page
    assert "Thôn 3, xã Lao Bảo" not in page  # the address was not shared
    assert "0912 345 678" not in page  # nor the relatives' contacts
    assert "Nguyễn Văn Tư" not in page  # the relative was not part of the request
    # The sender's case and person records stay closed to the partner.
    assert client.get(f"/cases/{case_id}").status_code == 404
    assert client.get(f"/cases/people/{victim_id}").status_code == 404


def test_unrelated_office_sees_nothing(app, client, auth):
    request_id, case_id, _victim = _sent_request(app)
    auth.login("px.liaison")
    assert client.get(f"/requests/{request_id}").status_code == 404
    response = client.post(f"/requests/{request_id}/steps", data={"step": "acknowledge"})
    assert response.status_code == 404
    assert "Đề nghị xác minh" not in client.get("/requests/inbox").get_data(as_text=True)
    assert client.get(f"/cases/{case_id}").status_code == 404


def test_verification_thread_from_request_to_outcome(app, client, auth):
    request_id, _case, _victim = _sent_request(app)
    auth.login("svk.liaison")
    inbox = client.get("/requests/inbox").get_data(as_text=True)
    assert "QT-BLO/" in inbox
    assert (
        client.post(f"/requests/{request_id}/steps", data={"step": "acknowledge"}).status_code
        == 302
    )
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    shared_id = re.search(r'name="outcome_(\d+)"', page).group(1)
    # A reply without the outcome for each person is refused, and nothing changes.
    response = client.post(
        f"/requests/{request_id}/steps", data={"step": "reply", "body": "ກວດສອບແລ້ວ"}
    )
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Request, request_id).state == RequestState.ACKNOWLEDGED
    response = client.post(
        f"/requests/{request_id}/steps",
        data={"step": "reply", "body": "ກວດສອບແລ້ວ", f"outcome_{shared_id}": "confirmed"},
    )
    assert response.status_code == 302
    auth.logout()
    auth.login("qt.liaison")
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert translated(app, "vi", "Identity confirmed") in page
    assert "ກວດສອບແລ້ວ" in page  # the reply, as written
    with app.app_context():
        request = db.session.get(Request, request_id)
        assert request.state == RequestState.ANSWERED
        assert [m.kind for m in request.messages] == ["send", "acknowledge", "reply"]


def test_reply_to_a_closed_request_is_refused(app, client, auth):
    request_id, _case, _victim = _sent_request(app, kind="information")
    auth.login("svk.liaison")
    client.post(f"/requests/{request_id}/steps", data={"step": "reply", "body": "Thông tin"})
    auth.logout()
    auth.login("qt.liaison")
    client.post(f"/requests/{request_id}/steps", data={"step": "close"})
    auth.logout()
    auth.login("svk.liaison")
    with app.app_context():
        before = db.session.scalar(select(func.count(RequestMessage.id)))
    response = client.post(
        f"/requests/{request_id}/steps", data={"step": "reply", "body": "Again"}, headers=EN
    )
    assert response.status_code == 422
    assert "This step is not possible now" in response.get_data(as_text=True) or (
        translated(app, "lo", "Closed") in response.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(RequestMessage.id))) == before
        assert db.session.get(Request, request_id).state == RequestState.CLOSED


def test_asking_back_reopens_the_thread_for_the_sender(app, client, auth):
    request_id, _case, _victim = _sent_request(app, kind="information")
    auth.login("svk.liaison")
    client.post(f"/requests/{request_id}/steps", data={"step": "ask_back", "body": "ຂໍຮູບ"})
    auth.logout()
    auth.login("qt.liaison")
    response = client.post(
        f"/requests/{request_id}/steps", data={"step": "supplement", "body": "Ảnh đính kèm"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Request, request_id).state == RequestState.ACKNOWLEDGED


def test_decline_needs_a_reason(app, client, auth):
    request_id, _case, _victim = _sent_request(app)
    auth.login("svk.liaison")
    response = client.post(f"/requests/{request_id}/steps", data={"step": "decline"})
    assert response.status_code == 422
    response = client.post(
        f"/requests/{request_id}/steps", data={"step": "decline", "body": "ບໍ່ແມ່ນເຂດຮັບຜິດຊອບ"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Request, request_id).state == RequestState.DECLINED


def test_only_partners_can_be_addressed(app, client, auth):
    with app.app_context():
        case, victim, _relative = make_case()
        db.session.commit()
        case_id, victim_id, px = case.id, victim.id, office_id("PX-BLO")
        before = db.session.scalar(select(func.count(Request.id)))
    auth.login("qt.liaison")
    response = client.post(
        "/requests/new",
        data={
            "case_id": case_id,
            "recipient_office_id": px,
            "kind": "information",
            "subject": "Test",
            "person_ids": [victim_id],
            "shared_fields": ["name_as_written"],
        },
        headers=EN,
    )
    assert response.status_code == 422
    message = translated(
        app, "vi", "This office is not a partner of yours. Requests go to partner offices only."
    )
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Request.id))) == before


def test_people_of_another_case_cannot_be_attached(app, client, auth):
    with app.app_context():
        case, _victim, _relative = make_case()
        _other_case, other_victim, _ = make_case()
        db.session.commit()
        case_id, stranger = case.id, other_victim.id
    auth.login("qt.liaison")
    response = client.post(
        "/requests/new",
        data={
            "case_id": case_id,
            "recipient_office_id": str(_svk(app)),
            "kind": "information",
            "subject": "Test",
            "person_ids": [stranger],
            "shared_fields": ["name_as_written"],
        },
    )
    assert response.status_code == 422


def _svk(app):
    with app.app_context():
        return office_id("SVK-BLO")


def test_overdue_requests_stand_out(app, client, auth):
    request_id, _case, _victim = _sent_request(app)
    with app.app_context():
        request = db.session.get(Request, request_id)
        request.deadline_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    auth.login("svk.liaison")
    page = client.get("/requests/inbox?overdue=1").get_data(as_text=True)
    assert 'class="overdue"' in page
    assert translated(app, "lo", "Overdue") in page


def test_inbox_filters_and_search_by_person_name(app, client, auth):
    _sent_request(app)
    auth.login("svk.liaison")
    assert "QT-BLO/" in client.get("/requests/inbox?q=nguyen thi huong").get_data(as_text=True)
    assert "QT-BLO/" in client.get("/requests/inbox?q=Hướng").get_data(as_text=True)
    assert "QT-BLO/" not in client.get("/requests/inbox?q=somebody else").get_data(as_text=True)
    assert "QT-BLO/" not in client.get("/requests/inbox?kind=handover_proposal").get_data(
        as_text=True
    )
    # Junk filters are ignored with a note, never an error.
    assert client.get("/requests/inbox?kind=xx&partner=abc&state=%00").status_code == 200


def test_supervisor_sees_the_requests_of_their_province(app, client, auth):
    request_id, _case, _victim = _sent_request(app)
    auth.login("qt.supervisor")
    assert "QT-BLO/" in client.get("/requests/outbox").get_data(as_text=True)
    assert client.get(f"/requests/{request_id}").status_code == 200
    auth.logout()
    auth.login("ls.supervisor")
    assert client.get(f"/requests/{request_id}").status_code == 404


def test_drafts_stay_with_the_sender(app, client, auth):
    request_id, _case, _victim = _sent_request(app, action="draft")
    with app.app_context():
        assert db.session.get(Request, request_id).reference is None
    auth.login("svk.liaison")
    assert client.get(f"/requests/{request_id}").status_code == 404
    auth.logout()
    auth.login("qt.liaison")
    assert client.post(f"/requests/{request_id}/steps", data={"step": "send"}).status_code == 302
    with app.app_context():
        assert db.session.get(Request, request_id).reference.startswith("QT-BLO/")


def test_viewing_shared_people_is_audited(app, client, auth):
    request_id, _case, _victim = _sent_request(app)
    auth.login("svk.liaison")
    client.get(f"/requests/{request_id}")
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == "request.view")
            .order_by(AuditEntry.id.desc())
        )
        assert entry.actor_id == user_named("svk.liaison").id
        assert entry.target_id == request_id


def test_recipient_is_notified_in_app(app, client, auth):
    request_id, _case, _victim = _sent_request(app)
    auth.login("svk.liaison")
    page = client.get("/").get_data(as_text=True)
    assert 'class="count"' in page
    client.get(f"/requests/{request_id}")  # reading the request clears its notification
    assert 'class="count"' not in client.get("/").get_data(as_text=True)


def test_stale_step_is_a_conflict(app, client, auth):
    request_id, _case, _victim = _sent_request(app)
    auth.login("svk.liaison")
    response = client.post(
        f"/requests/{request_id}/steps", data={"step": "acknowledge", "version": "99"}
    )
    assert response.status_code == 409


def test_the_worklist_shows_requests_awaiting_an_answer_first(app, client, auth):
    with app.app_context():
        case, victim, _relative = make_case()
        finished = send_request(case, [victim], kind="information")
        waiting = send_request(case, [victim], kind="information")
        finished.state = RequestState.CLOSED
        finished.deadline_at = utcnow() - timedelta(days=400)  # an old, finished request
        db.session.commit()
        finished_ref, waiting_ref = finished.reference, waiting.reference
    auth.login("svk.liaison")
    page = client.get("/requests/inbox").get_data(as_text=True)
    assert page.index(waiting_ref) < page.index(finished_ref)

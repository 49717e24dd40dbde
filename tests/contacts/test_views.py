"""The contact pages: the log with filters and pagination, logging a call on the form, the
contact's page for each side, sharing, the partner's answer, a request made from a contact,
the panels on a request's thread and a case's page; 404 for an unrelated office; bad input
gets 422 and stores nothing.

Database work runs in its own app context (``with app.app_context()``): a request made
inside an outer one would share its ``g``, and with it the signed-in user."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.contacts.models import Contact
from coordination.core.db import utcnow
from coordination.exchange.models import Request
from coordination.extensions import db
from tests.conftest import login_client, translated, user_named
from tests.contacts.helpers import log, make_case, office_id


def _rows(client, url: str) -> int:
    """How many contacts a page of the log lists."""
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True).count('<tr class="')


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Contact))


def _contact(app, contact_id: int) -> Contact:
    with app.app_context():
        found = db.session.get(Contact, contact_id)
        db.session.expunge(found)
        return found


@pytest.fixture
def liaison(app):
    return login_client(app, "ls.liaison")


def _form(app, **overrides) -> dict:
    with app.app_context():
        partner = office_id("PX-BLO")
    data = {
        "partner_office_id": str(partner),
        "channel": "hotline",
        "direction": "in",
        "urgency": "urgent",
        "language": "zh",
        "occurred_at": "",
        "asked": "凭祥来电：三名妇女被困。",
        "answered": "Sẽ xác minh.",
        "case_id": "",
    }
    return {**data, **overrides}


def _case(app, username="ls.liaison", title="Ba phụ nữ bị giữ tại Bằng Tường"):
    with app.app_context():
        case, person = make_case(username, title)
        db.session.commit()
        return case.id, case.number, person.id


def _logged(app, **overrides) -> int:
    with app.app_context():
        contact = log(**overrides)
        db.session.commit()
        return contact.id


def test_a_call_is_logged_from_the_form_with_the_time_now(app, liaison):
    case_id, number, person_id = _case(app)
    page = liaison.get(f"/contacts/new?case={case_id}")
    assert page.status_code == 200
    assert "Lý Thị Hoa" in page.get_data(as_text=True)  # the case's people to tick
    response = liaison.post(
        "/contacts/new",
        data=_form(app, case_id=str(case_id), person_ids=[str(person_id)]),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        contact = db.session.scalar(select(Contact).order_by(Contact.id.desc()))
        assert contact.case_id == case_id
        assert [p.person_id for p in contact.people] == [person_id]
        assert abs(contact.occurred_at - utcnow()) < timedelta(minutes=1)
        contact_id = contact.id
    detail = liaison.get(response.headers["Location"]).get_data(as_text=True)
    assert "凭祥来电" in detail and number in detail and "Lý Thị Hoa" in detail
    assert translated(app, "vi", "Urgent") in detail
    with app.app_context():  # the people's names were shown: the view is audited
        assert db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "contact.view", AuditEntry.target_id == contact_id
            )
        )


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"occurred_at": "2099-01-01T10:00"}, "The contact cannot have taken place in the future."),
        ({"duration_minutes": "-5"}, "Give the duration in minutes, from 0 to 1440 (24 hours)."),
        ({"partner_office_id": "99999999"}, None),
        ({"partner_office_id": "abc"}, None),
        ({"channel": "pigeon"}, None),
        ({"asked": "x" * 20000}, None),
        ({"case_id": "-3"}, None),
        ({"occurred_at": "not a time"}, None),
    ],
)
def test_bad_input_gets_422_and_stores_nothing(app, liaison, overrides, field_message):
    before = _count(app)
    response = liaison.post("/contacts/new", data=_form(app, **overrides))
    assert response.status_code == 422
    if field_message:
        assert translated(app, "vi", field_message) in response.get_data(as_text=True)
    assert _count(app) == before


def test_an_office_that_is_not_a_partner_gets_a_translated_message(app, liaison):
    with app.app_context():
        savannakhet = office_id("SVK-BLO")
    response = liaison.post("/contacts/new", data=_form(app, partner_office_id=str(savannakhet)))
    assert response.status_code == 422
    message = "This office is not a partner of yours. Log contacts with partner offices only."
    assert translated(app, "vi", message) in response.get_data(as_text=True)
    assert _count(app) == 0


def test_another_offices_case_is_refused_on_the_form(app, liaison):
    theirs, _number, _person = _case(app, "qt.liaison", "Vụ việc Quảng Trị")
    assert liaison.get(f"/contacts/new?case={theirs}").status_code == 404
    response = liaison.post("/contacts/new", data=_form(app, case_id=str(theirs)))
    assert response.status_code == 422
    message = translated(app, "vi", "Choose one of your office's cases.")
    assert message in response.get_data(as_text=True)
    assert _count(app) == 0


def test_the_log_filters_and_pages(app, liaison):
    app.config["PAGE_SIZE"] = 5
    with app.app_context():
        for day in range(1, 8):
            log(occurred_at=datetime(2026, 11, day, 3, tzinfo=UTC), urgency="routine")
        log(occurred_at=datetime(2026, 11, 10, 3, tzinfo=UTC), channel="letter", partner="CZ-BLO")
        db.session.commit()
        px, cz = office_id("PX-BLO"), office_id("CZ-BLO")
    assert 'rel="next"' in liaison.get("/contacts").get_data(as_text=True)
    assert _rows(liaison, "/contacts?page=2") == 3
    assert _rows(liaison, "/contacts?channel=letter") == 1
    assert _rows(liaison, f"/contacts?partner={cz}") == 1
    assert _rows(liaison, f"/contacts?partner={px}&page=2") == 2
    # Days in the reader's zone (Vietnam): 2 and 3 November.
    assert _rows(liaison, "/contacts?since=2026-11-02&until=2026-11-03") == 2
    assert _rows(liaison, "/contacts?urgency=urgent") == 1
    assert _rows(liaison, "/contacts?channel=x&since=yesterday&page=-4&partner=99999999999") == 5


def test_the_partner_sees_a_contact_only_once_shared_and_confirms_it(app, liaison):
    case_id, number, person_id = _case(app)
    contact_id = _logged(app, case_id=case_id, person_ids=[person_id])
    partner = login_client(app, "px.liaison")
    assert partner.get(f"/contacts/{contact_id}").status_code == 404
    assert _rows(partner, "/contacts?box=shared") == 0
    share = liaison.post(f"/contacts/{contact_id}/share", data={"version": "1"})
    assert share.status_code == 302
    assert _rows(partner, "/contacts?box=shared") == 1
    page = partner.get(f"/contacts/{contact_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "三名越南籍妇女被困" in text
    assert "Lý Thị Hoa" not in text and number not in text  # our case file stays ours
    response = partner.post(
        f"/contacts/{contact_id}/respond",
        data={"confirm": "1", "note": "确认：我们打过电话。", "version": "2"},
    )
    assert response.status_code == 302
    with app.app_context():
        answered = db.session.get(Contact, contact_id)
        assert answered.confirmed_by_id == user_named("px.liaison").id
    ours = liaison.get(f"/contacts/{contact_id}").get_data(as_text=True)
    assert "确认：我们打过电话。" in ours
    assert translated(app, "vi", "Confirmed by the partner") in ours


def test_an_unrelated_office_gets_404_everywhere(app):
    contact_id = _logged(app)
    outsider = login_client(app, "qt.liaison")
    for method, url in (
        ("get", f"/contacts/{contact_id}"),
        ("get", f"/contacts/{contact_id}/edit"),
        ("post", f"/contacts/{contact_id}/edit"),
        ("post", f"/contacts/{contact_id}/share"),
        ("post", f"/contacts/{contact_id}/respond"),
        ("post", f"/contacts/{contact_id}/follow-up-done"),
        ("get", f"/contacts/{contact_id}/request"),
        ("post", f"/contacts/{contact_id}/request"),
        ("get", "/contacts/99999999999"),
        ("get", "/contacts/2147483648"),
    ):
        assert getattr(outsider, method)(url).status_code == 404, url
    assert _rows(outsider, "/contacts") == 0 and _rows(outsider, "/contacts?box=shared") == 0
    # The partner, before sharing, gets the same answer (no existence oracle).
    partner = login_client(app, "px.liaison")
    assert partner.get(f"/contacts/{contact_id}").status_code == 404


def test_a_request_is_made_from_a_contact_and_shows_it_in_its_thread(app, liaison):
    case_id, _number, person_id = _case(app)
    contact_id = _logged(app, case_id=case_id, person_ids=[person_id])
    form = liaison.get(f"/contacts/{contact_id}/request").get_data(as_text=True)
    assert 'value="rescue_assistance" selected' in form  # an urgent call: rescue assistance
    response = liaison.post(
        f"/contacts/{contact_id}/request",
        data={"kind": "rescue_assistance", "subject": "Đề nghị phối hợp giải cứu",
              "body": "Giải cứu ba phụ nữ.", "version": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        made = db.session.scalar(select(Request).order_by(Request.id.desc()))
        made_id = made.id
        assert made.kind == "rescue_assistance" and made.case_id == case_id
        assert _contact(app, contact_id).request_id == made_id
    assert response.headers["Location"].endswith(f"/requests/{made_id}")
    thread = liaison.get(f"/requests/{made_id}").get_data(as_text=True)
    assert f'href="/contacts/{contact_id}"' in thread  # the call, in the request's thread
    case_page = liaison.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'href="/contacts/{contact_id}"' in case_page  # and in the case history
    assert liaison.get(f"/contacts/{contact_id}/request").status_code == 403


def test_a_stale_correction_is_a_conflict(app, liaison):
    contact_id = _logged(app)
    data = _form(app, version="1", duration_minutes="15")
    assert liaison.post(f"/contacts/{contact_id}/edit", data=data).status_code == 302
    again = liaison.post(f"/contacts/{contact_id}/edit", data=_form(app, version="1", asked="x"))
    assert again.status_code == 409
    corrected = _contact(app, contact_id)
    assert corrected.duration_minutes == 15 and corrected.asked != "x"


def test_a_social_worker_reads_but_does_not_log(app):
    social = login_client(app, "ls.social")
    assert social.get("/contacts").status_code == 200
    assert social.get("/contacts/new").status_code == 403


def test_the_promised_answer_is_overdue_then_recorded_as_received(app, liaison):
    contact_id = _logged(
        app,
        occurred_at=utcnow() - timedelta(hours=5),
        follow_up_due_at=utcnow() - timedelta(hours=2),
    )
    overdue = translated(app, "vi", "Answer overdue")
    assert overdue in liaison.get(f"/contacts/{contact_id}").get_data(as_text=True)
    assert _rows(liaison, "/contacts?overdue=1") == 1
    done = liaison.post(f"/contacts/{contact_id}/follow-up-done", data={"version": "1"})
    assert done.status_code == 302
    assert _rows(liaison, "/contacts?overdue=1") == 0
    stale = liaison.post(f"/contacts/{contact_id}/follow-up-done", data={"version": "1"})
    assert stale.status_code == 403  # nothing awaited any more

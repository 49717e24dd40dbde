"""Pages: a border guard station passes a call to the liaison office, which links its case
and makes the request; a case's people on the log form; scans of letters; the partner's
view of panels; validation messages. (Issue 17.)"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from coordination.attachments.models import Document
from coordination.audit.models import AuditEntry
from coordination.contacts.models import Contact
from coordination.exchange.models import Request
from coordination.extensions import db
from tests.conftest import login_client, translated
from tests.contacts.helpers import log, make_case, office_id

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def guard(app):
    return login_client(app, "ls.guard")


@pytest.fixture
def liaison(app):
    return login_client(app, "ls.liaison")


def _count(app, model=Contact) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _case(app, username="ls.liaison", title="Ba phụ nữ bị giữ tại Bằng Tường"):
    with app.app_context():
        case, person = make_case(username, title)
        db.session.commit()
        return case.id, case.number, person.id


def _station_form(app, **overrides) -> dict:
    with app.app_context():
        partner = office_id("PX-BGS")
    data = {
        "partner_office_id": str(partner),
        "channel": "hotline",
        "direction": "in",
        "urgency": "urgent",
        "language": "zh",
        "occurred_at": "",
        "asked": "凭祥来电：三名越南籍妇女被困在出租屋。",
        "case_reference": "",
    }
    return {**data, **overrides}


def _latest(app) -> Contact:
    with app.app_context():
        found = db.session.scalar(select(Contact).order_by(Contact.id.desc()))
        db.session.expunge(found)
        return found


def test_the_guard_passes_the_call_on_and_the_liaison_office_turns_it_into_a_request(
    app, guard, liaison
):
    case_id, number, person_id = _case(app)
    form = guard.get("/contacts/new").get_data(as_text=True)
    assert 'name="forward"' in form and 'name="case_reference"' in form
    logged = guard.post("/contacts/new", data=_station_form(app, case_reference=number))
    assert logged.status_code == 302
    contact = _latest(app)
    assert contact.office_id == _office(app, "LS-BGS-HN") and contact.forwarded_at is None
    # Before it is passed on, the liaison office does not learn it exists.
    assert liaison.get(f"/contacts/{contact.id}").status_code == 404
    page = guard.get(f"/contacts/{contact.id}").get_data(as_text=True)
    assert 'id="forward-contact"' in page
    passed = guard.post(f"/contacts/{contact.id}/forward", data={"version": "1"})
    assert passed.status_code == 302
    assert guard.post(f"/contacts/{contact.id}/forward", data={"version": "2"}).status_code == 403

    listed = liaison.get("/contacts?box=forwarded").get_data(as_text=True)
    assert f'href="/contacts/{contact.id}"' in listed
    page = liaison.get(f"/contacts/{contact.id}").get_data(as_text=True)
    assert number in page and 'id="link-form"' in page
    assert f'<option value="{case_id}" selected' in page  # the case the guard wrote
    assert "Lý Thị Hoa" in page  # its people, to tick
    linked = liaison.post(
        f"/contacts/{contact.id}/link",
        data={"case_id": str(case_id), "person_ids": [str(person_id)], "request_id": "",
              "version": "2"},
    )  # fmt: skip
    assert linked.status_code == 302
    form = liaison.get(f"/contacts/{contact.id}/request").get_data(as_text=True)
    with app.app_context():
        px = office_id("PX-BLO")
    assert f'<option value="{px}" selected' in form  # the liaison office's own partner
    made = liaison.post(
        f"/contacts/{contact.id}/request",
        data={"recipient_office_id": str(px), "kind": "rescue_assistance",
              "subject": "Đề nghị phối hợp giải cứu", "version": str(_latest(app).version)},
    )  # fmt: skip
    assert made.status_code == 302
    with app.app_context():
        request = db.session.scalar(select(Request).order_by(Request.id.desc()))
        assert request.sender_office.code == "LS-BLO" and request.recipient_office_id == px
        assert request.case_id == case_id
        assert [p.person_id for p in request.people] == [person_id]
        found = db.session.get(Contact, contact.id)
        assert found.request_id == request.id and found.office.code == "LS-BGS-HN"
    # The guard's page shows it was passed on; the station's partner still sees nothing.
    station_page = guard.get(f"/contacts/{contact.id}").get_data(as_text=True)
    assert 'id="forwarded-to"' in station_page
    # It reads which case and request, without links to files it may not open.
    assert number in station_page and f'href="/cases/{case_id}"' not in station_page
    assert '<span id="linked-request">' in station_page
    assert guard.get(f"/cases/{case_id}").status_code == 404
    assert login_client(app, "px.guard").get(f"/contacts/{contact.id}").status_code == 404


def _office(app, code):
    with app.app_context():
        return office_id(code)


def test_an_urgent_call_is_passed_on_in_the_same_tap(app, guard, liaison):
    response = guard.post("/contacts/new", data=_station_form(app, forward="1"))
    assert response.status_code == 302
    contact = _latest(app)
    assert contact.forwarded_office_id == _office(app, "LS-BLO")
    assert liaison.get(f"/contacts/{contact.id}").status_code == 200


def test_another_liaison_office_gets_404_on_a_passed_contact(app, guard):
    guard.post("/contacts/new", data=_station_form(app, forward="1"))
    contact_id = _latest(app).id
    outsider = login_client(app, "qt.liaison")
    for method, url in (
        ("get", f"/contacts/{contact_id}"),
        ("post", f"/contacts/{contact_id}/link"),
        ("post", f"/contacts/{contact_id}/forward"),
        ("get", f"/contacts/{contact_id}/request"),
    ):
        assert getattr(outsider, method)(url).status_code == 404, url
    response = outsider.get("/contacts?box=forwarded")
    assert response.status_code == 200 and f'href="/contacts/{contact_id}"' not in (
        response.get_data(as_text=True)
    )


def test_the_liaison_office_cannot_link_another_offices_case(app, guard, liaison):
    theirs, _number, _person = _case(app, "qt.liaison", "Vụ việc Quảng Trị")
    guard.post("/contacts/new", data=_station_form(app, forward="1"))
    contact_id = _latest(app).id
    response = liaison.post(
        f"/contacts/{contact_id}/link", data={"case_id": str(theirs), "version": "2"}
    )
    assert response.status_code == 422
    message = translated(app, "vi", "Choose one of your office's cases.")
    assert message in response.get_data(as_text=True)
    assert _latest(app).case_id is None


# --- A case's people on the log form -------------------------------------------------------


def test_picking_a_case_shows_its_people_without_saving(app, liaison):
    case_id, _number, person_id = _case(app)
    with app.app_context():
        partner = office_id("PX-BLO")
    data = {"partner_office_id": str(partner), "channel": "hotline", "direction": "in",
            "urgency": "urgent", "asked": "Cuộc gọi khẩn.", "case_id": str(case_id),
            "show_people": "1"}  # fmt: skip
    before = _count(app)
    response = liaison.post("/contacts/new", data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Lý Thị Hoa" in text
    assert f'name="person_ids" value="{person_id}"' in text and "Cuộc gọi khẩn." in text
    assert _count(app) == before
    del data["show_people"]
    saved = liaison.post("/contacts/new", data={**data, "person_ids": [str(person_id)]})
    assert saved.status_code == 302
    with app.app_context():
        contact = db.session.scalar(select(Contact).order_by(Contact.id.desc()))
        assert [link.person_id for link in contact.people] == [person_id]


# --- Validation messages ---------------------------------------------------------------------


def test_a_person_of_another_case_and_an_answer_due_before_the_call_are_refused(app, liaison):
    case_id, _number, _person_id = _case(app)
    _other, _other_number, other_person = _case(app, title="Vụ việc khác")
    with app.app_context():
        partner = office_id("PX-BLO")
    base = {"partner_office_id": str(partner), "channel": "hotline", "direction": "in",
            "urgency": "routine", "occurred_at": "2026-11-30T10:00"}  # fmt: skip
    before = _count(app)
    wrong_person = liaison.post(
        "/contacts/new",
        data={**base, "case_id": str(case_id), "person_ids": [str(other_person)]},
    )
    assert wrong_person.status_code == 422
    message = translated(app, "vi", "Choose people of the linked case only.")
    assert message in wrong_person.get_data(as_text=True)
    early = liaison.post("/contacts/new", data={**base, "follow_up_due_at": "2026-11-30T09:00"})
    assert early.status_code == 422
    message = translated(app, "vi", "An answer cannot be due before the contact took place.")
    assert message in early.get_data(as_text=True)
    assert _count(app) == before


# --- Scans of letters -------------------------------------------------------------------------


def test_a_scanned_letter_is_stored_and_shown_only_to_who_may_see_it(app, liaison):
    with app.app_context():
        partner = office_id("PX-BLO")
    data = {
        "partner_office_id": str(partner),
        "channel": "letter",
        "direction": "in",
        "urgency": "routine",
        "reference_number": "123/BGS-PX",
        "reference_date": "2026-11-28",
        "scans": (io.BytesIO(PDF), "cong-van-123.pdf"),
    }
    response = liaison.post("/contacts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.scalar(select(Contact).order_by(Contact.id.desc()))
        assert contact.reference_number == "123/BGS-PX"
        assert contact.reference_date.isoformat() == "2026-11-28"
        [scan] = contact.scans
        document_id, contact_id = scan.document_id, contact.id
        assert db.session.get(Document, document_id).filename == "cong-van-123.pdf"
    page = liaison.get(f"/contacts/{contact_id}").get_data(as_text=True)
    assert f'href="/documents/{document_id}"' in page and "123/BGS-PX" in page
    downloaded = liaison.get(f"/documents/{document_id}")
    assert downloaded.status_code == 200 and downloaded.data == PDF
    partner_client = login_client(app, "px.liaison")
    outsider = login_client(app, "qt.liaison")
    assert partner_client.get(f"/documents/{document_id}").status_code == 404
    assert liaison.post(f"/contacts/{contact_id}/share", data={"version": "1"}).status_code == 302
    shared = partner_client.get(f"/documents/{document_id}")
    assert shared.status_code == 200 and shared.data == PDF
    assert outsider.get(f"/documents/{document_id}").status_code == 404
    with app.app_context():
        assert db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "document.download")
        )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not a scan", "Only scans and photos are accepted (PDF, JPEG, PNG or WebP)."),
        (b"", "The file is empty."),
    ],
)
def test_a_refused_file_gets_a_translated_message_and_nothing_is_stored(
    app, liaison, content, message
):
    with app.app_context():
        partner = office_id("PX-BLO")
    data = {"partner_office_id": str(partner), "channel": "letter", "direction": "in",
            "urgency": "routine", "scans": (io.BytesIO(content), "thu.exe")}  # fmt: skip
    before, documents = _count(app), _count(app, Document)
    response = liaison.post("/contacts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert translated(app, "vi", message) in response.get_data(as_text=True)
    assert _count(app) == before and _count(app, Document) == documents


def test_a_file_too_large_is_refused(app, liaison):
    app.config["ATTACHMENT_MAX_MB"] = 1
    with app.app_context():
        partner = office_id("PX-BLO")
    big = PDF + b"0" * (1024 * 1024)
    data = {"partner_office_id": str(partner), "channel": "letter", "direction": "in",
            "urgency": "routine", "scans": (io.BytesIO(big), "lon.pdf")}  # fmt: skip
    response = liaison.post("/contacts/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert (
        translated(app, "vi", "The file is larger than %(size)d MB.").replace("%(size)d", "1")
        in text
    )
    assert _count(app, Document) == 0


# --- What the partner reads on panels ----------------------------------------------------------


def test_the_partner_reads_the_direction_from_its_side_and_not_our_request_link(app, liaison):
    case_id, _number, _person = _case(app)
    with app.app_context():
        contact = log(case_id=case_id)
        db.session.commit()
        contact_id = contact.id
    made = liaison.post(
        f"/contacts/{contact_id}/request",
        data={"kind": "rescue_assistance", "subject": "Giải cứu", "version": "1"},
    )
    assert made.status_code == 302
    request_url = made.headers["Location"]
    assert liaison.post(f"/contacts/{contact_id}/share", data={"version": "2"}).status_code == 302
    ours = liaison.get(request_url).get_data(as_text=True)
    assert f'href="/contacts/{contact_id}"' in ours
    assert translated(app, "vi", "Incoming") in ours.split('id="contacts-panel"')[1]
    partner = login_client(app, "px.liaison")
    thread = partner.get(request_url)
    assert thread.status_code == 200
    # The API hides which request the contact is linked to from the partner: so does the page.
    assert f'href="/contacts/{contact_id}"' not in thread.get_data(as_text=True)
    assert partner.get(f"/contacts/{contact_id}").status_code == 200  # it is shared


def test_the_log_names_its_date_bounds_and_the_contact_page_its_zone(app, liaison):
    with app.app_context():
        contact = log()
        db.session.commit()
        contact_id = contact.id
    listed = liaison.get("/contacts").get_data(as_text=True)
    # "Đến" alone read as "Incoming" beside the direction: the bounds say they are dates.
    assert translated(app, "vi", "From date") in listed
    assert translated(app, "vi", "To date") in listed
    page = liaison.get(f"/contacts/{contact_id}").get_data(as_text=True)
    assert page.count('<span class="zone">') >= 1


@pytest.mark.parametrize(
    ("route", "data"),
    [
        ("forward", {"version": "1", "office_id": "abc"}),
        ("forward", {"version": "1", "office_id": str(2**40)}),
        ("forward", {"version": "x"}),
        ("link", {"version": "2", "case_id": "-1"}),
        ("link", {"version": "2", "case_id": str(2**40), "person_ids": ["x", "9" * 30]}),
        ("link", {"version": "2", "request_id": "99999999"}),
        ("request", {"version": "2", "kind": "rescue_assistance", "subject": "S",
                     "recipient_office_id": str(2**31)}),
        ("request", {"version": "2", "kind": "rescue_assistance", "subject": "S",
                     "recipient_office_id": "-5"}),
    ],
)  # fmt: skip
def test_malformed_input_on_the_new_routes_is_refused_and_changes_nothing(
    app, guard, liaison, route, data
):
    guard.post("/contacts/new", data=_station_form(app))
    contact_id = _latest(app).id
    if route != "forward":
        passed = guard.post(f"/contacts/{contact_id}/forward", data={"version": "1"})
        assert passed.status_code == 302
    before = _latest(app)
    client = guard if route == "forward" else liaison
    response = client.post(f"/contacts/{contact_id}/{route}", data=data)
    assert response.status_code in (409, 422), response.status_code
    after = _latest(app)
    assert (after.version, after.forwarded_at, after.case_id, after.request_id) == (
        before.version, before.forwarded_at, before.case_id, before.request_id
    )  # fmt: skip

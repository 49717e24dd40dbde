"""The meeting pages: plan a recurring meeting, move an occurrence, put a request on the
agenda, record minutes with action items, sign them and download the PDF (its text read back
with pdftotext); an unrelated office gets 404 on every page; bad input is refused (422) with
the message in the user's language and stores nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.meetings.models import Meeting, MinutesRecord, occurrence_slug
from tests.conftest import login_client, translated, user_named
from tests.documents.pdftext import needs_poppler, squash, text
from tests.exchange.helpers import make_case, send_request
from tests.meetings.helpers import counts, office_id, planned_meeting, recorded_minutes

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _local(days: int, hour: int) -> str:
    day = datetime.now(VN).date() + timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def _form(app, **overrides) -> dict:
    with app.app_context():
        partner, host = office_id("SVK-BLO"), office_id("QT-BLO")
    return {
        "partner_office_id": str(partner),
        "kind": "quarterly",
        "title": "Giao ban quý Quảng Trị – Savannakhet",
        "starts_at": _local(-20, 9),
        "ends_at": _local(-20, 12),
        "timezone": "Asia/Ho_Chi_Minh",
        "repeat": "quarterly",
        "count": "4",
        "place_kind": "office",
        "place_office_id": str(host),
        "purpose": "Rà soát yêu cầu xác minh.",
        **overrides,
    }


def _latest() -> Meeting:
    return db.session.scalar(select(Meeting).order_by(Meeting.id.desc()).limit(1))


@needs_poppler
def test_plan_move_agenda_minutes_and_pdf(app, client, auth):
    auth.login("qt.liaison")
    assert client.get("/meetings/new").status_code == 200
    response = client.post("/meetings/new", data=_form(app))
    assert response.status_code == 302, response.data[:3000]
    with app.app_context():
        meeting = _latest()
        meeting_id, starts, version = meeting.id, meeting.planned_starts(), meeting.version
        case, victim, _relative = make_case()
        request = send_request(case, [victim], to="SVK-BLO")
        request.deadline_at = datetime.now(UTC) - timedelta(days=2)  # overdue
        request_id, reference = request.id, request.reference
        db.session.commit()
    assert len(starts) == 4
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Giao ban quý Quảng Trị – Savannakhet" in page
    # Move the second occurrence by two days.
    second = occurrence_slug(starts[1])
    moved_to = starts[1].astimezone(VN) + timedelta(days=2)
    response = client.post(
        f"/meetings/{meeting_id}/on/{second}/change",
        data={
            "kind": "moved",
            "starts_at": moved_to.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (moved_to + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "Trùng lịch",
            "version": str(version),
        },
    )
    assert response.status_code == 302, response.data[:3000]
    # The overdue request onto the first occurrence's agenda.
    first = occurrence_slug(starts[0])
    page = client.get(f"/meetings/{meeting_id}/on/{first}").get_data(as_text=True)
    assert reference in page  # offered
    response = client.post(
        f"/meetings/{meeting_id}/on/{first}/agenda", data={"request_id": str(request_id)}
    )
    assert response.status_code == 302
    # Minutes with two action items (rows 0 and 2; row 1 left blank).
    with app.app_context():
        svk, qt = office_id("SVK-BLO"), office_id("QT-BLO")
        svk_liaison = user_named("svk.liaison").id
    due = (date.today() + timedelta(days=14)).isoformat()
    response = client.post(
        f"/meetings/{meeting_id}/on/{first}/minutes",
        data={
            "summary": "Hai bên rà soát yêu cầu quá hạn.",
            "decisions": "Trả lời trong 10 ngày.\nBàn giao tại Lao Bảo.",
            "action_items-0-text": "Trả lời yêu cầu xác minh",
            "action_items-0-owner_office_id": str(svk),
            "action_items-0-owner_user_id": str(svk_liaison),
            "action_items-0-due_on": due,
            "action_items-2-text": "Chuẩn bị danh sách bàn giao",
            "action_items-2-owner_office_id": str(qt),
            "action_items-2-owner_name": "Trần Văn Bình",
            "action_items-2-due_on": due,
        },
    )
    assert response.status_code == 302, response.data[:3000]
    response = client.post(f"/meetings/{meeting_id}/on/{first}/sign", data={})
    assert response.status_code == 302
    with app.app_context():
        issued = db.session.scalar(select(MinutesRecord).order_by(MinutesRecord.id.desc()))
        record_id, number = issued.id, issued.number
        meeting = db.session.get(Meeting, meeting_id)
        assert [occ.override for occ in meeting.occurrences()] == [None, "moved", None, None]
        assert len(meeting.minutes[0].action_items) == 2
    pdf = client.get(f"/meetings/{meeting_id}/minutes/{record_id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    # The partner downloads the same bytes.
    partner = login_client(app, "svk.liaison")
    again = partner.get(f"/meetings/{meeting_id}/minutes/{record_id}.pdf")
    assert again.data == pdf.data
    _check_pdf_text(pdf.data, number)


def _check_pdf_text(pdf: bytes, number: str) -> None:
    raw = squash(text(pdf, "-raw"))
    for string in (
        number,
        "Trả lời yêu cầu xác minh",
        "Chuẩn bị danh sách bàn giao",
        "Trần Văn Bình",
        "Bàn giao tại Lao Bảo.",
        "Giao ban quý Quảng Trị – Savannakhet",
    ):
        assert squash(string) in raw, string


def test_signed_minutes_changed_without_a_reason_are_refused(app, client, auth):
    with app.app_context():
        meeting = planned_meeting()
        minutes = recorded_minutes(meeting)
        from coordination.meetings.operations import sign_minutes

        sign_minutes(minutes, actor=user_named("qt.liaison"))
        db.session.commit()
        meeting_id, slug, version = meeting.id, occurrence_slug(minutes.occurs_at), minutes.version
        before = counts()
    auth.login("qt.liaison")
    response = client.post(
        f"/meetings/{meeting_id}/on/{slug}/minutes",
        data={"summary": "Sửa", "version": str(version)},
    )
    assert response.status_code == 422
    assert translated(
        app,
        "vi",
        "These minutes have been signed. To change them, give the reason for the correction: "
        "a new version of the minutes is issued.",
    ) in response.get_data(as_text=True)
    with app.app_context():
        assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": _local(-20, 8)}, "The meeting must end after it starts."),
        (
            {"timezone": "Mars/Olympus"},
            "This time zone does not exist. Give one such as Asia/Vientiane.",
        ),
        (
            {"count": "", "until": (date.today() - timedelta(days=40)).isoformat()},
            "This recurrence gives no date: the last day of the series is before the first "
            "meeting.",
        ),
        ({"starts_at": "not a date"}, "Enter a date and time."),
        ({"count": "99999999999999999999"}, None),
        ({"title": "x" * 5000}, None),
        ({"partner_office_id": "-1"}, "Choose one of the listed options."),
    ],
)
def test_bad_plans_get_422_in_the_users_language(app, client, auth, overrides, message):
    auth.login("qt.liaison")
    with app.app_context():
        before = counts()
    response = client.post("/meetings/new", data=_form(app, **overrides))
    assert response.status_code == 422
    if message:
        assert translated(app, "vi", message) in response.get_data(as_text=True)
    with app.app_context():
        assert counts() == before


def test_an_unrelated_office_gets_404_everywhere(app, client, auth):
    with app.app_context():
        meeting = planned_meeting()
        minutes = recorded_minutes(meeting)
        from coordination.meetings.operations import sign_minutes

        issued = sign_minutes(minutes, actor=user_named("qt.liaison"))
        db.session.commit()
        ids = meeting.id, occurrence_slug(minutes.occurs_at), issued.id, minutes.action_items[0].id
    meeting_id, slug, record_id, item_id = ids
    auth.login("slv.liaison")  # Salavan: a partner of Quảng Trị, not of this meeting
    for url in (
        f"/meetings/{meeting_id}",
        f"/meetings/{meeting_id}/on/{slug}",
        f"/meetings/{meeting_id}/minutes/{record_id}.pdf",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/meetings/{meeting_id}/attendees",
        f"/meetings/{meeting_id}/cancel",
        f"/meetings/{meeting_id}/on/{slug}/agenda",
        f"/meetings/{meeting_id}/on/{slug}/minutes",
        f"/meetings/{meeting_id}/on/{slug}/change",
        f"/meetings/{meeting_id}/on/{slug}/sign",
        f"/meetings/actions/{item_id}/status",
    ):
        assert client.post(url, data={}).status_code == 404, url
    page = client.get("/meetings/").get_data(as_text=True)
    assert "Giao ban quý với Savannakhet" not in page


def test_malformed_addresses_are_404(app, client, auth):
    with app.app_context():
        meeting_id = planned_meeting().id
        db.session.commit()
    auth.login("qt.liaison")
    for url in (
        f"/meetings/{meeting_id}/on/garbage",
        f"/meetings/{meeting_id}/on/20991301T0000Z",
        f"/meetings/{meeting_id}/on/20270101T0000Z",  # not an occurrence of the rule
        "/meetings/99999999999",
        "/meetings/2147483648",
        f"/meetings/{meeting_id}/minutes/99999999999.pdf",
        "/meetings/actions/99999999999/status",
    ):
        method = client.post if url.endswith("/status") else client.get
        assert method(url).status_code == 404, url
    assert client.get("/meetings/?show=<script>").status_code == 200
    response = client.post(
        f"/meetings/{meeting_id}/attendees", data={"office_id": "1e9", "name": "x" * 10_000}
    )
    assert response.status_code == 422


def test_the_dashboard_shows_open_action_items_and_overdue_ones_stand_out(app, client, auth):
    with app.app_context():
        meeting = planned_meeting()
        recorded_minutes(meeting)  # svk.liaison's item is two days overdue
        db.session.commit()
    auth.login("svk.liaison")
    page = client.get("/").get_data(as_text=True)
    assert "Trả lời yêu cầu xác minh" in page
    assert 'class="overdue"' in page
    assert "Chuẩn bị danh sách bàn giao" not in page  # Quảng Trị's


def test_a_signed_occurrence_keeps_its_agenda_and_shows_its_attendees_as_signed(app, client, auth):
    """Review of issue 14: the agenda form of signed minutes still took items, and the
    attendees of the series changed what a signed occurrence showed."""
    from coordination.meetings.operations import add_attendee, sign_minutes

    with app.app_context():
        meeting = planned_meeting()
        qt = user_named("qt.liaison")
        add_attendee(meeting, {"office_id": office_id("SVK-BLO"), "name": "Phonsavanh Keo"},
                     actor=qt)  # fmt: skip
        minutes = recorded_minutes(meeting)
        sign_minutes(minutes, actor=qt)
        db.session.commit()
        meeting_id = meeting.id
        first, second = (occurrence_slug(key) for key in meeting.planned_starts()[:2])
        attendee_id = meeting.attendees[0].id
        qt_office = office_id("QT-BLO")
        before = counts()
    auth.login("qt.liaison")
    response = client.post(f"/meetings/{meeting_id}/on/{first}/agenda", data={"title": "Sau"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    signed_message = "The minutes of this meeting are signed: its agenda stays."
    assert translated(app, "vi", signed_message) in page
    assert 'id="agenda-form"' not in page
    with app.app_context():
        assert counts() == before
    # The series' attendees change: one leaves, another comes.
    assert client.post(f"/meetings/{meeting_id}/attendees/{attendee_id}/remove").status_code == 302
    response = client.post(
        f"/meetings/{meeting_id}/attendees",
        data={"office_id": str(qt_office), "name": "Nguyễn Thị Lan"},
    )
    assert response.status_code == 302
    series = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in series and "Phonsavanh Keo" not in series
    assert (
        translated(
            app,
            "vi",
            "A change applies to the meetings whose minutes are not signed yet: signed minutes "
            "keep the attendees they were signed with.",
        )
        in series
    )
    signed = client.get(f"/meetings/{meeting_id}/on/{first}").get_data(as_text=True)
    assert "Phonsavanh Keo" in signed and "Nguyễn Thị Lan" not in signed
    assert translated(app, "vi", "As recorded in the signed minutes.") in signed
    later = client.get(f"/meetings/{meeting_id}/on/{second}").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in later and "Phonsavanh Keo" not in later
    assert translated(app, "vi", "As recorded in the signed minutes.") not in later


def test_an_occurrence_is_not_moved_past_its_neighbours(app, client, auth):
    with app.app_context():
        meeting = planned_meeting()
        db.session.commit()
        meeting_id, version, starts = meeting.id, meeting.version, meeting.planned_starts()
        before = counts()
    auth.login("qt.liaison")
    second = occurrence_slug(starts[1])
    for to, message in (
        (starts[2], "Another occurrence of this series starts at that time."),
        (
            starts[2] + timedelta(days=1),
            "An occurrence cannot be moved past the one before or after it: choose a time "
            "between them.",
        ),
        (starts[0] - timedelta(days=1), "An occurrence cannot be moved before the series begins."),
    ):
        local = to.astimezone(VN)
        response = client.post(
            f"/meetings/{meeting_id}/on/{second}/change",
            data={
                "kind": "moved",
                "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                "version": str(version),
            },
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert translated(app, "vi", message) in page
        with app.app_context():
            assert counts() == before

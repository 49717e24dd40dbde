"""The handover pages: schedule, log at the gate, download the record, the gate lists."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.extensions import db
from coordination.handovers.models import Handover, HandoverRecord
from tests.conftest import translated
from tests.handovers.helpers import agreed_proposal, gate_id, scheduled_handover


def _now() -> datetime:
    """Now on the wall clocks of Quảng Trị and Savannakhet (both UTC+7)."""
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))


def _local(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_schedule_log_complete_and_download(app, client, auth):
    with app.app_context():
        proposal = agreed_proposal()
        db.session.commit()
        proposal_id, people = proposal.id, [p.id for p in proposal.people]
        gate = gate_id()
    auth.login("qt.guard")
    form = client.get(f"/handovers/new?request_id={proposal_id}").get_data(as_text=True)
    assert "Lao Bảo" in form and "La Lay" not in form  # only gates of this border
    now = _now()
    response = client.post(
        "/handovers/new",
        data={
            "request_id": proposal_id,
            "gate_id": gate,
            "scheduled_at": _local(now - timedelta(days=1)),
            "handing_side": "recipient",
            "person_ids": people,
            "handing_officers": "ບຸນມີ ແກ້ວວົງສາ; ຮ້ອຍເອກ",
            "receiving_officers": "Trần Văn Bình; Thiếu tá\nLê Thị Hồng; Đại úy",
            "witnesses": "Hồ Văn Nam; Hội Phụ nữ",
            "transport": "Xe ô tô 74A-123.45",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    handover_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/handovers/{handover_id}").get_data(as_text=True)
    assert "ບຸນມີ ແກ້ວວົງສາ" in page and "Lê Thị Hồng, Đại úy" in page

    log = client.get(f"/handovers/{handover_id}/log").get_data(as_text=True)
    person_ids = list(dict.fromkeys(re.findall(r'name="p(\d+)-handed_over"', log)))
    assert len(person_ids) == 2
    data = {"action": "complete", "completed_at": _local(now), "trilingual": "1"}
    for person_id in person_ids:
        data |= {
            f"p{person_id}-handed_over": "1",
            f"p{person_id}-identity_checked": "1",
            f"p{person_id}-health": "Sức khỏe bình thường",
            f"p{person_id}-referral": "family",
        }
    with app.app_context():
        data["version"] = db.session.get(Handover, handover_id).version
    response = client.post(f"/handovers/{handover_id}/log", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        issued = db.session.scalars(select(HandoverRecord)).one()
        record_id, sha = issued.id, issued.sha256
    page = client.get(f"/handovers/{handover_id}").get_data(as_text=True)
    download = f"/handovers/{handover_id}/records/{record_id}.pdf"
    assert download in page
    response = client.get(download)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert hashlib.sha256(response.data).hexdigest() == sha
    with app.app_context():
        downloads = db.session.scalar(
            select(func.count()).where(AuditEntry.action == "handover_record.download")
        )
        assert downloads == 1
    # The day's list at the gate shows it.
    day = (now - timedelta(days=1)).date().isoformat()
    listing = client.get(f"/handovers/?gate_id={gate}&day={day}").get_data(as_text=True)
    assert f'/handovers/{handover_id}"' in listing
    schedule = client.get(f"/handovers/day?gate_id={gate}&day={day}").get_data(as_text=True)
    assert "Nguyễn Thị Hường" in schedule
    with app.app_context():
        printed = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "handover.day_view")
        ).one()
        assert printed.details["handovers"] == [handover_id]


def test_a_long_lao_note_and_emoji_give_a_valid_record(app, client, auth):
    with app.app_context():
        handover = scheduled_handover()
        db.session.commit()
        handover_id, version = handover.id, handover.version
        people = [p.id for p in handover.people]
    auth.login("svk.liaison")
    data = {
        "action": "complete",
        "completed_at": _local(_now() - timedelta(minutes=10)),
        "notes": "ການມອບຮັບດຳເນີນໄປດ້ວຍຄວາມຮຽບຮ້ອຍ" * 60,
        "not_on_list": "Ngọc 🌸 Anh; 😀",
        "version": version,
    }
    for person_id in people:
        data[f"p{person_id}-handed_over"] = "1"
    response = client.post(f"/handovers/{handover_id}/log", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        issued = db.session.scalars(select(HandoverRecord)).one()
        record_id = issued.id
    pdf = client.get(f"/handovers/{handover_id}/records/{record_id}.pdf").data
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")


def test_outsiders_get_404_and_bad_ids_never_500(app, client, auth):
    with app.app_context():
        handover = scheduled_handover()
        db.session.commit()
        handover_id, proposal_id = handover.id, handover.request_id
    auth.login("px.liaison")
    assert client.get(f"/handovers/new?request_id={proposal_id}").status_code == 404
    for url in (
        f"/handovers/{handover_id}",
        f"/handovers/{handover_id}/log",
        f"/handovers/{handover_id}/edit",
        f"/handovers/{handover_id}/records/1.pdf",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/handovers/{handover_id}/cancel", data={"reason": "x"}).status_code == 404
    assert f"/handovers/{handover_id}" not in client.get("/handovers/").get_data(as_text=True)
    auth.logout()
    auth.login("qt.guard")
    assert client.get("/handovers/?day=not-a-date&gate_id=abc").status_code < 500
    assert client.get("/handovers/day?day=2026-13-45").status_code < 500
    assert client.get("/handovers/new?request_id=999999").status_code < 500


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
def test_a_day_at_the_ends_of_the_calendar_is_refused_not_a_500(client, auth, day):
    """Found by the security probe: day=9999-12-31 overflowed in the reader's zone (500)."""
    auth.login("qt.guard")
    message = translated(client.application, "vi", "Enter a date between 2000 and 2100.")
    for url in (f"/handovers/?day={day}", f"/handovers/day?day={day}"):
        response = client.get(url)
        assert response.status_code in (200, 422), url
        assert message in response.get_data(as_text=True), url

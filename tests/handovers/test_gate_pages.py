"""The gate's pages on a phone: one tap to complete at the actual time (early or late, never
in the future), one collapsible section per person with a count of those decided, and
names written in Lao or Chinese with their Latin form beside them, in the pages and in
the printed record."""

from __future__ import annotations

import html
import re
import subprocess
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from coordination.extensions import db
from coordination.handovers import operations
from coordination.handovers.models import Handover, HandoverRecord
from tests.conftest import translated, user_named
from tests.handovers.helpers import agreed_proposal, gate_id, schedule_data

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
LAO, CHINESE = "ຫງວຽນ ທິ ເຮືອງ", "阮氏香"
LAO_LATIN, CHINESE_LATIN = "Nguyen Thi Huong", "Ruan Shi Xiang"


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def _handover(people=("Nguyễn Thị Hường", "Hồ Thị Lan"), **overrides) -> tuple[int, int]:
    """A committed handover (scheduled by qt.guard); its id and version."""
    proposal = agreed_proposal(people)
    handover = operations.schedule(
        proposal, schedule_data(proposal, **overrides), actor=user_named("qt.guard")
    )
    db.session.commit()
    return handover.id, handover.version


def _person_ids(page: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r'name="p(\d+)-handed_over"', page)))


def _version(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page)[1]


def _completed_at(page: str) -> str:
    return re.search(r'name="completed_at" type="datetime-local" value="([^"]*)"', page)[1]


def test_one_tap_completion_at_the_time_now_before_the_scheduled_time(app, client, auth):
    """Scheduled for tomorrow 09:00; the other side came today. The completion time is
    already filled in with now (the guard's zone): choosing and one tap complete it."""
    tomorrow_nine = datetime.combine(
        datetime.now(VIETNAM).date() + timedelta(days=1), time(9, 0), tzinfo=VIETNAM
    )
    with app.app_context():
        handover_id, version = _handover(scheduled_at=tomorrow_nine)
    auth.login("qt.guard")
    page = _page(client, f"/handovers/{handover_id}/log")
    filled = datetime.fromisoformat(_completed_at(page)).replace(tzinfo=VIETNAM)
    assert abs(filled - datetime.now(UTC)) < timedelta(minutes=2)  # now, on Vietnam's clock
    data = {"action": "complete", "completed_at": _completed_at(page), "version": version}
    data |= {f"p{person_id}-handed_over": "1" for person_id in _person_ids(page)}
    response = client.post(f"/handovers/{handover_id}/log", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        handover = db.session.get(Handover, handover_id)
        assert handover.state == "completed" and handover.timing == "early"
    detail = _page(client, f"/handovers/{handover_id}")
    assert translated(app, "vi", "Early") in detail
    assert translated(app, "vi", "Compared with the scheduled time") in detail
    listing = _page(client, "/handovers/")
    assert 'class="badge timing-early"' in listing
    day = tomorrow_nine.date().isoformat()
    assert translated(app, "vi", "Early") in _page(client, f"/handovers/day?day={day}")


def test_a_late_handover_is_marked_late_on_the_page_and_lists(app, client, auth):
    scheduled = datetime.now(UTC) - timedelta(hours=5)
    with app.app_context():
        handover_id, version = _handover(scheduled_at=scheduled)
    auth.login("qt.guard")
    page = _page(client, f"/handovers/{handover_id}/log")
    data = {"action": "complete", "completed_at": _completed_at(page), "version": version}
    data |= {f"p{person_id}-handed_over": "1" for person_id in _person_ids(page)}
    assert client.post(f"/handovers/{handover_id}/log", data=data).status_code == 302
    detail = _page(client, f"/handovers/{handover_id}")
    assert 'class="badge timing-late"' in detail
    assert translated(app, "vi", "Late") in detail
    assert 'class="badge timing-late"' in _page(client, "/handovers/")


def test_a_future_time_is_refused_with_a_translated_message_and_nothing_changes(app, client, auth):
    """Scheduled for tomorrow: a time later today is before the scheduled time, and that
    is fine, but it has not happened yet."""
    with app.app_context():
        handover_id, version = _handover(scheduled_at=datetime.now(UTC) + timedelta(days=1))
        person_ids = [str(p.id) for p in db.session.get(Handover, handover_id).people]
    auth.login("qt.guard")
    later = (datetime.now(VIETNAM) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    data = {"action": "complete", "completed_at": later, "version": version, "notes": "x"}
    data |= {f"p{person_id}-handed_over": "1" for person_id in person_ids}
    response = client.post(f"/handovers/{handover_id}/log", data=data)
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert translated(app, "vi", "This time is in the future.") in page
    assert later in page  # the guard's input is kept
    with app.app_context():
        handover = db.session.get(Handover, handover_id)
        assert (handover.state, handover.notes, handover.completed_at) == ("scheduled", None, None)
        assert [p.handed_over for p in handover.people] == [None, None]
        assert db.session.scalars(select(HandoverRecord)).all() == []


def test_a_time_long_before_the_handover_was_arranged_is_refused(app, client, auth):
    with app.app_context():
        handover_id, version = _handover()
        person_ids = [str(p.id) for p in db.session.get(Handover, handover_id).people]
    auth.login("qt.guard")
    data = {"action": "complete", "completed_at": "2001-01-01T08:00", "version": version}
    data |= {f"p{person_id}-handed_over": "1" for person_id in person_ids}
    response = client.post(f"/handovers/{handover_id}/log", data=data)
    assert response.status_code == 422
    message = "This time is before the handover was arranged: check the date."
    message = translated(app, "vi", message)
    assert message in html.unescape(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(Handover, handover_id).state == "scheduled"


def test_one_collapsible_section_per_person_and_a_count_of_those_decided(app, client, auth):
    with app.app_context():
        handover_id, version = _handover(people=("A Nguyễn", "B Trần", "C Lê", "D Hồ", "E Vũ"))
        people = [str(p.id) for p in db.session.get(Handover, handover_id).people]
    auth.login("qt.guard")
    page = _page(client, f"/handovers/{handover_id}/log")
    sections = re.findall(r'<details class="card person-log" id="person-(\d+)"( open)?>', page)
    assert [person_id for person_id, _open in sections] == people
    assert not any(opened for _id, opened in sections)  # closed: the phone shows the list
    assert page.count("<summary>") == 5
    assert translated(app, "vi", "%(done)s of %(total)s done", done=0, total=5) in page
    # Two decided (one handed over, one not), saved: "2 of 5 done".
    data = {"action": "save", "version": version}
    data |= {f"p{people[0]}-handed_over": "1", f"p{people[1]}-handed_over": "0"}
    assert client.post(f"/handovers/{handover_id}/log", data=data).status_code == 302
    page = _page(client, f"/handovers/{handover_id}/log")
    assert translated(app, "vi", "%(done)s of %(total)s done", done=2, total=5) in page
    with app.app_context():
        decisions = [p.handed_over for p in db.session.get(Handover, handover_id).people]
    assert decisions == [True, False, None, None, None]
    # Each summary says where that person stands.
    summaries = re.findall(r"<summary>(.*?)</summary>", page, re.S)
    assert translated(app, "vi", "Handed over") in summaries[0]
    assert translated(app, "vi", "Not handed over") in summaries[1]
    assert translated(app, "vi", "Not decided yet") in summaries[2]
    # Completing with people still undecided is refused; their section opens.
    data = {"action": "complete", "completed_at": _completed_at(page), "version": _version(page)}
    data |= {f"p{people[0]}-handed_over": "1", f"p{people[1]}-handed_over": "0"}
    response = client.post(f"/handovers/{handover_id}/log", data=data)
    assert response.status_code == 422
    assert "C Lê" in html.unescape(response.get_data(as_text=True))
    # The gate's script and styles are the app's own (no CDN).
    assert '/handovers/static/gate.js"' in page and '/handovers/static/gate.css"' in page
    assert client.get("/handovers/static/gate.js").status_code == 200
    assert "https://" not in "".join(re.findall(r'(?:src|href)="([^"]+)"', page))


def test_latin_form_beside_lao_and_chinese_names_on_the_gate_pages_and_the_record(
    app, client, auth, tmp_path
):
    """People shared without a romanised name: the gate pages and the printed record read
    the Lao and Chinese names out in Latin letters beside them."""
    with app.app_context():
        handover_id, version = _handover(people=(LAO, CHINESE))
        person_ids = [str(p.id) for p in db.session.get(Handover, handover_id).people]
        assert [p.name_romanised for p in db.session.get(Handover, handover_id).people] == [
            None,
            None,
        ]
        gate = gate_id()
    auth.login("qt.guard")
    day = (datetime.now(VIETNAM) - timedelta(hours=3)).date().isoformat()
    for url in (
        f"/handovers/{handover_id}/log",
        f"/handovers/{handover_id}",
        f"/handovers/day?gate_id={gate}&day={day}",
    ):
        page = _page(client, url)
        assert f"{LAO} ({LAO_LATIN})" in page, url
        assert f"{CHINESE} ({CHINESE_LATIN})" in page, url
    page = _page(client, f"/handovers/{handover_id}/log")
    data = {"action": "complete", "completed_at": _completed_at(page), "version": version}
    data |= {f"p{person_ids[0]}-handed_over": "1", f"p{person_ids[1]}-handed_over": "0"}
    data |= {f"p{person_ids[1]}-note": "Ở bệnh viện"}
    assert client.post(f"/handovers/{handover_id}/log", data=data).status_code == 302
    with app.app_context():
        issued = db.session.scalars(select(HandoverRecord)).one()
        record_id = issued.id
        assert issued.snapshot["people"][0]["name_romanised"] == LAO_LATIN
        assert issued.snapshot["missing_from_list"][0]["name_romanised"] == CHINESE_LATIN
    pdf = client.get(f"/handovers/{handover_id}/records/{record_id}.pdf").data
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603 - poppler on our own file
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = " ".join(text.split())
    for latin in (LAO_LATIN, CHINESE_LATIN):
        assert all(word in words for word in latin.split()), latin
    assert "Nguyen Thi" in words and "Ruan Shi Xiang" in words
    # The record says whether it was early or late (here: late, scheduled 3 hours before).
    late = translated(app, "vi", "Late: %(duration)s after the scheduled time", duration="|")
    assert late.split("|")[0].strip() in words
    # Each side's zone as people call it, in the record's languages; never an IANA name.
    assert "Asia/" not in words
    assert translated(app, "vi", "Vietnam time") + " (UTC+7)" in words
    assert translated(app, "lo", "Laos time") + " (UTC+7)" in words


def test_the_gate_assets_are_public_and_the_pages_are_not(client):
    assert client.get("/handovers/static/gate.css").status_code == 200
    assert client.get("/handovers/static/nothing.js").status_code == 404
    assert client.get("/handovers/").status_code == 302  # to the sign-in page
    assert client.get("/handovers/1/log").status_code == 302

"""The patrol pages: propose, answer in the partner's language and zone, report the outcome;
an unrelated office gets 404 on every page; bad and malformed input is refused (422), with
the message in the user's language, and stores nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from markupsafe import escape
from sqlalchemy import select

from coordination.cases import operations as case_operations
from coordination.cases.models import Person
from coordination.extensions import db
from coordination.patrols.models import Patrol
from tests.conftest import login_client, translated, user_named
from tests.patrols.helpers import confirmed_patrol, counts, office_id, proposed_patrol, started

VN, CN = ZoneInfo("Asia/Ho_Chi_Minh"), ZoneInfo("Asia/Shanghai")


def _local(zone, days: int, hour: int) -> str:
    day = datetime.now(zone).date() + timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def _office(app, code: str) -> str:
    with app.app_context():
        return str(office_id(code))


def _form(app, **overrides) -> dict:
    return {
        "partner_office_id": _office(app, "PX-BGS"),
        "marker_from": "601",
        "marker_to": "605",
        "starts_at": _local(VN, 3, 7),
        "ends_at": _local(VN, 3, 11),
        "meeting_point": "Mốc 601, thôn Nà Phải",
        "proposing_unit": "Đồn Biên phòng Hữu Nghị",
        "proposing_leaders": "Vũ Văn Hải; Thiếu tá\nNông Văn Toàn; Đại úy",
        "partner_leaders": "张伟; 二级警长",
        "purpose": "Tuần tra đường mòn, phòng chống mua bán người.",
        **overrides,
    }


def _patrol_id() -> int:
    return db.session.scalar(select(Patrol.id).order_by(Patrol.id.desc()).limit(1))


def test_propose_answer_in_chinese_and_confirm(app, client, auth):
    auth.login("ls.guard")
    assert client.get("/patrols/new").status_code == 200
    response = client.post("/patrols/new", data=_form(app))
    assert response.status_code == 302, response.data[:2000]
    with app.app_context():
        patrol_id = _patrol_id()
        patrol = db.session.get(Patrol, patrol_id)
        # Typed in Vietnam's zone (UTC+7): stored in UTC.
        assert patrol.starts_at.hour == 0 and patrol.starts_at.tzinfo == UTC
        assert [leader["name"] for leader in patrol.proposing_leaders] == [
            "Vũ Văn Hải",
            "Nông Văn Toàn",
        ]
    page = client.get(f"/patrols/{patrol_id}").get_data(as_text=True)
    assert translated(app, "vi", "marker %(start)s – %(end)s", start="601", end="605") in page

    px = login_client(app, "px.guard")
    listed = px.get("/patrols/?show=awaiting").get_data(as_text=True)
    assert f"/patrols/{patrol_id}" in listed
    detail = px.get(f"/patrols/{patrol_id}").get_data(as_text=True)
    assert translated(app, "zh", "Propose another time") in detail
    # The Chinese station proposes the next day, 08:00 Beijing time (UTC+8).
    with app.app_context():
        version = db.session.get(Patrol, patrol_id).version
    response = px.post(
        f"/patrols/{patrol_id}/steps",
        data={
            "step": "counter",
            "body": "我方建议改为第二天上午。",
            "starts_at": _local(CN, 4, 8),
            "ends_at": _local(CN, 4, 12),
            "version": str(version),
        },
    )
    assert response.status_code == 302, response.data[:2000]
    with app.app_context():
        patrol = db.session.get(Patrol, patrol_id)
        assert patrol.state == "counter_proposed"
        assert patrol.starts_at.hour == 0  # 08:00 in Beijing
        version = patrol.version
    # Hữu Nghị sees it at 07:00 its own time, and confirms.
    page = client.get(f"/patrols/{patrol_id}").get_data(as_text=True)
    assert "我方建议改为第二天上午。" in page
    assert translated(app, "vi", "Your answer is awaited.") in page
    response = client.post(
        f"/patrols/{patrol_id}/steps", data={"step": "confirm", "version": str(version)}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Patrol, patrol_id).state == "confirmed"


def test_bad_proposal_is_refused_in_the_users_language_and_stores_nothing(app, client, auth):
    auth.login("ls.guard")
    with app.app_context():
        before = counts()
    response = client.post(
        "/patrols/new", data=_form(app, starts_at=_local(VN, 3, 11), ends_at=_local(VN, 3, 7))
    )
    assert response.status_code == 422
    assert translated(app, "vi", "The patrol must end after it starts.") in response.get_data(
        as_text=True
    )
    response = client.post(
        "/patrols/new", data=_form(app, partner_office_id=_office(app, "QT-BLO"))
    )
    assert response.status_code == 422
    message = translated(
        app,
        "vi",
        "This office is not a partner of yours. Patrols are arranged with partner offices only.",
    )
    assert message in response.get_data(as_text=True)
    for bad in (
        {"starts_at": "not a time"},
        {"starts_at": "1999-01-01T00:00"},
        {"partner_office_id": "99999999999999"},
        {"partner_office_id": "-3"},
        {"meeting_point": "x" * 5000},
        {"marker_from": "", "marker_to": ""},
        {"proposing_leaders": "\n".join(f"Người {n}; Cấp" for n in range(40))},
        {"meeting_point": "<script>alert(1)</script>\x00"},
    ):
        response = client.post("/patrols/new", data=_form(app, **bad))
        assert response.status_code == 422, bad
    with app.app_context():
        assert counts() == before


def test_an_unrelated_office_gets_404_everywhere(app, client, auth):
    with app.app_context():
        patrol = started(confirmed_patrol())
        proposed = proposed_patrol(marker_from="620", marker_to="622")
        db.session.commit()
        ids = (patrol.id, proposed.id)
    for username in ("qt.liaison", "qt.guard", "px.liaison"):
        other = login_client(app, username)
        for patrol_id in ids:
            assert other.get(f"/patrols/{patrol_id}").status_code == 404
            assert other.get(f"/patrols/{patrol_id}/report").status_code == 404
            assert other.post(f"/patrols/{patrol_id}/report", data={}).status_code == 404
            steps = other.post(f"/patrols/{patrol_id}/steps", data={"step": "confirm"})
            assert steps.status_code == 404
        listed = other.get("/patrols/?show=past").get_data(as_text=True)
        upcoming = other.get("/patrols/").get_data(as_text=True)
        for patrol_id in ids:
            assert f'/patrols/{patrol_id}"' not in listed + upcoming
    auth.login("ls.guard")
    for path in ("/patrols/0", "/patrols/99999999999", "/patrols/abc", "/patrols/-1/report"):
        assert client.get(path).status_code == 404
    assert client.get("/patrols/?show=%00&page=-5").status_code == 200


def test_others_of_the_partner_office_may_look_but_not_act(app, client, auth):
    """A social worker cannot use the page at all; the steps answer 422 to a party member
    whose turn it is not (with the reason in their language)."""
    with app.app_context():
        patrol = proposed_patrol()
        db.session.commit()
        patrol_id, version = patrol.id, patrol.version
    auth.login("ls.guard")  # the proposer may not confirm its own proposal
    response = client.post(
        f"/patrols/{patrol_id}/steps", data={"step": "confirm", "version": str(version)}
    )
    assert response.status_code == 422
    social = login_client(app, "ls.social")
    assert social.get("/patrols/").status_code == 403
    assert social.get("/patrols/new").status_code == 403


def test_outcome_report_with_a_rescued_person_joining_a_case(app, client, auth):
    with app.app_context():
        guard = user_named("ls.guard")
        case = case_operations.create_case(
            {"title": "Đường dây Bằng Tường", "opened_on": date(2026, 11, 1)}, actor=guard
        )
        other = case_operations.create_case(
            {"title": "Vụ khác", "opened_on": date(2026, 11, 1)}, actor=user_named("qt.liaison")
        )
        patrol = started(confirmed_patrol())
        db.session.commit()
        patrol_id, case_id, other_id = patrol.id, case.id, other.id
    auth.login("ls.guard")
    page = client.get(f"/patrols/{patrol_id}/report").get_data(as_text=True)
    assert "Đường dây Bằng Tường" in page and "Vụ khác" not in page
    form = {
        "people_checked": "12",
        "incidents": "Hai người vượt biên trái phép.",
        "rescued-0-name_as_written": "Lò Thị Dung",
        "rescued-0-sex": "female",
        "rescued-0-estimated_age": "19",
        "rescued-0-case_id": str(case_id),
        "rescued-2-name_as_written": "Hoàng Thị Mai",
        "rescued-2-case_id": str(other_id),  # another office's case
    }
    response = client.post(f"/patrols/{patrol_id}/report", data=form)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert str(escape(translated(app, "vi", "Choose one of your office's open cases."))) in text
    with app.app_context():
        assert db.session.get(Patrol, patrol_id).reports == []
        assert (
            db.session.scalar(select(Person).where(Person.name_as_written == "Lò Thị Dung")) is None
        )
    form["rescued-2-case_id"] = ""
    form["rescued-1-estimated_age"] = "200"  # a blank row with only an age is left out
    response = client.post(f"/patrols/{patrol_id}/report", data=form)
    assert response.status_code == 302, response.data[:3000]
    with app.app_context():
        dung = db.session.scalar(select(Person).where(Person.name_as_written == "Lò Thị Dung"))
        mai = db.session.scalar(select(Person).where(Person.name_as_written == "Hoàng Thị Mai"))
        assert dung.case_id == case_id and mai.case_id not in (case_id, other_id)
        assert db.session.get(Patrol, patrol_id).state == "completed"
    page = client.get(f"/patrols/{patrol_id}").get_data(as_text=True)
    assert "Lò Thị Dung" in page
    # The partner sees our report beside its own, with how many were rescued, not who.
    px = login_client(app, "px.guard")
    page = px.get(f"/patrols/{patrol_id}").get_data(as_text=True)
    assert "Hai người vượt biên trái phép." in page
    assert "Lò Thị Dung" not in page and "Hoàng Thị Mai" not in page


@pytest.mark.parametrize(
    "form",
    [
        {"people_checked": "-1"},
        {"people_checked": "abc"},
        {"people_checked": "5", "rescued-0-name_as_written": "A", "rescued-0-sex": "x"},
        {"people_checked": "5", "rescued-0-name_as_written": "A", "rescued-0-case_id": "9" * 20},
        {"people_checked": "5", "rescued-99999999999-name_as_written": "A"},
    ],
)
def test_malformed_reports_are_refused(app, client, auth, form):
    with app.app_context():
        patrol = started(confirmed_patrol())
        db.session.commit()
        patrol_id = patrol.id
    auth.login("ls.guard")
    response = client.post(f"/patrols/{patrol_id}/report", data=form)
    if "rescued-99999999999-name_as_written" in form:
        assert response.status_code == 302  # an out-of-range row is not read
    else:
        assert response.status_code == 422


def test_the_dashboard_shows_what_awaits_the_office(app, client, auth):
    with app.app_context():
        patrol = proposed_patrol()
        db.session.commit()
        patrol_id = patrol.id
    px = login_client(app, "px.guard")
    page = px.get("/").get_data(as_text=True)
    assert f"/patrols/{patrol_id}" in page
    assert translated(app, "zh", "Your answer is awaited") in page
    # An unrelated office's dashboard does not show it.
    assert f"/patrols/{patrol_id}" not in login_client(app, "qt.guard").get("/").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"step": "propose"},
        {"step": "report"},
        {"step": "confirm"},  # no version
        {"step": "confirm", "version": "abc"},
        {"step": "confirm", "version": "-1"},
        {"step": "decline", "version": "1"},  # no reason
        {"step": "decline", "version": "1", "body": "x" * 6000},
        {"step": "counter", "version": "1", "starts_at": "soon", "ends_at": "later"},
        {"step": "counter", "version": "1"},  # no times
        {"step": "confirm\x00", "version": "1"},
        {"step": "confirm", "version": "1", "partner_unit": "x" * 400},
        {"step": "confirm", "version": "1", "partner_leaders": "\n".join(["Lý Văn A"] * 25)},
        {"step": "confirm", "version": "1", "partner_unit": "Đồn\x07"},
    ],
)
def test_malformed_steps_are_refused_and_change_nothing(app, client, auth, form):
    with app.app_context():
        patrol = proposed_patrol()
        db.session.commit()
        patrol_id = patrol.id
    px = login_client(app, "px.guard")
    response = px.post(f"/patrols/{patrol_id}/steps", data=form)
    assert response.status_code == 422, response.status_code
    with app.app_context():
        patrol = db.session.get(Patrol, patrol_id)
        assert (patrol.state, patrol.version, len(patrol.messages)) == ("proposed", 1, 1)


def test_the_partner_names_its_unit_and_leaders_when_it_answers(app, client, auth):
    """Review of issue 14: the partner had no field for its own unit and leaders."""
    with app.app_context():
        patrol = proposed_patrol(partner_unit=None, partner_leaders=[])
        db.session.commit()
        patrol_id, version = patrol.id, patrol.version
    proposer = login_client(app, "ls.guard")
    assert 'id="partner-side"' not in proposer.get(f"/patrols/{patrol_id}").get_data(as_text=True)
    auth.login("px.guard")
    page = client.get(f"/patrols/{patrol_id}").get_data(as_text=True)
    assert 'id="partner-side"' in page
    legend = "Our units and leaders (taken when confirming or proposing another time)"
    assert translated(app, "zh", legend) in page
    response = client.post(
        f"/patrols/{patrol_id}/steps",
        data={
            "step": "confirm",
            "version": str(version),
            "partner_unit": "友谊关边防检查站",
            "partner_leaders": "张伟; 二级警长\n李强",
        },
    )
    assert response.status_code == 302, response.data[:2000]
    with app.app_context():
        patrol = db.session.get(Patrol, patrol_id)
        assert patrol.state == "confirmed"
        assert patrol.partner_unit == "友谊关边防检查站"
        assert patrol.partner_leaders == [
            {"name": "张伟", "rank": "二级警长"},
            {"name": "李强", "rank": ""},
        ]
    page = proposer.get(f"/patrols/{patrol_id}").get_data(as_text=True)
    assert "友谊关边防检查站" in page and "李强" in page

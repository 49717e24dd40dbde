"""The calendar pages: what each user sees, the views at odd dates, the office choice."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coordination.extensions import db
from tests.calendar.helpers import PEOPLE_NAMES, china_handover, demo_handover
from tests.conftest import login_client, translated_plural
from tests.exchange.helpers import office_id


def _tomorrow() -> str:
    return (datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(days=1)).date().isoformat()


def _link(handover_id: int) -> bytes:
    return f'href="/handovers/{handover_id}"'.encode()


@pytest.mark.parametrize("view", ["month", "week", "list"])
@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("qt.guard", True),
        ("qt.liaison", True),
        ("qt.supervisor", True),
        ("svk.liaison", True),
        ("svk.guard", True),
        ("ls.liaison", False),
        ("ls.supervisor", False),
        ("px.liaison", False),
        ("qt.social", False),
    ],
)
def test_each_user_sees_only_handovers_they_may_see(demo_app, view, username, sees):
    with demo_app.app_context():
        handover = demo_handover().id
    client = login_client(demo_app, username)
    page = client.get(f"/calendar/?view={view}&date={_tomorrow()}")
    assert page.status_code == 200
    assert (_link(handover) in page.data) is sees
    for name in PEOPLE_NAMES:
        assert name.encode() not in page.data


def test_week_marks_today_and_shows_the_title(demo_app):
    client = login_client(demo_app, "qt.guard")
    page = client.get("/calendar/?view=week&date=" + _tomorrow()).get_data(as_text=True)
    title = translated_plural(
        demo_app,
        "vi",
        "Handover at %(gate)s, %(num)d person",
        "Handover at %(gate)s, %(num)d people",
        2,
        gate="Lao Bảo – Đen Xa Vẳn",
    )
    assert title in page
    assert "09:00" in page
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    if today.isocalendar()[:2] == (today + timedelta(days=1)).isocalendar()[:2]:
        assert 'aria-current="date"' in page  # the week of tomorrow holds today


def test_office_calendar_shows_only_that_offices_entries(demo_app):
    with demo_app.test_request_context():
        handover = demo_handover().id
        other = china_handover(datetime.now(ZoneInfo("UTC")) + timedelta(days=1)).id
        db.session.commit()
        offices = {
            code: office_id(code) for code in ("QT-BLO", "QT-BGS-LB", "LS-BLO", "SVK-BLO", "LS-SPC")
        }
    supervisor = login_client(demo_app, "qt.supervisor")
    own = supervisor.get(f"/calendar/?view=list&office={offices['QT-BLO']}")
    assert own.status_code == 200 and _link(handover) in own.data
    station = supervisor.get(f"/calendar/?view=list&office={offices['QT-BGS-LB']}")
    assert station.status_code == 200 and _link(handover) not in station.data
    # An office of another province, or of another country: 404, nothing revealed.
    assert supervisor.get(f"/calendar/?office={offices['LS-BLO']}").status_code == 404
    assert supervisor.get(f"/calendar/?office={offices['SVK-BLO']}").status_code == 404
    ls = login_client(demo_app, "ls.liaison")
    mine = ls.get("/calendar/?view=list")
    assert _link(other) in mine.data and _link(handover) not in mine.data
    # Not a supervisor: only one's own office.
    assert ls.get(f"/calendar/?office={offices['LS-BLO']}").status_code == 200
    assert ls.get(f"/calendar/?office={offices['LS-SPC']}").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "view=month&date=2028-02-29",
        "view=week&date=2028-02-29",
        "view=list&date=2028-02-29",
        "view=month&date=2199-12-31",
        "view=week&date=1900-01-01",
    ],
)
def test_odd_but_valid_dates(demo_app, query):
    client = login_client(demo_app, "qt.guard")
    assert client.get("/calendar/?" + query).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "date=9999-12-31",
        "view=week&date=9999-12-31",
        "date=0000-01-01",
        "date=0001-01-01",
        "date=2027-02-29",
        "date=2027-13-01",
        "date=garbage",
        "date=" + "9" * 5000,
        "view=year",
        "view=" + "x" * 5000,
        "view=month&view=week",
        "date=%00",
        "date=２０２７-０１-０１",
    ],
)
def test_bad_dates_and_views_get_a_message_never_a_500(demo_app, query):
    client = login_client(demo_app, "qt.guard")
    response = client.get("/calendar/?" + query)
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert b"flash-error" in response.data


@pytest.mark.parametrize("office", ["abc", "0", "-1", "99999999999999", "2147483647", "1.5"])
def test_bad_office_ids_get_404(demo_app, office):
    client = login_client(demo_app, "qt.supervisor")
    assert client.get(f"/calendar/?office={office}").status_code == 404


def test_signed_out_users_go_to_the_sign_in_page(client, app_ctx):
    assert client.get("/calendar/").status_code == 302
    assert client.post("/calendar/feed-link").status_code in (302, 400)

"""The calendar's entries under /api/v1/calendar/entries."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coordination.auth.operations import create_api_token
from coordination.extensions import db
from tests.calendar.helpers import demo_handover
from tests.conftest import user_named
from tests.exchange.helpers import office_id


def _headers(username: str) -> dict:
    user = user_named(username)
    _row, plain = create_api_token(user, "calendar", actor=user)
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def _tomorrow() -> str:
    return (datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(days=1)).date().isoformat()


def test_entries_in_a_range(app_ctx, client):
    handover = demo_handover()
    response = client.get(
        f"/api/v1/calendar/entries?start={_tomorrow()}&days=1", headers=_headers("qt.guard")
    )
    assert response.status_code == 200
    [entry] = response.json
    assert entry["uid"].startswith(f"handover-{handover.id}@")
    assert entry["status"] == "confirmed" and entry["kind"] == "handover"
    assert entry["url"] == f"/handovers/{handover.id}"
    assert entry["start"].startswith(handover.scheduled_at.isoformat()[:16])
    # The day after: nothing.
    later = (datetime.fromisoformat(_tomorrow()) + timedelta(days=1)).date().isoformat()
    assert (
        client.get(f"/api/v1/calendar/entries?start={later}", headers=_headers("qt.guard")).json
        == []
    )


def test_other_provinces_see_nothing_and_offices_are_checked(app_ctx, client):
    start = f"start={_tomorrow()}"
    other_province = _headers("ls.liaison")
    assert client.get(f"/api/v1/calendar/entries?{start}", headers=other_province).json == []
    supervisor = _headers("qt.supervisor")
    own = client.get(
        f"/api/v1/calendar/entries?{start}&office_id={office_id('QT-BLO')}", headers=supervisor
    )
    assert len(own.json) == 1
    other = client.get(
        f"/api/v1/calendar/entries?{start}&office_id={office_id('LS-BLO')}", headers=supervisor
    )
    assert other.status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "start=garbage",
        "start=2027-02-29",
        "days=0",
        "days=367",
        "days=abc",
        "office_id=0",
        "office_id=99999999999",
        "view=month",
        "days=1&days=2",
    ],
)
def test_bad_queries_are_refused(app_ctx, client, query):
    response = client.get(f"/api/v1/calendar/entries?{query}", headers=_headers("qt.guard"))
    assert response.status_code == 422
    assert response.json["errors"]


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31", "9999-12-01", "2028-02-29"])
def test_extreme_dates_are_answered(app_ctx, client, start):
    response = client.get(
        f"/api/v1/calendar/entries?start={start}&days=366", headers=_headers("qt.guard")
    )
    assert response.status_code == 200
    assert response.json == [] or start == "2028-02-29"


def test_needs_a_token(app_ctx, client):
    assert client.get("/api/v1/calendar/entries").status_code == 401

"""The meetings API: same operations and policies as the pages; 404 for an unrelated
office; bad JSON refused with translated errors, storing nothing; in the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coordination.auth.operations import create_api_token
from coordination.extensions import db
from coordination.meetings.models import Meeting, occurrence_slug
from tests.conftest import translated, user_named
from tests.meetings.helpers import counts, moment, office_id, planned_meeting, recorded_minutes


@pytest.fixture
def tokens(app):
    plain = {}
    with app.app_context():
        for username in ("qt.liaison", "svk.liaison", "slv.liaison"):
            user = user_named(username)
            _token, plain[username] = create_api_token(user, "test", actor=user)
        db.session.commit()
    return {name: {"Authorization": f"Bearer {value}"} for name, value in plain.items()}


def _body(app, **overrides) -> dict:
    with app.app_context():
        partner = office_id("SVK-BLO")
    starts = moment(-10)
    return {
        "partner_office_id": partner,
        "kind": "quarterly",
        "title": "Giao ban quý",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=3)).isoformat(),
        "repeat": "quarterly",
        "count": 3,
        "place_kind": "online",
        "online_link": "https://meet.example.org/giaoban",
        **overrides,
    }


def test_plan_move_minutes_sign_and_action_items(app, client, tokens):
    qt, svk = tokens["qt.liaison"], tokens["svk.liaison"]
    response = client.post("/api/v1/meetings", json=_body(app), headers=qt)
    assert response.status_code == 201, response.json
    meeting = response.json
    assert meeting["rrule"] == "FREQ=MONTHLY;INTERVAL=3;COUNT=3"
    keys = [occ["key"] for occ in meeting["occurrences"]]
    assert len(keys) == 3
    # Only the host moves an occurrence.
    skip = {"kind": "skipped", "reason": "Bão", "version": meeting["version"]}
    url = f"/api/v1/meetings/{meeting['id']}/occurrences/{keys[1]}"
    assert client.put(url, json=skip, headers=svk).status_code == 403
    response = client.put(url, json=skip, headers=qt)
    assert response.status_code == 200
    assert [occ["override"] for occ in response.json["occurrences"]] == [None, "skipped", None]
    with app.app_context():
        owner = office_id("SVK-BLO")
    minutes = {
        "summary": "Rà soát.",
        "decisions": ["Trả lời trong 10 ngày."],
        "action_items": [{"text": "Trả lời", "owner_office_id": owner, "due_on": "2020-01-02"}],
    }
    response = client.put(
        f"/api/v1/meetings/{meeting['id']}/occurrences/{keys[0]}/minutes", json=minutes, headers=svk
    )
    assert response.status_code == 200, response.json
    item = response.json["action_items"][0]
    assert item["overdue"] is True
    response = client.post(
        f"/api/v1/meetings/{meeting['id']}/occurrences/{keys[0]}/minutes/sign", json={}, headers=qt
    )
    assert response.status_code == 201
    record = response.json
    pdf = client.get(f"/api/v1/meetings/{meeting['id']}/minutes/{record['id']}.pdf", headers=svk)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    listed = client.get("/api/v1/meetings/action-items", headers=svk).json
    assert [row["id"] for row in listed] == [item["id"]]
    response = client.patch(
        f"/api/v1/meetings/action-items/{item['id']}",
        json={"status": "done", "version": item["version"]},
        headers=svk,
    )
    assert response.status_code == 200 and response.json["status"] == "done"
    assert client.get("/api/v1/meetings/action-items", headers=svk).json == []


def test_an_unrelated_office_gets_404(app, client, tokens):
    with app.app_context():
        meeting = planned_meeting()
        minutes = recorded_minutes(meeting)
        db.session.commit()
        ids = meeting.id, occurrence_slug(minutes.occurs_at), minutes.action_items[0].id
    meeting_id, key, item_id = ids
    slv = tokens["slv.liaison"]
    assert client.get(f"/api/v1/meetings/{meeting_id}", headers=slv).status_code == 404
    assert (
        client.get(
            f"/api/v1/meetings/{meeting_id}/occurrences/{key}/minutes", headers=slv
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/v1/meetings/action-items/{item_id}",
            json={"status": "done", "version": 1},
            headers=slv,
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/meetings/{meeting_id}/attendees", json={"office_id": 1}, headers=slv
        ).status_code
        == 404
    )
    assert meeting_id not in [m["id"] for m in client.get("/api/v1/meetings", headers=slv).json]
    assert client.get("/api/v1/meetings/action-items", headers=slv).json == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timezone": "Europe/Nowhere"}, "timezone"),
        ({"ends_at": moment(-11).isoformat()}, "ends_at"),
        ({"count": None, "until": "2001-01-01"}, "until"),
        ({"kind": "party"}, "kind"),
        ({"count": 10**30}, "count"),
        ({"title": {"a": [[[[1]]]]}}, "title"),
        ({"partner_office_id": -5}, "partner_office_id"),
    ],
)
def test_bad_json_is_refused_and_stores_nothing(app, client, tokens, overrides, field):
    with app.app_context():
        before = counts()
    response = client.post(
        "/api/v1/meetings", json=_body(app, **overrides), headers=tokens["qt.liaison"]
    )
    assert response.status_code == 422, response.json
    assert field in str(response.json)
    with app.app_context():
        assert counts() == before


def test_the_openapi_document_names_the_routes(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/api/v1/meetings",
        "/api/v1/meetings/{meeting_id}",
        "/api/v1/meetings/{meeting_id}/occurrences/{key}/minutes",
        "/api/v1/meetings/action-items/{item_id}",
    ):
        assert path in paths, path


def test_signed_minutes_refuse_agenda_items_and_keep_their_attendees(app, client, tokens):
    """Review of issue 14: the agenda of signed minutes took items on the API too."""
    from coordination.meetings.operations import add_attendee, sign_minutes

    with app.app_context():
        meeting = planned_meeting()
        qt = user_named("qt.liaison")
        add_attendee(meeting, {"office_id": office_id("SVK-BLO"), "name": "Phonsavanh Keo"},
                     actor=qt)  # fmt: skip
        sign_minutes(recorded_minutes(meeting), actor=qt)
        db.session.commit()
        meeting_id, key = meeting.id, occurrence_slug(meeting.planned_starts()[0])
        before = counts()
    url = f"/api/v1/meetings/{meeting_id}/occurrences/{key}"
    response = client.post(f"{url}/agenda", json={"title": "Sau"}, headers=tokens["svk.liaison"])
    assert response.status_code == 422, response.json
    assert response.json["message"] == translated(
        app, "lo", "The minutes of this meeting are signed: its agenda stays."
    )
    with app.app_context():
        assert counts() == before
        add_attendee(db.session.get(Meeting, meeting_id),
                     {"office_id": office_id("QT-BLO"), "name": "Nguyễn Thị Lan"},
                     actor=user_named("qt.liaison"))  # fmt: skip
        db.session.commit()
    minutes = client.get(f"{url}/minutes", headers=tokens["qt.liaison"]).json
    assert minutes["attendees"] == [
        {"name": "Phonsavanh Keo", "position": "", "office_code": "SVK-BLO"}
    ]


def test_an_occurrence_is_not_moved_onto_another(app, client, tokens):
    with app.app_context():
        meeting = planned_meeting()
        db.session.commit()
        meeting_id, version, starts = meeting.id, meeting.version, meeting.planned_starts()
        before = counts()
    response = client.put(
        f"/api/v1/meetings/{meeting_id}/occurrences/{occurrence_slug(starts[1])}",
        json={
            "kind": "moved",
            "starts_at": starts[0].isoformat(),
            "ends_at": (starts[0] + timedelta(hours=2)).isoformat(),
            "version": version,
        },
        headers=tokens["qt.liaison"],
    )
    assert response.status_code == 422, response.json
    assert "starts_at" in response.json["errors"], response.json
    with app.app_context():
        assert counts() == before

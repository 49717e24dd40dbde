"""The patrols API: same operations and policies as the pages; 404 for an unrelated office;
bad JSON refused with translated errors, storing nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coordination.auth.operations import create_api_token
from coordination.extensions import db
from tests.conftest import user_named
from tests.patrols.helpers import counts, future, office_id, started


@pytest.fixture
def tokens(app):
    plain = {}
    with app.app_context():
        for username in ("ls.guard", "px.guard", "qt.liaison", "px.liaison"):
            user = user_named(username)
            _token, plain[username] = create_api_token(user, "test", actor=user)
        db.session.commit()
    return {name: {"Authorization": f"Bearer {value}"} for name, value in plain.items()}


def _body(app, **overrides) -> dict:
    with app.app_context():
        partner = office_id("PX-BGS")
    starts = future(50)
    return {
        "partner_office_id": partner,
        "marker_from": "601",
        "marker_to": "605",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=3)).isoformat(),
        "meeting_point": "Mốc 601",
        "proposing_leaders": "Vũ Văn Hải; Thiếu tá",
        **overrides,
    }


def test_propose_answer_and_report_through_the_api(app, client, tokens):
    ls, px = tokens["ls.guard"], tokens["px.guard"]
    response = client.post("/api/v1/patrols", json=_body(app), headers=ls)
    assert response.status_code == 201, response.json
    patrol = response.json
    assert patrol["state"] == "proposed" and patrol["allowed_steps"] == ["cancel"]
    assert patrol["proposing_leaders"] == [{"name": "Vũ Văn Hải", "rank": "Thiếu tá"}]
    pid = patrol["id"]
    for outsider in ("qt.liaison", "px.liaison"):
        assert client.get(f"/api/v1/patrols/{pid}", headers=tokens[outsider]).status_code == 404
        steps = client.post(
            f"/api/v1/patrols/{pid}/steps", json={"step": "confirm"}, headers=tokens[outsider]
        )
        assert steps.status_code == 404
        listed = client.get("/api/v1/patrols", headers=tokens[outsider]).json
        assert pid not in [p["id"] for p in listed]
    awaiting = client.get("/api/v1/patrols?show=awaiting", headers=px).json
    assert [p["id"] for p in awaiting] == [pid]
    response = client.post(
        f"/api/v1/patrols/{pid}/steps",
        json={"step": "confirm", "version": patrol["version"]},
        headers=px,
    )
    assert response.status_code == 200, response.json
    assert response.json["state"] == "confirmed"
    with app.app_context():
        from coordination.patrols.models import Patrol

        started(db.session.get(Patrol, pid))
        db.session.commit()
    response = client.put(
        f"/api/v1/patrols/{pid}/report",
        json={
            "people_checked": 7,
            "rescued": [{"name_as_written": "Lò Thị Dung", "sex": "female"}],
        },
        headers=ls,
    )
    assert response.status_code == 200, response.json
    (report,) = response.json["reports"]
    assert report["rescued_count"] == 1 and report["rescued"][0]["name_as_written"] == "Lò Thị Dung"
    seen_by_partner = client.get(f"/api/v1/patrols/{pid}", headers=px).json
    assert seen_by_partner["reports"][0]["rescued"] is None
    assert seen_by_partner["reports"][0]["rescued_count"] == 1


def test_bad_json_is_refused_and_stores_nothing(app, client, tokens):
    ls = tokens["ls.guard"]
    with app.app_context():
        before = counts()
        qt = office_id("QT-BLO")
    for body, field in (
        (_body(app, ends_at=future(40).isoformat()), "ends_at"),
        (_body(app, partner_office_id=qt), "partner_office_id"),
        (_body(app, marker_from="", marker_to=""), "marker_from"),
        (_body(app, starts_at="yesterday"), "starts_at"),
        (_body(app, partner_office_id="1; DROP TABLE patrols"), "partner_office_id"),
        (_body(app, meeting_point={"a": [[[[]]]]}), "meeting_point"),
    ):
        response = client.post("/api/v1/patrols", json=body, headers=ls)
        assert response.status_code == 422, body
        assert field in response.json["errors"], response.json
    response = client.post(
        "/api/v1/patrols", data="[" * 5000, headers={**ls, "Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422) and response.is_json
    assert client.get("/api/v1/patrols/99999999999", headers=ls).status_code == 404
    # The partner's own side on a step: wrong types and sizes.
    created = client.post("/api/v1/patrols", json=_body(app), headers=ls).json
    with app.app_context():
        before = counts()
    for extra, field in (
        ({"partner_leaders": [{"name": "张伟"}]}, "partner_leaders"),
        ({"partner_leaders": {"a": [[[[]]]]}}, "partner_leaders"),
        ({"partner_unit": "x" * 400}, "partner_unit"),
        ({"partner_unit": 7}, "partner_unit"),
    ):
        response = client.post(
            f"/api/v1/patrols/{created['id']}/steps",
            json={"step": "confirm", "version": created["version"], **extra},
            headers=tokens["px.guard"],
        )
        assert response.status_code == 422, extra
        assert field in response.json["errors"], response.json
    with app.app_context():
        assert counts() == before


def test_the_openapi_document_has_the_patrol_paths(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/api/v1/patrols",
        "/api/v1/patrols/{patrol_id}",
        "/api/v1/patrols/{patrol_id}/steps",
        "/api/v1/patrols/{patrol_id}/report",
    ):
        assert path in paths, path


def test_the_partner_gives_its_unit_and_leaders_through_the_api(app, client, tokens):
    ls, px = tokens["ls.guard"], tokens["px.guard"]
    patrol = client.post("/api/v1/patrols", json=_body(app), headers=ls).json
    url = f"/api/v1/patrols/{patrol['id']}/steps"
    # The proposing office does not speak for the partner.
    with app.app_context():
        before = counts()
    response = client.post(
        url, json={"step": "cancel", "body": "x", "partner_unit": "Y", "version": 1}, headers=ls
    )
    assert response.status_code == 422 and "partner_unit" in response.json["errors"]
    with app.app_context():
        assert counts() == before
    later = future(80)
    response = client.post(
        url,
        json={
            "step": "counter",
            "starts_at": later.isoformat(),
            "ends_at": (later + timedelta(hours=3)).isoformat(),
            "partner_unit": "友谊关边防检查站",
            "partner_leaders": "张伟; 二级警长",
            "version": patrol["version"],
        },
        headers=px,
    )
    assert response.status_code == 200, response.json
    assert response.json["partner_unit"] == "友谊关边防检查站"
    assert response.json["partner_leaders"] == [{"name": "张伟", "rank": "二级警长"}]

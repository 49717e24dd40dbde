"""The JSON API for cases, people, the register and requests: same rules as the pages."""

import pytest

from coordination.auth.operations import create_api_token
from coordination.extensions import db
from tests.conftest import user_named
from tests.exchange.helpers import make_case, office_id


@pytest.fixture
def tokens(app):
    plain = {}
    with app.app_context():
        for username in ("qt.liaison", "svk.liaison", "px.liaison"):
            user = user_named(username)
            _token, plain[username] = create_api_token(user, "test", actor=user)
        db.session.commit()
    return {name: {"Authorization": f"Bearer {value}"} for name, value in plain.items()}


def test_case_and_person_through_the_api(client, tokens):
    qt = tokens["qt.liaison"]
    response = client.post(
        "/api/v1/cases", json={"title": "API", "opened_on": "2026-11-01"}, headers=qt
    )
    assert response.status_code == 201, response.json
    case_id = response.json["id"]
    response = client.post(
        f"/api/v1/cases/{case_id}/people",
        json={"role": "victim", "name_as_written": "阮氏香", "name_romanised": "Ruan Shixiang"},
        headers=qt,
    )
    assert response.status_code == 201, response.json
    person_id = response.json["id"]
    assert client.get(f"/api/v1/people/{person_id}", headers=qt).json["name_as_written"] == "阮氏香"
    assert client.get(f"/api/v1/cases/{case_id}", headers=tokens["px.liaison"]).status_code == 404
    assert (
        client.get(f"/api/v1/people/{person_id}", headers=tokens["svk.liaison"]).status_code == 404
    )
    listed = client.get("/api/v1/cases?q=ruan", headers=qt).json
    assert [case["id"] for case in listed] == [case_id]


def test_bad_json_gets_translated_errors_and_stores_nothing(client, tokens):
    qt = tokens["qt.liaison"]
    response = client.post(
        "/api/v1/cases", json={"title": " ", "opened_on": "1800-01-01"}, headers=qt
    )
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"title", "opened_on"}
    assert client.get("/api/v1/cases", headers=qt).json == []
    response = client.post(
        "/api/v1/cases", data="not json", headers={**qt, "Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422)
    assert response.is_json


def test_request_flow_through_the_api(app, client, tokens):
    with app.app_context():
        case, victim, _relative = make_case()
        db.session.commit()
        case_id, victim_id, svk = case.id, victim.id, office_id("SVK-BLO")
    response = client.post(
        "/api/v1/requests",
        json={
            "recipient_office_id": svk,
            "kind": "identity_verification",
            "subject": "API verification",
            "case_id": case_id,
            "person_ids": [victim_id],
            "shared_fields": ["name_as_written", "sex"],
        },
        headers=tokens["qt.liaison"],
    )
    assert response.status_code == 201, response.json
    request_id = response.json["id"]
    shared = response.json["people"][0]
    assert set(shared["shared"]) == {"name_as_written", "sex", "child"}
    partner = tokens["svk.liaison"]
    inbox = client.get("/api/v1/requests?box=inbox", headers=partner).json
    assert [item["id"] for item in inbox] == [request_id]
    detail = client.get(f"/api/v1/requests/{request_id}", headers=partner).json
    assert "reply" in detail["allowed_steps"]
    response = client.post(
        f"/api/v1/requests/{request_id}/steps",
        json={"step": "reply", "body": "OK", "outcomes": {str(shared["id"]): "not_confirmed"}},
        headers=partner,
    )
    assert response.status_code == 200, response.json
    assert response.json["state"] == "answered"
    assert response.json["people"][0]["outcome"] == "not_confirmed"
    # Replying again to an answered request is refused with a clear message.
    response = client.post(
        f"/api/v1/requests/{request_id}/steps", json={"step": "reply", "body": "x"}, headers=partner
    )
    assert response.status_code == 422 and response.json["message"]
    assert (
        client.get(f"/api/v1/requests/{request_id}", headers=tokens["px.liaison"]).status_code
        == 404
    )


def test_missing_person_register_through_the_api(client, tokens):
    qt = tokens["qt.liaison"]
    response = client.post(
        "/api/v1/missing-persons",
        json={
            "name_as_written": "Lò Thị Xuân",
            "missing_since": "2026-07-01",
            "reporter_name": "Lò Văn Pó",
        },
        headers=qt,
    )
    assert response.status_code == 201, response.json
    assert (
        client.get("/api/v1/missing-persons?q=lo thi xuan", headers=qt).json[0]["id"]
        == response.json["id"]
    )
    assert client.get("/api/v1/missing-persons", headers=tokens["svk.liaison"]).json == []


def test_openapi_documents_the_new_paths(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/cases", "/api/v1/people/{person_id}", "/api/v1/missing-persons",
                 "/api/v1/requests", "/api/v1/requests/{request_id}/steps"):  # fmt: skip
        assert path in paths

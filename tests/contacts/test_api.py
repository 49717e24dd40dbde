"""The contacts API under /api/v1: the same rules as the pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coordination.auth.operations import create_api_token
from coordination.contacts.models import Contact
from coordination.extensions import db
from tests.conftest import user_named
from tests.contacts.helpers import make_case, office_id


@pytest.fixture
def tokens(app):
    plain = {}
    with app.app_context():
        for username in ("ls.liaison", "ls.guard", "px.liaison", "qt.liaison"):
            user = user_named(username)
            _token, plain[username] = create_api_token(user, "test", actor=user)
        db.session.commit()
    return {name: {"Authorization": f"Bearer {value}"} for name, value in plain.items()}


@pytest.fixture
def ids(app):
    with app.app_context():
        case, person = make_case()
        db.session.commit()
        return {
            "px": office_id("PX-BLO"),
            "px_station": office_id("PX-BGS"),
            "case": case.id,
            "person": person.id,
        }


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Contact))


def test_log_share_confirm_and_request_through_the_api(app, client, tokens, ids):
    ls, px = tokens["ls.liaison"], tokens["px.liaison"]
    created = client.post(
        "/api/v1/contacts",
        json={
            "partner_office_id": ids["px"],
            "channel": "hotline",
            "direction": "in",
            "urgency": "urgent",
            "language": "zh",
            "asked": "三名越南籍妇女被困。",
            "case_id": ids["case"],
            "person_ids": [ids["person"]],
            "occurred_at": "2026-11-30T22:15:00+08:00",
            "duration_minutes": 9,
        },
        headers=ls,
    )
    assert created.status_code == 201, created.json
    contact = created.json
    assert contact["occurred_at"].startswith("2026-11-30T14:15")  # stored in UTC
    assert contact["case_id"] == ids["case"] and contact["person_ids"] == [ids["person"]]
    url = f"/api/v1/contacts/{contact['id']}"
    assert client.get(url, headers=px).status_code == 404  # not shared yet
    assert client.get(url, headers=tokens["qt.liaison"]).status_code == 404
    shared = client.post(f"{url}/share", json={"version": contact["version"]}, headers=ls)
    assert shared.status_code == 200 and shared.json["shared_at"]
    seen = client.get(url, headers=px).json
    assert seen["asked"] == "三名越南籍妇女被困。"
    assert seen["case_id"] is None and seen["person_ids"] == []  # our case file stays ours
    listed = client.get("/api/v1/contacts?box=shared", headers=px).json
    assert [item["id"] for item in listed] == [contact["id"]]
    answer = client.post(
        f"{url}/respond", json={"confirm": True, "note": "确认。", "version": seen["version"]},
        headers=px,
    )  # fmt: skip
    assert answer.status_code == 200 and answer.json["confirmed_at"]
    made = client.post(
        f"{url}/request",
        json={"kind": "rescue_assistance", "subject": "Cứu", "version": answer.json["version"]},
        headers=ls,
    )
    assert made.status_code == 201, made.json
    assert made.json["contact"]["request_id"] == made.json["request_id"]
    request = client.get(f"/api/v1/requests/{made.json['request_id']}", headers=px).json
    assert request["kind"] == "rescue_assistance" and len(request["people"]) == 1


def test_bad_json_gets_translated_errors_and_stores_nothing(app, client, tokens, ids):
    ls = tokens["ls.liaison"]
    base = {"partner_office_id": ids["px"], "channel": "hotline", "direction": "in"}
    for body, field in (
        ({**base, "occurred_at": "2099-01-01T10:00:00Z"}, "occurred_at"),
        ({**base, "duration_minutes": -1}, "duration_minutes"),
        ({**base, "partner_office_id": ids["px_station"]}, "partner_office_id"),
        ({**base, "case_id": 2**40}, "case_id"),
        ({**base, "channel": ["hotline"]}, "channel"),
        ({**base, "asked": {"deep": [[[[1]]]]}}, "asked"),
        ({**base, "unknown": 1}, "unknown"),
    ):
        response = client.post("/api/v1/contacts", json=body, headers=ls)
        assert response.status_code == 422, (body, response.json)
        assert field in response.json["errors"], response.json
    assert client.post("/api/v1/contacts", data="{", headers=ls).status_code in (400, 422)
    assert _count(app) == 0


def test_the_guard_logs_with_the_partner_station_and_a_stale_version_is_409(app, client, tokens):
    with app.app_context():
        station = office_id("PX-BGS")
    guard = tokens["ls.guard"]
    created = client.post(
        "/api/v1/contacts",
        json={"partner_office_id": station, "channel": "hotline", "direction": "out"},
        headers=guard,
    )
    assert created.status_code == 201, created.json
    url = f"/api/v1/contacts/{created.json['id']}"
    body = {"partner_office_id": station, "channel": "fax", "direction": "out", "version": 1}
    assert client.put(url, json=body, headers=guard).json["channel"] == "fax"
    assert client.put(url, json={**body, "channel": "letter"}, headers=guard).status_code == 409
    assert client.get(url, headers=guard).json["channel"] == "fax"


def test_the_log_filters(app, client, tokens, ids):
    ls = tokens["ls.liaison"]
    for channel in ("hotline", "letter", "letter"):
        body = {"partner_office_id": ids["px"], "channel": channel, "direction": "in"}
        assert client.post("/api/v1/contacts", json=body, headers=ls).status_code == 201
    letters = client.get("/api/v1/contacts?channel=letter", headers=ls)
    assert len(letters.json) == 2
    assert '"total": 2' in letters.headers["X-Pagination"]
    assert client.get("/api/v1/contacts?channel=pigeon", headers=ls).status_code == 422
    assert client.get("/api/v1/contacts?nonsense=1", headers=ls).status_code == 422
    assert client.get("/api/v1/contacts", headers=tokens["qt.liaison"]).json == []


def test_a_station_passes_a_call_on_and_the_liaison_office_links_and_requests(
    app, client, tokens, ids
):
    with app.app_context():
        station = office_id("PX-BGS")
    guard, ls, qt = tokens["ls.guard"], tokens["ls.liaison"], tokens["qt.liaison"]
    created = client.post(
        "/api/v1/contacts",
        json={"partner_office_id": station, "channel": "hotline", "direction": "in",
              "urgency": "urgent", "case_reference": "LS-2026-0001"},
        headers=guard,
    )  # fmt: skip
    assert created.status_code == 201, created.json
    url = f"/api/v1/contacts/{created.json['id']}"
    assert client.get(url, headers=ls).status_code == 404
    passed = client.post(f"{url}/forward", json={"version": 1}, headers=guard)
    assert passed.status_code == 200, passed.json
    assert passed.json["forwarded_office_id"] and passed.json["forwarded_at"]
    again = client.post(f"{url}/forward", json={"version": passed.json["version"]}, headers=guard)
    assert again.status_code == 403
    listed = client.get("/api/v1/contacts?box=forwarded", headers=ls).json
    assert [item["id"] for item in listed] == [created.json["id"]]
    seen = client.get(url, headers=ls).json
    assert seen["case_reference"] == "LS-2026-0001"
    assert client.get(url, headers=qt).status_code == 404
    assert client.put(f"{url}/links", json={"version": 2}, headers=qt).status_code == 404
    wrong = client.put(
        f"{url}/links",
        json={"case_id": ids["case"], "person_ids": [2**40], "version": seen["version"]},
        headers=ls,
    )
    assert wrong.status_code == 422 and "person_ids" in wrong.json["errors"]
    linked = client.put(
        f"{url}/links",
        json={"case_id": ids["case"], "person_ids": [ids["person"]], "version": seen["version"]},
        headers=ls,
    )
    assert linked.status_code == 200, linked.json
    assert linked.json["case_id"] == ids["case"] and linked.json["person_ids"] == [ids["person"]]
    made = client.post(
        f"{url}/request",
        json={"kind": "rescue_assistance", "subject": "Cứu", "version": linked.json["version"]},
        headers=ls,
    )
    assert made.status_code == 201, made.json
    request = client.get(f"/api/v1/requests/{made.json['request_id']}", headers=ls).json
    assert request["recipient_office_id"] == ids["px"] and len(request["people"]) == 1
    # The station's own view shows the request its call became.
    assert client.get(url, headers=guard).json["request_id"] == made.json["request_id"]


def test_an_answer_due_before_the_contact_is_refused_by_the_api(app, client, tokens, ids):
    body = {
        "partner_office_id": ids["px"],
        "channel": "hotline",
        "direction": "in",
        "occurred_at": "2026-11-30T10:00:00Z",
        "follow_up_due_at": "2026-11-30T09:00:00Z",
    }
    response = client.post("/api/v1/contacts", json=body, headers=tokens["ls.liaison"])
    assert response.status_code == 422 and "follow_up_due_at" in response.json["errors"]
    assert _count(app) == 0

"""The API: the police side reads the status only, the centre's social worker the file and
its sensitive notes (audited); bad input is a translated 422 that stores nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.auth.operations import create_api_token
from coordination.extensions import db
from coordination.reintegration.models import SupportService
from tests.conftest import translated, user_named
from tests.reintegration.helpers import in_support, office, victim

USERS = ("qt.liaison", "qt.social", "qt.supervisor", "px.liaison", "ls.social")


@pytest.fixture
def world(app):
    with app.test_request_context():
        referral = in_support()
        plain = {}
        for username in USERS:
            user = user_named(username)
            _token, plain[username] = create_api_token(user, "test", actor=user)
        person = victim("Lò Thị Pằng")
        db.session.commit()
        headers = {name: {"Authorization": f"Bearer {value}"} for name, value in plain.items()}
        return referral.id, person.id, headers


def test_each_side_reads_what_it_may(app, client, world):
    referral_id, _person_id, headers = world
    url = f"/api/v1/reintegration/referrals/{referral_id}"
    police = client.get(url, headers=headers["qt.liaison"]).get_json()
    assert police["stage"] == "in_support"
    assert police["services"] is None and police["sensitive"] is None
    social = client.get(url, headers=headers["qt.social"]).get_json()
    assert social["sensitive"]["counselling_note"] == "Hay gặp ác mộng"
    supervisor = client.get(url, headers=headers["qt.supervisor"]).get_json()
    assert supervisor["services"] == [] and supervisor["sensitive"] is None
    for other in ("px.liaison", "ls.social"):
        assert client.get(url, headers=headers[other]).status_code == 404
    listed = client.get("/api/v1/reintegration/referrals", headers=headers["qt.social"])
    assert [row["id"] for row in listed.get_json()] == [referral_id]
    assert (
        client.get("/api/v1/reintegration/referrals", headers=headers["px.liaison"]).get_json()
        == []
    )
    with app.app_context():
        reads = db.session.scalar(
            select(func.count()).where(AuditEntry.action == "reintegration.sensitive_read")
        )
    assert reads == 1


def test_bad_services_are_translated_422s_and_nothing_is_stored(app, client, world):
    referral_id, _person_id, headers = world
    url = f"/api/v1/reintegration/referrals/{referral_id}/services"
    today = datetime.now(UTC).date()
    for body in (
        {"type": "medical", "planned_start": today.isoformat(), "cost": -1},
        {
            "type": "medical",
            "planned_start": today.isoformat(),
            "planned_end": (today - timedelta(days=1)).isoformat(),
        },
        {"type": "medical", "planned_start": "2026-13-01"},
        {"type": "medical", "planned_start": today.isoformat(), "delivered": {"a": [1]}},
        {"type": ["medical"] * 3, "planned_start": today.isoformat()},
    ):
        response = client.post(url, json=body, headers=headers["qt.social"])
        assert response.status_code == 422, body
    refused = client.post(
        url,
        json={
            "type": "medical",
            "planned_start": today.isoformat(),
            "planned_end": (today - timedelta(days=1)).isoformat(),
        },
        headers=headers["qt.social"],
    )
    assert refused.get_json()["errors"]["planned_end"] == [
        translated(app, "vi", "The service cannot end before it starts.")
    ]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SupportService)) == 0
    ok = client.post(
        url,
        json={"type": "legal_aid", "planned_start": today.isoformat()},
        headers=headers["qt.social"],
    )
    assert ok.status_code == 201 and ok.get_json()["services"][0]["type"] == "legal_aid"
    assert (
        client.post(
            url,
            json={"type": "legal_aid", "planned_start": today.isoformat()},
            headers=headers["qt.liaison"],
        ).status_code
        == 403
    )


def test_a_liaison_officer_refers_a_victim_through_the_api(app, client, world):
    _referral_id, person_id, headers = world
    with app.app_context():
        centre = office("QT-SPC").id
    response = client.post(
        "/api/v1/reintegration/referrals",
        json={"person_id": person_id, "centre_office_id": centre},
        headers=headers["qt.liaison"],
    )
    assert response.status_code == 201
    assert response.get_json()["stage"] == "pending"
    again = client.post(
        "/api/v1/reintegration/referrals",
        json={"person_id": person_id, "centre_office_id": centre},
        headers=headers["qt.liaison"],
    )
    assert again.status_code == 422
    assert (
        client.post(
            "/api/v1/reintegration/referrals",
            json={"person_id": person_id, "centre_office_id": centre},
            headers=headers["px.liaison"],
        ).status_code
        == 404
    )

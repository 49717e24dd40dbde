"""The reintegration pages: the centre's inbox and caseload, the person's file and its forms,
what the police side sees, the support history PDF; another office gets 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.extensions import db
from coordination.reintegration.models import Referral, SupportService
from tests.conftest import login_client, translated
from tests.documents.pdftext import needs_poppler, squash, text
from tests.reintegration.helpers import in_support, referred


def _today():
    return datetime.now(UTC).date()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _audit(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditEntry.action == action))


@pytest.fixture
def file_in_support(app):
    with app.test_request_context():
        referral = in_support()
        db.session.commit()
        return referral.id


@pytest.fixture
def pending(app):
    with app.test_request_context():
        referral = referred()
        db.session.commit()
        return referral.id


def test_the_centre_accepts_a_referral_from_its_inbox(app, pending):
    social = login_client(app, "qt.social")
    inbox = social.get("/reintegration/referrals")
    assert inbox.status_code == 200
    assert "Trần Thị Mai" in inbox.get_data(as_text=True)
    page = social.get(f"/reintegration/{pending}")
    assert translated(app, "vi", "Answer the referral") in page.get_data(as_text=True)
    with app.app_context():
        version = db.session.get(Referral, pending).version
    refused = social.post(
        f"/reintegration/{pending}/answer", data={"decision": "decline", "version": version}
    )
    assert refused.status_code == 422
    assert translated(app, "vi", "Say why the centre declines the referral.") in refused.get_data(
        as_text=True
    )
    done = social.post(
        f"/reintegration/{pending}/answer", data={"decision": "accept", "version": version}
    )
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Referral, pending).stage == "accepted"


def test_bad_services_get_translated_messages_and_nothing_is_stored(app, file_in_support):
    social = login_client(app, "qt.social")
    url = f"/reintegration/{file_in_support}/services/new"
    start = _today().isoformat()
    cases = [
        (
            {"planned_end": (_today() - timedelta(days=3)).isoformat()},
            "The service cannot end before it starts.",
        ),
        ({"cost": "-5"}, None),
        ({"cost": "99999999999999999999"}, None),
        (
            {
                "type": "essential_needs",
                "planned_end": (_today() + timedelta(days=130)).isoformat(),
            },
            None,
        ),
        ({"type": "spa_holiday"}, "Choose one of the listed options."),
        ({"planned_start": "2026-02-31"}, None),
        ({"provider": "x" * 5000}, None),
    ]
    for values, message in cases:
        response = social.post(url, data={"type": "medical", "planned_start": start, **values})
        assert response.status_code == 422, values
        if message:
            assert translated(app, "vi", message) in response.get_data(as_text=True)
    with app.app_context():
        assert _count(SupportService) == 0
    ok = social.post(
        url,
        data={
            "type": "essential_needs",
            "planned_start": start,
            "planned_end": (_today() + timedelta(days=130)).isoformat(),
            "extension_decision": "Quyết định số 45/QĐ-UBND",
            "cost": "4500000",
            "currency": "VND",
        },
    )
    assert ok.status_code == 302
    with app.app_context():
        assert _count(SupportService) == 1
        # The form's "not yet known" stays unknown (not "not delivered").
        assert db.session.scalar(select(SupportService.delivered)) is None


def test_the_police_side_sees_the_status_without_the_notes(app, file_in_support):
    liaison = login_client(app, "qt.liaison")
    page = liaison.get(f"/reintegration/{file_in_support}").get_data(as_text=True)
    assert translated(app, "vi", "In support") in page
    assert "ác mộng" not in page and "phụ khoa" not in page
    assert liaison.get(f"/reintegration/{file_in_support}/history.pdf").status_code == 404
    assert liaison.get(f"/reintegration/{file_in_support}/intake").status_code == 403
    with app.app_context():
        case_id = db.session.get(Referral, file_in_support).case_id
    case_page = liaison.get(f"/cases/{case_id}").get_data(as_text=True)
    assert translated(app, "vi", "Reintegration") in case_page
    assert "ác mộng" not in case_page


def test_counselling_notes_are_read_by_the_centre_social_worker_and_each_read_audited(
    app, file_in_support
):
    with app.app_context():
        before = _audit("reintegration.sensitive_read")
    social = login_client(app, "qt.social")
    page = social.get(f"/reintegration/{file_in_support}").get_data(as_text=True)
    assert "Hay gặp ác mộng" in page
    with app.app_context():
        assert _audit("reintegration.sensitive_read") == before + 1
    supervisor = login_client(app, "qt.supervisor")
    page = supervisor.get(f"/reintegration/{file_in_support}").get_data(as_text=True)
    assert "ác mộng" not in page
    assert translated(app, "vi", "Support plan") in page


@pytest.mark.parametrize("username", ["px.liaison", "ls.social", "svk.liaison", "slv.liaison"])
def test_another_office_gets_404_on_every_page(app, file_in_support, username):
    other = login_client(app, username)
    base = f"/reintegration/{file_in_support}"
    for url in (
        base,
        f"{base}/intake",
        f"{base}/services/new",
        f"{base}/history.pdf",
        f"{base}/refer-again",
    ):
        assert other.get(url).status_code == 404, url
    for url in (
        f"{base}/answer",
        f"{base}/closure",
        f"{base}/closure/decide",
        f"{base}/end-support",
    ):
        assert other.post(url, data={"decision": "accept"}).status_code == 404, url
    assert other.get(f"/api/v1/reintegration/referrals/{file_in_support}").status_code in (
        401,
        404,
    )


def test_malformed_requests_never_fail(app, file_in_support):
    social = login_client(app, "qt.social")
    for url in (
        "/reintegration/?page=-3&show=<script>&stage=x&office_id=99999999999999",
        "/reintegration/?q=" + "ư" * 500,
        "/reintegration/99999999999",
        f"/reintegration/{file_in_support}/visits/2147483647",
        f"/reintegration/{file_in_support}/services/0",
    ):
        assert social.get(url).status_code < 500, url
    response = social.post(
        f"/reintegration/{file_in_support}/closure", data={"reason": "vanished", "version": "x"}
    )
    assert response.status_code == 422


@needs_poppler
def test_the_support_history_pdf_is_in_the_readers_language(app, file_in_support):
    social = login_client(app, "qt.social")
    response = social.get(f"/reintegration/{file_in_support}/history.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    extracted = squash(text(response.data))
    assert squash(translated(app, "vi", "Support history")) in extracted
    assert squash("Trần Thị Mai") in extracted
    assert squash("Hay gặp ác mộng") in extracted  # the social worker's own copy
    with app.app_context():
        assert _audit("reintegration.history_pdf") == 1
        reads = _audit("reintegration.sensitive_read")
    assert reads >= 1  # the notes went out in the PDF: a sensitive read (security probe)
    # The supervisor's copy has no notes, so no sensitive read is recorded for it.
    supervisor = login_client(app, "qt.supervisor")
    copy = supervisor.get(f"/reintegration/{file_in_support}/history.pdf")
    assert copy.status_code == 200
    assert squash("Hay gặp ác mộng") not in squash(text(copy.data))
    with app.app_context():
        assert _audit("reintegration.sensitive_read") == reads


def test_the_caseload_dashboard_counts_and_filters(app, file_in_support, pending):
    social = login_client(app, "qt.social")
    page = social.get("/reintegration/").get_data(as_text=True)
    assert "Trần Thị Mai" in page
    assert translated(app, "vi", "people in care") in page
    supervisor = login_client(app, "qt.supervisor")
    assert supervisor.get("/reintegration/?show=services_due").status_code == 200
    liaison = login_client(app, "qt.liaison")
    # A liaison officer has no caseload: their office's referrals instead.
    assert liaison.get("/reintegration/").status_code == 302
    assert "Trần Thị Mai" in liaison.get("/reintegration/referrals").get_data(as_text=True)


@pytest.fixture
def file_in_follow_up(app):
    from coordination.reintegration import operations
    from tests.conftest import user_named

    with app.test_request_context():
        referral = in_support()
        operations.end_support(
            referral,
            {"home_on": _today(), "version": referral.version},
            actor=user_named("qt.social"),
        )
        db.session.commit()
        return referral.id


def _visits(app, referral_id: int) -> list:
    from coordination.reintegration.models import FollowUpVisit

    with app.app_context():
        return sorted(
            db.session.scalars(
                select(FollowUpVisit.due_on).where(FollowUpVisit.referral_id == referral_id)
            )
        )


def test_the_social_worker_plans_an_extra_visit(app, file_in_follow_up):
    social = login_client(app, "qt.social")
    page = social.get(f"/reintegration/{file_in_follow_up}").get_data(as_text=True)
    assert translated(app, "vi", "Plan an extra visit on") in page
    before = _visits(app, file_in_follow_up)
    day = _today() + timedelta(days=10)
    response = social.post(
        f"/reintegration/{file_in_follow_up}/visits/new", data={"due_on": day.isoformat()}
    )
    assert response.status_code == 302
    assert _visits(app, file_in_follow_up) == sorted([*before, day])


@pytest.mark.parametrize(
    "value", ["", "yesterday", "1899-01-01", "2026-02-30", "past", "far", "x" * 5000]
)
def test_a_bad_extra_visit_date_is_refused_and_nothing_planned(app, file_in_follow_up, value):
    value = {
        "past": (_today() - timedelta(days=1)).isoformat(),
        "far": (_today() + timedelta(days=3 * 366)).isoformat(),
    }.get(value, value)
    social = login_client(app, "qt.social")
    before = _visits(app, file_in_follow_up)
    response = social.post(f"/reintegration/{file_in_follow_up}/visits/new", data={"due_on": value})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert _visits(app, file_in_follow_up) == before


def test_only_the_centre_plans_visits(app, file_in_follow_up):
    day = (_today() + timedelta(days=10)).isoformat()
    before = _visits(app, file_in_follow_up)
    for username, status in (("qt.liaison", 403), ("qt.supervisor", 403), ("ls.social", 404)):
        response = login_client(app, username).post(
            f"/reintegration/{file_in_follow_up}/visits/new", data={"due_on": day}
        )
        assert response.status_code == status, username
    assert _visits(app, file_in_follow_up) == before


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("thi mai", {"Trần Thị Mai"}),  # without marks, part of the name
        ("HOA", {"Vi Thị Hoa"}),
        ("Mai", {"Trần Thị Mai"}),
        ("Vi", {"Vi Thị Hoa"}),  # two letters: below the trigram index, still found
        ("thị", {"Trần Thị Mai", "Vi Thị Hoa"}),
        ("100%", set()),  # a LIKE wildcard is a character, not a pattern
        ('"', set()),
    ],
)
def test_the_caseload_finds_people_by_part_of_their_name(app, query, found):
    with app.test_request_context():
        in_support()
        in_support(name="Vi Thị Hoa")
        db.session.commit()
    social = login_client(app, "qt.social")
    page = social.get("/reintegration/", query_string={"q": query}).get_data(as_text=True)
    assert {name for name in ("Trần Thị Mai", "Vi Thị Hoa") if name in page} == found

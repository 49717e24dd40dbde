"""Stored reports (frozen, versioned), the scheduler's job, the pages and the API."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest
import schemathesis
from schemathesis import GenerationMode
from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.auth.operations import create_api_token
from coordination.cases.models import Case
from coordination.extensions import db
from coordination.reports.models import Report
from coordination.reports.operations import generate_report
from coordination.reports.periods import Period, PeriodError, from_args
from coordination.reports.scopes import ALL, office_scope, province_scope
from coordination.reports.tasks import generate_period_reports, periods_ended
from tests.conftest import login_client, translated, user_named
from tests.reports.helpers import build, office
from tests.test_openapi import _failures

Q3 = Period.quarter(2026, 3)


@pytest.fixture
def data(app):
    with app.app_context():
        build()
        db.session.commit()
    return app


def _scope_key(code):
    return f"office:{office(code).id}"


# --- periods ----------------------------------------------------------------------------------
def test_periods_and_their_neighbours():
    assert Period.quarter(2026, 1).previous().key == "2025-Q4"
    assert Period.half(2026, 1).previous().key == "2025-H2"
    assert Period.year(2026).same_last_year().key == "2025"
    assert Period.quarter(2026, 3).same_last_year().key == "2025-Q3"
    days = Period.range(date(2026, 3, 1), date(2026, 3, 10))
    assert days.previous() == Period("range", date(2026, 2, 19), date(2026, 2, 28))
    assert Period.from_key("2026-H2").end == date(2026, 12, 31)
    assert Period.from_key("2024-02-10..2024-02-29").days == 20
    assert periods_ended(date(2027, 1, 1)) == [
        Period.quarter(2026, 4),
        Period.half(2026, 2),
        Period.year(2026),
    ]
    assert periods_ended(date(2026, 5, 3)) == [Period.quarter(2026, 1)]


@pytest.mark.parametrize(
    "args",
    [
        {"start": "2026-03-10", "end": "2026-03-01"},
        {"start": "2026-03-10", "end": "soon"},
        {"start": "2001-01-01", "end": "2026-01-01"},
        {"period": "2026-Q5"},
        {"period": "99999999999999999999"},
        {"period": ""},
        {"start": "0001-01-01", "end": "0001-01-02"},
    ],
)
def test_a_period_that_cannot_be_is_refused(app_ctx, args):
    with app_ctx.test_request_context(), pytest.raises(PeriodError):
        from_args(args)


# --- stored reports and the scheduler ---------------------------------------------------------
def test_a_stored_report_stays_as_it_was_and_a_new_version_counts_again(data):
    with data.app_context():
        scope = office_scope(office("QT-BLO").id)
        actor = user_named("qt.liaison")
        first = generate_report(scope, Q3, actor=actor)
        db.session.commit()
        assert first.version == 1
        assert first.snapshot["figures"]["cases"]["opened"] == 3
        # The data is corrected: one case was opened on another day.
        case = db.session.scalar(select(Case).where(Case.opened_on == date(2026, 9, 30)))
        case.opened_on = date(2026, 10, 2)
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Report, first.id).snapshot["figures"]["cases"]["opened"] == 3
        second = generate_report(scope, Q3, actor=actor, reason="Ngày mở sai")
        db.session.commit()
        assert (second.version, second.snapshot["figures"]["cases"]["opened"]) == (2, 2)
        assert (
            db.session.scalar(select(func.count()).where(AuditEntry.action == "report.generate"))
            == 2
        )


def test_the_scheduler_makes_each_province_report_once(data):
    with data.app_context():
        moment = datetime(2026, 10, 1, 2, tzinfo=UTC)  # 09:00 on 1 October in Vietnam
        made = generate_period_reports(now=moment)
        db.session.commit()
        provinces = len(set(db.session.scalars(select(Report.scope_key))))
        assert made == provinces  # the provinces and everything, for 2026-Q3
        assert set(db.session.scalars(select(Report.period_key))) == {"2026-Q3"}
        assert generate_period_reports(now=moment) == 0
        db.session.commit()
        stored = db.session.scalar(
            select(Report).where(
                Report.scope_key == province_scope(office("QT-BLO").province_id).key
            )
        )
        assert stored.generated_by_id is None
        assert stored.snapshot["figures"]["cases"]["opened"] == 4
        everything = db.session.scalar(select(Report).where(Report.scope_key == ALL.key))
        assert everything.snapshot["figures"]["victims"]["total"] == 6
        # At the year's end: the quarter, the half-year and the year.
        generate_period_reports(now=datetime(2027, 1, 1, 2, tzinfo=UTC))
        db.session.commit()
        assert {"2026-Q4", "2026-H2", "2026"} <= set(db.session.scalars(select(Report.period_key)))


# --- pages --------------------------------------------------------------------------------------
def test_the_report_page_shows_the_figures_and_stores_versions(data):
    client = login_client(data, "qt.supervisor")
    with data.app_context():
        scope = _scope_key("QT-BLO")
    page = client.get(f"/reports/?scope={scope}&period=2026-Q3")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert translated(data, "vi", "Cases opened") in text
    assert "&lt;5" in text  # 3 cases, protected outside the office
    generated = client.post(
        "/reports/generate", data={"scope": scope, "period": "2026-Q3", "reason": "Họp quý"}
    )
    assert generated.status_code == 302
    stored = client.get(generated.headers["Location"])
    assert stored.status_code == 200
    assert translated(data, "vi", "Version %(number)s", number=1) in stored.get_data(as_text=True)
    report_id = int(generated.headers["Location"].rsplit("/", 1)[1])
    download = client.get(f"/reports/stored/{report_id}.json")
    body = json.loads(download.data)
    assert body["figures"]["cases"]["opened"] == "<5"
    assert body["version"] == 1 and body["protected"] is True
    # Inside the office its own figures are exact.
    own = login_client(data, "qt.liaison").get(f"/reports/stored/{report_id}")
    assert own.status_code == 200
    label = translated(data, "vi", "Cases opened")
    row = re.compile(rf'<th scope="row">{re.escape(label)}</th>\s*<td[^>]*>([^<]*)</td>')
    assert row.search(own.get_data(as_text=True)).group(1) == "3"
    assert row.search(stored.get_data(as_text=True)).group(1) == "&lt;5"


def test_bad_input_on_the_pages(data):
    client = login_client(data, "qt.liaison")
    with data.app_context():
        scope = _scope_key("QT-BLO")
        other = _scope_key("LS-BLO")
    backwards = client.get(f"/reports/?scope={scope}&start=2026-03-10&end=2026-03-01")
    assert backwards.status_code == 422
    assert translated(data, "vi", "The period ends before it starts.") in backwards.get_data(
        as_text=True
    )
    assert client.get(f"/reports/?scope={other}&period=2026-Q3").status_code == 404
    assert client.get("/reports/?scope=office:99999999999999&period=2026-Q3").status_code == 404
    assert client.get("/reports/?scope=nonsense&period=2026-Q3").status_code == 404
    assert client.get(f"/reports/?scope={scope}&period={'9' * 5000}").status_code == 422
    assert (
        client.post("/reports/generate", data={"scope": other, "period": "2026"}).status_code == 404
    )
    refused = client.post("/reports/generate", data={"scope": scope, "period": "2026-Q9"})
    assert refused.status_code == 422
    assert client.get("/reports/stored/99999999999999").status_code == 404
    assert login_client(data, "qt.social").get("/reports/").status_code == 404
    assert db.session is not None


def test_another_office_may_not_read_a_stored_report(data):
    with data.app_context():
        report = generate_report(office_scope(office("QT-BLO").id), Q3, actor=None)
        db.session.commit()
        report_id = report.id
    client = login_client(data, "ls.liaison")
    assert client.get(f"/reports/stored/{report_id}").status_code == 404
    assert client.get(f"/reports/stored/{report_id}.json").status_code == 404


# --- API ---------------------------------------------------------------------------------------
@pytest.fixture
def headers(data):
    with data.app_context():
        user = user_named("qt.supervisor")
        _token, plain = create_api_token(user, "test", actor=user)
        db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_api(data, headers):
    client = data.test_client()
    with data.app_context():
        scope = f"province:{office('QT-BLO').province_id}"
        far = f"province:{office('LS-BLO').province_id}"
    counted = client.get(f"/api/v1/reports/figures?scope={scope}&period=2026-Q3", headers=headers)
    assert counted.status_code == 200, counted.data
    assert counted.json["figures"]["victims"]["total"] == 5
    assert counted.json["figures"]["cases"]["opened"] == "<5"
    made = client.post(
        "/api/v1/reports", json={"scope": scope, "period": "2026-Q3"}, headers=headers
    )
    assert made.status_code == 201 and made.json["version"] == 1
    listed = client.get(f"/api/v1/reports?scope={scope}&period=2026-Q3", headers=headers)
    assert [row["version"] for row in listed.json] == [1]
    one = client.get(f"/api/v1/reports/{made.json['id']}", headers=headers)
    assert one.json["figures"]["victims"]["total"] == 5
    # The twelve months, protected: the quarter's small months read "<5".
    assert one.json["trend"]["months"][-1] == "2026-09"
    assert one.json["trend"] == counted.json["trend"]
    assert "<5" in one.json["trend"]["cases_opened"]
    backwards = client.get(
        f"/api/v1/reports/figures?scope={scope}&start=2026-03-10&end=2026-03-01", headers=headers
    )
    assert backwards.status_code == 422
    assert "start" in backwards.json["errors"]
    assert (
        client.get(f"/api/v1/reports/figures?scope={far}&period=2026", headers=headers).status_code
        == 404
    )
    assert client.get("/api/v1/reports/99999999999", headers=headers).status_code == 404


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_reports_openapi(app, mode):
    with app.app_context():
        user = user_named("qt.supervisor")
        _token, plain = create_api_token(user, "test", actor=user)
        db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    seen = False
    for result in schema.get_all_operations():
        operation = result.ok()
        if "/reports" not in operation.path:
            continue
        seen = True
        failures.extend(_failures(operation, mode, headers))
    assert seen
    unique = list(dict.fromkeys(failures))
    assert not unique, f"{len(unique)} failures:\n" + "\n".join(unique)

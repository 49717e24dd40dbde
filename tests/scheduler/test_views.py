"""The administrator's scheduler page: jobs, last runs, failures, heartbeat; Run now."""

from __future__ import annotations

import os

from sqlalchemy import select

from coordination.extensions import db
from coordination.scheduler import lease
from coordination.scheduler.models import JobRunRequest
from coordination.scheduler.runner import execute
from tests.conftest import translated


def test_only_administrators_see_the_page(client, auth):
    auth.login("qt.supervisor")
    assert client.get("/admin/scheduler/").status_code == 404
    assert client.post("/admin/scheduler/jobs/exchange.remind_overdue/run").status_code == 404
    auth.logout()
    assert client.get("/admin/scheduler/").status_code in (302, 401)


def test_the_page_shows_jobs_runs_failures_and_that_no_scheduler_runs(app, client, auth):
    with app.app_context():
        execute("exchange.remind_overdue")
    auth.login("admin")
    page = client.get("/admin/scheduler/").get_data(as_text=True)
    for job_id in (
        "exchange.remind_deadlines",
        "exchange.remind_overdue",
        "notifications.send_email",
    ):
        assert job_id in page
    assert "overdue requests: 0; notices sent: 0" in page  # the last run's result
    no_scheduler = "No scheduler has run yet."
    assert translated(app, "en", no_scheduler) in page or no_scheduler in page

    with app.app_context():
        assert lease.acquire("vm:4242:abcd", 60)
    page = client.get("/admin/scheduler/").get_data(as_text=True)
    assert 'id="scheduler-state"' in page and "flash-success" in page
    assert f"({os.getpid()})" in page or str(os.getpid()) in page  # the live scheduler's pid


def test_run_now_asks_the_scheduler_and_never_runs_in_the_web_worker(app, client, auth):
    auth.login("admin")
    response = client.post("/admin/scheduler/jobs/exchange.remind_overdue/run")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(JobRunRequest.job_id)).all() == ["exchange.remind_overdue"]
        from coordination.scheduler.models import JobRun

        assert db.session.scalars(select(JobRun)).all() == []  # nothing ran here
    page = client.get("/admin/scheduler/").get_data(as_text=True)
    assert "No scheduler is running" in page or "flash-warning" in page
    # Twice is one request; a forged form, an unknown or absurd job id change nothing.
    assert client.post("/admin/scheduler/jobs/exchange.remind_overdue/run").status_code == 302
    assert client.post("/admin/scheduler/jobs/nope/run").status_code == 404
    assert client.post("/admin/scheduler/jobs/" + "x" * 5000 + "/run").status_code == 404
    forged = client.post(
        "/admin/scheduler/jobs/notifications.send_email/run", data={"csrf_token": "forged"}
    )
    assert forged.status_code == 400
    assert client.get("/admin/scheduler/jobs/exchange.remind_overdue/run").status_code == 405
    with app.app_context():
        assert db.session.scalars(select(JobRunRequest.job_id)).all() == ["exchange.remind_overdue"]

"""In real Chromium: the administrator's scheduler page lists the handover reminders job and
shows its last run once the scheduler's runner has run it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coordination.extensions import db
from coordination.scheduler.runner import execute
from tests.browser.test_languages import _sign_in
from tests.handovers.helpers import scheduled_handover

pytestmark = pytest.mark.browser


def test_admin_sees_the_handover_reminders_last_run(app, live_server, page, artifacts):
    with app.test_request_context():
        scheduled_handover(scheduled_at=datetime.now(UTC) + timedelta(hours=20))
        db.session.commit()
        run = execute("handovers.remind")  # as the scheduler runs it: recorded
        assert run.ok and run.result == "handovers within a day: 1; notices sent: 4"
        db.session.remove()
    _sign_in(page, live_server, "admin")  # admin works in English
    page.goto(f"{live_server}/admin/scheduler/")
    row = page.locator("#job-handovers\\.remind")
    assert "Remind the officers and guards who work a handover" in row.text_content()
    last_run = row.locator("td").nth(2).text_content()
    assert "done: handovers within a day: 1; notices sent: 4" in " ".join(last_run.split())
    page.screenshot(path=str(artifacts / "scheduler-handover-reminders.png"), full_page=True)

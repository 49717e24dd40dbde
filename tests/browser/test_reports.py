"""In real Chromium: the Quảng Trị supervisor (Vietnamese) opens the reports from the menu,
chooses the third quarter of 2026 for the office QT-BLO, reads the figures (small counts
protected), stores a version and opens it; a backwards range is refused in words. Screens
go to /work/notes-tmp/shots/reports/."""

from __future__ import annotations

from pathlib import Path

import pytest

from coordination.extensions import db
from tests.browser.test_languages import _sign_in
from tests.conftest import translated
from tests.reports.helpers import build, office

pytestmark = pytest.mark.browser

SHOTS = Path("/work/notes-tmp/shots/reports")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_choose_read_store(app, live_server, browser, page):
    with app.app_context():
        build()
        db.session.commit()
        scope = f"office:{office('QT-BLO').id}"
    _sign_in(page, live_server, "qt.supervisor")
    page.click(f"nav >> text={translated(app, 'vi', 'Reports')}")
    page.select_option("#f-scope", scope)
    page.select_option("#f-period", "2026-Q3")
    page.click(f"text={translated(app, 'vi', 'Show the report')}")
    assert page.locator("table.report-figures").count() >= 5
    assert "<5" in page.inner_text("table.report-figures >> nth=0")
    _shot(page, "report")
    page.click(f"text={translated(app, 'vi', 'Generate and store a new version')}")
    page.wait_for_url("**/reports/stored/**")
    assert translated(app, "vi", "Version %(number)s", number=1) in page.inner_text("main")
    _shot(page, "stored")
    page.goto(f"{live_server}/reports/?scope={scope}&start=2026-03-10&end=2026-03-01")
    assert translated(app, "vi", "The period ends before it starts.") in page.inner_text("main")
    _shot(page, "backwards")

"""In real Chromium at phone size: the guard sees tomorrow's handover in the week view,
makes a calendar link and copies it; the month view on a desktop."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.test_languages import _sign_in
from tests.calendar.conftest import _load

pytestmark = pytest.mark.browser


def test_guard_sees_tomorrows_handover_and_subscribes_on_a_phone(
    app,
    live_server,
    browser,
    artifacts,
):
    _load(app)
    phone = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    phone.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    try:
        page = phone.new_page()
        page.set_default_timeout(15_000)
        _sign_in(page, live_server, "qt.guard")
        tomorrow = (datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(days=1)).date()
        page.goto(f"{live_server}/calendar/?view=week&date={tomorrow.isoformat()}")
        entry = page.locator("a.cal-entry").first
        assert "Lao Bảo – Đen Xa Vẳn" in entry.inner_text()
        assert "09:00" in entry.inner_text()
        # No horizontal scrolling on the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot = artifacts / "calendar-week-phone.png"
        page.screenshot(path=str(shot), full_page=True)
        # Subscribe: make the link, see it with a copy button, copy it.
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#feed button.primary")
        url = page.input_value("#feed-url")
        assert "/calendar/feed/cal_" in url and url.endswith(".ics")
        copy = page.locator("button[data-copy]")
        assert copy.is_visible()
        copy.click()
        assert page.evaluate("navigator.clipboard.readText()") == url
        shot = artifacts / "calendar-feed-phone.png"
        page.locator("#feed").screenshot(path=str(shot))
        feed = page.request.get(url)
        assert feed.status == 200 and b"BEGIN:VEVENT" in feed.body()
    finally:
        phone.close()


def test_month_view_on_a_desktop(app, live_server, page, artifacts):
    _load(app)
    _sign_in(page, live_server, "qt.guard")
    page.goto(f"{live_server}/calendar/")
    assert page.locator(".cal-today[aria-current=date]").count() == 1
    tomorrow = (datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(days=1)).date()
    if tomorrow.month == datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).month:
        assert page.locator("a.cal-entry").count() >= 1
    shot = artifacts / "calendar-month-desktop.png"
    page.screenshot(path=str(shot), full_page=True)

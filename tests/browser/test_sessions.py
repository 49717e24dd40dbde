"""In real Chromium: an officer signed in on two devices ends the other one from My account."""

import pytest

from tests.browser.test_languages import _sign_in

pytestmark = pytest.mark.browser


def test_officer_sees_both_sessions_and_ends_the_other_one(live_server, browser, artifacts):
    phone = browser.new_context(
        locale="vi-VN",
        viewport={"width": 390, "height": 844},
        user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
    )
    desk = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 860})
    try:
        phone_page, desk_page = phone.new_page(), desk.new_page()
        for page in (phone_page, desk_page):
            page.set_default_timeout(15_000)
            _sign_in(page, live_server, "qt.guard")

        phone_page.goto(f"{live_server}/account")
        assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        phone_page.screenshot(path=str(artifacts / "account-sessions-phone-vi.png"), full_page=True)

        desk_page.goto(f"{live_server}/account")
        rows = desk_page.locator("#sessions tbody tr")
        assert rows.count() == 2
        this_device = rows.filter(has=desk_page.locator(".badge"))
        assert this_device.count() == 1
        other = rows.filter(has_text="Android")
        assert other.count() == 1
        desk_page.screenshot(path=str(artifacts / "account-sessions-vi.png"), full_page=True)

        other.locator("button").click()
        desk_page.wait_for_url(f"{live_server}/account")
        assert desk_page.locator("#sessions tbody tr").count() == 1

        # The phone's cookie no longer opens anything: the next page asks it to sign in.
        phone_page.goto(f"{live_server}/cases/")
        assert "/login" in phone_page.url
        # The desk stays signed in.
        desk_page.goto(f"{live_server}/cases/")
        assert "/login" not in desk_page.url
    finally:
        phone.close()
        desk.close()

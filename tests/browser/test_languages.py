"""In real Chromium: sign in, switch among the four languages, and see each one rendered."""

import pytest
from flask_babel import force_locale

from coordination.demo_data import DEMO_PASSWORD
from coordination.i18n import _

pytestmark = pytest.mark.browser

# Office name of qt.liaison in each language, as stored in the demo data.
OFFICE_NAMES = {
    "vi": "Văn phòng liên lạc biên giới Quảng Trị",
    "lo": "ຫ້ອງການປະສານງານຊາຍແດນ ກວາງຈີ",
    "zh": "广治边境联络办公室",
    "en": "Quang Tri Border Liaison Office",
}
LANGUAGE_BUTTONS = {"vi": "Tiếng Việt", "lo": "ພາສາລາວ", "zh": "中文", "en": "English"}


def _translated(app, locale: str, text: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return _(text)


def _sign_in(page, live_server, username="qt.liaison"):
    page.goto(f"{live_server}/login")
    page.fill("#f-username", username)
    page.fill("#f-password", DEMO_PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live_server}/")


def _glyphs_render(page, text: str) -> bool:
    """True when ``text`` is drawn with the app's web font rather than a fallback/tofu."""
    return page.evaluate(
        """async (text) => {
            await document.fonts.ready;
            return document.fonts.check('16px "App Sans"', text);
        }""",
        text,
    )


def test_sign_in_and_switch_among_the_four_languages(app, live_server, browser, page, artifacts):
    _sign_in(page, live_server)
    for locale in ("lo", "zh", "en", "vi"):
        with page.expect_navigation():
            page.click(f".locale-switch button[value={locale}]")
        assert page.get_attribute("html", "lang") == locale
        heading = page.text_content("main h1")
        assert heading == OFFICE_NAMES[locale]
        dashboard = _translated(app, locale, "Dashboard")
        assert page.text_content(".mainnav a") == dashboard
        partners = _translated(app, locale, "Partner offices")
        assert page.locator("main h2", has_text=partners).count() == 1
        assert _glyphs_render(page, heading)
        page.screenshot(path=str(artifacts / f"dashboard-{locale}.png"), full_page=True)

    # The choice sticks to the user: a new browser session signs in straight to it.
    with page.expect_navigation():
        page.click(".locale-switch button[value=zh]")
    page.wait_for_load_state()
    # A separate context, not cleared cookies: a response still in flight could set them again.
    fresh = browser.new_context(locale="vi-VN")
    try:
        fresh_page = fresh.new_page()
        fresh_page.set_default_timeout(15_000)
        _sign_in(fresh_page, live_server)
        assert fresh_page.get_attribute("html", "lang") == "zh"
    finally:
        fresh.close()


def test_before_sign_in_the_browser_language_is_followed(browser, live_server):
    for accept, expected in (("lo-LA", "lo"), ("zh-CN", "zh"), ("en-GB", "en"), ("fr-FR", "vi")):
        context = browser.new_context(locale=accept)
        page = context.new_page()
        page.goto(f"{live_server}/login")
        assert page.get_attribute("html", "lang") == expected
        context.close()


def test_phone_sized_screen(live_server, browser, artifacts):
    context = browser.new_context(
        locale="lo-LA", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    _sign_in(page, live_server, "svk.liaison")
    # The menu is folded behind a toggle on a phone.
    assert not page.is_visible(".mainnav")
    page.click(".nav-toggle-label")
    assert page.is_visible(".mainnav")
    page.screenshot(path=str(artifacts / "dashboard-lo-phone.png"), full_page=True)
    page.click(".mainnav a[href='/directory/offices']")
    page.wait_for_url(f"{live_server}/directory/offices")
    # No horizontal scrolling: the page fits the screen's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts / "offices-lo-phone.png"), full_page=True)
    context.close()

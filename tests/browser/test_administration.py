"""In real Chromium: an administrator manages partnerships and users through the forms."""

import pytest

from tests.browser.test_languages import _sign_in

pytestmark = pytest.mark.browser


def test_admin_creates_a_partnership_and_is_stopped_from_pairing_an_office_with_itself(
    live_server, page, artifacts
):
    _sign_in(page, live_server, "admin")  # admin works in English
    page.goto(f"{live_server}/directory/partnerships/new")
    page.select_option("#f-office_a_id", label="SLV-BLO · Salavan Border Liaison Office")
    page.select_option("#f-office_b_id", label="SLV-BLO · Salavan Border Liaison Office")
    page.check("input[name=working_languages][value=lo]")
    for field, days in (
        ("identity_verification", "12"),
        ("information", "8"),
        ("rescue_assistance", "2"),
        ("handover_proposal", "6"),
    ):
        page.fill(f"#f-deadline_{field}", days)
    page.click("button.primary")
    error = page.text_content(".field.invalid .error")
    assert error == "An office cannot be its own partner. Choose another office."
    page.screenshot(path=str(artifacts / "partnership-self-error-en.png"), full_page=True)

    page.select_option("#f-office_b_id", label="LS-BLO · Lang Son Border Liaison Office")
    page.click("button.primary")
    page.wait_for_url(f"{live_server}/directory/partnerships/*")
    assert "Lang Son Border Liaison Office" in page.text_content("main h1")
    assert (
        page.locator("td", has_text="Identity verification")
        .locator("xpath=../td[2]")
        .text_content()
        == "12"
    )


def test_admin_creates_a_user_who_signs_in_in_lao(live_server, browser, page, artifacts):
    _sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/admin/users/new")
    page.fill("#f-username", "slv.officer")
    page.fill("#f-full_name", "ບຸນທະວີ ສີສຸພັນ")
    page.select_option("#f-office_id", label="SLV-BLO · Salavan Border Liaison Office")
    page.check("input[name=roles][value=liaison_officer]")
    page.select_option("#f-locale", "lo")
    page.select_option("#f-timezone", "Asia/Vientiane")
    page.fill("#f-password", "slv-officer-password")
    page.fill("#f-password_confirm", "slv-officer-password")
    page.click("button.primary")
    page.wait_for_url(f"{live_server}/admin/users/*")
    assert page.text_content("main h1") == "ບຸນທະວີ ສີສຸພັນ"

    context = browser.new_context(locale="en-US")
    officer = context.new_page()
    officer.goto(f"{live_server}/login")
    officer.fill("#f-username", "slv.officer")
    officer.fill("#f-password", "slv-officer-password")
    officer.click("button.primary")
    officer.wait_for_url(f"{live_server}/")
    assert officer.get_attribute("html", "lang") == "lo"
    officer.screenshot(path=str(artifacts / "new-user-dashboard-lo.png"), full_page=True)
    context.close()

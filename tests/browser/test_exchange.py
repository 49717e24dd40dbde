"""In real Chromium: a Vietnamese officer asks Savannakhet to verify a person; a Lao officer,
in Lao, acknowledges and replies; the Vietnamese officer sees the outcome."""

import pytest

from coordination.extensions import db
from tests.browser.test_languages import _sign_in
from tests.conftest import translated
from tests.exchange.helpers import make_case

pytestmark = pytest.mark.browser


def test_verification_request_between_quang_tri_and_savannakhet(
    app, live_server, browser, page, artifacts
):
    with app.app_context():
        case, _victim, _relative = make_case()
        db.session.commit()
        case_id = case.id

    # Quảng Trị, in Vietnamese: compose from the case and send.
    _sign_in(page, live_server, "qt.liaison")
    page.goto(f"{live_server}/cases/{case_id}")
    page.click(f"a[href='/requests/new?case={case_id}']")
    page.select_option("#f-recipient_office_id", label="Văn phòng liên lạc biên giới Savannakhet")
    page.select_option("#f-kind", "identity_verification")
    page.fill("#f-subject", "Đề nghị xác minh nhân thân Nguyễn Thị Hướng")
    page.fill("#f-body", "Đề nghị quý Văn phòng xác minh nhân thân người dưới đây.")
    # Share the victim only (the relative stays with us), without the home address.
    boxes = page.locator("input[name=person_ids]")
    boxes.nth(1).uncheck()
    page.screenshot(path=str(artifacts / "request-compose-vi.png"), full_page=True)
    page.click("button[value=send]")
    page.wait_for_url(f"{live_server}/requests/*")
    reference = page.text_content("main h1").split(" · ")[0]
    assert reference.startswith("QT-BLO/")
    request_url = page.url

    # Savannakhet, in Lao: the request is in the inbox; acknowledge, then reply.
    partner = browser.new_context(locale="lo-LA", viewport={"width": 1280, "height": 900})
    lao = partner.new_page()
    _sign_in(lao, live_server, "svk.liaison")
    assert lao.get_attribute("html", "lang") == "lo"
    lao.goto(f"{live_server}/requests/inbox")
    lao.click(f"text={reference}")
    assert "Nguyễn Thị Hướng" in lao.text_content("main")
    assert "Nguyễn Văn Tư" not in lao.text_content("main")
    lao.click("button[value=acknowledge]")
    lao.wait_for_load_state("load")
    lao.select_option("select[name^=outcome_]", "confirmed")
    lao.fill("#f-body", "ໄດ້ກວດສອບແລ້ວ ບຸກຄົນນີ້ແມ່ນຜູ້ຖືກເຄາະຮ້າຍ")
    lao.screenshot(path=str(artifacts / "request-reply-lo.png"), full_page=True)
    lao.click("button[value=reply]")
    lao.wait_for_load_state("load")
    assert translated(app, "lo", "Answered") in lao.text_content(".state")
    partner.close()

    # Back in Quảng Trị: the outcome is there, in Vietnamese.
    page.goto(request_url)
    assert translated(app, "vi", "Identity confirmed") in page.text_content(".shared-person")
    assert "ໄດ້ກວດສອບແລ້ວ" in page.text_content(".thread")
    page.screenshot(path=str(artifacts / "request-outcome-vi.png"), full_page=True)

"""In real Chromium: schedule a handover, log it at the gate on a phone, download the record."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coordination.extensions import db
from tests.browser.test_languages import _sign_in
from tests.handovers.helpers import agreed_proposal

pytestmark = pytest.mark.browser


def test_schedule_log_and_download_the_record(app, live_server, browser, page, artifacts):
    with app.app_context():
        proposal = agreed_proposal()
        db.session.commit()
        proposal_id = proposal.id
    # At the station: schedule from the agreed proposal.
    _sign_in(page, live_server, "qt.guard")
    page.goto(f"{live_server}/handovers/new?request_id={proposal_id}")
    page.select_option("#f-gate_id", label="Lao Bảo – Đen Xa Vẳn")
    yesterday = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) - timedelta(days=1)
    page.fill("#f-scheduled_at", yesterday.strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#f-handing_side", "recipient")
    page.fill("#f-handing_officers", "ບຸນມີ ແກ້ວວົງສາ; ຮ້ອຍເອກ")
    page.fill("#f-receiving_officers", "Trần Văn Bình; Thiếu tá")
    page.fill("#f-transport", "Xe ô tô 74A-123.45")
    page.click("button.primary")
    page.wait_for_url(f"{live_server}/handovers/*")
    handover_url = page.url
    assert "ບຸນມີ ແກ້ວວົງສາ" in page.text_content("main")
    page.screenshot(path=str(artifacts / "handover-scheduled-vi.png"), full_page=True)

    # At the gate, on a phone: log both people and complete.
    phone = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        gate = phone.new_page()
        gate.set_default_timeout(15_000)
        _sign_in(gate, live_server, "qt.guard")
        gate.goto(f"{handover_url}/log")
        for section in gate.locator("details.person-log").all():  # one closed section each
            section.locator("summary").click()
            section.locator("input[name$='-handed_over'][value='1']").check()
        for box in gate.locator("input[name$='-identity_checked']").all():
            box.check()
        gate.locator("select[name$='-referral']").first.select_option("social_protection_centre")
        now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
        gate.fill("#f-completed_at", now.strftime("%Y-%m-%dT%H:%M"))
        gate.check("input[name=trilingual]")
        # No horizontal scrolling on the phone.
        assert gate.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        gate.screenshot(path=str(artifacts / "handover-gate-log-phone.png"), full_page=True)
        gate.click("button[value=complete]")
        gate.wait_for_url(handover_url)
    finally:
        phone.close()

    page.goto(handover_url)
    with page.expect_download() as download_info:
        page.click("ul.records a")
    download = download_info.value
    path = artifacts / "handover-record-browser.pdf"
    download.save_as(str(path))
    assert path.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename.endswith("-v1.pdf")
    page.screenshot(path=str(artifacts / "handover-completed-vi.png"), full_page=True)

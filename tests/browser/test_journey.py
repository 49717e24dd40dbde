"""In real Chromium, in Vietnamese: the Lao Bảo guard reads our name for the woman the
partner writes in Lao, completes the handover referring her to Quảng Trị's social
protection centre, and our case shows "handed over"."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from coordination.directory.models import Office
from coordination.extensions import db
from coordination.matching.operations import decide_match
from tests.browser.test_languages import _sign_in
from tests.conftest import translated, user_named
from tests.exchange.helpers import make_case
from tests.handovers.helpers import matched_journey

pytestmark = pytest.mark.browser


def _shot(page, artifacts, name):
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def test_guard_completes_with_a_referral_and_the_case_is_handed_over(
    app, live_server, browser, page, artifacts
):
    with app.app_context(), app.test_request_context():
        journey = matched_journey(confirm=False)
        # Quảng Trị's own case holds her (as Quảng Trị writes her name): match confirmed.
        ours, victim, _relative = make_case("qt.liaison")
        decide_match(
            journey["verification"].people[0], "person", victim, "confirmed",
            note=None, score=0.9, actor=user_named("qt.liaison"),
        )  # fmt: skip
        db.session.commit()
        handover_id, case_id = journey["handover"].id, ours.id
        centre = db.session.scalar(select(Office).where(Office.code == "QT-SPC"))
        centre_name = centre.name_vi
    _sign_in(page, live_server, "qt.guard")
    page.goto(f"{live_server}/handovers/{handover_id}/log")
    first = page.locator("details.person-log").first
    # The partner's rendering, and ours beside it.
    assert "ຫງວຽນ ທິ ເຮືອງ" in first.locator("summary").text_content()
    assert "Nguyễn Thị Hướng" in first.locator("summary").text_content()
    for section in page.locator("details.person-log").all():
        if section.get_attribute("open") is None:
            section.locator("summary").click()
        section.locator("input[name$='-handed_over'][value='1']").check()
        section.locator("select[name$='-referral']").select_option("social_protection_centre")
        section.locator("select[name$='-referral_office_id']").select_option(
            label=next(
                text
                for text in section.locator(
                    "select[name$='-referral_office_id'] option"
                ).all_text_contents()
                if text.startswith(centre_name)
            )
        )
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    page.fill("#f-completed_at", now.strftime("%Y-%m-%dT%H:%M"))
    _shot(page, artifacts, "journey-gate-log-vi")
    page.click("button[value=complete]")
    page.wait_for_url(f"{live_server}/handovers/{handover_id}")
    main = page.text_content("main")
    assert centre_name in main and "Nguyễn Thị Hướng" in main
    _shot(page, artifacts, "journey-handover-completed-vi")
    # Our side's copy of the record names her as our record does, beside the Lao rendering.
    with page.expect_download() as download_info:
        page.click("ul.records a")
    path = artifacts / "journey-record-ours.pdf"
    download_info.value.save_as(str(path))
    assert path.read_bytes().startswith(b"%PDF")

    # The liaison officer opens our case: it moved to "handed over" by itself.
    liaison = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 860})
    try:
        office = liaison.new_page()
        office.set_default_timeout(15_000)
        _sign_in(office, live_server, "qt.liaison")
        office.goto(f"{live_server}/cases/{case_id}")
        status = office.locator("dl.facts dd").first.text_content()
        assert translated(app, "vi", "Handed over") in status
        _shot(office, artifacts, "journey-case-handed-over-vi")
    finally:
        liaison.close()

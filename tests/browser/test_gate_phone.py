"""In real Chromium on a phone (390×844): the guard's dashboard lists the handover due at
the gate tomorrow; the other side came early. One tap opens each person, one tap decides,
and one tap completes: the completion time is already now, and the handover reads early."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from coordination.extensions import db
from coordination.handovers import operations
from tests.browser.test_languages import _sign_in
from tests.conftest import translated, user_named
from tests.handovers.helpers import agreed_proposal, schedule_data

pytestmark = pytest.mark.browser

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
PEOPLE = ("ຫງວຽນ ທິ ເຮືອງ", "ເລ ທິ ລານ", "阮氏香", "Hồ Thị Lan")
PHONE = {"width": 390, "height": 844}


def test_one_tap_completion_on_a_phone(app, live_server, browser, artifacts):
    tomorrow_nine = datetime.combine(
        datetime.now(VIETNAM).date() + timedelta(days=1), time(9, 0), tzinfo=VIETNAM
    )
    with app.app_context():
        proposal = agreed_proposal(PEOPLE)
        handover = operations.schedule(
            proposal,
            schedule_data(proposal, scheduled_at=tomorrow_nine),
            actor=user_named("qt.guard"),
        )
        db.session.commit()
        handover_id = handover.id
    phone = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        gate = phone.new_page()
        gate.set_default_timeout(15_000)
        _sign_in(gate, live_server, "qt.guard")

        # First thing on the dashboard: tomorrow's handover at Lao Bảo, one tap from its log.
        panel = gate.locator("#coming-handovers")
        assert panel.is_visible()
        assert panel.locator(f"a[href='/handovers/{handover_id}/log']").is_visible()
        gate.screenshot(path=str(artifacts / "gate-dashboard-phone.png"), full_page=True)
        panel.locator(f"a[href='/handovers/{handover_id}/log']").tap()
        gate.wait_for_url(f"{live_server}/handovers/{handover_id}/log")

        # One closed section per person, the Latin form beside Lao and Chinese names.
        sections = gate.locator("details.person-log")
        assert sections.count() == len(PEOPLE)
        summaries = gate.locator("details.person-log > summary").all_inner_texts()
        assert "Nguyen Thi Huong" in summaries[0] and "Ruan Shi Xiang" in summaries[2]
        assert not gate.locator("input[name$='-handed_over']").first.is_visible()
        progress = gate.locator(".gate-progress").first
        assert progress.inner_text() == translated(
            app, "vi", "%(done)s of %(total)s done", done=0, total=len(PEOPLE)
        )
        filled = gate.input_value("#f-completed_at")
        assert abs(
            datetime.fromisoformat(filled).replace(tzinfo=VIETNAM) - datetime.now(VIETNAM)
        ) < timedelta(minutes=2)

        gate.screenshot(path=str(artifacts / "gate-log-phone-closed.png"))
        handed_over = translated(app, "vi", "Handed over")
        for number, section in enumerate(sections.all()):
            section.locator("summary").tap()
            choice = "0" if number == len(PEOPLE) - 1 else "1"
            section.locator(f"label.choice:has(input[value='{choice}'])").tap()
            if number == 0:
                gate.screenshot(path=str(artifacts / "gate-log-phone-first-open.png"))
        assert progress.inner_text() == translated(
            app, "vi", "%(done)s of %(total)s done", done=len(PEOPLE), total=len(PEOPLE)
        )
        assert sections.first.locator("summary .badge").inner_text() == handed_over
        # The open sections fit the phone: no sideways scrolling.
        assert gate.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        gate.screenshot(path=str(artifacts / "gate-log-phone.png"), full_page=True)
        gate.locator("button[value=complete]").scroll_into_view_if_needed()
        gate.screenshot(path=str(artifacts / "gate-log-phone-bottom.png"))

        # One tap: the time is already now.
        gate.locator("button[value=complete]").tap()
        gate.wait_for_url(f"{live_server}/handovers/{handover_id}")
        assert gate.locator(".badge.timing-early").first.inner_text() == translated(
            app, "vi", "Early"
        )
        gate.screenshot(path=str(artifacts / "gate-completed-phone.png"), full_page=True)
    finally:
        phone.close()

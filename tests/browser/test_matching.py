"""In real Chromium: Quảng Trị verifies a person Savannakhet found, and finds people by name."""

from datetime import date

import pytest
from sqlalchemy import select

from coordination.exchange.models import RequestPerson
from coordination.extensions import db
from coordination.matching.models import MatchDecision
from tests.browser.test_languages import _sign_in
from tests.matching.helpers import lao_request_about, register

pytestmark = pytest.mark.browser


def test_verify_a_lao_rendering_of_a_vietnamese_name(app, live_server, page, artifacts):
    with app.app_context():
        register("qt.liaison", "Nguyễn Thị Hướng", "Nguyen Thi Huong", date(2001, 5, 17))
        register("qt.liaison", "Nguyễn Văn Hùng", sex="male")
        request = lao_request_about("ຫງວຽນ ທິ ເຮືອງ", date.today().year - 2001)
        db.session.commit()
        request_id, shared_id = request.id, request.people[0].id
    _sign_in(page, live_server, "qt.liaison")
    page.goto(f"{live_server}/requests/{request_id}")
    first = page.locator(".candidates li").first
    assert "Nguyễn Thị Hướng" in first.text_content()
    page.screenshot(path=str(artifacts / "verification-candidates-vi.png"), full_page=True)

    # Side by side: the Lao rendering beside the register entry, then the decision.
    first.locator("a").first.click()
    page.wait_for_url(f"{live_server}/verification/{shared_id}/missing/*")
    assert page.locator("table.compare tr.agree").count() >= 2  # name and age agree
    page.fill("#f-note", "Mẹ xác nhận qua điện thoại")
    page.screenshot(path=str(artifacts / "verification-compare-vi.png"), full_page=True)
    page.click("button[value=confirmed]")
    page.wait_for_url(f"{live_server}/requests/{request_id}#p{shared_id}")
    assert page.locator(".candidates .badge.decision-confirmed").count() == 1
    # The reply's outcome is already chosen from the decision.
    assert page.input_value(f"select[name=outcome_{shared_id}]") == "confirmed"
    page.fill("#f-body", "Đã xác minh: đúng là chị Nguyễn Thị Hướng.")
    page.click("button[value=reply]")
    page.wait_for_url(f"{live_server}/requests/{request_id}")
    page.screenshot(path=str(artifacts / "verification-replied-vi.png"), full_page=True)
    with app.app_context():
        decision = db.session.scalars(select(MatchDecision)).one()
        assert decision.decided_by.username == "qt.liaison"
        assert db.session.get(RequestPerson, shared_id).outcome == "confirmed"


def test_the_top_bar_search_finds_a_person_written_in_chinese(app, live_server, page, artifacts):
    with app.app_context():
        register("qt.liaison", "Nguyễn Thị Hướng", born=date(2001, 5, 17))
        db.session.commit()
    _sign_in(page, live_server, "qt.liaison")
    page.fill(".quick-search input", "阮氏香")
    page.press(".quick-search input", "Enter")
    page.wait_for_url(f"{live_server}/search/people?q=*")
    assert "Nguyễn Thị Hướng" in page.locator(".candidates li").first.text_content()
    page.screenshot(path=str(artifacts / "search-people-vi.png"), full_page=True)

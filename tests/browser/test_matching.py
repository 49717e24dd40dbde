"""In real Chromium: Quảng Trị sees its register's candidates for a person Savannakhet found."""

from datetime import date

import pytest

from coordination.extensions import db
from tests.browser.test_languages import _sign_in
from tests.matching.test_candidates import _lao_request_about, _register

pytestmark = pytest.mark.browser


def test_candidates_for_a_lao_rendering_of_a_vietnamese_name(app, live_server, page, artifacts):
    with app.app_context():
        _register("qt.liaison", "Nguyễn Thị Hướng", "Nguyen Thi Huong", date(2001, 5, 17))
        _register("qt.liaison", "Nguyễn Văn Hùng", sex="male")
        request = _lao_request_about("ຫງວຽນ ທິ ເຮືອງ", date.today().year - 2001)
        db.session.commit()
        request_id = request.id
    _sign_in(page, live_server, "qt.liaison")
    page.goto(f"{live_server}/requests/{request_id}")
    first = page.locator(".candidates li").first
    assert "Nguyễn Thị Hướng" in first.text_content()
    page.screenshot(path=str(artifacts / "verification-candidates-vi.png"), full_page=True)

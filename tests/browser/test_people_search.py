"""The people search in Chromium, in Lao and Chinese, on the demo records."""

from __future__ import annotations

import pytest

from coordination.demo_data import DEMO_PASSWORD
from coordination.demo_records import load_demo_records
from coordination.extensions import db
from tests.conftest import translated


@pytest.fixture
def demo(app):
    with app.app_context():
        load_demo_records()
        db.session.commit()


def sign_in(browser, live_server, username, locale):
    context = browser.new_context(locale=locale, viewport={"width": 1100, "height": 760})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server}/login")
    page.fill("#f-username", username)
    page.fill("#f-password", DEMO_PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live_server}/")
    return context, page


def look_up(page, text):
    page.fill("form.quick-search input[name=q]", text)  # the search box in the top bar
    page.press("form.quick-search input[name=q]", "Enter")
    page.wait_for_selector("#people-search")


def test_a_lao_officer_finds_a_name_by_one_lao_word(app, demo, browser, live_server, artifacts):
    context, page = sign_in(browser, live_server, "svk.liaison", "lo-LA")
    look_up(page, "ເຮືອງ")
    section = page.inner_text("#people-search")
    assert "ຫງວຽນ ທິ ເຮືອງ" in section
    assert translated(app, "lo", "written the same") in section
    page.screenshot(path=artifacts / "search-lo-heuang.png", full_page=True)
    context.close()


def test_a_chinese_officer_is_told_what_was_searched(app, demo, browser, live_server, artifacts):
    context, page = sign_in(browser, live_server, "px.liaison", "zh-CN")
    look_up(page, "香")
    section = page.inner_text("#people-search")
    nothing = "Nothing found for «%(query)s» (read as: %(reading)s) in the records you may see."
    assert translated(app, "zh", nothing, query="香", reading="huong, xiang") in section
    page.screenshot(path=artifacts / "search-zh-xiang.png", full_page=True)
    look_up(page, "Lan")
    section = page.inner_text("#people-search")
    assert "范氏兰" in section
    page.screenshot(path=artifacts / "search-zh-lan.png", full_page=True)
    context.close()

"""In real Chromium on a phone (390×844), the contacts flow of issue 17.

Which offices: the demo partnerships (coordination/demo_data.py) pair the Lạng Sơn liaison
office with Pingxiang's (LS-BLO – PX-BLO) and the Hữu Nghị border guard station with the
Youyiguan station in Pingxiang (LS-BGS-HN – PX-BGS). ls.guard logs the urgent call from
Youyiguan at the station, writes the case's number and passes the call to the province's
liaison office; ls.liaison links the case and sends the rescue-assistance request to
Pingxiang's liaison office. In the second test the station shares a call with Youyiguan,
and px.guard confirms it in Chinese ("yes, we called").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from coordination.contacts.models import Contact
from coordination.exchange.models import Request
from coordination.extensions import db
from tests.browser.test_languages import _sign_in
from tests.conftest import translated
from tests.contacts.helpers import make_case

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SHOTS = Path("/work/notes-tmp/shots/contacts")
CONTACT_PAGE = re.compile(r"/contacts/\d+$")
ASKED = "凭祥来电：三名越南籍妇女被困在出租屋，请求协助解救。"


def _phone(browser, locale="vi-VN"):
    context = browser.new_context(locale=locale, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _shot(page, name: str, artifacts: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)
    page.screenshot(path=str(artifacts / f"contacts-{name}"), full_page=True)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_guard_logs_an_urgent_call_and_the_liaison_office_makes_it_a_rescue_request(
    app, live_server, browser, artifacts
):
    """Issue 17: a guard logs an urgent incoming call from Pingxiang in Chinese on a phone,
    links it to an existing case, and the liaison officer turns it into a rescue-assistance
    request. A border guard station sees no liaison office's case: the guard writes the
    case's number and passes the call on in the same tap; the liaison office finds its case
    chosen already, ticks its people and sends the request to its own partner in Pingxiang."""
    with app.app_context():
        case, person = make_case("ls.liaison", "Ba phụ nữ bị giữ tại Bằng Tường")
        db.session.commit()
        case_id, case_number, person_id = case.id, case.number, person.id
    context, page = _phone(browser)
    try:
        _sign_in(page, live_server, "ls.guard")
        page.goto(f"{live_server}/contacts")
        page.locator("#log-contact").tap()
        page.wait_for_url(f"{live_server}/contacts/new")
        # The station has one partner (the Youyiguan station in Pingxiang): chosen already;
        # hotline and incoming are the defaults.
        assert (
            page.locator("#f-partner_office_id option:checked")
            .inner_text()
            .startswith("Trạm kiểm tra biên phòng Hữu Nghị Quan")
        )
        page.locator("#choice-urgency label.choice:has(input[value=urgent])").tap()
        page.locator("#choice-language label.choice:has(input[value=zh])").tap()
        page.fill("#f-asked", ASKED)
        page.fill("#f-case_reference", case_number)
        page.locator("label.check:has(input[name=forward])").tap()
        assert _fits(page)
        _shot(page, "1-guard-logs-call-phone.png", artifacts)
        page.locator("#save-contact").tap()
        page.wait_for_url(CONTACT_PAGE)
        detail = page.locator("main").inner_text()
        assert ASKED in detail and case_number in detail
        assert translated(app, "vi", "Urgent") in detail
        assert translated(app, "vi", "Hotline call") in detail
        assert "Văn phòng liên lạc biên giới" in page.inner_text("#forwarded-to")
        assert _fits(page)
        _shot(page, "2-call-passed-on-phone.png", artifacts)
        contact_url = page.url
        contact_id = int(contact_url.rsplit("/", 1)[1])
    finally:
        context.close()

    context, page = _phone(browser)
    try:
        _sign_in(page, live_server, "ls.liaison")
        page.goto(f"{live_server}/contacts?box=forwarded")
        row = page.locator("table.contact-log tbody tr").first
        assert "urgent" in row.get_attribute("class")
        _shot(page, "3-passed-to-us-phone.png", artifacts)
        row.locator(f"a[href='/contacts/{contact_id}']").tap()
        page.wait_for_url(contact_url)
        # The case the guard wrote is chosen already, with its people to tick.
        assert page.input_value("#f-case_id") == str(case_id)
        page.locator(f"label:has(input[name=person_ids][value='{person_id}'])").tap()
        page.locator("#link-form").scroll_into_view_if_needed()
        _shot(page, "4-liaison-links-case-phone.png", artifacts)
        with page.expect_navigation():
            page.locator("#link-records").tap()
        concerns = page.inner_text("#concerns")
        assert case_number in concerns and "Lý Thị Hoa" in concerns

        page.locator("#make-request").tap()
        page.wait_for_url(re.compile(r"/contacts/\d+/request$"))
        assert page.input_value("#f-kind") == "rescue_assistance"  # urgent: rescue assistance
        assert page.input_value("#f-body") == ASKED
        assert (
            page.locator("#f-recipient_office_id option:checked")
            .inner_text()
            .startswith("Văn phòng liên lạc biên giới Bằng Tường")
        )
        assert _fits(page)
        _shot(page, "5-make-request-phone.png", artifacts)
        page.locator("#send-request").tap()
        page.wait_for_url(re.compile(r"/requests/\d+$"))
        with app.app_context():
            made = db.session.scalar(select(Request).order_by(Request.id.desc()))
            contact = db.session.get(Contact, contact_id)
            assert made.kind == "rescue_assistance" and made.case_id == case_id
            assert made.sender_office.code == "LS-BLO" and made.recipient_office.code == "PX-BLO"
            assert [p.person_id for p in made.people] == [person_id]
            assert contact.request_id == made.id and contact.case_id == case_id
            assert contact.office.code == "LS-BGS-HN" and contact.partner_office.code == "PX-BGS"
            assert contact.language == "zh" and contact.urgency == "urgent"
        # The call shows in the thread of the request it became, and in the case history.
        panel = page.locator("#contacts-panel")
        assert panel.locator(f"a[href='/contacts/{contact_id}']").count() == 1
        panel.scroll_into_view_if_needed()
        _shot(page, "6-request-thread-with-call-phone.png", artifacts)
        page.goto(f"{live_server}/cases/{case_id}")
        assert page.locator(f"#contacts-panel a[href='/contacts/{contact_id}']").count() == 1
    finally:
        context.close()


def test_a_guard_logs_a_call_from_youyiguan_and_the_partner_confirms(
    app, live_server, browser, artifacts
):
    context, page = _phone(browser)
    try:
        _sign_in(page, live_server, "ls.guard")
        page.goto(f"{live_server}/contacts/new")
        # The station has one partner (Youyiguan): it is chosen already.
        assert (
            page.locator("#f-partner_office_id option:checked")
            .inner_text()
            .startswith("Trạm kiểm tra biên phòng Hữu Nghị Quan")
        )
        page.locator("#choice-urgency label.choice:has(input[value=urgent])").tap()
        page.locator("#choice-language label.choice:has(input[value=zh])").tap()
        page.fill("#f-asked", "友谊关边检站来电：一名妇女在口岸求助。")
        page.locator("#save-contact").tap()
        page.wait_for_url(CONTACT_PAGE)
        with page.expect_navigation():
            page.locator("#share-contact").tap()
        assert translated(app, "vi", "Not confirmed by the partner yet.") in page.inner_text("main")
        url = page.url
    finally:
        context.close()

    context, page = _phone(browser, "zh-CN")
    try:
        _sign_in(page, live_server, "px.guard")
        page.goto(f"{live_server}/contacts?box=shared")
        assert page.locator("table.contact-log tbody tr.urgent").count() == 1
        page.goto(url)
        page.locator("label.check:has(input[name=confirm])").tap()
        page.fill("#f-note", "确认：我们打过电话，人员已在口岸。")
        _shot(page, "7-partner-confirms-phone-zh.png", artifacts)
        with page.expect_navigation():
            page.locator("#respond-contact").tap()
        seen = page.inner_text("main")
        assert translated(app, "zh", "Confirmed by the partner") in seen
        # Their incoming call was our outgoing one: the partner reads it from its side.
        assert translated(app, "zh", "Outgoing") in page.inner_text("h1")
        assert _fits(page)
        _shot(page, "8-confirmed-phone-zh.png", artifacts)
    finally:
        context.close()
    with app.app_context():
        contact = db.session.scalar(select(Contact).order_by(Contact.id.desc()))
        assert contact.office.code == "LS-BGS-HN" and contact.partner_office.code == "PX-BGS"
        assert contact.confirmed_at is not None and "口岸" in contact.partner_note

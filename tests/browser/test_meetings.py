"""In real Chromium: Quảng Trị's liaison officer (qt.liaison, Vietnamese, on a phone) plans a
quarterly giao ban with Savannakhet's border liaison office (SVK-BLO), moves the second
occurrence, puts an overdue request on the first one's agenda, records the minutes with two
action items, signs them and downloads the minutes PDF (rendered to PNG to look at); the
month calendar shows the meeting; Savannakhet's liaison officer (Lao) sees the meeting and
the overdue action item on the dashboard. Screens go to /work/notes-tmp/shots/meetings/."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.meetings import operations
from coordination.meetings.models import ActionItem, Meeting, occurrence_slug
from tests.browser.test_languages import _sign_in
from tests.conftest import translated, user_named
from tests.documents.pdftext import squash, text
from tests.exchange.helpers import make_case, send_request
from tests.meetings.helpers import office_id, planned_meeting, recorded_minutes

pytestmark = pytest.mark.browser

SHOTS = Path("/work/notes-tmp/shots/meetings")
VN = ZoneInfo("Asia/Ho_Chi_Minh")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _no_sideways_scrolling(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_plan_move_agenda_minutes_pdf_and_calendar(app, live_server, browser, page):
    with app.app_context():
        case, victim, _relative = make_case()
        request = send_request(case, [victim], to="SVK-BLO")
        request.deadline_at = datetime.now(UTC) - timedelta(days=3)  # overdue
        db.session.commit()
        reference = request.reference
        svk, qt = office_id("SVK-BLO"), office_id("QT-BLO")
        svk_liaison = user_named("svk.liaison").id
    first_day = datetime.now(VN).date() - timedelta(days=20)

    phone = browser.new_context(locale="vi-VN", **PHONE)
    try:
        qtp = phone.new_page()
        qtp.set_default_timeout(15_000)
        _sign_in(qtp, live_server, "qt.liaison")
        qtp.goto(f"{live_server}/meetings/new")
        qtp.select_option("#f-partner_office_id", value=str(svk))
        qtp.select_option("#f-kind", value="quarterly")
        qtp.fill("#f-title", "Giao ban quý Quảng Trị – Savannakhet")
        qtp.fill("#f-starts_at", f"{first_day.isoformat()}T09:00")
        qtp.fill("#f-ends_at", f"{first_day.isoformat()}T12:00")
        qtp.select_option("#f-repeat", value="quarterly")
        qtp.fill("#f-count", "4")
        qtp.select_option("#f-place_kind", value="office")
        qtp.select_option("#f-place_office_id", value=str(qt))
        qtp.fill("#f-place_detail", "Phòng họp tầng 2")
        assert _no_sideways_scrolling(qtp)
        _shot(qtp, "1-plan-phone-vi")
        qtp.click("#plan-form button.primary")
        qtp.wait_for_url(f"{live_server}/meetings/*")
        meeting_url = qtp.url
        assert qtp.locator("table.occurrences tbody tr").count() == 4
        _shot(qtp, "2-series-phone-vi")

        # Move the second occurrence two days later.
        qtp.locator("table.occurrences tbody tr").nth(1).locator("a").first.click()
        qtp.click("#change summary")
        start_input = qtp.input_value("#change-form #f-starts_at")
        planned = datetime.fromisoformat(start_input)
        moved = planned + timedelta(days=2)
        qtp.fill("#change-form #f-starts_at", moved.strftime("%Y-%m-%dT%H:%M"))
        qtp.fill("#change-form #f-ends_at", (moved + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
        qtp.fill("#change-form #f-reason", "Trùng lịch diễn tập")
        qtp.click("#change-form button[value=moved]")
        qtp.wait_for_load_state()
        assert "Trùng lịch diễn tập" in qtp.text_content("main")
        _shot(qtp, "3-moved-occurrence-phone-vi")

        # The overdue request onto the first occurrence's agenda.
        qtp.goto(meeting_url)
        qtp.locator("table.occurrences tbody tr").nth(0).locator("a").first.click()
        occurrence_url = qtp.url
        qtp.select_option(
            "#agenda-form #f-request_id",
            label=f"{reference} · Đề nghị xác minh nhân thân · Quá hạn",
        )
        qtp.click("#agenda-form button")
        qtp.wait_for_url(f"{occurrence_url}#agenda")
        assert reference in qtp.text_content("ol.agenda")
        _shot(qtp, "4-agenda-overdue-request-phone-vi")

        # Minutes with two action items; the first one already overdue.
        qtp.fill("#minutes-form #f-summary", "Hai bên rà soát yêu cầu xác minh nhân thân quá hạn.")
        qtp.fill(
            "#minutes-form #f-decisions",
            "Trả lời yêu cầu quá hạn trong 10 ngày.\nBàn giao tại cửa khẩu Lao Bảo.",
        )
        qtp.fill("#f-action_items-0-text", "Trả lời yêu cầu xác minh quá hạn")
        qtp.select_option("#f-action_items-0-owner_office_id", value=str(svk))
        qtp.select_option("#f-action_items-0-owner_user_id", value=str(svk_liaison))
        qtp.fill("#f-action_items-0-due_on", (date.today() - timedelta(days=1)).isoformat())
        qtp.fill("#f-action_items-1-text", "Chuẩn bị danh sách bàn giao")
        qtp.select_option("#f-action_items-1-owner_office_id", value=str(qt))
        qtp.fill("#f-action_items-1-owner_name", "Trần Văn Bình")
        qtp.fill("#f-action_items-1-due_on", (date.today() + timedelta(days=20)).isoformat())
        qtp.click("#minutes-form button.primary")
        qtp.wait_for_url(f"{occurrence_url}#minutes")
        assert qtp.locator("table.action-items tbody tr").count() == 2
        assert qtp.locator("table.action-items tr.overdue").count() == 1
        qtp.click("#sign-form button")
        qtp.wait_for_url(f"{occurrence_url}#minutes")
        assert _no_sideways_scrolling(qtp)
        _shot(qtp, "5-minutes-signed-phone-vi")
        # Signed: the agenda takes no more items; the attendees are those signed.
        assert qtp.locator("#agenda-form").count() == 0
        assert translated(app, "vi", "As recorded in the signed minutes.") in qtp.text_content(
            "#attendees"
        )
        with qtp.expect_download() as download:
            qtp.click("a.minutes-pdf")
        pdf_path = SHOTS / "minutes.pdf"
        download.value.save_as(pdf_path)
    finally:
        phone.close()

    pdf = pdf_path.read_bytes()
    raw = squash(text(pdf, "-raw"))
    for string in (
        "Trả lời yêu cầu xác minh quá hạn",
        "Chuẩn bị danh sách bàn giao",
        reference,
        "ຫ້ອງການປະສານງານຊາຍແດນ",
    ):
        assert squash(string) in raw, string
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        subprocess.run(  # noqa: S603 - our own tool and file
            [pdftoppm, "-r", "80", "-png", str(pdf_path), str(SHOTS / "6-minutes-pdf")],
            check=True,
        )

    # The month calendar (desktop) with the meeting, and the month with the moved occurrence.
    _sign_in(page, live_server, "qt.liaison")
    page.goto(f"{live_server}/calendar/?view=month&date={first_day.isoformat()}")
    assert "Savannakhet" in page.text_content("main") or "SVK" in page.text_content("main")
    _shot(page, "7-calendar-month-vi")
    with app.app_context():
        meeting = db.session.scalar(select(Meeting).order_by(Meeting.id.desc()))
        moved_day = meeting.occurrences()[1].starts_at.astimezone(VN).date()
        third_day = meeting.occurrences()[2].starts_at.astimezone(VN).date()
        moved_slug = occurrence_slug(meeting.occurrences()[1].key)
    page.goto(f"{live_server}/calendar/?view=month&date={moved_day.isoformat()}")
    moved_entry = page.locator(f"a.cal-meeting[href$='/on/{moved_slug}']").first
    assert translated(app, "vi", "Moved") in moved_entry.text_content()
    _shot(page, "8-calendar-month-moved-vi")
    page.goto(f"{live_server}/calendar/?view=list&date={third_day.isoformat()}")

    # Savannakhet's liaison officer, in Lao: the dashboard's overdue action item, the meeting.
    lao = browser.new_context(locale="lo-LA", viewport={"width": 1280, "height": 860})
    try:
        svp = lao.new_page()
        svp.set_default_timeout(15_000)
        _sign_in(svp, live_server, "svk.liaison")
        panel = svp.locator("#meeting-actions")
        assert "Trả lời yêu cầu xác minh quá hạn" in panel.text_content()
        assert panel.locator("li.overdue").count() == 1
        _shot(svp, "9-dashboard-action-items-lo")
        svp.goto(occurrence_url)
        assert reference in svp.text_content("ol.agenda")
        _shot(svp, "10-occurrence-partner-lo")
    finally:
        lao.close()


MORE = Path("/work/notes-tmp/shots/meetings-more")
BEIJING = ZoneInfo("Asia/Shanghai")


def _more_shot(page, name: str) -> None:
    MORE.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(MORE / f"{name}.png"), full_page=True)


def test_chinese_partner_records_and_signs_the_minutes_on_a_phone(app, live_server, browser, page):
    """Lạng Sơn's liaison officer plans a monthly giao ban with Pingxiang's border liaison
    office; Pingxiang's liaison officer (Chinese, phone) reads its time in Beijing time,
    records the minutes with an action item for Pingxiang, signs them and downloads the
    Vietnamese and Chinese PDF."""
    with app.app_context():
        px, ls = office_id("PX-BLO"), office_id("LS-BLO")
    first_day = datetime.now(VN).date() - timedelta(days=10)

    _sign_in(page, live_server, "ls.liaison")
    page.goto(f"{live_server}/meetings/new")
    page.select_option("#f-partner_office_id", value=str(px))
    page.select_option("#f-kind", value="monthly")
    page.fill("#f-title", "Giao ban tháng Lạng Sơn – Bằng Tường")
    page.fill("#f-starts_at", f"{first_day.isoformat()}T09:00")
    page.fill("#f-ends_at", f"{first_day.isoformat()}T11:00")
    page.select_option("#f-repeat", value="monthly")
    page.fill("#f-count", "6")
    page.select_option("#f-place_kind", value="office")
    page.select_option("#f-place_office_id", value=str(ls))
    page.click("#plan-form button.primary")
    page.wait_for_url(f"{live_server}/meetings/*")
    assert page.locator("table.occurrences tbody tr").count() == 6
    page.locator("table.occurrences tbody tr").nth(0).locator("a").first.click()
    occurrence_url = page.url
    _more_shot(page, "1-occurrence-host-vi")

    phone = browser.new_context(locale="zh-CN", **PHONE)
    try:
        pxp = phone.new_page()
        pxp.set_default_timeout(15_000)
        _sign_in(pxp, live_server, "px.liaison")
        pxp.goto(occurrence_url)
        # 09:00 in Lạng Sơn is 10:00 in Pingxiang: the reader's own zone comes first.
        start = pxp.locator("dl.facts dd").first.text_content()
        beijing = translated(app, "zh", "China time")
        assert start.index("10:00") < start.index(beijing) < start.index("09:00"), start
        # Styled by app.css (the CSP refuses inline styles): no "1." before "no items yet".
        empty = pxp.locator("ol.agenda > li.empty")
        assert empty.evaluate("e => getComputedStyle(e).listStyleType") == "none"
        assert _no_sideways_scrolling(pxp)
        _more_shot(pxp, "2-occurrence-phone-zh")

        pxp.fill("#minutes-form #f-summary", "双方核对了未答复的核查请求。")
        pxp.fill("#minutes-form #f-decisions", "十日内答复逾期请求。")
        pxp.fill("#f-action_items-0-text", "答复身份核查请求")
        pxp.select_option("#f-action_items-0-owner_office_id", value=str(px))
        pxp.fill("#f-action_items-0-owner_name", "李明")
        pxp.fill("#f-action_items-0-due_on", (date.today() + timedelta(days=10)).isoformat())
        pxp.click("#minutes-form button.primary")
        pxp.wait_for_url(f"{occurrence_url}#minutes")
        rows = pxp.locator("table.action-items tbody tr")
        assert rows.count() == 1
        assert "答复身份核查请求" in rows.first.text_content()
        pxp.click("#sign-form button")
        pxp.wait_for_url(f"{occurrence_url}#minutes")
        assert pxp.locator("a.minutes-pdf").count() == 1
        assert _no_sideways_scrolling(pxp)
        _more_shot(pxp, "3-minutes-signed-phone-zh")
        with pxp.expect_download() as download:
            pxp.click("a.minutes-pdf")
        pdf_path = MORE / "minutes-zh.pdf"
        download.value.save_as(pdf_path)
    finally:
        phone.close()

    raw = squash(text(pdf_path.read_bytes(), "-raw"))
    for string in (
        "答复身份核查请求",
        "李明",
        "凭祥边境联络办公室",
        translated(app, "zh", "Minutes of the liaison meeting"),
        translated(app, "zh", "Action items"),
        translated(app, "zh", "Owner"),
        translated(app, "vi", "Minutes of the liaison meeting"),
    ):
        assert squash(string) in raw, string
    assert squash(translated(app, "lo", "Minutes of the liaison meeting")) not in raw
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        subprocess.run(  # noqa: S603 - our own tool and file
            [pdftoppm, "-r", "80", "-png", str(pdf_path), str(MORE / "4-minutes-pdf-zh")],
            check=True,
        )


def test_lao_partner_sees_the_agenda_and_marks_its_action_item_done(app, live_server, browser):
    """A giao ban planned by Quảng Trị, with a topic on the agenda and minutes naming an
    action item for Savannakhet; Savannakhet's liaison officer (Lao) finds it on the
    dashboard, opens the occurrence and marks the item done."""
    with app.test_request_context():
        meeting = planned_meeting()
        key = meeting.planned_starts()[0]
        operations.add_agenda_item(
            meeting,
            key,
            {"title": "Danh sách bàn giao tháng này", "note": None},
            actor=user_named("qt.liaison"),
        )
        minutes = recorded_minutes(meeting)
        item_id = next(
            i.id for i in minutes.action_items if i.owner_office_id == office_id("SVK-BLO")
        )
        db.session.commit()

    lao = browser.new_context(locale="lo-LA", viewport={"width": 1280, "height": 860})
    try:
        svp = lao.new_page()
        svp.set_default_timeout(15_000)
        _sign_in(svp, live_server, "svk.liaison")
        panel = svp.locator("#meeting-actions")
        assert translated(app, "lo", "Action items from liaison meetings") in panel.text_content()
        entry = panel.locator("li", has_text="Trả lời yêu cầu xác minh")
        assert entry.count() == 1
        assert "overdue" in entry.get_attribute("class")
        # Marked by a red bar, not a bullet (the rules reach the page despite the CSP).
        assert entry.evaluate("e => getComputedStyle(e).listStyleType") == "none"
        assert entry.evaluate("e => getComputedStyle(e).borderLeftWidth") == "4px"
        _more_shot(svp, "5-dashboard-action-item-lo")
        entry.locator("a").click()
        svp.wait_for_load_state()
        assert "Danh sách bàn giao tháng này" in svp.text_content("ol.agenda")
        assert translated(app, "lo", "Agenda") in svp.text_content("#agenda h2")
        _more_shot(svp, "6-occurrence-partner-lo")

        row = svp.locator(f"#action-{item_id}")
        row.locator("select[name=status]").select_option(value="done")
        row.locator("button").click()
        svp.wait_for_url(f"**#action-{item_id}")
        done = translated(app, "lo", "Done")
        assert done in svp.text_content("p.flash")
        _more_shot(svp, "7-action-item-done-lo")
        svp.goto(f"{live_server}/")
        # Done: off the dashboard (the panel lists open items only; none left, no panel).
        assert "Trả lời yêu cầu xác minh" not in svp.text_content("main")
        _more_shot(svp, "8-dashboard-after-done-lo")
    finally:
        lao.close()
    with app.app_context():
        assert db.session.get(ActionItem, item_id).status == "done"

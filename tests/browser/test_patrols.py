"""In real Chromium: the Hữu Nghị station (ls.guard, Vietnamese) proposes a joint patrol to
the Chinese Youyiguan station (PX-BGS); px.guard, in Chinese and Beijing time, proposes
another day; ls.guard confirms; it is on both calendars; after the patrol the outcome report
names one rescued person, who joins a case of Hữu Nghị. Screens go to
/work/notes-tmp/shots/patrols/."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from coordination.cases import operations as case_operations
from coordination.cases.models import Person
from coordination.extensions import db
from coordination.patrols.models import Patrol
from tests.browser.test_languages import _sign_in
from tests.conftest import translated, user_named
from tests.patrols.helpers import gate_id, office_id, started

pytestmark = pytest.mark.browser

SHOTS = Path("/work/notes-tmp/shots/patrols")
VN, CN = ZoneInfo("Asia/Ho_Chi_Minh"), ZoneInfo("Asia/Shanghai")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _no_sideways_scrolling(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_propose_counter_propose_confirm_calendar_and_rescue(app, live_server, browser, page):
    with app.app_context():
        case = case_operations.create_case(
            {
                "title": "Đường dây đưa phụ nữ qua đường mòn mốc 603",
                "opened_on": date(2026, 11, 20),
            },
            actor=user_named("ls.guard"),
        )
        db.session.commit()
        case_id, case_number = case.id, case.number
    day = datetime.now(VN).date() + timedelta(days=4)

    # Hữu Nghị proposes, on a phone.
    phone = browser.new_context(locale="vi-VN", **PHONE)
    try:
        ls = phone.new_page()
        ls.set_default_timeout(15_000)
        _sign_in(ls, live_server, "ls.guard")
        ls.goto(f"{live_server}/patrols/new")
        ls.select_option("#f-partner_office_id", label="Trạm kiểm tra biên phòng Hữu Nghị Quan")
        ls.fill("#f-marker_from", "601")
        ls.fill("#f-marker_to", "605")
        ls.fill("#f-starts_at", f"{day.isoformat()}T07:00")
        ls.fill("#f-ends_at", f"{day.isoformat()}T11:00")
        ls.fill("#f-meeting_point", "Mốc 601, thôn Nà Phải, xã Đồng Đăng")
        ls.fill("#f-proposing_unit", "Tổ tuần tra Đồn Biên phòng Hữu Nghị")
        ls.fill("#f-proposing_leaders", "Vũ Văn Hải; Thiếu tá")
        ls.fill("#f-partner_leaders", "张伟; 二级警长")
        ls.fill("#f-purpose", "Tuần tra song phương, phòng chống mua bán người qua đường mòn.")
        assert _no_sideways_scrolling(ls)
        _shot(ls, "1-propose-phone-vi")
        ls.click("button.primary")
        ls.wait_for_url(f"{live_server}/patrols/*")
        patrol_url = ls.url
        assert "Vũ Văn Hải" in ls.text_content("main")
        assert _no_sideways_scrolling(ls)
        _shot(ls, "2-proposed-phone-vi")
    finally:
        phone.close()
    patrol_id = int(patrol_url.rstrip("/").rsplit("/", 1)[1])

    # The Chinese station, in Chinese and Beijing time, proposes the next day.
    chinese = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        px = chinese.new_page()
        px.set_default_timeout(15_000)
        _sign_in(px, live_server, "px.guard")
        px.goto(f"{live_server}/patrols/?show=awaiting")
        _shot(px, "3-awaiting-zh")
        px.goto(patrol_url)
        assert translated(app, "zh", "Propose another time") in px.text_content("main")
        next_day = day + timedelta(days=1)
        px.fill("#f-body", "我方建议改为次日上午八时（北京时间）在601号界碑会合。")
        px.fill("#f-starts_at", f"{next_day.isoformat()}T08:00")
        px.fill("#f-ends_at", f"{next_day.isoformat()}T12:00")
        # The station names its own unit and adds a leader (review of issue 14).
        assert px.input_value("#f-partner_leaders") == "张伟; 二级警长"
        px.fill("#f-partner_unit", "友谊关边防检查站第二巡逻组")
        px.fill("#f-partner_leaders", "张伟; 二级警长\n李强; 一级警长")
        _shot(px, "3b-counter-form-zh")
        px.click("button[value=counter]")
        px.wait_for_url(patrol_url)
        _shot(px, "4-counter-proposed-zh")
    finally:
        chinese.close()
    with app.app_context():
        patrol = db.session.get(Patrol, patrol_id)
        assert patrol.state == "counter_proposed"
        # 08:00 in Beijing is 07:00 in Hà Nội.
        assert patrol.starts_at.astimezone(VN).hour == 7
        assert patrol.starts_at.astimezone(CN).date() == next_day

    # Hữu Nghị confirms.
    _sign_in(page, live_server, "ls.guard")
    page.goto(patrol_url)
    assert "我方建议改为次日上午八时" in page.text_content("main")
    assert "友谊关边防检查站第二巡逻组" in page.text_content("main")
    assert "李强" in page.text_content("main")
    assert page.locator("#partner-side").count() == 0  # not the proposing side's to give
    page.click("button[value=confirm]")
    page.wait_for_url(patrol_url)
    assert translated(app, "vi", "Confirmed") in page.text_content("h1")
    _shot(page, "5-confirmed-vi")

    # On both calendars.
    page.goto(f"{live_server}/calendar/?view=week&date={next_day.isoformat()}")
    entry = page.locator(f"a.cal-patrol[href$='/patrols/{patrol_id}']").first
    assert "601" in entry.text_content()
    _shot(page, "6-calendar-vi")
    chinese = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        px = chinese.new_page()
        px.set_default_timeout(15_000)
        _sign_in(px, live_server, "px.guard")
        px.goto(f"{live_server}/calendar/?view=week&date={next_day.isoformat()}")
        entry = px.locator(f"a.cal-patrol[href$='/patrols/{patrol_id}']").first
        assert "601" in entry.text_content()
        # Shown at 08:00, Beijing time.
        assert "08:00" in entry.text_content() or "8:00" in entry.text_content()
        _shot(px, "7-calendar-zh")
    finally:
        chinese.close()

    # The patrol has taken place; the outcome report names one rescued person.
    with app.app_context():
        started(db.session.get(Patrol, patrol_id), hours_ago=5)
        db.session.commit()
    page.goto(f"{patrol_url}/report")
    page.fill("#f-people_checked", "23")
    page.fill("#f-incidents", "Phát hiện 3 người vượt biên trái phép qua đường mòn gần mốc 603.")
    page.fill("#f-rescued-0-name_as_written", "Lò Thị Dung")
    page.select_option("#f-rescued-0-sex", "female")
    page.fill("#f-rescued-0-estimated_age", "19")
    page.select_option("#f-rescued-0-case_id", str(case_id))
    _shot(page, "8-report-form-vi")
    page.click("button.primary")
    page.wait_for_url(patrol_url)
    main = page.text_content("main")
    assert "Lò Thị Dung" in main and case_number in main
    _shot(page, "9-report-vi")
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.name_as_written == "Lò Thị Dung"))
        assert person.case_id == case_id
        assert db.session.get(Patrol, patrol_id).state == "completed"


def test_a_lao_station_proposes_on_a_phone_in_lao(app, live_server, browser):
    """Densavanh (svk.guard, Lao, Vientiane time) proposes a patrol at the Lao Bảo –
    Densavanh gate to Lao Bảo; Lao Bảo's guard sees it awaiting his answer."""
    day = datetime.now(ZoneInfo("Asia/Vientiane")).date() + timedelta(days=6)
    with app.app_context():
        lao_bao, gate = office_id("QT-BGS-LB"), gate_id("LAOBAO-DENSAVANH")
    phone = browser.new_context(locale="lo-LA", **PHONE)
    try:
        lao = phone.new_page()
        lao.set_default_timeout(15_000)
        _sign_in(lao, live_server, "svk.guard")
        lao.goto(f"{live_server}/patrols/new")
        lao.select_option("#f-partner_office_id", str(lao_bao))
        lao.select_option("#f-gate_id", str(gate))
        lao.fill("#f-starts_at", f"{day.isoformat()}T08:00")
        lao.fill("#f-ends_at", f"{day.isoformat()}T06:00")  # before the start: refused
        lao.fill("#f-meeting_point", "ດ່ານແດນສະຫວັນ")
        lao.click("button.primary")
        lao.wait_for_selector("span.error")  # the form again, with the message by the field
        message = translated(app, "lo", "The patrol must end after it starts.")
        assert message in lao.text_content("main")
        _shot(lao, "10-propose-refused-phone-lo")
        lao.fill("#f-ends_at", f"{day.isoformat()}T12:00")
        lao.fill("#f-purpose", "ລາດຕະເວນຮ່ວມ ປ້ອງກັນການຄ້າມະນຸດ ອ້ອມຮອບດ່ານ.")
        lao.click("button.primary")
        lao.wait_for_url(f"{live_server}/patrols/*")
        assert _no_sideways_scrolling(lao)
        _shot(lao, "11-proposed-phone-lo")
    finally:
        phone.close()
    with app.app_context():
        patrol = db.session.scalars(select(Patrol).order_by(Patrol.id.desc())).first()
        assert patrol.proposing_office.code == "SVK-BGS-DSV"
        assert patrol.starts_at.astimezone(VN).hour == 8  # Vientiane and Hà Nội: UTC+7

"""In real Chromium: after a handover at the gate, the centre's social worker accepts the
referral, records the intake, plans services, ends support, records a follow-up visit, and a
supervisor approves the closure (Vietnamese); a Lao centre receives a Lao victim handed back
by Vietnam (Lao). Screenshots in /work/notes-tmp/shots/reintegration/."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from coordination.extensions import db
from coordination.handovers import operations as handover_operations
from coordination.reintegration.models import Referral
from tests.browser.test_languages import _sign_in
from tests.conftest import translated, user_named
from tests.handovers.helpers import agreed_proposal, schedule_data
from tests.reintegration.helpers import complete_with_referral, office

pytestmark = pytest.mark.browser

SHOTS = Path("/work/notes-tmp/shots/reintegration")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def _sign_out(page, live_server):
    page.context.clear_cookies()


def test_vietnamese_journey_from_the_gate_to_closure(app, live_server, browser, page):
    with app.test_request_context():
        _handover, referrals = complete_with_referral()
        db.session.commit()
        referral_id = referrals[0].id
    vi = lambda text, **values: translated(app, "vi", text, **values)  # noqa: E731

    # The centre's social worker: the referral is in the inbox; accept it.
    _sign_in(page, live_server, "qt.social")
    page.goto(f"{live_server}/reintegration/referrals")
    assert "Nguyễn Thị Hường" in page.text_content("main")
    _shot(page, "vi-1-inbox")
    page.click("text=Nguyễn Thị Hường")
    page.click("button[value=accept]")
    assert vi("The referral has been accepted.") in page.text_content("body")

    # Intake: arrival, needs assessment, consents.
    page.click(f'text="{vi("Record the intake")}"')
    page.fill("#f-arrived_on", _today())
    page.select_option("#f-safety_risk", "medium")
    page.fill("#f-family_situation", "Sống cùng mẹ ở Hướng Hóa")
    page.fill("#f-health", "Suy nhược, cần khám")
    page.fill("#f-counselling_note", "Lo âu, mất ngủ")
    page.check("input[name=consent_services]")
    page.check("input[name=consent_sharing]")
    _shot(page, "vi-2-intake-form")
    page.click("button.primary")
    assert vi("The intake has been saved.") in page.text_content("body")
    assert "Lo âu, mất ngủ" in page.text_content("main")

    # Services: first a bad one (ends before it starts), then the right ones.
    page.click(f'text="{vi("Add a service")}"')
    page.select_option("#f-type", "essential_needs")
    page.fill("#f-planned_start", _today())
    page.fill("#f-planned_end", (datetime.now(UTC).date() - timedelta(days=2)).isoformat())
    page.click("button.primary")
    assert vi("The service cannot end before it starts.") in page.text_content("main")
    _shot(page, "vi-3-service-error")
    page.fill("#f-planned_end", (datetime.now(UTC).date() + timedelta(days=90)).isoformat())
    page.fill("#f-cost", "4500000")
    page.select_option("#f-currency", "VND")
    page.fill("#f-provider", "Trung tâm bảo trợ xã hội tỉnh Quảng Trị")
    page.click("button.primary")
    assert vi("The service has been added to the plan.") in page.text_content("body")
    page.click(f'text="{vi("Add a service")}"')
    page.select_option("#f-type", "vocational")
    page.fill("#f-planned_start", _today())
    page.fill("#f-referred_to", "Phòng Lao động huyện Hướng Hóa")
    page.click("button.primary")
    _shot(page, "vi-4-plan")

    # The person goes home; a follow-up visit by phone.
    page.fill("#f-home_on", _today())
    page.click(f'text="{vi("End support and start follow-up")}"')
    assert vi("Support has ended; follow-up visits are planned.") in page.text_content("body")
    page.locator(f"text={vi('Record the visit')}").first.click()
    page.fill("#f-visited_on", _today())
    page.select_option("#f-method", "phone")
    page.fill("#f-housing", "Ở cùng gia đình")
    page.fill("#f-income", "Làm công nhân may")
    page.select_option("#f-safety_risk", "low")
    page.click("button.primary")
    assert vi("The follow-up visit has been recorded.") in page.text_content("body")

    # Ask for closure.
    page.select_option("#f-reason", "reintegrated")
    page.click(f'text="{vi("Ask a supervisor to close the file")}"')
    assert vi("The closure awaits a supervisor's approval.") in page.text_content("body")
    _shot(page, "vi-5-file-social-worker")

    # The supervisor approves; no counselling note on their screen.
    _sign_out(page, live_server)
    _sign_in(page, live_server, "qt.supervisor")
    page.goto(f"{live_server}/reintegration/{referral_id}")
    assert "Lo âu" not in page.text_content("main")
    page.click("button[value=approve]")
    assert vi("The file has been closed.") in page.text_content("body")
    _shot(page, "vi-6-closed-supervisor")
    with app.app_context():
        referral = db.session.get(Referral, referral_id)
        assert referral.stage == "closed"
        case_id = referral.case_id

    # The liaison officer (police side): the status on the case page, no notes.
    _sign_out(page, live_server)
    _sign_in(page, live_server, "qt.liaison")
    page.goto(f"{live_server}/cases/{case_id}")
    panel = page.text_content("section.reintegration-status")
    assert "Nguyễn Thị Hường" in panel and "Lo âu" not in panel
    _shot(page, "vi-7-case-panel-liaison")


def test_the_caseload_on_a_phone(app, live_server, browser):
    with app.test_request_context():
        complete_with_referral()
        db.session.commit()
    phone = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page = phone.new_page()
        page.set_default_timeout(15_000)
        _sign_in(page, live_server, "qt.social")
        page.goto(f"{live_server}/reintegration/")
        assert "Nguyễn Thị Hường" in page.text_content("main")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        _shot(page, "vi-8-caseload-phone")
    finally:
        phone.close()


def test_a_lao_centre_receives_a_lao_victim_handed_back_by_vietnam(app, live_server, page):
    with app.test_request_context():
        # Quảng Trị identified a Lao woman and hands her back to Savannakhet at Lao Bảo –
        # Densavanh; the Lao guards refer her to Savannakhet's centre.
        proposal = agreed_proposal(people=("ນາງ ບົວພັນ ສີສະຫວາດ",))
        handover = handover_operations.schedule(
            proposal,
            schedule_data(proposal, handing_side="sender"),
            actor=user_named("qt.guard"),
        )
        person = handover.people[0]
        person.referral_office_id = office("SVK-SPC").id
        handover_operations.log_at_gate(
            handover,
            {"action": "complete", "completed_at": datetime.now(UTC), "version": handover.version},
            {
                person.id: {
                    "handed_over": True,
                    "referral": "social_protection_centre",
                    "referral_detail": "ຕ້ອງການການຊ່ວຍເຫຼືອດ້ານຈິດໃຈ",
                }
            },
            actor=user_named("svk.guard"),
        )
        db.session.commit()
        referral = db.session.scalar(
            select(Referral).where(Referral.handover_person_id == person.id)
        )
        assert referral.from_office.code == "SVK-BLO"
        referral_id = referral.id
    lo = lambda text, **values: translated(app, "lo", text, **values)  # noqa: E731
    _sign_in(page, live_server, "svk.social")
    page.goto(f"{live_server}/reintegration/referrals")
    assert "ບົວພັນ" in page.text_content("main")
    _shot(page, "lo-1-inbox")
    page.goto(f"{live_server}/reintegration/{referral_id}")
    page.click("button[value=accept]")
    assert lo("The referral has been accepted.") in page.text_content("body")
    page.click(f'text="{lo("Record the intake")}"')
    page.fill("#f-arrived_on", _today())
    page.fill("#f-family_situation", "ອາໄສຢູ່ກັບແມ່ ຢູ່ເມືອງໄກສອນ")
    page.check("input[name=consent_services]")
    page.click("button.primary")
    page.click(f'text="{lo("Add a service")}"')
    page.select_option("#f-type", "psychological")
    page.fill("#f-planned_start", _today())
    page.fill("#f-provider", "ສູນປົກປ້ອງສັງຄົມ ແຂວງສະຫວັນນະເຂດ")
    page.click("button.primary")
    assert lo("The service has been added to the plan.") in page.text_content("body")
    assert "ສູນປົກປ້ອງສັງຄົມ ແຂວງສະຫວັນນະເຂດ" in page.text_content("main")
    _shot(page, "lo-2-file")
    page.goto(f"{live_server}/reintegration/")
    assert "ບົວພັນ" in page.text_content("main")
    _shot(page, "lo-3-caseload")

"""After the gate: a completed handover moves the cases on, and our record's name (a match
confirmed) stands beside the partner's rendering for our side only."""

from __future__ import annotations

import hashlib
import html
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from coordination.audit.models import AuditEntry
from coordination.cases.models import Case, CaseStatus
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.handovers import operations
from tests.cases.test_case_file import needs_poppler
from tests.conftest import translated, user_named
from tests.handovers.helpers import matched_journey, scheduled_handover
from tests.handovers.test_record_pdf import _raw_text

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
OUR_NAME = "Nguyễn Thị Hướng"
PARTNER_NAME = "ຫງວຽນ ທິ ເຮືອງ"


def _entries(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def _complete(handover, *, handed=None, action="complete", actor="qt.guard"):
    centre = db.session.scalar(select(Office.id).where(Office.code == "QT-SPC"))
    people = {
        person.id: {
            "handed_over": True if handed is None else handed[index],
            "referral": "social_protection_centre",
            "referral_office_id": centre,
        }
        for index, person in enumerate(handover.people)
    }
    data = {
        "action": action,
        "completed_at": datetime.now(UTC) - timedelta(minutes=5),
        "version": handover.version,
        "correction_reason": "Sửa số giấy chứng nhận" if action == "correct" else None,
    }
    return operations.log_at_gate(handover, data, people, actor=user_named(actor))


def test_completing_a_handover_moves_the_case_on_with_its_cause(app_ctx):
    journey = matched_journey()
    handover, case, women = journey["handover"], journey["case"], journey["women"]
    assert case.status == CaseStatus.OPEN
    issued = _complete(handover, handed=[True, False])  # the second woman did not come
    assert case.status == CaseStatus.HANDED_OVER
    (moved,) = _entries("case.handed_over")
    assert (moved.target_type, moved.target_id) == ("cases", case.id)
    assert moved.details == {
        "previous_status": "open",
        "status": "handed_over",
        "handover": handover.id,
        "number": issued.number,
    }
    assert moved.actor_name == "qt.guard"
    # Each person's history says who was handed over, and only them.
    people = [(entry.target_type, entry.target_id) for entry in _entries("person.handed_over")]
    assert people == [("people", women[0].id)]
    # A correction is no second completion: nothing moves again.
    _complete(handover, handed=[True, False], action="correct")
    assert len(_entries("case.handed_over")) == 1


def test_a_case_further_on_stays_where_it_is(app_ctx):
    handover = scheduled_handover()
    case = handover.request.case
    case.status = CaseStatus.IN_SUPPORT
    db.session.flush()
    _complete(handover)
    assert case.status == CaseStatus.IN_SUPPORT
    assert _entries("case.handed_over") == []
    assert len(_entries("person.handed_over")) == 2  # their history still tells it


def test_our_case_confirmed_as_the_person_moves_too(app_ctx):
    """The match confirmed our person of a case (not a register entry): our case moves."""
    from coordination.matching.operations import decide_match
    from tests.exchange.helpers import make_case

    journey = matched_journey(confirm=False)
    ours, victim, _relative = make_case("qt.liaison")
    decide_match(
        journey["verification"].people[0], "person", victim, "confirmed",
        note=None, score=0.8, actor=user_named("qt.liaison"),
    )  # fmt: skip
    _complete(journey["handover"])
    assert db.session.get(Case, ours.id).status == CaseStatus.HANDED_OVER
    assert journey["case"].status == CaseStatus.HANDED_OVER


def _ids(app, journey_kwargs=None):
    with app.app_context(), app.test_request_context():
        journey = matched_journey(**(journey_kwargs or {}))
        db.session.commit()
        handover = journey["handover"]
        return {
            "handover": handover.id,
            "version": handover.version,
            "people": [p.id for p in handover.people],
            "report": journey["report"].id,
            "case": journey["case"].id,
            "day": handover.scheduled_at.astimezone(VIETNAM).date().isoformat(),
            "gate": handover.gate_id,
        }


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def test_our_name_stands_beside_the_partners_for_our_side_only(app, client, auth):
    ids = _ids(app)
    handover_id = ids["handover"]
    auth.login("qt.guard")
    day_url = f"/handovers/day?gate_id={ids['gate']}&day={ids['day']}"
    # (Its Latin form is the one read from the partner's Lao: not repeated.)
    ours = translated(app, "vi", "our record: %(name)s", name=OUR_NAME)
    for url in (f"/handovers/{handover_id}", f"/handovers/{handover_id}/log", day_url):
        page = _page(client, url)
        assert PARTNER_NAME in page and ours in page, url
        assert page.count(OUR_NAME) == 1  # beside the first woman only
    with app.app_context():
        viewed = _entries("handover.view")[-1]
        assert viewed.details["records"] == [["missing", ids["report"]]]
        printed = _entries("handover.day_view")[-1]
        assert printed.details["records"] == [["missing", ids["report"]]]
    # The liaison office that confirmed the match reads it too.
    auth.logout()
    auth.login("qt.liaison")
    assert OUR_NAME in _page(client, f"/handovers/{handover_id}")
    # The partner office never does: not on its pages, not in its day list.
    auth.logout()
    auth.login("svk.liaison")
    for url in (f"/handovers/{handover_id}", f"/handovers/{handover_id}/log"):
        page = _page(client, url)
        # (The Latin form read from the Lao script is the partner's own rendering.)
        assert PARTNER_NAME in page and OUR_NAME not in page
    with app.app_context():
        assert "records" not in (_entries("handover.view")[-1].details or {})
    auth.logout()
    auth.login("svk.guard")
    page = _page(client, day_url.replace(f"gate_id={ids['gate']}&", ""))
    assert PARTNER_NAME in page and OUR_NAME not in page


def test_without_a_confirmed_match_only_the_partners_rendering(app, client, auth):
    ids = _ids(app, {"confirm": False})
    auth.login("qt.guard")
    page = _page(client, f"/handovers/{ids['handover']}")
    assert PARTNER_NAME in page and OUR_NAME not in page


def test_completing_on_the_form_shows_handed_over_on_the_case(app, client, auth):
    ids = _ids(app)
    auth.login("qt.guard")
    now = datetime.now(VIETNAM).strftime("%Y-%m-%dT%H:%M")
    data = {"action": "complete", "completed_at": now, "version": ids["version"]}
    with app.app_context():
        centre = db.session.scalar(select(Office.id).where(Office.code == "QT-SPC"))
    for person_id in ids["people"]:
        data |= {
            f"p{person_id}-handed_over": "1",
            f"p{person_id}-referral": "social_protection_centre",
            f"p{person_id}-referral_office_id": centre,
        }
    response = client.post(f"/handovers/{ids['handover']}/log", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()
    auth.login("svk.liaison")  # the case is Savannakhet's, read in Lao
    page = _page(client, f"/cases/{ids['case']}")
    assert translated(app, "lo", "Handed over") in page
    # The cause stands beside the status: the handover, with its record number.
    assert f'/handovers/{ids["handover"]}">' in page and "/BG/" in page


@needs_poppler
def test_the_record_prints_our_name_on_our_sides_copy_only(app, client, auth, tmp_path):
    with app.app_context(), app.test_request_context():
        journey = matched_journey()
        issued = _complete(journey["handover"])
        db.session.commit()
        handover_id, record_id, sha = journey["handover"].id, issued.id, issued.sha256
        report_id = journey["report"].id
        frozen = issued.snapshot["people"][0]["our_names"]
        assert [(n["kind"], n["id"], n["name"]) for n in frozen] == [
            ("missing", report_id, OUR_NAME)
        ]
    url = f"/handovers/{handover_id}/records/{record_id}.pdf"
    copies = {}
    for username in ("qt.guard", "svk.liaison"):
        auth.login(username)
        response = client.get(url)
        assert response.status_code == 200
        copies[username] = response.data
        auth.logout()
    ours = " ".join(_raw_text(copies["qt.guard"], tmp_path).split())
    theirs = " ".join(_raw_text(copies["svk.liaison"], tmp_path).split())
    assert OUR_NAME in ours and PARTNER_NAME in ours
    assert OUR_NAME not in theirs and PARTNER_NAME in theirs
    # The partner's copy is the record as issued, byte for byte; ours is reproducible too.
    assert hashlib.sha256(copies["svk.liaison"]).hexdigest() == sha
    auth.login("qt.guard")
    assert client.get(url).data == copies["qt.guard"]
    with app.app_context():
        downloads = _entries("handover_record.download")
        assert downloads[0].details.get("records") == [["missing", report_id]]
        assert "records" not in downloads[1].details

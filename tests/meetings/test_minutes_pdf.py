"""The minutes PDF: byte for byte the same from the same snapshot, bilingual (Vietnamese and
the partner's language) or trilingual, and every string it draws (labels, Lao and Chinese
names and text, Vietnamese with stacked diacritics) comes back from pdftotext."""

from __future__ import annotations

import copy

import pytest
from flask_babel import force_locale

from coordination.extensions import db
from coordination.i18n import timezone_label
from coordination.meetings import operations
from coordination.meetings.minutes_pdf import render_minutes
from tests.conftest import user_named
from tests.documents.pdftext import drawn_strings, missing_strings, needs_poppler, squash, text
from tests.meetings.helpers import moment, office_id, planned_meeting, recorded_minutes

LAO_NOTE = "ຫົວໜ້າ ບໍ່ ໄດ້ ມາ, ນ້ຳ ຕໍ່ ຂໍ້ ເຄື່ອງ ທີ່ ກົ້ ແລະ ສົມສັກ ພົມມະຈັນ."
CHINESE = "凭祥边境管理大队 李明"


@pytest.fixture
def snapshots(app):
    with app.test_request_context():
        meeting = planned_meeting()
        operations.add_attendee(
            meeting,
            {"office_id": office_id("SVK-BLO"), "name": "ບຸນມີ ແສງສະຫວ່າງ", "position": "ນາຍພາສາ"},
            actor=user_named("qt.liaison"),
        )
        operations.add_attendee(
            meeting,
            {
                "office_id": office_id("QT-BLO"),
                "name": "Nguyễn Thị Hường",
                "position": "Phiên dịch",
            },
            actor=user_named("qt.liaison"),
        )
        minutes = recorded_minutes(meeting, summary=f"Thảo luận.\n{LAO_NOTE}\n{CHINESE}")
        bilingual = operations.sign_minutes(minutes, actor=user_named("qt.liaison"))
        trilingual = operations.sign_minutes(
            minutes, actor=user_named("svk.liaison"), trilingual=True, reason="Thêm tiếng Trung"
        )
        db.session.commit()
        yield {
            "bilingual": copy.deepcopy(bilingual.snapshot),
            "trilingual": copy.deepcopy(trilingual.snapshot),
        }


def test_the_same_snapshot_gives_the_same_bytes(snapshots):
    snapshot = snapshots["bilingual"]
    assert snapshot["languages"] == ["vi", "lo"]
    assert snapshots["trilingual"]["languages"] == ["vi", "lo", "zh"]
    assert render_minutes(copy.deepcopy(snapshot)) == render_minutes(copy.deepcopy(snapshot))


@needs_poppler
@pytest.mark.parametrize("name", ["bilingual", "trilingual"])
def test_every_drawn_string_comes_back(snapshots, monkeypatch, name):
    with drawn_strings(monkeypatch) as drawn:
        pdf = render_minutes(copy.deepcopy(snapshots[name]))
    assert len(drawn) > 40
    assert missing_strings(pdf, drawn) == []
    raw = squash(text(pdf, "-raw"))
    for string in (
        LAO_NOTE,
        CHINESE,
        "Nguyễn Thị Hường",
        "ບຸນມີ ແສງສະຫວ່າງ",
        snapshots[name]["number"],
    ):
        assert squash(string) in raw, string
    if name == "trilingual":
        assert squash(snapshots[name]["partner"]["names"]["zh"]) in raw
        assert "Thêm tiếng Trung" in text(pdf, "-raw")


def test_each_language_reads_the_time_in_its_own_countrys_zone(app):
    """Lạng Sơn meets Pingxiang at 09:00 Vietnam time: the Chinese line says 10:00, China
    time; the Vietnamese line 09:00, Vietnam time."""
    with app.test_request_context():
        starts = moment(-10)  # 02:00 UTC
        meeting = planned_meeting(
            host="ls.liaison",
            partner_office_id=office_id("PX-BLO"),
            place_office_id=office_id("LS-BLO"),
            title="Giao ban với Bằng Tường",
            starts_at=starts,
        )
        minutes = recorded_minutes(meeting, actor="ls.liaison", action_items=[])
        record = operations.sign_minutes(minutes, actor=user_named("ls.liaison"))
        db.session.commit()
        times = record.snapshot["time"]
        with force_locale("zh"):
            china = timezone_label("Asia/Shanghai", starts)
        with force_locale("vi"):
            vietnam = timezone_label("Asia/Ho_Chi_Minh", starts)
    assert set(times) == {"vi", "zh"}
    assert "10:00" in times["zh"] and china in times["zh"] and "09:00" not in times["zh"]
    assert "09:00" in times["vi"] and vietnam in times["vi"]

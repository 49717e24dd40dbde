"""Every kind of generated document gives back every string it draws, in every script.

The documents are made as users get them: the handover record in each language pair (and
all three), its labels from the real catalogues; the case file exported by users reading
Vietnamese, Lao, Chinese and English. Names and text hold the Lao that shaping used to
garble in the text layer (ບໍ່, ຂໍ້, ຕໍ່: nikhahit then tone mark; ນ້ຳ: tone mark then ຳ; ກົ້,
ຫົວໜ້າ: marks raised over ົ), Vietnamese with stacked diacritics, and Chinese.

Every string a document draws (each label, cell, heading, header and footer, recorded as
it is drawn) must come back from ``pdftotext`` exactly, on its own page. Only whitespace
is normalised (``tests.documents.pdftext.squash``): text wraps inside cells and
pdftotext marks a line end with a space or a line break. Strings are looked for in
``pdftotext -raw`` (drawing order), because the default layout mode reads narrow table
cells that stand side by side line by line across the row; words are also looked for in
the default mode, which is what search in a viewer sees.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest
from flask_babel import force_locale

from coordination.cases import operations as case_operations
from coordination.extensions import db
from coordination.handovers.record_pdf import render_handover_record
from coordination.handovers.records import LABELS
from tests.conftest import login_client, translated, user_named
from tests.documents.pdftext import drawn_strings, missing_strings, needs_poppler, squash, text

SAMPLE = Path(__file__).resolve().parent / "handovers" / "sample_record.json"
LAO_WORDS = ["ບໍ່", "ຂໍ້", "ຕໍ່", "ນ້ຳ", "ກົ້", "ຫົວໜ້າ", "ເຄື່ອງ", "ທີ່", "ສົມສັກ", "ພົມມະຈັນ"]
LAO_NAME = "ບໍ່ ຂໍ້ ຕໍ່ ນ້ຳ"
LAO_OFFICER = "ກົ້ ຫົວໜ້າ"
LAO_NOTE = "ຫົວໜ້າ ບໍ່ ໄດ້ ມາ, ນ້ຳ ຕໍ່ ຂໍ້ ເຄື່ອງ ທີ່ ກົ້ ແລະ ສົມສັກ ພົມມະຈັນ."
VIETNAMESE_WORDS = ["Nguyễn", "Hường", "Đỗ", "Ỗ", "khỏe", "thường", "mệt", "mỏi", "Quảng", "Trị"]
CHINESE_WORDS = ["李明", "凭祥边境管理大队", "头痛", "丹沙湾检查站"]


def _labels(app, languages: list[str]) -> dict:
    """The record's label table as ``records.build_snapshot`` makes it: each label from
    the catalogue of each language."""
    labels: dict[str, dict[str, str]] = {}
    with app.test_request_context():
        for key, label in LABELS.items():
            labels[key] = {}
            for language in languages:
                with force_locale(language):
                    labels[key][language] = str(label)
    return labels


def _record(app, languages: list[str]) -> dict:
    """The sample record with every label in use and the names and notes above."""
    snapshot = json.loads(SAMPLE.read_text(encoding="utf-8"))
    snapshot["languages"] = languages
    snapshot["labels"] = _labels(app, languages)
    snapshot["supersedes"] = {"number": "QT-BGS-LB/BG/2026/0000", "version": 1}
    snapshot["handing_over"]["officers"][0]["name"] = LAO_OFFICER
    snapshot["handing_over"]["unit"] = "凭祥边境管理大队 / ຫົວໜ້າ ໜ່ວຍ"
    people = snapshot["people"]
    people[0]["name_as_written"] = LAO_NAME
    people[0]["health"] = "Sức khỏe bình thường, mệt mỏi; 头痛; " + LAO_NOTE
    people[1].update(sex=None, date_of_birth=None, estimated_age=15, child=True)
    people[1]["referral"] = "other"
    people[1]["name_as_written"] = "Đỗ Thị Ỗ"
    people[2]["name_as_written"] = "李明"
    snapshot["not_on_list"][0]["name_as_written"] = "ຕໍ່ ນ້ຳ"
    snapshot["notes"] = f"{LAO_NOTE}\nNguyễn Thị Hường: Quảng Trị. 李明 在丹沙湾检查站头痛。"
    return snapshot


def _labels_printed(snapshot: dict, pages: int) -> list[str]:
    """Each label of the record in each of its languages, as printed."""
    printed = []
    for key, texts in snapshot["labels"].items():
        if key == "our_record":  # printed on our side's copy only, beside our records' names
            continue
        for label in texts.values():
            if key == "page":
                label = label % {"page": 1, "pages": pages}
            elif key == "age_years":
                label = label % {"age": 15}
            printed.append(label)
    return printed


def _assert_words(pdf: bytes, words: list[str]) -> None:
    """Each word is found as written by a viewer's search (pdftotext's layout mode)."""
    found = squash(text(pdf))
    assert [word for word in words if word not in found] == []


@needs_poppler
@pytest.mark.parametrize("languages", [["vi", "lo"], ["vi", "zh"], ["vi", "lo", "zh"]])
def test_handover_record_gives_back_every_string(app, monkeypatch, languages):
    snapshot = _record(app, languages)
    with drawn_strings(monkeypatch) as drawn:
        pdf = render_handover_record(copy.deepcopy(snapshot))
    assert len(drawn) > 150
    assert missing_strings(pdf, drawn) == []
    pages = text(pdf, "-raw").count("\f")
    raw = squash(text(pdf, "-raw"))
    # The whole catalogue of the record's labels, in each of its languages.
    assert [label for label in _labels_printed(snapshot, pages) if squash(label) not in raw] == []
    _assert_words(pdf, LAO_WORDS + VIETNAMESE_WORDS + CHINESE_WORDS)


@pytest.fixture
def case_id(app):
    """A case whose people are named in Lao, Vietnamese and Chinese."""
    with app.app_context():
        officer = user_named("qt.liaison")
        case = case_operations.create_case(
            {
                "title": f"Ba phụ nữ bị đưa qua biên giới: {LAO_NAME}",
                "summary": f"{LAO_NOTE} Nguyễn Thị Hường, Quảng Trị. 李明 在丹沙湾检查站头痛。",
                "opened_on": date(2026, 10, 1),
            },
            actor=officer,
        )
        add = case_operations.add_person
        for name, romanised, nationality in (
            (LAO_NAME, "Bo Kho To Nam", "LA"),
            (LAO_OFFICER, "Ko Houana", "LA"),
            ("Nguyễn Thị Hường", "Nguyen Thi Huong", "VN"),
            ("Đỗ Văn Ỗ", None, "VN"),
            ("李明", "Li Ming", "CN"),
        ):
            add(
                case,
                {
                    "role": "victim",
                    "name_as_written": name,
                    "name_romanised": romanised,
                    "sex": "female",
                    "estimated_age": 24,
                    "nationality": nationality,
                    "home_address": "ບ້ານ ນ້ຳ ບໍ່, ແຂວງ ສະຫວັນນະເຂດ",
                },
                actor=officer,
            )
        case_operations.add_event(
            case,
            {
                "kind": "exploitation",
                "occurred_on": date(2026, 8, 20),
                "place": "ເມືອງ ໄກສອນ, 凭祥的工厂",
                "means": f"Lừa đi làm; {LAO_NOTE}; 头痛",
                "exploitation_type": "forced_labour",
            },
            actor=officer,
        )
        db.session.commit()
        return case.id


@needs_poppler
@pytest.mark.parametrize("locale", ["vi", "lo", "zh", "en"])
def test_case_file_gives_back_every_string(app, monkeypatch, case_id, locale):
    with app.app_context():
        user_named("qt.liaison").locale = locale
        db.session.commit()
    client = login_client(app, "qt.liaison")
    with drawn_strings(monkeypatch) as drawn:
        response = client.get(f"/cases/{case_id}/file.pdf")
    assert response.status_code == 200
    pdf = response.data
    assert missing_strings(pdf, drawn) == []
    # The catalogue's labels in the reader's language are among what was drawn.
    strings = [string for _page, string in drawn]
    for label in ("People", "Trafficking events"):
        assert translated(app, locale, label) in strings
    _assert_words(pdf, LAO_WORDS[:6] + VIETNAMESE_WORDS[:4] + ["李明"])

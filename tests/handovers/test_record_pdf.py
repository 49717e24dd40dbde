"""The handover record PDF: a pure function of its snapshot, in two or three languages.

No database and no app: every test renders a snapshot (tests/handovers/sample_record.json,
the format contract, or a variant of it) and reads the PDF back with pypdf, fontTools and
poppler-utils.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from coordination.documents import fonts
from coordination.documents.layout import PAGE_HEIGHT, PAGE_WIDTH
from coordination.documents.textlines import _drawable, text_width, wrap_text
from coordination.handovers.record_pdf import (
    SnapshotError,
    normalise,
    printable,
    render_handover_record,
)
from tests.cases.test_case_file import (
    ARTIFACTS,
    _check_fonts,
    _poppler,
    _squash,
    _text_operations,
    _to_unicode,
    needs_poppler,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).resolve().parent / "sample_record.json"
OUR_FONTS = {"CoordinationSans-Regular", "CoordinationSans-Bold", "CoordinationHan-Regular"}
LAO_NOTE = ("ການມອບຮັບຜູ້ຖືກເຄາະຮ້າຍເຄື່ອງທີ່ນ້ຳສົມສັກພົມມະຈັນ" * 60)[:2000]
MAI_EK, MAI_THO, NIKHAHIT = "\u0ec8", "\u0ec9", "\u0ecd"


def _sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def _bilingual(partner: str) -> dict:
    """The sample in Vietnamese and one partner language; a Chinese partner's side keeps
    Chinese time (UTC+08:00)."""
    snapshot = _sample()
    snapshot["languages"] = ["vi", partner]
    if partner == "zh":
        snapshot["handing_over"]["time_zone"] = "Asia/Shanghai"
        snapshot["handing_over"]["unit"] = "凭祥边境管理大队 (Pingxiang)"
        snapshot["handing_over"]["officers"] = [
            {"name": "李明", "romanised": "Li Ming", "rank": "警长"},
        ]
    return snapshot


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render_handover_record(_sample())


def _text(pdf: bytes, tmp_path: Path, *pages: int) -> str:
    """The text layer (pdftotext) of some pages or all, lines joined by single spaces
    (a name in a narrow cell wraps)."""
    return " ".join(_raw_text(pdf, tmp_path, *pages).split())


def _raw_text(pdf: bytes, tmp_path: Path, *pages: int) -> str:
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return _poppler("pdftotext", "-enc", "UTF-8", *span, str(path), "-")


def _fonts_used(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


def _drawn_codes(pdf: bytes) -> dict[str, set[int]]:
    """For each text drawn in the merged face: the codes (glyphs) that drew it."""
    reader = PdfReader(io.BytesIO(pdf))
    maps: dict[int, dict[int, str]] = {}
    found: dict[str, set[int]] = {}
    for font, codes in _text_operations(reader):
        if "CoordinationSans" not in str(font["/BaseFont"]):
            continue
        mapping = maps.setdefault(id(font), _to_unicode(font))
        for code in codes:
            found.setdefault(mapping[code], set()).add((id(font), code))
    return found


# --- The document --------------------------------------------------------------------------


def test_a4_pages_numbered_in_every_label_language(sample_pdf, tmp_path):
    reader = PdfReader(io.BytesIO(sample_pdf))
    pages = len(reader.pages)
    assert pages >= 2
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == (
            round(PAGE_WIDTH, 1),
            round(PAGE_HEIGHT, 1),
        )
    text = _text(sample_pdf, tmp_path)
    for number in range(1, pages + 1):
        assert f"Trang {number}/{pages}" in text
        assert f"第 {number} 页，共 {pages} 页" in text
        assert _squash(f"ໜ້າ {number} ຈາກ {pages}") in _squash(text)
    assert reader.metadata.title.startswith("Biên bản bàn giao")


@needs_poppler
def test_vietnamese_and_chinese_text_extracts_back(sample_pdf, tmp_path):
    text = _text(sample_pdf, tmp_path)
    for expected in (
        "Nguyễn Thị Hường (Nguyen Thi Huong)",  # stacked diacritics, romanised beside
        "Đỗ Thị Ỗ (Do Thi O)",
        "Phạm Văn Hưởng (Pham Van Huong)",
        "阮氏香 (Ruan Shixiang)",  # Chinese with a Latin name inside
        "移交顺利进行。",
        "被拐卖受害人移交接收记录",
        "QT-BGS-LB/BG/2026/0001",
        "SVK-BLO/2026/0003",
        "Biên bản bàn giao",
        "Cửa khẩu",
        "Ký, ghi rõ họ tên",
    ):
        assert expected in text, expected
    assert "\ufffd" not in text
    # Lao comes back too (shaped glyphs carry their characters, fonts.SearchableTTFont);
    # ຳ as nikhahit + aa, so compare decomposed and without spaces.
    for expected in ("ບຸນມີ ແກ້ວວົງສາ (Bounmy Keovongsa)", "ເຄື່ອງນຸ່ງ", "ທີ່ແຂນ", "ດ່ານຊາຍແດນ"):
        assert _squash(expected) in _squash(text), expected


@needs_poppler
def test_times_in_each_sides_time_zone_and_every_label_language(tmp_path):
    snapshot = _bilingual("zh")
    text = _text(render_handover_record(snapshot), tmp_path)
    # Scheduled 02:00 UTC: 10:00 in China (the handing side), 09:00 in Viet Nam.
    assert "2026年11月25日 10:00" in text
    assert "10:00 25 thg 11, 2026 (UTC+08:00)" in text
    assert "09:00 25 thg 11, 2026 (UTC+07:00)" in text
    assert "2026年11月25日 09:00" in text
    assert "Asia/Shanghai" in text and "Asia/Ho_Chi_Minh" in text
    assert "李明 (Li Ming)" in text
    assert "凭祥边境管理大队 (Pingxiang)" in text


@needs_poppler
def test_early_or_late_in_every_label_language(sample_pdf, tmp_path):
    """Completed 1 h 40 min after the scheduled time: the record says so, as frozen."""
    text = _text(sample_pdf, tmp_path)
    assert "So với thời gian dự kiến" in text
    assert "Muộn: 1 giờ 40 phút sau thời gian dự kiến" in text
    assert "推迟：比计划时间晚1小时40分钟" in text
    assert _squash("ຊ້າກວ່າກຳນົດ: 1 ຊົ່ວໂມງ 40 ນາທີ") in _squash(text)


@needs_poppler
def test_a_record_issued_before_timing_was_recorded_prints_as_it_did(tmp_path):
    """Records issued before have no "timing": no row for it (and their bytes, from their
    own snapshots, are unchanged)."""
    snapshot = _sample()
    del snapshot["timing"]
    text = _text(render_handover_record(snapshot), tmp_path)
    assert "So với thời gian dự kiến" not in text and "Muộn:" not in text
    assert render_handover_record(snapshot) == render_handover_record(copy.deepcopy(snapshot))


@needs_poppler
def test_people_table_repeats_its_header_on_every_page(tmp_path):
    snapshot = _sample()
    people = snapshot["people"]
    snapshot["people"] = [
        {**people[n % len(people)], "name_as_written": f"Nguyễn Văn Số{n + 1}"} for n in range(40)
    ]
    pdf = render_handover_record(snapshot)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    table_pages = []
    for page in range(1, pages + 1):
        text = _text(pdf, tmp_path, page)
        if "Nguyễn Văn Số" in text:
            table_pages.append(page)
            for header in ("STT", "Giới tính", "性别", "Chuyển tiếp đến", "后续转介"):
                assert header in text, (page, header)
            assert _squash("ເພດ") in _squash(text)  # the sex column, in Lao
    assert len(table_pages) >= 2
    everything = _text(pdf, tmp_path) + " "
    for n in range(1, 41):  # every row, once
        assert everything.count(f"Nguyễn Văn Số{n} ") == 1, n


def test_lists_not_on_the_list_and_not_handed_over_are_flagged(sample_pdf, tmp_path):
    text = _text(sample_pdf, tmp_path)
    assert "Không có trong danh sách đã thống nhất" in text
    assert "Có trong danh sách nhưng không được bàn giao" in text
    assert _squash("ເລ ທິ ລານ (Le Thi Lan)") in _squash(text)
    # Flagged: drawn in the alert colour (#9b1c1c) with a red bar beside the rows.
    content = b"".join(
        page.get_contents().get_data() for page in PdfReader(io.BytesIO(sample_pdf)).pages
    )
    assert b".607843 .109804 .109804 rg" in content  # the headings
    assert b".607843 .109804 .109804 RG" in content  # the bar


def test_correcting_record_says_which_record_it_replaces(tmp_path):
    snapshot = _sample()
    snapshot["version"] = 2
    snapshot["supersedes"] = "QT-BGS-LB/BG/2026/0001 v1"
    text = _text(render_handover_record(snapshot), tmp_path)
    assert "Thay thế biên bản / " in text
    assert "QT-BGS-LB/BG/2026/0001 v1" in text
    assert "更正记录" in text


def test_signature_blocks_for_both_sides_and_the_witnesses(sample_pdf, tmp_path):
    text = _text(sample_pdf, tmp_path)
    for expected in ("Đại diện bên bàn giao", "Đại diện bên tiếp nhận", "接收方代表"):
        assert expected in text
    assert text.count("Người chứng kiến") >= 3  # the facts row and one block per witness
    assert text.count("签名及姓名") == 4  # two sides, two witnesses
    for name in ("Nguyễn Văn An", "(Nguyen Van An)", "Hồ Văn Nam", "(Khamphon Sihalad)"):
        assert name in text


def test_qr_code_of_the_url_with_its_label(sample_pdf, tmp_path):
    text = _text(sample_pdf, tmp_path, 1)
    assert "Quét để mở biên bản" in text
    assert "扫码在系统中打开此记录（需登录）" in text
    first_page = PdfReader(io.BytesIO(sample_pdf)).pages[0].get_contents().get_data()
    assert first_page.count(b" re f") > 100  # the modules, drawn as filled rectangles
    without = _sample()
    without["url"] = None
    page = PdfReader(io.BytesIO(render_handover_record(without))).pages[0]
    assert page.get_contents().get_data().count(b" re f") < 20


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools is not installed")
def test_qr_code_reads_back_as_the_url(sample_pdf, tmp_path):
    path = tmp_path / "record.pdf"
    path.write_bytes(sample_pdf)
    _poppler("pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p"))
    result = subprocess.run(  # noqa: S603 - a tool found on PATH, our own file
        [shutil.which("zbarimg"), "-q", "--raw", str(tmp_path / "p-1.png")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == _sample()["url"]


# --- Fonts and scripts ---------------------------------------------------------------------


def _variants() -> dict[str, dict]:
    bad = _sample()
    bad["people"][0]["name_as_written"] = "Nguyễn 👩‍👩‍👧 Thị 😀🏽 Hường"
    bad["notes"] = LAO_NOTE
    bad["people"][1]["health"] = LAO_NOTE[:600]
    return {
        "vi+lo": _bilingual("lo"),
        "vi+zh": _bilingual("zh"),
        "vi+lo+zh": _sample(),
        "bad input": bad,
    }


@pytest.mark.parametrize("variant", list(_variants()))
def test_every_character_is_drawn_by_an_embedded_font_that_has_it(variant):
    pdf = render_handover_record(_variants()[variant])
    drawn = "".join(_check_fonts(pdf))  # no .notdef, no blank glyph, ToUnicode for all
    for char in "ễườỖĐ阮香":
        assert char in drawn, char
    assert "ສ" in drawn and "ເ" in drawn
    assert _fonts_used(pdf) <= OUR_FONTS


@needs_poppler
def test_pdffonts_lists_only_our_embedded_fonts(sample_pdf, tmp_path):
    path = tmp_path / "record.pdf"
    path.write_bytes(sample_pdf)
    listing = _poppler("pdffonts", str(path)).splitlines()[2:]
    assert len(listing) == 3
    for line in listing:
        assert line.split()[-5] == "yes", line  # embedded
        assert "Coordination" in line.split()[0], line


@needs_poppler
def test_lao_tone_marks_over_upper_vowels_are_shaped(tmp_path):
    """ເຄື່ອງ, ທີ່, ນ້ຳ: HarfBuzz swaps the tone mark over an upper vowel for its raised
    form, and nikhahit + tone mark for a ligature. Both show up in the PDF as glyphs that
    the font's character map does not reach, mapped back to their characters."""
    fonts.register_fonts()
    for word in ("ເຄື່ອງ", "ທີ່", "ນ້ຳ"):
        ((face, shaped),) = _drawable(word, fonts.SANS, 9)
        assert face == fonts.SANS
        assert any(0xE000 <= ord(char) <= 0xF8FF for char in shaped), word
    snapshot = _sample()
    snapshot["people"][1]["health"] = "ເຄື່ອງ ທີ່ ນ້ຳ"  # a table cell
    snapshot["notes"] = "ນ້ຳ ເຄື່ອງ ທີ່"  # a paragraph
    pdf = render_handover_record(snapshot)
    _check_fonts(pdf)  # and no .notdef among them
    assert _squash("ເຄື່ອງ ທີ່ ນ້ຳ") in _squash(_text(pdf, tmp_path))
    assert _squash("ນ້ຳ ເຄື່ອງ ທີ່") in _squash(_text(pdf, tmp_path))
    drawn = _drawn_codes(pdf)
    # The tone mark drawn by two different glyphs: plain (ຄ່າ…) and raised (ທີ່, ເຄື່ອງ).
    assert len({code for _font, code in drawn[MAI_EK]}) >= 2
    # ນ້ຳ: one glyph for tone mark + nikhahit, in the text layer as both characters.
    assert MAI_THO + NIKHAHIT in drawn or NIKHAHIT + MAI_THO in drawn


@needs_poppler
def test_first_page_of_the_trilingual_record_as_png(sample_pdf):
    """Writes test-artifacts/handover-record-trilingual-1.png to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    pdf_path = ARTIFACTS / "handover-record-trilingual.pdf"
    pdf_path.write_bytes(sample_pdf)
    prefix = str(ARTIFACTS / "handover-record-trilingual")
    _poppler("pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "1", str(pdf_path), prefix)
    assert (ARTIFACTS / "handover-record-trilingual-1.png").stat().st_size > 50_000


def test_text_lines_break_like_the_paragraphs_do():
    fonts.register_fonts()
    # Chinese between characters, never before closing punctuation.
    lines = wrap_text("扫码在系统中打开此记录（需登录）。", fonts.SANS, 10, 45)
    assert "".join(lines) == "扫码在系统中打开此记录（需登录）。"
    assert len(lines) > 2
    for line in lines:
        assert line[0] not in "）。，", lines
        assert line[-1] != "（", lines
    # Words at spaces; a reference longer than the line after a hyphen.
    assert wrap_text("Trung tâm Bảo trợ xã hội", fonts.SANS, 10, 60) == (
        "Trung tâm",
        "Bảo trợ xã",
        "hội",
    )
    assert wrap_text("GCN-2026-100", fonts.SANS, 10, 56) == ("GCN-2026-", "100")
    # Lao at syllable starts, each line within the width.
    lines = wrap_text("ການມອບຮັບຜູ້ຖືກເຄາະຮ້າຍເຄື່ອງທີ່ນ້ຳ", fonts.SANS, 10, 50)
    assert "".join(lines) == "ການມອບຮັບຜູ້ຖືກເຄາະຮ້າຍເຄື່ອງທີ່ນ້ຳ" and len(lines) > 1
    for line in lines:
        assert text_width(line, fonts.SANS, 10) <= 50
        assert unicodedata.category(line[0]) not in {"Mn", "Mc"}
    # Hard line breaks are kept; a blank line stays a line.
    assert wrap_text("a\n\nb", fonts.SANS, 10, 100) == ("a", "", "b")


# --- Variants ------------------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize(
    ("partner", "present", "absent"),
    [
        ("lo", ["ບຸກຄົນທີ່ຖືກມອບ", "ໜ້າ 1 ຈາກ"], ["移交人员", "第 1 页"]),
        ("zh", ["移交人员", "第 1 页"], ["ບຸກຄົນທີ່ຖືກມອບ", "ໜ້າ 1 ຈາກ"]),
    ],
)
def test_bilingual_records_show_vietnamese_and_the_partners_language(
    tmp_path, partner, present, absent
):
    text = _squash(_text(render_handover_record(_bilingual(partner)), tmp_path))
    assert _squash("Những người được bàn giao") in text
    for label in present:
        assert _squash(label) in text, label
    for label in absent:
        assert _squash(label) not in text, label
    assert _squash("Sức khỏe khi tiếp nhận") in text
    assert "Healthonarrival" not in text  # English is the fallback, never printed


@needs_poppler
def test_trilingual_record_shows_all_three(sample_pdf, tmp_path):
    text = _squash(_text(sample_pdf, tmp_path))
    for label in ("Những người được bàn giao", "ບຸກຄົນທີ່ຖືກມອບ", "移交人员", "Nữ", "ຍິງ", "女"):
        assert _squash(label) in text, label


# --- Reproducible ---------------------------------------------------------------------------


def test_same_snapshot_same_bytes(sample_pdf):
    other = _bilingual("zh")
    other["notes"] = "ສົມສັກ ພົມມະຈັນ ນ້ຳ ເຄື່ອງ " + LAO_NOTE[:300]
    render_handover_record(other)  # other text in between: new shaped glyphs, new widths
    assert render_handover_record(_sample()) == sample_pdf
    assert b"/CreationDate (D:20000101000000+00'00')" in sample_pdf  # no clock


def test_same_bytes_in_another_process():
    """No random ids, no hash-order effects: a fresh interpreter with another hash seed
    gives the same file."""
    script = (
        "import hashlib, json, sys; "
        "from coordination.handovers.record_pdf import render_handover_record; "
        f"pdf = render_handover_record(json.load(open({str(SAMPLE)!r}, encoding='utf-8'))); "
        "sys.stdout.write(hashlib.sha256(pdf).hexdigest())"
    )
    digests = set()
    for seed in ("1", "4242"):
        environment = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env=environment,
        )
        digests.add(result.stdout)
    render = render_handover_record(_sample())
    assert digests == {hashlib.sha256(render).hexdigest()}


# --- Bad input -----------------------------------------------------------------------------


def test_input_is_nfc_and_unprintable_characters_become_one_placeholder(tmp_path):
    assert printable("Nguye\u0302\u0303n") == "Nguyễn"
    # An emoji with its skin tone or joiners is one placeholder; invisible characters go.
    assert printable("a😀🏽b👩‍👩‍👧c\u200bd\ufeffe") == "a\ufffdb\ufffdcde"
    assert printable("ທີ່ 李明 Ỗ") == "ທີ່ 李明 Ỗ"
    snapshot = _sample()
    before = copy.deepcopy(snapshot)
    assert normalise(snapshot)["labels"] == before["labels"]
    assert snapshot == before  # the caller's snapshot is left alone
    snapshot["people"][0]["name_as_written"] = "Nguye\u0302\u0303n Thi\u0323 H\u01b0\u01a1\u0300ng"
    text = _text(render_handover_record(snapshot), tmp_path)
    assert "Nguyễn Thị Hường" in text


@needs_poppler
def test_emoji_in_a_name_gives_a_valid_pdf_with_a_visible_placeholder(tmp_path):
    snapshot = _sample()
    snapshot["people"][0]["name_as_written"] = "Nguyễn 👩‍👩‍👧 Thị 😀🏽 Hường"
    snapshot["witnesses"][0]["name"] = "Hồ Văn Nam 🙂"
    pdf = render_handover_record(snapshot)
    _check_fonts(pdf)
    text = _text(pdf, tmp_path)
    assert "Nguyễn \ufffd Thị \ufffd Hường" in text
    assert "Hồ Văn Nam \ufffd" in text


@needs_poppler
def test_a_long_lao_note_without_spaces_wraps_between_syllables(tmp_path):
    snapshot = _sample()
    snapshot["notes"] = LAO_NOTE
    snapshot["people"][3]["health"] = LAO_NOTE  # in a narrow cell: the row runs on
    pdf = render_handover_record(snapshot)
    _check_fonts(pdf)
    text = _raw_text(pdf, tmp_path)
    assert _squash(LAO_NOTE) in _squash(text)  # nothing lost
    lao_lines = [
        unicodedata.normalize("NFC", line.replace(" ", ""))
        for line in text.splitlines()
        if line and all("\u0e80" <= char <= "\u0eff" for char in line.replace(" ", ""))
    ]
    assert len(lao_lines) > 30
    for line in lao_lines:
        assert unicodedata.category(line[0]) not in {"Mn", "Mc"}, line
        assert line[0] not in "ະາຳຽໆ", line
        assert line[-1] not in "ເແໂໃໄ", line
    # The cell's lines fit the cell: 21 mm less padding.
    fonts.register_fonts()
    for line in wrap_text(LAO_NOTE, fonts.SANS, 7.5, 54.5):
        assert fonts.pdfmetrics.stringWidth(line, fonts.SANS, 7.5) <= 54.5


@needs_poppler
def test_empty_optional_fields_give_a_valid_record(tmp_path):
    snapshot = _sample()
    snapshot.update(
        interpreter=None,
        witnesses=[],
        transport="",
        notes=None,
        completed_at=None,
        request_reference=None,
        url="",
        not_on_list=[],
        missing_from_list=[],
    )
    snapshot["handing_over"]["officers"] = []
    snapshot["receiving"]["unit"] = None
    snapshot["people"] = [
        {"name_as_written": "Vi Thị Ỗ"},
        {"name_as_written": "", "name_romanised": "Unknown person", "sex": None},
    ]
    pdf = render_handover_record(snapshot)
    _check_fonts(pdf)
    text = _text(pdf, tmp_path)
    assert "Vi Thị Ỗ" in text and "Unknown person" in text
    assert "—" in text  # placeholders where nothing was recorded
    assert "Không rõ" in text  # sex and age unknown


@needs_poppler
def test_more_officers_and_witnesses_than_a_page_holds(tmp_path):
    snapshot = _sample()
    officer = {"name": "ບຸນມີ ແກ້ວວົງສາ", "romanised": "Bounmy Keovongsa", "rank": "ຮ້ອຍເອກ"}
    snapshot["handing_over"]["officers"] = [
        {**officer, "romanised": f"Bounmy {n}"} for n in range(14)
    ]
    snapshot["witnesses"] = [
        {"name": f"Hồ Văn Nam {n}", "romanised": None, "role": "Hội Phụ nữ"} for n in range(9)
    ]
    pdf = render_handover_record(snapshot)
    _check_fonts(pdf)
    text = _text(pdf, tmp_path)
    assert "(Bounmy 13)" in text and "Hồ Văn Nam 8" in text


def test_a_snapshot_of_another_format_is_refused():
    snapshot = _sample()
    snapshot["format"] = 2
    with pytest.raises(SnapshotError):
        render_handover_record(snapshot)
    with pytest.raises(SnapshotError):
        render_handover_record([])  # type: ignore[arg-type]


def test_missing_labels_fall_back_to_english_then_the_key(tmp_path):
    snapshot = _sample()
    del snapshot["labels"]["notes"]["lo"]
    del snapshot["labels"]["transport"]
    snapshot["labels"]["page"]["vi"] = "Trang %(oops)d"  # a translator's typo
    text = _text(render_handover_record(snapshot), tmp_path)
    assert "Ghi chú / Notes / 备注" in text
    assert "transport" in text
    assert "Trang %(oops)d" in text

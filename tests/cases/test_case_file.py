"""The case file as one PDF: access, audit, text in three scripts, fonts, children's privacy."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream
from sqlalchemy import select

from coordination.audit.models import AuditEntry
from coordination.auth.operations import create_user
from coordination.cases import operations as case_operations
from coordination.cases.export_views import bp as export_bp
from coordination.demo_data import DEMO_PASSWORD
from coordination.documents import fonts
from coordination.documents.text import break_long_words, clean, font_runs, markup
from coordination.exchange import operations as exchange_operations
from coordination.exchange.models import MessageKind
from coordination.extensions import db
from tests.conftest import login_client, translated, user_named
from tests.exchange.helpers import office_id

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
POPPLER = {tool: shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdffonts")}
needs_poppler = pytest.mark.skipif(
    not all(POPPLER.values()), reason="poppler-utils is not installed"
)

VIETNAMESE = "Nguyễn Thị Hướng"
STACKED = "Đỗ Văn Ỗ"
LAO_NAME = "ສົມສັກ ພົມມະຈັນ"
LAO_WORDS = "ເຄື່ອງ ທີ່ ນ້ຳ"
CHINESE = "李明"
CHINESE_FULL = "李明 (Lý Minh, Li Ming)"
CHILD_ADDRESS = "Số nhà 17 <B&C> thôn Khe Sanh"
CHILD_GUARDIAN = "Bà Vi Thị Lành"
CHILD_CONTACTS = "Cô Vi Thị Hờn: 0912 000 111"


@pytest.fixture
def app(app):
    """The app, with the export blueprint registered if the factory does not do it yet."""
    if "case_export" not in app.blueprints:
        app.register_blueprint(export_bp)
    return app


def _make_user(username: str, roles: list[str], locale: str = "vi", code: str = "QT-BLO"):
    return create_user(
        {
            "username": username,
            "full_name": f"Người dùng {username}",
            "office_id": office_id(code),
            "roles": roles,
            "locale": locale,
            "timezone": "Asia/Ho_Chi_Minh",
            "password": DEMO_PASSWORD,
        },
        actor=None,
    )


@pytest.fixture
def case_id(app):
    """A Quảng Trị case with people in three scripts, a child, an event and a request."""
    with app.app_context():
        officer = user_named("qt.liaison")
        case = case_operations.create_case(
            {
                "title": "Ba phụ nữ và một trẻ em bị đưa qua biên giới",
                "summary": f"Tóm tắt: {LAO_WORDS}; {CHINESE} <đối tượng> & đồng bọn.",
                "opened_on": date(2026, 10, 1),
            },
            actor=officer,
        )
        add = case_operations.add_person
        add(
            case,
            {
                "role": "victim",
                "name_as_written": VIETNAMESE,
                "name_romanised": "Nguyen Thi Huong",
                "sex": "female",
                "date_of_birth": date(2001, 5, 17),
                "nationality": "VN",
                "home_address": "Thôn 3, xã Lao Bảo",
            },
            actor=officer,
        )
        add(case, {"role": "relative", "name_as_written": STACKED, "sex": "male"}, actor=officer)
        lao = add(
            case,
            {
                "role": "victim",
                "name_as_written": LAO_NAME,
                "name_romanised": "Somsak Phommachanh",
                "sex": "female",
                "estimated_age": 24,
                "nationality": "LA",
            },
            actor=officer,
        )
        add(
            case,
            {
                "role": "suspect",
                "name_as_written": CHINESE_FULL,
                "name_romanised": "Li Ming",
                "sex": "male",
                "nationality": "CN",
            },
            actor=officer,
        )
        child = add(
            case,
            {
                "role": "victim",
                "name_as_written": "Vi Thị Ỗ",
                "sex": "female",
                "date_of_birth": date(2012, 3, 4),
                "nationality": "VN",
                "home_address": CHILD_ADDRESS,
                "guardian": CHILD_GUARDIAN,
                "relatives_contacts": CHILD_CONTACTS,
            },
            actor=officer,
        )
        case_operations.add_event(
            case,
            {
                "kind": "exploitation",
                "occurred_on": date(2026, 8, 20),
                "place": "Xưởng may ở Savannakhet",
                "means": f"Lừa đi làm; {LAO_WORDS}; 凭祥的工厂",
                "exploitation_type": "forced_labour",
            },
            actor=officer,
        )
        request = exchange_operations.compose(
            {
                "recipient_office_id": office_id("SVK-BLO"),
                "kind": "identity_verification",
                "subject": f"Xác minh nhân thân {LAO_NAME}",
                "body": "Đề nghị quý Văn phòng xác minh nhân thân hai người dưới đây.",
                "case_id": case.id,
                "person_ids": [lao.id, child.id],
                "shared_fields": ["name_as_written", "name_romanised", "sex", "home_address"],
                "action": "send",
            },
            actor=officer,
        )
        partner = user_named("svk.liaison")
        exchange_operations.take_step(request, MessageKind.ACKNOWLEDGE, {}, {}, actor=partner)
        outcomes = {shared.id: "confirmed" for shared in request.people}
        exchange_operations.take_step(
            request,
            MessageKind.REPLY,
            {"body": f"ກວດສອບແລ້ວ: {LAO_WORDS}.\n{LAO_NAME} ແມ່ນພົນລະເມືອງລາວ."},
            outcomes,
            actor=partner,
        )
        _make_user("qt.guard2", ["border_guard"])
        db.session.commit()
        return case.id


@pytest.fixture
def export(app, case_id):
    def fetch(username: str = "qt.liaison"):
        client = login_client(app, username)
        return client.get(f"/cases/{case_id}/file.pdf")

    return fetch


def _poppler(tool: str, *args: str) -> str:
    """Run a poppler-utils tool (found on PATH; arguments are our own paths)."""
    result = subprocess.run(  # noqa: S603
        [POPPLER[tool], *args], capture_output=True, text=True, check=True
    )
    return result.stdout


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "file.pdf"
    path.write_bytes(pdf)
    return _poppler("pdftotext", "-enc", "UTF-8", str(path), "-")


def _squash(text: str) -> str:
    """Extracted text without line breaks or spaces; the characters exactly as extracted
    (documents give back Lao as written: ນ້ຳ, not nikhahit + aa)."""
    return "".join(text.split())


# --- Access and audit ----------------------------------------------------------------------


def test_case_office_exports_the_case_file_and_it_is_audited(app, export, case_id):
    response = export("qt.liaison")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="QT-BLO-CASE-2026-0001.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "case.export")
        ).one()
        assert entry.actor_id == user_named("qt.liaison").id
        assert (entry.target_type, entry.target_id) == ("cases", case_id)
        assert len(entry.details["people"]) == 5


def test_unrelated_office_gets_not_found_and_nothing_is_audited(app, export, case_id):
    assert export("px.liaison").status_code == 404
    assert export("svk.liaison").status_code == 404  # the partner sees requests, not the case
    anonymous = app.test_client().get(f"/cases/{case_id}/file.pdf")
    assert anonymous.status_code in (302, 401)
    assert app.test_client().get("/cases/999999/file.pdf").status_code in (302, 401)
    assert login_client(app, "qt.liaison").get("/cases/999999/file.pdf").status_code == 404
    with app.app_context():
        exports = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "case.export")
        ).all()
        assert exports == []


# --- Content -------------------------------------------------------------------------------


@needs_poppler
def test_text_layer_holds_the_names_in_every_script(export, tmp_path):
    text = _pdf_text(export("qt.liaison").data, tmp_path)
    # Exactly as typed (NFC): Vietnamese with stacked marks, Chinese, Lao without ຳ.
    for expected in (VIETNAMESE, STACKED, CHINESE_FULL, "Li Ming", LAO_NAME, "ເຄື່ອງ ທີ່"):
        assert expected in text, expected
    # Shaping splits ຳ (AM) into nikhahit + aa: the text layer holds its compatibility
    # decomposition, so ນ້ຳ is found in NFKD form.
    assert _squash(LAO_WORDS) in _squash(text)
    assert "QT-BLO/CASE/2026/0001" in text
    assert "<đối tượng> & đồng bọn" in text  # user text is escaped, not read as markup
    assert "ກວດສອບແລ້ວ" in text  # the partner's reply, from the thread
    assert "\ufffd" not in text


@needs_poppler
def test_child_protected_details_only_for_those_working_the_case(app, export, tmp_path):
    liaison = _squash(_pdf_text(export("qt.liaison").data, tmp_path))
    for secret in (CHILD_ADDRESS, CHILD_GUARDIAN, CHILD_CONTACTS):
        assert _squash(secret) in liaison
    guard_pdf = export("qt.guard2")
    assert guard_pdf.status_code == 200
    guard = _squash(_pdf_text(guard_pdf.data, tmp_path))
    for secret in (CHILD_ADDRESS, "KheSanh", CHILD_GUARDIAN, CHILD_CONTACTS, "0912000111"):
        assert _squash(secret) not in guard, secret
    # The adult's address stays visible, and the guard is told why the child's is missing.
    assert _squash("Thôn 3, xã Lao Bảo") in guard
    hidden = translated(
        app, "vi", "Hidden: a child's exact address is shown only to those working the case."
    )
    assert _squash(hidden) in guard


# --- Fonts ---------------------------------------------------------------------------------


def _text_operations(reader: PdfReader):
    """(font resource, code bytes) for every string shown on every page."""
    for page in reader.pages:
        resources = page["/Resources"]["/Font"]
        content = ContentStream(page.get_contents(), reader)
        font = None
        stack = []
        for operands, operator in content.operations:
            if operator == b"q":
                stack.append(font)
            elif operator == b"Q":
                font = stack.pop() if stack else None
            elif operator == b"Tf":
                font = resources[operands[0]].get_object()
            elif operator in (b"Tj", b"'", b'"'):
                yield font, bytes(operands[-1].original_bytes)
            elif operator == b"TJ":
                for item in operands[0]:
                    if hasattr(item, "original_bytes"):
                        yield font, bytes(item.original_bytes)


def _to_unicode(font) -> dict[int, str]:
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    mapping = {}
    inside = False
    for line in cmap.splitlines():
        if line.endswith("beginbfchar"):
            inside = True
        elif line == "endbfchar":
            inside = False
        elif inside:
            code, text = line.replace("<", "").split(">")[:2]
            mapping[int(code, 16)] = bytes.fromhex(text.strip()).decode("utf-16-be")
    return mapping


def _check_fonts(pdf: bytes) -> set[str]:
    """Every shown code maps to a real glyph of the embedded program of its font."""
    reader = PdfReader(io.BytesIO(pdf))
    programs: dict[int, tuple[TTFont, dict[int, str]]] = {}
    drawn = set()
    for font, codes in _text_operations(reader):
        assert font is not None, "text shown before any font was set"
        assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
        key = id(font)
        if key not in programs:
            descriptor = font["/FontDescriptor"].get_object()
            data = descriptor["/FontFile2"].get_object().get_data()
            programs[key] = (TTFont(io.BytesIO(data)), _to_unicode(font))
        program, to_unicode = programs[key]
        cmap = program["cmap"].tables[0].cmap
        glyf = program["glyf"]
        for code in codes:
            text = to_unicode.get(code)
            assert text is not None, f"code {code} of {font['/BaseFont']} has no text"
            assert code != 0, f"a character missing from {font['/BaseFont']} (.notdef)"
            glyph = cmap.get(code)
            assert glyph not in (None, ".notdef"), f"{text!r} not in {font['/BaseFont']}"
            if not text.isspace():
                assert glyf[glyph].numberOfContours != 0, f"{text!r} is blank"
            drawn.add(text)
    return drawn


@pytest.mark.parametrize("locale", ["vi", "lo", "zh", "en"])
def test_every_character_is_drawn_by_an_embedded_font_that_has_it(app, export, locale):
    with app.app_context():
        user_named("qt.liaison").locale = locale
        db.session.commit()
    pdf = export("qt.liaison").data
    drawn = _check_fonts(pdf)
    joined = "".join(drawn)
    for char in "ễướỖ李明ສົ":
        assert char in joined, char
    reader = PdfReader(io.BytesIO(pdf))
    fonts_used = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts_used <= {
        "CoordinationSans-Regular",
        "CoordinationSans-Bold",
        "CoordinationHan-Regular",
    }
    label = translated(app, locale, "Page %(page)s of %(pages)s", page=1, pages=len(reader.pages))
    assert _squash(label) in _squash("".join(page.extract_text() for page in reader.pages))


@needs_poppler
def test_pdffonts_lists_only_embedded_fonts_of_ours(export, tmp_path):
    path = tmp_path / "file.pdf"
    path.write_bytes(export("qt.liaison").data)
    listing = _poppler("pdffonts", str(path)).splitlines()[2:]
    assert listing
    for line in listing:
        name, embedded = line.split()[0], line.split()[-5]
        assert embedded == "yes", line
        assert "Helvetica" not in name and "Coordination" in name, line


@needs_poppler
@pytest.mark.parametrize("locale", ["vi", "lo", "zh"])
def test_first_page_renders_to_png_for_a_look(app, export, locale):
    """Writes test-artifacts/case-file-<locale>-1.png: look at it (Lao marks, no boxes)."""
    with app.app_context():
        user_named("qt.liaison").locale = locale
        db.session.commit()
    ARTIFACTS.mkdir(exist_ok=True)
    pdf_path = ARTIFACTS / f"case-file-{locale}.pdf"
    pdf_path.write_bytes(export("qt.liaison").data)
    prefix = str(ARTIFACTS / f"case-file-{locale}")
    _poppler("pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "1", str(pdf_path), prefix)
    assert (ARTIFACTS / f"case-file-{locale}-1.png").stat().st_size > 10_000


def test_fonts_are_registered_once(app, export):
    export("qt.liaison")
    first = fonts.pdfmetrics.getFont(fonts.SANS)
    export("qt.liaison")
    assert fonts.pdfmetrics.getFont(fonts.SANS) is first


# --- Text helpers --------------------------------------------------------------------------


def test_text_is_nfc_escaped_and_split_by_script():
    decomposed = "Nguye\u0302\u0303n"
    assert clean(decomposed) == "Nguyễn"
    assert clean("a\x00b\x1bc\r\nd\te") == "abc\nd e"
    fonts.register_fonts()
    assert font_runs("李明 (Lý Minh)") == [(fonts.HAN, "李明"), (fonts.SANS, " (Lý Minh)")]
    assert font_runs("ສົມສັກ, 12") == [(fonts.SANS, "ສົມສັກ, 12")]
    # Neither face has emoji: a visible replacement, never an empty box; invisible
    # characters (variation selector, zero-width space) are dropped.
    assert font_runs("a😀\ufe0fb\u200bc") == [(fonts.SANS, "a\ufffdbc")]
    assert markup("<b>&</b>\nx") == "&lt;b&gt;&amp;&lt;/b&gt;<br/>x"
    assert markup("李明") == f'<font name="{fonts.HAN}">李明</font>'
    # In a shaped (Lao) paragraph, a Chinese run never shares a word with another face.
    assert markup("ສົມ李明(Li)", shaped=True) == (f'ສົມ <font name="{fonts.HAN}">李明</font> (Li)')


def test_long_lao_words_break_between_clusters_only():
    fonts.register_fonts()
    word = "ເຄື່ອງທີ່ນ້ຳສົມສັກພົມມະຈັນ" * 4
    broken = break_long_words(word, fonts.SANS, 10, 120)
    lines = broken.split("\n")
    assert len(lines) > 1 and "".join(lines) == word
    for line in lines:
        assert unicodedata.category(line[0]) not in {"Mn", "Mc"}, line
        assert line[0] not in "ະາຳຽໆ", line
        assert line[-1] not in "ເແໂໃໄ", line
        assert fonts.pdfmetrics.stringWidth(line, fonts.SANS, 10) <= 120
    assert break_long_words("ສົມສັກ ພົມມະຈັນ", fonts.SANS, 10, 500) == "ສົມສັກ ພົມມະຈັນ"

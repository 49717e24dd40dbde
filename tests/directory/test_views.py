"""The directory's HTML pages, as a user would notice them.

English texts are asserted only for users whose stored locale is en (the demo "admin"); for
the others the tests assert on data (names, codes, status codes) or on catalogue lookups.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.auth.operations import create_user
from coordination.demo_data import DEMO_PASSWORD, OFFICES
from coordination.directory.models import AdministrativeArea, BorderGate, Office, Partnership
from coordination.directory.operations import create_office, find_partnership
from coordination.extensions import db
from coordination.i18n import _
from tests.conftest import login_client

# --- Helpers ---------------------------------------------------------------------------------

ROW_CODE = re.compile(r'<tr[^>]*>\s*<td data-label="[^"]*">([^<]*)</td>')


def listed_codes(response) -> list[str]:
    """The office codes in the first column of the offices table."""
    return ROW_CODE.findall(response.get_data(as_text=True))


def office_by_code(code: str) -> Office:
    return db.session.scalar(select(Office).where(Office.code == code))


def area_id(code: str) -> int:
    return db.session.scalar(select(AdministrativeArea.id).where(AdministrativeArea.code == code))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def partnership_id(app, first: str, second: str) -> int:
    with app.app_context():
        return find_partnership(office_by_code(first).id, office_by_code(second).id).id


def office_form(area: int, **overrides) -> dict:
    data = {
        "code": "QT-TEST",
        "kind": "shelter",
        "area_id": str(area),
        "name_vi": "Nhà tạm lánh thử nghiệm",
        "name_lo": "ເຮືອນພັກເຊົາທົດລອງ",
        "name_zh": "测试庇护所",
        "name_en": "Test Shelter",
        "names_reviewed": "1",
        "address": "1 Đường Hùng Vương, Đông Hà",
        "phone": "+84 233 000 000",
        "email": "shelter@example.org",
        "active": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def edit_form(office: Office, **overrides) -> dict:
    """The edit form as the browser would send it back for ``office``, with changes."""
    data = {
        "version": str(office.version),
        "code": office.code,
        "kind": office.kind,
        "area_id": str(office.area_id),
        "name_vi": office.name_vi,
        "name_lo": office.name_lo,
        "name_zh": office.name_zh,
        "name_en": office.name_en,
        "address": office.address or "",
        "phone": office.phone or "",
        "email": office.email or "",
    }
    if office.names_reviewed:
        data["names_reviewed"] = "1"
    if office.active:
        data["active"] = "1"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def partnership_form(office_a: int, office_b: int, **overrides) -> dict:
    data = {
        "office_a_id": str(office_a),
        "office_b_id": str(office_b),
        "working_languages": ["vi", "zh"],
        "working_languages-present": "1",
        "deadline_identity_verification": "15",
        "deadline_information": "10",
        "deadline_rescue_assistance": "3",
        "deadline_handover_proposal": "7",
        "notes": "",
        "active": "1",
    }
    data.update(overrides)
    return data


def catalogue(locale: str, message: str, **variables) -> str:
    with force_locale(locale):
        return _(message, **variables)


# --- Names in the interface language ---------------------------------------------------------


def test_office_list_in_lao_for_a_lao_officer(client, auth):
    auth.login("svk.liaison")
    page = client.get("/directory/offices").get_data(as_text=True)
    assert "ຫ້ອງການປະສານງານຊາຍແດນ ກວາງຈີ" in page  # QT-BLO in Lao
    assert "ຫ້ອງການປະສານງານຊາຍແດນ ແຂວງສະຫວັນນະເຂດ" in page  # SVK-BLO in Lao
    assert "Văn phòng liên lạc biên giới Quảng Trị" not in page
    assert "广治边境联络办公室" not in page


def test_office_list_in_chinese_for_a_chinese_officer(client, auth):
    auth.login("px.liaison")
    page = client.get("/directory/offices").get_data(as_text=True)
    assert "广治边境联络办公室" in page
    assert "凭祥边境联络办公室" in page
    assert "ຫ້ອງການປະສານງານຊາຍແດນ ກວາງຈີ" not in page


def test_office_list_in_vietnamese_and_english(client, auth, app):
    auth.login("qt.liaison")
    assert "Văn phòng liên lạc biên giới Quảng Trị" in client.get("/directory/offices").get_data(
        as_text=True
    )
    auth.logout()
    auth.login("admin")
    page = client.get("/directory/offices").get_data(as_text=True)
    assert "Quang Tri Border Liaison Office" in page
    assert "Offices" in page


# --- Filters and search ----------------------------------------------------------------------


def test_country_filter_shows_only_lao_offices(client, auth):
    auth.login("admin")
    codes = listed_codes(client.get("/directory/offices?country=LA"))
    assert sorted(codes) == ["SLV-BLO", "SVK-BGS-DSV", "SVK-BLO", "SVK-PC", "SVK-SPC"]


def test_country_and_kind_filters_combine(client, auth):
    auth.login("admin")
    response = client.get("/directory/offices?country=CN&kind=border_liaison_office")
    assert sorted(listed_codes(response)) == ["CZ-BLO", "PX-BLO"]


def test_unknown_filter_values_are_ignored_not_an_error(client, auth):
    auth.login("admin")
    response = client.get("/directory/offices?country=XX&kind=nonsense")
    assert response.status_code == 200
    assert len(listed_codes(response)) == len(OFFICES)  # every demo office


def test_search_by_code(client, auth):
    auth.login("admin")
    codes = listed_codes(client.get("/directory/offices?q=svk"))
    assert sorted(codes) == ["SVK-BGS-DSV", "SVK-BLO", "SVK-PC", "SVK-SPC"]


def test_search_by_name_in_another_language(client, auth):
    auth.login("admin")  # interface in English, searching a Chinese name
    codes = listed_codes(client.get("/directory/offices", query_string={"q": "沙湾拿吉"}))
    assert sorted(codes) == ["SVK-BLO", "SVK-PC", "SVK-SPC"]


def test_search_with_a_vietnamese_name_as_written(client, auth):
    """Typing a name exactly as displayed (capital Đ) must find it, on every database."""
    auth.login("qt.liaison")
    response = client.get("/directory/offices", query_string={"q": "Đồn Biên phòng"})
    assert sorted(listed_codes(response)) == ["LS-BGS-HN", "QT-BGS-LB"]


def test_search_without_results_and_with_sql_fragments(client, auth):
    auth.login("admin")
    response = client.get("/directory/offices", query_string={"q": "no such office"})
    assert response.status_code == 200
    assert "No offices found." in response.get_data(as_text=True)
    response = client.get("/directory/offices", query_string={"q": "' OR 1=1 --"})
    assert response.status_code == 200
    assert "No offices found." in response.get_data(as_text=True)


def test_office_list_is_paginated(app, client, auth):
    with app.app_context():
        quang_tri = area_id("QT")
        for number in range(20):
            create_office(
                {
                    "code": f"QT-EXTRA-{number:02d}",
                    "kind": "shelter",
                    "area_id": quang_tri,
                    "active": True,
                    "name_vi": f"Nhà tạm lánh số {number}",
                    "name_lo": f"ເຮືອນພັກ {number}",
                    "name_zh": f"庇护所 {number}",
                    "name_en": f"Shelter {number}",
                },
                actor=None,
            )
        db.session.commit()
        page_size = app.config["PAGE_SIZE"]
        total = count(Office)
    assert total > page_size
    auth.login("admin")
    first = client.get("/directory/offices")
    page = first.get_data(as_text=True)
    assert len(listed_codes(first)) == page_size
    assert 'rel="next"' in page
    assert 'rel="prev"' not in page
    second = client.get("/directory/offices?page=2")
    assert len(listed_codes(second)) == total - page_size
    assert 'rel="prev"' in second.get_data(as_text=True)
    assert set(listed_codes(first)).isdisjoint(listed_codes(second))
    # A filter is kept when moving between pages (11 demo + 20 extra Vietnamese offices).
    filtered = client.get("/directory/offices?country=VN").get_data(as_text=True)
    next_link = re.search(r'href="([^"]*)" rel="next"', filtered).group(1)
    assert "country=VN" in next_link
    assert "page=2" in next_link
    last = client.get(next_link.replace("&amp;", "&"))
    assert len(listed_codes(last)) == 31 - page_size
    assert all(code.startswith(("QT-", "LS-")) for code in listed_codes(last))


def test_page_past_the_end_is_empty_not_an_error(client, auth):
    auth.login("admin")
    response = client.get("/directory/offices?page=99")
    assert response.status_code == 200
    assert "No offices found." in response.get_data(as_text=True)


# --- Border gates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "gate_name", "vietnam_side", "partner_side"),
    [
        ("qt.liaison", "Lao Bảo – Đen Xa Vẳn", "Quảng Trị", "Savannakhet"),
        ("svk.liaison", "ລາວບາວ – ແດນສະຫວັນ", "ແຂວງກວາງຈີ", "ແຂວງສະຫວັນນະເຂດ"),
        ("px.liaison", "老保 – 丹沙湾", "广治省", "沙湾拿吉省"),
        ("admin", "Lao Bao – Densavanh", "Quang Tri", "Savannakhet"),
    ],
)
def test_border_gates_show_both_sides_in_the_users_language(
    client, auth, username, gate_name, vietnam_side, partner_side
):
    auth.login(username)
    page = client.get("/directory/gates").get_data(as_text=True)
    assert gate_name in page
    assert vietnam_side in page
    assert partner_side in page


def test_border_gates_page_lists_every_gate(client, auth):
    auth.login("admin")
    page = client.get("/directory/gates").get_data(as_text=True)
    for name in (
        "Lao Bao – Densavanh",
        "La Lay – La Lay",
        "Huu Nghi – Youyiguan",
        "Tan Thanh – Puzhai",
        "Chi Ma – Aidian",
    ):
        assert name in page


# --- Administration of offices ---------------------------------------------------------------


def test_admin_creates_edits_and_deactivates_an_office(app, client, auth):
    auth.login("admin")
    with app.app_context():
        quang_tri = area_id("QT")
    assert client.get("/directory/offices/new").status_code == 200

    response = client.post("/directory/offices/new", data=office_form(quang_tri))
    assert response.status_code == 302
    location = response.headers["Location"]
    office_id = int(location.rstrip("/").split("/")[-1])
    page = client.get(location).get_data(as_text=True)
    assert "The office has been created." in page
    assert "Test Shelter" in page
    with app.app_context():
        office = db.session.get(Office, office_id)
        assert office.code == "QT-TEST"
        assert office.province_id == quang_tri
        assert office.active is True
        created = db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "office.create", AuditEntry.target_id == office_id
            )
        )
        assert created is not None
        assert created.actor.username == "admin"
        assert created.details["code"] == "QT-TEST"
        assert created.details["name_en"] == "Test Shelter"
        form = edit_form(office, name_en="Peace Test Shelter")

    edit_page = client.get(f"/directory/offices/{office_id}/edit")
    assert edit_page.status_code == 200
    assert 'name="version"' in edit_page.get_data(as_text=True)
    response = client.post(f"/directory/offices/{office_id}/edit", data=form)
    assert response.status_code == 302
    assert "The office has been saved." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    with app.app_context():
        office = db.session.get(Office, office_id)
        assert office.name_en == "Peace Test Shelter"
        updates = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "office.update", AuditEntry.target_id == office_id)
            .order_by(AuditEntry.id)
        ).all()
        assert [entry.details for entry in updates] == [
            {"name_en": ["Test Shelter", "Peace Test Shelter"]}
        ]
        deactivate = edit_form(office, active=None)  # the box left unticked

    response = client.post(f"/directory/offices/{office_id}/edit", data=deactivate)
    assert response.status_code == 302
    with app.app_context():
        office = db.session.get(Office, office_id)
        assert office.active is False
        last = db.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == "office.update", AuditEntry.target_id == office_id)
            .order_by(AuditEntry.id.desc())
        )
        assert last.details == {"active": [True, False]}
    listing = client.get("/directory/offices?q=QT-TEST").get_data(as_text=True)
    assert "Peace Test Shelter" in listing
    assert "Deactivated" in listing


def test_saving_an_unchanged_office_records_nothing(app, client, auth):
    auth.login("admin")
    with app.app_context():
        office = office_by_code("QT-PC")
        form = edit_form(office)
        before = count(AuditEntry)
    response = client.post(f"/directory/offices/{office.id}/edit", data=form)
    assert response.status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "office.update")
            )
            == 0
        )
        assert count(AuditEntry) == before


@pytest.mark.parametrize(
    ("username", "partnership_edit_status"),
    [
        # QT-BLO ⇄ SVK-BLO is visible to its office and the province's supervisor: 403;
        # to the others it does not exist: 404.
        ("qt.liaison", 403),
        ("qt.supervisor", 403),
        ("qt.guard", 404),
        ("qt.social", 404),
    ],
)
def test_non_admin_cannot_open_or_post_directory_forms(
    app, client, auth, username, partnership_edit_status
):
    with app.app_context():
        office = office_by_code("QT-BLO")
        gate_id = db.session.scalar(select(BorderGate.id).order_by(BorderGate.id))
        qt_svk = find_partnership(office.id, office_by_code("SVK-BLO").id).id
        form = edit_form(office, name_en="Hijacked")
        offices_before = count(Office)
        partnerships_before = count(Partnership)
        new_pair = partnership_form(office.id, office_by_code("PX-BLO").id)
    auth.login(username)
    for url in (
        "/directory/offices/new",
        f"/directory/offices/{office.id}/edit",
        "/directory/gates/new",
        f"/directory/gates/{gate_id}/edit",
        "/directory/partnerships/new",
    ):
        assert client.get(url).status_code == 403, url
    edit_partnership = f"/directory/partnerships/{qt_svk}/edit"
    assert client.get(edit_partnership).status_code == partnership_edit_status
    assert (
        client.post("/directory/offices/new", data=office_form(office.area_id)).status_code == 403
    )
    assert client.post(f"/directory/offices/{office.id}/edit", data=form).status_code == 403
    assert client.post("/directory/partnerships/new", data=new_pair).status_code == 403
    with app.app_context():
        assert count(Office) == offices_before
        assert count(Partnership) == partnerships_before
        assert office_by_code("QT-BLO").name_en == "Quang Tri Border Liaison Office"


def test_non_admin_does_not_see_the_new_office_button(client, auth):
    auth.login("qt.liaison")
    assert "/directory/offices/new" not in client.get("/directory/offices").get_data(as_text=True)
    auth.logout()
    auth.login("admin")
    assert "/directory/offices/new" in client.get("/directory/offices").get_data(as_text=True)


def test_missing_office_is_404(client, auth):
    auth.login("admin")
    assert client.get("/directory/offices/999999").status_code == 404
    assert client.get("/directory/offices/999999/edit").status_code == 404


# --- Bad input -------------------------------------------------------------------------------


def test_over_long_name_is_refused(app, client, auth):
    auth.login("admin")
    with app.app_context():
        before = count(Office)
        quang_tri = area_id("QT")
    response = client.post("/directory/offices/new", data=office_form(quang_tri, name_en="x" * 201))
    assert response.status_code == 422
    assert "Use at most 200 characters." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Office) == before
    # 200 characters is the limit, and is accepted.
    response = client.post("/directory/offices/new", data=office_form(quang_tri, name_en="x" * 200))
    assert response.status_code == 302


def test_over_long_name_message_is_translated(app, client, auth):
    with app.app_context():  # the demo administrator reads English: add a Vietnamese one
        create_user(
            {
                "username": "vi.admin",
                "full_name": "Quản trị viên",
                "office_id": office_by_code("QT-SC").id,
                "roles": ["admin"],
                "locale": "vi",
                "password": DEMO_PASSWORD,
            },
            actor=None,
        )
        db.session.commit()
        quang_tri = area_id("QT")
    auth.login("vi.admin")
    response = client.post("/directory/offices/new", data=office_form(quang_tri, name_vi="ă" * 201))
    assert response.status_code == 422
    with app.test_request_context():
        expected = catalogue("vi", "Use at most %(count)d characters.", count=200)
    assert expected != "Use at most 200 characters."
    assert expected in response.get_data(as_text=True)


def test_decomposed_unicode_name_is_stored_composed(app, client, auth):
    auth.login("admin")
    decomposed = unicodedata.normalize("NFD", "Văn phòng Quảng Trị")
    assert decomposed != "Văn phòng Quảng Trị"
    with app.app_context():
        quang_tri = area_id("QT")
    response = client.post(
        "/directory/offices/new", data=office_form(quang_tri, name_vi=decomposed)
    )
    assert response.status_code == 302
    with app.app_context():
        office = office_by_code("QT-TEST")
        assert office.name_vi == "Văn phòng Quảng Trị"
        assert unicodedata.is_normalized("NFC", office.name_vi)


def test_html_and_sql_in_names_are_stored_verbatim_and_shown_escaped(app, client, auth):
    auth.login("admin")
    script = "<script>alert('x')</script> Office"
    sql = "Robert'); DROP TABLE offices; --"
    with app.app_context():
        quang_tri = area_id("QT")
        before = count(Office)
    response = client.post(
        "/directory/offices/new",
        data=office_form(quang_tri, name_en=script, name_vi=sql, address="<b>bold</b>"),
    )
    assert response.status_code == 302
    with app.app_context():
        office = office_by_code("QT-TEST")
        assert office.name_en == script
        assert office.name_vi == sql
        assert office.address == "<b>bold</b>"
        assert count(Office) == before + 1  # the table is still there
    for url in (response.headers["Location"], "/directory/offices?q=QT-TEST"):
        page = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(" in page
        assert "<script>alert" not in page
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "&lt;b&gt;bold&lt;/b&gt;" in detail
    assert "<b>bold</b>" not in detail


@pytest.mark.parametrize("bad", ["Bad\x00name", "Bad\x1bname", "Bad\x07name", "Bad\x7fname"])
def test_control_characters_are_refused(app, client, auth, bad):
    auth.login("admin")
    with app.app_context():
        before = count(Office)
        quang_tri = area_id("QT")
    response = client.post("/directory/offices/new", data=office_form(quang_tri, name_en=bad))
    assert response.status_code == 422
    assert "The text contains control characters." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Office) == before


def test_missing_and_invalid_office_fields_are_refused(app, client, auth):
    auth.login("admin")
    with app.app_context():
        before = count(Office)
    response = client.post(
        "/directory/offices/new",
        data=office_form(999999, code="qt blo", kind="castle", name_zh="   ", email="not-mail"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Use 2 to 32 capital letters, digits and hyphens, e.g. QT-BLO." in page
    assert "Choose one of the listed options." in page
    assert "This field is required." in page
    assert "Enter a valid e-mail address." in page
    with app.app_context():
        assert count(Office) == before


def test_duplicate_office_code_is_refused(app, client, auth):
    auth.login("admin")
    with app.app_context():
        before = count(Office)
        quang_tri = area_id("QT")
    response = client.post("/directory/offices/new", data=office_form(quang_tri, code="QT-BLO"))
    assert response.status_code == 422
    assert "This code is already used." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Office) == before


def test_stale_version_gets_a_conflict_and_changes_nothing(app):
    first = login_client(app, "admin")
    second = login_client(app, "admin")
    with app.app_context():
        office = office_by_code("QT-PC")
        office_id = office.id
        form_first = edit_form(office, name_en="First editor's name")
        form_second = edit_form(office, name_en="Second editor's name")
    # Both loaded the form at the same version; the first one saves.
    assert first.post(f"/directory/offices/{office_id}/edit", data=form_first).status_code == 302
    response = second.post(f"/directory/offices/{office_id}/edit", data=form_second)
    assert response.status_code == 409
    assert "Someone else changed this record while you were editing it." in response.get_data(
        as_text=True
    )
    with app.app_context():
        office = db.session.get(Office, office_id)
        assert office.name_en == "First editor's name"
        assert office.version == int(form_first["version"]) + 1


# --- Partnerships ----------------------------------------------------------------------------


def test_admin_creates_a_partnership(app, client, auth):
    auth.login("admin")
    with app.app_context():
        ls_gs, px = office_by_code("LS-BGS-HN").id, office_by_code("PX-BLO").id
        before = count(Partnership)
    response = client.post("/directory/partnerships/new", data=partnership_form(px, ls_gs))
    assert response.status_code == 302
    with app.app_context():
        assert count(Partnership) == before + 1
        created = find_partnership(ls_gs, px)
        assert created.office_a_id == min(ls_gs, px)  # stored once, lower id first
        assert created.languages == ["vi", "zh"]
        assert created.deadline_days("identity_verification") == 15
        assert db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "partnership.create", AuditEntry.target_id == created.id
            )
        )


def test_partnership_of_an_office_with_itself_is_refused(app, client, auth):
    auth.login("admin")
    with app.app_context():
        qt_blo = office_by_code("QT-BLO").id
        before = count(Partnership)
    response = client.post("/directory/partnerships/new", data=partnership_form(qt_blo, qt_blo))
    assert response.status_code == 422
    assert "An office cannot be its own partner. Choose another office." in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert count(Partnership) == before


def test_partnership_with_itself_message_in_vietnamese(app, client, auth):
    with app.app_context():
        create_user(
            {
                "username": "vi.admin",
                "full_name": "Quản trị viên",
                "office_id": office_by_code("QT-SC").id,
                "roles": ["admin"],
                "locale": "vi",
                "password": DEMO_PASSWORD,
            },
            actor=None,
        )
        db.session.commit()
        qt_blo = office_by_code("QT-BLO").id
        before = count(Partnership)
    with app.test_request_context():
        english = "An office cannot be its own partner. Choose another office."
        expected = catalogue("vi", english)
    assert expected != english
    auth.login("vi.admin")
    response = client.post("/directory/partnerships/new", data=partnership_form(qt_blo, qt_blo))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert expected in page
    assert english not in page
    with app.app_context():
        assert count(Partnership) == before


@pytest.mark.parametrize("order", ["same", "reversed"])
def test_duplicate_partnership_is_refused(app, client, auth, order):
    auth.login("admin")
    with app.app_context():
        qt_blo, svk_blo = office_by_code("QT-BLO").id, office_by_code("SVK-BLO").id
        before = count(Partnership)
    pair = (qt_blo, svk_blo) if order == "same" else (svk_blo, qt_blo)
    response = client.post("/directory/partnerships/new", data=partnership_form(*pair))
    assert response.status_code == 422
    assert "These two offices are already partners." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Partnership) == before


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("0", "Enter a number of days between 1 and 365."),
        ("366", "Enter a number of days between 1 and 365."),
        ("-3", "Enter a number of days between 1 and 365."),
        ("abc", "Not a valid integer."),
        ("", "Not a valid integer."),
    ],
)
def test_deadline_days_out_of_range_are_refused(app, client, auth, days, message):
    auth.login("admin")
    with app.app_context():
        ls_gs, px = office_by_code("LS-BGS-HN").id, office_by_code("PX-BLO").id
        before = count(Partnership)
    response = client.post(
        "/directory/partnerships/new",
        data=partnership_form(ls_gs, px, deadline_information=days),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Please correct the marked fields." in page
    with app.app_context():
        assert count(Partnership) == before


def test_deadline_out_of_range_leaves_an_existing_partnership_unchanged(app, client, auth):
    auth.login("admin")
    partnership = partnership_id(app, "QT-BLO", "SVK-BLO")
    with app.app_context():
        found = db.session.get(Partnership, partnership)
        form = partnership_form(
            found.office_a_id,
            found.office_b_id,
            working_languages=["vi", "lo"],
            version=str(found.version),
            deadline_identity_verification="366",
            deadline_information="1",
        )
    response = client.post(f"/directory/partnerships/{partnership}/edit", data=form)
    assert response.status_code == 422
    with app.app_context():
        found = db.session.get(Partnership, partnership)
        assert found.deadline_days("identity_verification") == 15
        assert found.deadline_days("information") == 10


def test_partnership_needs_a_working_language(app, client, auth):
    auth.login("admin")
    with app.app_context():
        ls_gs, px = office_by_code("LS-BGS-HN").id, office_by_code("PX-BLO").id
        before = count(Partnership)
    form = partnership_form(ls_gs, px)
    del form["working_languages"]
    response = client.post("/directory/partnerships/new", data=form)
    assert response.status_code == 422
    assert "Choose at least one working language." in response.get_data(as_text=True)
    with app.app_context():
        assert count(Partnership) == before


def test_admin_edits_partnership_deadlines_and_a_stale_copy_conflicts(app):
    partnership = partnership_id(app, "QT-BLO", "SVK-BLO")
    first = login_client(app, "admin")
    second = login_client(app, "admin")
    with app.app_context():
        found = db.session.get(Partnership, partnership)
        common = {
            "working_languages": ["vi", "lo"],
            "version": str(found.version),
        }
        form_first = partnership_form(
            found.office_a_id, found.office_b_id, **common, deadline_information="12"
        )
        form_second = partnership_form(
            found.office_a_id, found.office_b_id, **common, deadline_information="20"
        )
    url = f"/directory/partnerships/{partnership}/edit"
    assert first.post(url, data=form_first).status_code == 302
    response = second.post(url, data=form_second)
    assert response.status_code == 409
    assert "Someone else changed this record" in response.get_data(as_text=True)
    with app.app_context():
        found = db.session.get(Partnership, partnership)
        assert found.deadline_days("information") == 12
        entry = db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "partnership.update", AuditEntry.target_id == partnership
            )
        )
        assert entry.details["deadlines"][1]["information"] == 12


# --- Who may see a partnership ---------------------------------------------------------------


def test_unrelated_office_gets_404_on_a_partnership_and_its_edit_page(app, client, auth):
    partnership = partnership_id(app, "QT-BLO", "SVK-BLO")
    auth.login("px.liaison")
    assert client.get(f"/directory/partnerships/{partnership}").status_code == 404
    assert client.get(f"/directory/partnerships/{partnership}/edit").status_code == 404
    assert client.post(f"/directory/partnerships/{partnership}/edit").status_code == 404
    listing = client.get("/directory/partnerships").get_data(as_text=True)
    assert f'/directory/partnerships/{partnership}"' not in listing


def test_offices_of_the_partnership_see_it(app, client, auth):
    partnership = partnership_id(app, "QT-BLO", "SVK-BLO")
    for username in ("qt.liaison", "svk.liaison", "qt.supervisor", "admin"):
        auth.login(username)
        response = client.get(f"/directory/partnerships/{partnership}")
        assert response.status_code == 200, username
        page = response.get_data(as_text=True)
        assert "QT-BLO" in page
        assert "SVK-BLO" in page
        listing = client.get("/directory/partnerships").get_data(as_text=True)
        assert f'/directory/partnerships/{partnership}"' in listing, username
        auth.logout()


def test_party_to_a_partnership_may_not_edit_it(app, client, auth):
    partnership = partnership_id(app, "QT-BLO", "SVK-BLO")
    auth.login("qt.liaison")
    page = client.get(f"/directory/partnerships/{partnership}").get_data(as_text=True)
    assert f"/directory/partnerships/{partnership}/edit" not in page
    assert client.get(f"/directory/partnerships/{partnership}/edit").status_code == 403


def test_supervisor_of_another_province_gets_404(app, client, auth):
    partnership = partnership_id(app, "QT-BLO", "SVK-BLO")
    auth.login("ls.supervisor")
    assert client.get(f"/directory/partnerships/{partnership}").status_code == 404


def test_office_page_hides_staff_and_partnerships_from_an_unrelated_office(app, client, auth):
    partnership = partnership_id(app, "QT-BLO", "SVK-BLO")
    with app.app_context():
        qt_blo = office_by_code("QT-BLO").id
    auth.login("px.liaison")
    response = client.get(f"/directory/offices/{qt_blo}")
    assert response.status_code == 200  # the office itself is shared reference data
    page = response.get_data(as_text=True)
    assert "广治边境联络办公室" in page
    assert "Nguyễn Văn An" not in page  # qt.liaison works there
    assert "qt.liaison" not in page
    assert f'/directory/partnerships/{partnership}"' not in page
    auth.logout()

    auth.login("qt.liaison")
    page = client.get(f"/directory/offices/{qt_blo}").get_data(as_text=True)
    assert "Nguyễn Văn An" in page
    assert f'/directory/partnerships/{partnership}"' in page

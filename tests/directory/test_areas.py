"""Places (provinces, cities, communes) are data an administrator maintains."""

from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.directory.models import AdministrativeArea
from coordination.extensions import db

EN = {"Accept-Language": "en"}


def _area(code):
    return db.session.scalar(select(AdministrativeArea).where(AdministrativeArea.code == code))


def _count():
    return db.session.scalar(select(func.count(AdministrativeArea.id)))


def _form(**changes):
    form = {
        "kind": "commune",
        "country_code": "VN",
        "parent_id": "",
        "code": "QT-LAOBAO",
        "name_vi": "Xã Lao Bảo",
        "name_lo": "ຕາແສງລາວບາວ",
        "name_zh": "老保社",
        "name_en": "Lao Bao Commune",
    }
    form.update(changes)
    return form


def test_admin_adds_a_commune_under_a_province(app, client, auth):
    auth.login("admin")
    with app.app_context():
        province = _area("QT").id
    response = client.post("/directory/areas/new", data=_form(parent_id=str(province)))
    assert response.status_code == 302
    with app.app_context():
        commune = _area("QT-LAOBAO")
        assert commune.parent_id == province and commune.kind == "commune"
        assert commune.names_reviewed is False  # the box was not ticked
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "area.create"))
    assert "Xã Lao Bảo" not in client.get("/directory/").get_data(as_text=True)  # provinces
    page = client.get(f"/directory/areas/{province}").get_data(as_text=True)
    assert "Lao Bao Commune" in page or "Xã Lao Bảo" in page


def test_places_keep_the_hierarchy_consistent(app, client, auth):
    auth.login("admin")
    with app.app_context():
        before = _count()
        quang_tri, savannakhet = _area("QT").id, _area("SVK").id
    cases = [
        (_form(), "Choose the place this one belongs to."),
        (_form(kind="province", parent_id=str(quang_tri)), "A province or region has no place"),
        (_form(parent_id=str(savannakhet)), "The place above must be in the same country."),
        (_form(parent_id=str(quang_tri), code="QT"), "This code is already used."),
        (_form(parent_id=str(quang_tri), name_lo=""), "This field is required."),
        (_form(parent_id=str(quang_tri), kind="planet"), "Choose one of the listed options."),
    ]
    for form, message in cases:
        response = client.post("/directory/areas/new", data=form, headers=EN)
        assert response.status_code == 422, form
        assert message in response.get_data(as_text=True), message
    with app.app_context():
        assert _count() == before


def test_admin_corrects_a_best_effort_spelling(app, client, auth):
    auth.login("admin")
    with app.app_context():
        area = _area("GX-PX")
        form = {
            "kind": area.kind,
            "country_code": "CN",
            "parent_id": str(area.parent_id),
            "code": area.code,
            "name_vi": area.name_vi,
            "name_lo": "ເມືອງຜິງຊຽງ",
            "name_zh": area.name_zh,
            "name_en": area.name_en,
            "names_reviewed": "1",
            "version": str(area.version),
        }
    assert client.post(f"/directory/areas/{area.id}/edit", data=form).status_code == 302
    with app.app_context():
        assert _area("GX-PX").names_reviewed is True


def test_only_administrators_edit_places(app, client, auth):
    auth.login("qt.supervisor")
    with app.app_context():
        area_id = _area("QT").id
    assert client.get("/directory/").status_code == 200
    assert client.get("/directory/areas/new").status_code == 403
    assert client.get(f"/directory/areas/{area_id}/edit").status_code == 403
    assert client.post("/directory/areas/new", data=_form()).status_code == 403

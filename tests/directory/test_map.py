"""The whole map: Vietnam's units today and before 2025, Laos, Guangxi and Yunnan.

The test template holds the core map only (the units the demo uses); these tests load the
whole map: once per module for the read-only ones, into their own database for the others.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.directory import operations
from coordination.directory.models import AdministrativeArea, AreaSuccession, Country
from coordination.directory.reference_data import load_reference_data
from coordination.extensions import db
from tests.conftest import _app_for, user_named

ADOPTED = ("QT", "LS", "SVK", "SLV", "GX", "GX-PX", "GX-CZ")


def _ids(codes) -> dict[str, int]:
    rows = select(AdministrativeArea.code, AdministrativeArea.id).where(
        AdministrativeArea.code.in_(codes)
    )
    return dict(db.session.execute(rows).all())


@pytest.fixture(scope="module")
def whole_map(database_template, tmp_path_factory):
    url = database_template(tmp_path_factory.mktemp("map"))
    app = _app_for(url)
    with app.app_context():
        before = _ids(ADOPTED)
        report = load_reference_data()
        db.session.commit()
    with app.app_context():
        yield app, before, report
        db.session.remove()
        db.engine.dispose()
    database_template.drop(url)


def _area(code: str) -> AdministrativeArea:
    return db.session.scalar(select(AdministrativeArea).where(AdministrativeArea.code == code))


def _count(country: str, kind: str, *, current: bool = True, parent: str | None = None) -> int:
    query = (
        select(func.count(AdministrativeArea.id))
        .join(Country)
        .where(Country.code == country, AdministrativeArea.kind == kind)
        .where(
            AdministrativeArea.abolished_on.is_(None)
            if current
            else AdministrativeArea.abolished_on.is_not(None)
        )
    )
    if parent:
        query = query.where(AdministrativeArea.parent_id == _area(parent).id)
    return db.session.scalar(query)


def test_the_whole_map_counts(whole_map):
    assert _count("VN", "province") == 34
    assert _count("VN", "commune") == 3321
    assert _count("VN", "district") == 0  # no district level since the 2025 reform
    assert _count("VN", "district", current=False) == 696
    # Of the 63 former provinces, 27 live on under their code and name (Lạng Sơn, Tuyên
    # Quang…); the 36 others are former rows (Quảng Bình, the former Quảng Trị…).
    assert _count("VN", "province", current=False) == 36
    assert _count("LA", "province") == 18
    assert _count("LA", "district") == 148
    assert _count("LA", "district", parent="SVK") == 15
    assert _count("CN", "city", parent="GX") == 14  # Guangxi's prefecture-level cities
    assert _count("CN", "city", parent="YN") == 16  # Yunnan's prefecture-level units
    border = {_area(code).name_zh for code in ("CN-451422", "CN-451423", "CN-532532")}
    assert border == {"宁明县", "龙州县", "河口瑶族自治县"}


def test_real_names_in_four_languages(whole_map):
    quang_tri = _area("QT")
    assert quang_tri.names == {
        "vi": "Quảng Trị", "lo": "ແຂວງກວາງຈີ", "zh": "广治省", "en": "Quang Tri"
    }  # fmt: skip
    hanoi = db.session.scalar(
        select(AdministrativeArea).where(AdministrativeArea.name_en == "Ha Noi")
    )
    assert (hanoi.name_vi, hanoi.name_zh, hanoi.kind) == ("Hà Nội", "河内市", "province")
    sepon = db.session.scalar(
        select(AdministrativeArea).where(AdministrativeArea.name_en == "Sepon")
    )
    assert (sepon.parent.code, sepon.name_lo, sepon.kind) == ("SVK", "ເມືອງເຊໂປນ", "district")
    hekou = _area("CN-532532")
    assert (hekou.name_vi, hekou.name_en, hekou.kind) == ("Hà Khẩu", "Hekou", "county")
    assert not hekou.names_reviewed  # best efforts await a reader
    commune = _area("QT-LB")
    assert (commune.name_vi, commune.name_en, commune.parent.code) == (
        "Xã Lao Bảo",
        "Lao Bao",
        "QT",
    )


def test_former_units_lead_to_todays(whole_map):
    quang_binh = db.session.scalar(
        select(AdministrativeArea).where(
            AdministrativeArea.name_vi == "Quảng Bình", AdministrativeArea.kind == "province"
        )
    )
    assert quang_binh.abolished_on == date(2025, 7, 1)
    assert [area.code for area in quang_binh.successors] == ["QT"]
    # A former district of Nghệ An: the communes made from its communes, all current.
    ky_son = db.session.scalar(
        select(AdministrativeArea).where(
            AdministrativeArea.name_vi == "Huyện Kỳ Sơn",
            AdministrativeArea.parent_id == _area("VN-40").id,
        )
    )
    assert ky_son.kind == "district" and ky_son.abolished_on == date(2025, 7, 1)
    assert len(ky_son.successors) >= 5
    assert {area.parent.code for area in ky_son.successors} == {"VN-40"}
    assert all(area.current and area.kind == "commune" for area in ky_son.successors)
    assert "Xã Mường Xén" in {area.name_vi for area in ky_son.successors}


def test_existing_rows_are_adopted_not_duplicated(whole_map):
    _app, before, _report = whole_map
    assert _ids(ADOPTED) == before
    provinces = select(func.count()).where(
        AdministrativeArea.name_vi == "Lạng Sơn", AdministrativeArea.abolished_on.is_(None)
    )
    assert db.session.scalar(provinces) == 1
    assert _area("GX-PX").parent.code == "GX-CZ"  # a county-level city of Chongzuo


def test_loading_again_changes_nothing_and_keeps_an_administrators_correction(app_ctx):
    load_reference_data()
    db.session.commit()
    commune = _area("QT-HP")
    data = {**commune.names, "code": commune.code, "version": commune.version}
    data = {f"name_{k}" if k in commune.names else k: v for k, v in data.items()}
    operations.update_area(commune, {**data, "name_lo": "ເຮືອງຟຸ່ງ"}, actor=user_named("admin"))
    db.session.commit()
    audited = select(func.count()).where(AuditEntry.action.like("reference_data.%"))
    entries = db.session.scalar(audited)

    again = load_reference_data()
    updated = load_reference_data(update=True)
    db.session.commit()

    assert again.total == 0 and updated.total == 0
    assert _area("QT-HP").name_lo == "ເຮືອງຟຸ່ງ"
    assert db.session.scalar(audited) == entries  # nothing changed, nothing audited


def test_the_demo_communes_of_an_older_database_are_adopted(app_ctx):
    quang_tri, lang_son = _area("QT"), _area("LS")
    old = {}
    for code, province, name in (
        ("QT-HP", quang_tri, "Hướng Phùng"),
        ("LS-TT", lang_son, "Tân Thanh"),
    ):
        area = AdministrativeArea(
            country_id=province.country_id, parent_id=province.id, kind="commune", code=code,
            name_vi=name, name_lo="", name_zh="", name_en=name, names_reviewed=False,
        )  # fmt: skip
        db.session.add(area)
        db.session.flush()
        old[code] = area.id
    db.session.commit()

    load_reference_data()
    db.session.commit()

    assert _ids(old) == old
    huong_phung, tan_thanh = _area("QT-HP"), _area("LS-TT")
    assert huong_phung.current and huong_phung.name_vi == "Hướng Phùng"  # kept as it was
    assert huong_phung.name_zh == "向逢乡"  # an empty name is filled in
    assert tan_thanh.abolished_on == date(2025, 7, 1)  # merged in 2025
    assert [area.name_vi for area in tan_thanh.successors] == ["Xã Hoàng Văn Thụ"]
    assert _count("VN", "commune") == 3321


def test_an_update_follows_the_package_and_a_load_does_not(app_ctx, runner):
    result = runner.invoke(args=["reference-data", "load"])
    assert "Changed:" in result.output, result.output
    result = runner.invoke(args=["reference-data", "load"])
    assert "nothing changed" in result.output, result.output
    # As if the previous package version had another name and one more commune.
    _area("VN-19441" if _area("VN-19441") else "QT-LB").name_vi = "Xã Cũ"
    vietnam = _area("QT")
    db.session.add(
        AdministrativeArea(
            country_id=vietnam.country_id, parent_id=vietnam.id, kind="commune",
            code="VN-99999", name_vi="Xã Bỏ", name_lo="", name_zh="", name_en="Xa Bo",
            names_reviewed=False,
        )
    )  # fmt: skip
    db.session.commit()

    assert load_reference_data().total == 0
    report = load_reference_data(update=True)
    db.session.commit()

    assert [(code, after) for code, _before, after in report.sync.renamed] == [
        ("QT-LB", "Xã Lao Bảo")
    ]
    assert report.sync.abolished == ["VN-99999"]
    assert _area("VN-99999").abolished_on == date.today()
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "reference_data.update")
    )
    assert entry.details["renamed"] == 1 and entry.details["abolished"] == 1
    assert "vietnam-provinces" in entry.details["versions"]


def test_the_successions_table_has_no_dangling_rows(whole_map):
    formers = select(func.count(func.distinct(AreaSuccession.former_id)))
    assert db.session.scalar(formers) >= 696

"""Issue 11, part 6: a home province or district written in any script, today's or a former
one, counts as evidence (a province weakly, a commune most)."""

from __future__ import annotations

from datetime import date

import pytest
from flask import current_app
from sqlalchemy import select

from coordination.directory.models import AdministrativeArea, AreaSuccession
from coordination.extensions import db
from coordination.matching.places import forget_places, requested_place
from coordination.matching.queries import candidates_for
from tests.conftest import translated, user_named
from tests.matching.helpers import lao_request, register

ABOLISHED = date(2025, 7, 1)


def area(parent, kind, vi, lo=None, zh=None, en=None, abolished_on=None, country=None):
    added = AdministrativeArea(
        country_id=country or parent.country_id,
        parent_id=parent.id if parent is not None else None,
        kind=kind,
        code=f"T-{vi}-{kind}",
        name_vi=vi,
        name_lo=lo or "",
        name_zh=zh or "",
        name_en=en or vi,
        names_reviewed=False,
        abolished_on=abolished_on,
    )
    db.session.add(added)
    db.session.flush()
    return added


@pytest.fixture
def old_map(app_ctx):
    """Quảng Bình (a former province, now in Quảng Trị), its former district Lệ Thủy (now
    the commune Sen Ngư of Quảng Trị); a commune of Lạng Sơn; a Lao district and a
    Chinese county."""
    areas = {a.code: a for a in db.session.scalars(select(AdministrativeArea))}
    qt, ls, svk, cz = areas["QT"], areas["LS"], areas["SVK"], areas["GX-CZ"]
    vietnam = qt.country_id
    quang_binh = area(
        None, "province", "Quảng Bình", "ແຂວງກວາງບິ່ງ", "广平省", "Quang Binh", ABOLISHED, vietnam
    )
    le_thuy = area(
        quang_binh, "district", "Huyện Lệ Thủy", "ເມືອງເລທຸຍ", "丽水县", "Le Thuy", ABOLISHED
    )
    sen_ngu = area(qt, "commune", "Xã Sen Ngư", "ເຊນງື", "森鱼乡", "Sen Ngu")
    tan_thanh = area(ls, "commune", "Xã Tân Thanh", "ເຕິນແທັງ", "新清乡", "Tan Thanh")
    db.session.add_all(
        [
            AreaSuccession(former_id=quang_binh.id, successor_id=qt.id),
            AreaSuccession(former_id=le_thuy.id, successor_id=sen_ngu.id),
        ]
    )
    xepon = area(svk, "district", "Xê Pôn", "ເມືອງເຊໂປນ", "色奔县", "Sepon")
    ningming = area(cz, "county", "Ninh Minh", None, "宁明县", "Ningming")
    db.session.flush()
    forget_places()
    return {
        "QT": qt,
        "LS": ls,
        "SVK": svk,
        "Sen Ngư": sen_ngu,
        "Tân Thanh": tan_thanh,
        "Xê Pôn": xepon,
        "Ninh Minh": ningming,
        "vietnam": vietnam,
    }


@pytest.mark.parametrize(
    "written", ["Quảng Bình", "tinh Quang Binh", "quang binh", "ແຂວງກວາງບິ່ງ", "广平省", "广平"]
)
def test_a_former_province_stands_for_the_province_holding_it_now(old_map, written):
    place = requested_place({"home_address": written}, old_map["vietnam"])
    assert old_map["QT"].id in place.provinces and old_map["Sen Ngư"].id in place.provinces
    assert old_map["LS"].id not in place.provinces
    assert not place.communes  # a province says nothing of the commune


@pytest.mark.parametrize("written", ["Lạng Sơn", "Lang Son", "ແຂວງລາງເຊີນ", "谅山省"])
def test_a_current_province_is_read_in_any_script(old_map, written):
    place = requested_place({"home_address": written}, old_map["vietnam"])
    assert old_map["LS"].id in place.provinces and old_map["Tân Thanh"].id in place.provinces


@pytest.mark.parametrize("written", ["huyện Lệ Thủy", "huyen Le Thuy", "ເມືອງເລທຸຍ", "丽水县"])
def test_a_former_district_stands_for_its_communes_now(old_map, written):
    place = requested_place({"home_address": written}, old_map["vietnam"])
    assert place.formerly == {old_map["Sen Ngư"].id}


def test_lao_and_chinese_provinces_districts_and_counties(old_map):
    svk, laos = old_map["SVK"], old_map["SVK"].country_id
    for written in ("ແຂວງສະຫວັນນະເຂດ", "Savannakhet", "沙湾拿吉省"):
        assert svk.id in requested_place({"home_address": written}, laos).provinces, written
    for written in ("ເມືອງເຊໂປນ", "Xê Pôn", "Xe Pon"):
        assert old_map["Xê Pôn"].id in requested_place({"home_address": written}, laos).near
    china = old_map["Ninh Minh"].country_id
    for written in ("宁明县", "Ningming", "Ninh Minh"):
        place = requested_place({"home_address": written}, china)
        assert old_map["Ninh Minh"].id in place.near, written


def register_namesakes(old_map):
    """The same name in Lạng Sơn (entered first) and in Sen Ngư, Quảng Trị (formerly Lệ
    Thủy, Quảng Bình)."""
    born = date(2001, 1, 1)
    register("ls.liaison", "Nguyễn Thị Hương", born=born, commune_id=old_map["Tân Thanh"].id)
    register("ls.liaison", "Nguyễn Thị Hương", born=born, commune_id=old_map["Sen Ngư"].id)


@pytest.mark.parametrize(
    "written, reason",
    [
        ("Quảng Bình", "Same home province"),
        ("Quang Binh", "Same home province"),
        ("ແຂວງກວາງບິ່ງ", "Same home province"),
        ("广平省", "Same home province"),
        ("Quảng Trị", "Same home province"),
        ("huyện Lệ Thủy, Quảng Bình", "Same home district (former name)"),
        ("ເມືອງເລທຸຍ", "Same home district (former name)"),
    ],
)
def test_the_written_province_or_former_district_ranks_the_person_from_there_first(
    old_map, written, reason
):
    register_namesakes(old_map)
    shared = {"name_as_written": "Nguyễn Thị Hương", "home_address": written}
    found = candidates_for(user_named("qt.liaison"), shared)
    assert found[0].record.home_commune_id == old_map["Sen Ngư"].id
    assert translated(current_app._get_current_object(), "vi", reason) in found[0].reasons
    assert found[0].score > found[1].score and not found[0].tied


def test_a_commune_weighs_more_than_a_province_or_a_former_district(old_map):
    register_namesakes(old_map)
    # The partner wrote the Lạng Sơn commune and, wrongly, the former Quảng Bình province.
    shared = {"name_as_written": "Nguyễn Thị Hương", "home_address": "xã Tân Thanh, Quảng Bình"}
    found = candidates_for(user_named("qt.liaison"), shared)
    assert found[0].record.home_commune_id == old_map["Tân Thanh"].id
    shared["home_address"] = "xã Tân Thanh, huyện Lệ Thủy"
    found = candidates_for(user_named("qt.liaison"), shared)
    assert found[0].record.home_commune_id == old_map["Tân Thanh"].id


def test_the_former_district_reason_is_shown_translated(app, client, auth):
    with app.app_context():
        areas = {a.code: a for a in db.session.scalars(select(AdministrativeArea))}
        if "T-Xã Sen Ngư-commune" in areas:  # pragma: no cover - a reused database
            sen_ngu = areas["T-Xã Sen Ngư-commune"]
        else:
            former = area(
                None, "district", "Huyện Lệ Thủy", "ເມືອງເລທຸຍ", "丽水县", "Le Thuy", ABOLISHED,
                areas["QT"].country_id,
            )  # fmt: skip
            sen_ngu = area(areas["QT"], "commune", "Xã Sen Ngư", None, None, "Sen Ngu")
            db.session.add(AreaSuccession(former_id=former.id, successor_id=sen_ngu.id))
            db.session.flush()
            forget_places()
        register("ls.liaison", "Nguyễn Thị Hương", commune_id=sen_ngu.id)
        request = lao_request(
            [{"name_as_written": "Nguyễn Thị Hương", "home_address": "ເມືອງເລທຸຍ"}],
            shared=("name_as_written", "home_address"),
        )
        db.session.commit()
        shared_id = request.people[0].id
        reason = translated(app, "vi", "Same home district (former name)")
    auth.login("qt.liaison")
    page = client.get(f"/verification/{shared_id}").get_data(as_text=True)
    assert reason in page.split('class="card candidates"')[1]

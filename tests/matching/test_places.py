"""Home places as a partner writes them, read back to the directory's communes."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from coordination.cases import operations as case_operations
from coordination.directory import operations as directory_operations
from coordination.directory.models import AdministrativeArea
from coordination.extensions import db
from coordination.matching.models import NameKey
from coordination.matching.places import find_places, place_key, requested_place
from tests.conftest import user_named
from tests.matching.helpers import lao_request, register

# Communes of Quảng Trị and Lạng Sơn, a district of Savannakhet: (province, kind, vi, lo, zh)
PLACES = [
    ("QT", "commune", "Hướng Phùng", "ເຮືອງຟຸງ", "向逢乡"),
    ("QT", "commune", "Tân Lập", "ເຕິນເລິບ", "新立乡"),
    ("QT", "commune", "Tân Long", "ເຕິນລອງ", "新龙乡"),
    ("QT", "commune", "Lao Bảo", "ລາວບາວ", "劳保镇"),
    ("QT", "commune", "Khe Sanh", "ເຂຊັນ", "溪生镇"),
    ("LS", "commune", "Tân Thanh", "ເຕິນແທັງ", "新清乡"),
    ("LS", "commune", "Tân Long", "ເຕິນລອງ", "新龙乡"),
    ("LS", "commune", "Đồng Đăng", "ດົ່ງດັງ", "同登镇"),
    ("QT", "commune", "An Đức", "ອານດຶກ", "安德乡"),
    ("LS", "commune", "Quang Hòa", "ກວາງຮວາ", "光和乡"),
    ("LS", "commune", "Quang Hà", "ກວາງຮາ", "光河乡"),
    ("QT", "commune", "Tân Đức", "ເຕິນດຶກ", "新德乡"),
    ("SVK", "district", "Xê Pôn", "ເຊໂປນ", "色奔县"),
]


def add_places(places=PLACES) -> dict[tuple[str, str], int]:
    """The places added, by (province code, Vietnamese name)."""
    provinces = {area.code: area for area in db.session.scalars(select(AdministrativeArea))}
    added = {}
    for number, (province, kind, vi, lo, zh) in enumerate(places):
        area = AdministrativeArea(
            country_id=provinces[province].country_id,
            parent_id=provinces[province].id,
            kind=kind,
            code=f"{province}-T{number}",
            name_vi=vi,
            name_lo=lo,
            name_zh=zh,
            name_en=vi,
            names_reviewed=False,
        )
        db.session.add(area)
        db.session.flush()
        added[(province, vi)] = area.id
    return added


@pytest.fixture
def places(app_ctx):
    added = add_places()
    provinces = {area.code: area for area in db.session.scalars(select(AdministrativeArea))}
    return added, provinces


def test_a_lao_spelling_without_spaces_sounds_like_the_vietnamese_name():
    assert place_key("tan long") == place_key("teinlong")  # ເຕິນລອງ read back


@pytest.mark.parametrize(
    "written",
    [
        "xã Hướng Phùng, Quảng Trị",
        "xa huong phung",
        "Huong Phun",  # a letter missing
        "ບ້ານເຮືອງຟຸງ",  # Lao script, no spaces
        "向逢乡",  # Chinese characters
        "Xiangfeng xiang",  # their pinyin
    ],
)
def test_a_commune_is_found_however_it_is_written(places, written):
    added, provinces = places
    vietnam = provinces["QT"].country_id
    assert find_places(written, country_id=vietnam)[:1] == [added[("QT", "Hướng Phùng")]]


def test_namesake_communes_are_told_apart_by_the_province(places):
    added, provinces = places
    vietnam = provinces["QT"].country_id
    both = {added[("QT", "Tân Long")], added[("LS", "Tân Long")]}
    assert set(find_places("xa Tan Long", country_id=vietnam)) == both
    in_lang_son = find_places("Tân Long", country_id=None, province_id=provinces["LS"].id)
    assert in_lang_son == [added[("LS", "Tân Long")]]


def test_the_longest_place_found_wins_over_one_inside_it(places):
    added, provinces = places
    vietnam = provinces["QT"].country_id
    for written in ("新德乡", "xã Tân Đức", "ບ້ານເຕິນດຶກ"):
        assert find_places(written, country_id=vietnam) == [added[("QT", "Tân Đức")]]
    assert find_places("An Duc", country_id=vietnam) == [added[("QT", "An Đức")]]
    # Part of a name is not the place: "Long" is not "Tân Long".
    assert find_places("Long", country_id=vietnam) == []


def test_places_pinyin_cannot_tell_apart_are_equally_likely(places):
    added, provinces = places
    vietnam = provinces["QT"].country_id
    place = requested_place({"home_address": "Guanghe xiang"}, vietnam)  # 光和 or 光河
    assert place.communes == {added[("LS", "Quang Hòa")], added[("LS", "Quang Hà")]}
    assert [rank for _name, rank in place.likeliest(6)] == [0, 0]
    # Written in Vietnamese, the one meant comes first.
    place = requested_place({"home_address": "Quang Hòa"}, vietnam)
    assert place.likeliest(1) == [("kvanhva", 0)]


def test_an_unknown_place_or_another_country_finds_nothing(places):
    added, provinces = places
    vietnam, laos = provinces["QT"].country_id, provinces["SVK"].country_id
    assert find_places("Paris, France", country_id=vietnam) == []
    assert find_places("", country_id=vietnam) == []
    assert find_places("🙂🙂", country_id=vietnam) == []
    assert find_places("ເມືອງເຊໂປນ", country_id=vietnam) == []
    assert find_places("ເມືອງເຊໂປນ", country_id=laos) == [added[("SVK", "Xê Pôn")]]


def test_the_requested_place_joins_the_chosen_commune_and_the_address(places):
    added, provinces = places
    vietnam = provinces["QT"].country_id
    shared = {
        "home_province": {"id": provinces["QT"].id},
        "home_address": "ບ້ານເຕິນລອງ",
    }
    place = requested_place(shared, vietnam)
    assert place.communes == {added[("QT", "Tân Long")]}  # the province narrows it
    chosen = requested_place({"home_commune": {"id": added[("QT", "Lao Bảo")]}}, vietnam)
    assert chosen.communes == {added[("QT", "Lao Bảo")]}
    assert not requested_place({"home_address": "   "}, vietnam)
    assert not requested_place({"home_address": 42, "home_commune": "x"}, vietnam)


def test_namesakes_are_told_apart_by_the_commune_the_partner_wrote(app, client, auth):
    with app.app_context():
        added = add_places()
        born = date(2003, 4, 2)
        # Created first, so that on name and age alone it would come last.
        from_tan_long = register("qt.liaison", "Nguyễn Thị Hương", born=born,
                                 commune_id=added[("QT", "Tân Long")])  # fmt: skip
        elsewhere = register("qt.liaison", "Nguyễn Thị Hương", born=born,
                             commune_id=added[("QT", "Lao Bảo")])  # fmt: skip
        no_commune = register("qt.liaison", "Nguyễn Thị Hương", born=born)
        request = lao_request(
            [{"name_as_written": "ຫງວຽນ ທິ ເຮືອງ", "estimated_age": 23,
              "home_address": "ບ້ານເຕິນລອງ, ແຂວງກວາງຈີ"}],
            shared=("name_as_written", "sex", "estimated_age", "home_address"),
        )  # fmt: skip
        db.session.commit()
        shared_id = request.people[0].id
        ids = [from_tan_long.id, elsewhere.id, no_commune.id]
    auth.login("qt.liaison")
    page = client.get(f"/verification/{shared_id}").get_data(as_text=True)
    links = [page.index(f"/missing/{record_id}") for record_id in ids]
    assert links[0] < links[1] and links[0] < links[2]  # the one from Tân Long comes first
    assert "Cùng xã quê quán" in page  # the reason, in the reader's Vietnamese
    # Side by side, the commune row sets the partner's Lao spelling beside ours, agreeing.
    compare = client.get(f"/verification/{shared_id}/missing/{ids[0]}").get_data(as_text=True)
    commune_row = r'<tr class="(\w*)">\s*<th scope="row">Xã nơi cư trú</th>(.*?)</tr>'
    row = re.search(commune_row, compare, re.S)
    assert row.group(1) == "agree"
    assert "ບ້ານເຕິນລອງ" in row.group(2) and "Tân Long" in row.group(2)
    other = client.get(f"/verification/{shared_id}/missing/{ids[1]}").get_data(as_text=True)
    assert '<tr class="differ">\n        <th scope="row">Xã nơi cư trú</th>' in other


def test_the_place_keys_follow_a_moved_commune(app_ctx):
    added = add_places()
    report = register("qt.liaison", "Nguyễn Thị Hương", commune_id=added[("QT", "Lao Bảo")])
    keys = set(db.session.scalars(select(NameKey.key).where(NameKey.record_id == report.id)))
    assert "a:laobao|huG" in keys and "c:laobao|huG|ngiN|tG" in keys
    case_operations.update_missing_report(
        report,
        {
            "name_as_written": "Nguyễn Thị Hương",
            "home_commune_id": added[("QT", "Khe Sanh")],
            "missing_since": date(2026, 3, 1),
            "reporter_name": "Gia đình",
            "version": report.version,
        },
        actor=user_named("qt.liaison"),
    )
    keys = set(db.session.scalars(select(NameKey.key).where(NameKey.record_id == report.id)))
    assert not any(key.startswith("a:laobao|") for key in keys)
    assert "a:kesan|huG" in keys


def test_renaming_a_commune_re_keys_its_people(app_ctx):
    added = add_places()
    report = register("qt.liaison", "Nguyễn Thị Hương", commune_id=added[("QT", "Lao Bảo")])
    area = db.session.get(AdministrativeArea, added[("QT", "Lao Bảo")])
    directory_operations.update_area(
        area,
        {"code": area.code, "name_vi": "Tân Lao Bảo", "name_lo": area.name_lo,
         "name_zh": area.name_zh, "name_en": "Tan Lao Bao", "version": area.version},
        actor=user_named("admin"),
    )  # fmt: skip
    keys = set(db.session.scalars(select(NameKey.key).where(NameKey.record_id == report.id)))
    assert "a:tanlaobao|huG" in keys and "a:laobao|huG" not in keys


def test_a_malformed_shared_place_is_shown_as_it_is(app_ctx):
    from coordination.matching.presenters import comparison_rows

    report = register("qt.liaison", "Nguyễn Thị Hương")
    for shared in (
        {"name_as_written": "Nguyễn Thị Hương", "home_commune": "Tân Long", "home_address": 7},
        {"name_as_written": "Nguyễn Thị Hương", "home_province": ["QT"], "home_address": None},
    ):
        rows = comparison_rows(shared, report, name_score=100, show_protected=True)
        commune = next(row for row in rows if row.label == "Xã nơi cư trú")
        assert commune.agrees is None  # nothing on our side to compare with
        assert requested_place(shared, None) == requested_place({}, None)

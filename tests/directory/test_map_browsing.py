"""The whole map in the interface: browsed a level at a time, searched in any language, and
picked in forms a province at a time (never thousands of communes on one page)."""

from datetime import date

from sqlalchemy import select

from coordination.cases.models import Person
from coordination.directory.models import AdministrativeArea, AreaSuccession
from coordination.extensions import db
from tests.conftest import translated
from tests.exchange.helpers import make_case


def _area(code):
    return db.session.scalar(select(AdministrativeArea).where(AdministrativeArea.code == code))


def _add(code, country_of, parent=None, kind="commune", abolished_on=None, names=None):
    vi, lo, zh, en = names or (f"Xã {code}", f"ບ້ານ {code}", f"{code}乡", f"{code} Commune")
    area = AdministrativeArea(
        country_id=country_of.country_id,
        parent_id=parent.id if parent else None,
        kind=kind,
        code=code,
        abolished_on=abolished_on,
        name_vi=vi,
        name_lo=lo,
        name_zh=zh,
        name_en=en,
    )
    db.session.add(area)
    db.session.flush()
    return area


def _map(app):
    """A province with a commune and a former district in it, and a Lao district."""
    with app.app_context():
        savannakhet = _area("SVK")
        quang_tri = _add("T-QT", _area("QT"), kind="province",
                         names=("Tỉnh Thử", "ແຂວງທົດລອງ", "试省", "Test Province"))  # fmt: skip
        commune = _add(
            "T-XP", quang_tri, quang_tri, names=("Xã Phùng", "ບ້ານຟຸງ", "丰乡", "Xa Phung")
        )
        former = _add(
            "T-HH",
            quang_tri,
            quang_tri,
            kind="district",
            abolished_on=date(2025, 7, 1),
            names=("Huyện Hướng Hóa", "ເມືອງເຮືອງຮວາ", "向化县", "Huong Hoa District"),
        )
        db.session.add(AreaSuccession(former_id=former.id, successor_id=commune.id))
        lao = _add("T-XPN", savannakhet, savannakhet, kind="district", names=None)
        db.session.commit()
        return {"qt": quang_tri.id, "svk": savannakhet.id, "commune": commune.id,
                "former": former.id, "lao": lao.id}  # fmt: skip


def test_the_map_lists_provinces_and_each_province_its_units(app, client, auth):
    ids = _map(app)
    auth.login("qt.liaison")
    top = client.get("/directory/").get_data(as_text=True)
    assert "Tỉnh Thử" in top and "Xã Phùng" not in top
    page = client.get(f"/directory/areas/{ids['qt']}").get_data(as_text=True)
    assert "Xã Phùng" in page and "Huyện Hướng Hóa" in page
    assert translated(app, "vi", "former, until %(date)s", date="1 thg 7, 2025") in page


def test_a_former_unit_shows_where_its_territory_lies_now_and_back(app, client, auth):
    ids = _map(app)
    auth.login("qt.liaison")
    former = client.get(f"/directory/areas/{ids['former']}").get_data(as_text=True)
    assert translated(app, "vi", "Its territory now lies in") in former
    assert f"/directory/areas/{ids['commune']}" in former
    current = client.get(f"/directory/areas/{ids['commune']}").get_data(as_text=True)
    assert f"/directory/areas/{ids['former']}" in current


def test_places_are_found_by_a_name_in_any_language_with_or_without_accents(app, client, auth):
    _map(app)
    auth.login("qt.liaison")
    for q in ("Huong Hoa", "Hướng Hóa", "ເຮືອງຮວາ", "向化"):
        page = client.get("/directory/", query_string={"q": q}).get_data(as_text=True)
        assert "Huyện Hướng Hóa" in page, q
    page = client.get("/directory/", query_string={"q": "zzz-nowhere"}).get_data(as_text=True)
    assert "zzz-nowhere" in page  # says what was searched
    for q in ("%", "_", "x" * 5000, "\x00"):
        assert client.get("/directory/", query_string={"q": q}).status_code == 200


def test_a_province_sends_its_places_for_the_form_and_nothing_for_an_unknown_id(app, client, auth):
    ids = _map(app)
    auth.login("qt.liaison")
    places = client.get(f"/directory/areas/{ids['qt']}/places").get_json()
    labels = {place["label"].split(" · ")[0] for place in places}
    assert "Xã Phùng" in labels
    assert "Huyện Hướng Hóa" not in labels  # former units are not offered
    assert client.get("/directory/areas/999999999/places").status_code == 404
    assert client.get("/directory/areas/99999999999999999999/places").status_code == 404


def test_the_person_form_offers_the_chosen_provinces_places_only(app, client, auth):
    ids = _map(app)
    with app.app_context():
        _case, victim, _relative = make_case()
        victim.home_province_id = ids["svk"]
        db.session.commit()
        victim_id = victim.id
    auth.login("qt.liaison")
    form = client.get(f"/cases/people/{victim_id}/edit").get_data(as_text=True)
    assert f'value="{ids["lao"]}"' in form and f'value="{ids["commune"]}"' not in form
    assert 'data-places-of="home_province_id"' in form


def test_a_lao_district_is_a_home_place_and_a_place_outside_the_province_is_refused(
    app, client, auth
):
    ids = _map(app)
    with app.app_context():
        _case, victim, _relative = make_case()
        db.session.commit()
        victim_id = victim.id
    auth.login("qt.liaison")
    with app.app_context():
        person = db.session.get(Person, victim_id)
        base = {"role": person.role, "name_as_written": person.name_as_written,
                "sex": person.sex or "", "version": str(person.version)}  # fmt: skip
    refused = client.post(
        f"/cases/people/{victim_id}/edit",
        data={**base, "home_province_id": ids["qt"], "home_commune_id": ids["lao"]},
    )
    assert refused.status_code == 422
    assert translated(app, "vi", "This commune is not in that province.") in refused.get_data(
        as_text=True
    )
    former = client.post(
        f"/cases/people/{victim_id}/edit",
        data={**base, "home_province_id": ids["qt"], "home_commune_id": ids["former"]},
    )
    assert former.status_code == 422  # a former unit is not a home place to choose
    saved = client.post(
        f"/cases/people/{victim_id}/edit",
        data={**base, "home_province_id": ids["svk"], "home_commune_id": ids["lao"]},
    )
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.get(Person, victim_id).home_commune_id == ids["lao"]

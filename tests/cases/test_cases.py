"""Cases and people: who sees what, children's protection, bad input, concurrent edits."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.auth.operations import create_user
from coordination.cases.models import Case, Person
from coordination.extensions import db
from tests.conftest import user_named
from tests.exchange.helpers import make_case

EN = {"Accept-Language": "en"}
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _case(app, **overrides):
    with app.app_context():
        case, victim, relative = make_case(**overrides)
        db.session.commit()
        return case.id, victim.id, relative.id


def test_liaison_officer_opens_a_case_and_adds_people(app, client, auth):
    auth.login("qt.liaison")
    response = client.post(
        "/cases/new", data={"title": "Ba em gái ở Savannakhet", "opened_on": "2026-11-02"}
    )
    assert response.status_code == 302
    case_url = response.headers["Location"]
    case_id = int(case_url.rsplit("/", 1)[1])
    response = client.post(
        f"/cases/{case_id}/people/new",
        data={
            "role": "victim",
            "name_as_written": "ຄຳແພງ ສີສຸວັນ",
            "name_romanised": "Khamphaeng Sisouvanh",
            "sex": "female",
            "estimated_age": "15",
            "nationality": "LA",
            "identity_document_kind": "id_card",
            "identity_document_number": "LA-12345",
        },
    )
    assert response.status_code == 302
    page = client.get(case_url).get_data(as_text=True)
    assert "ຄຳແພງ ສີສຸວັນ" in page and "Khamphaeng Sisouvanh" in page
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.number == "QT-BLO/CASE/2026/0001"
        assert case.people[0].identity_documents == [{"kind": "id_card", "number": "LA-12345"}]


def test_person_record_views_and_changes_are_audited(app, client, auth):
    _case_id, victim_id, _relative = _case(app)
    auth.login("qt.liaison")
    client.get(f"/cases/people/{victim_id}")
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.target_type == "people", AuditEntry.target_id == victim_id
            )
        ).all()
        assert "person.create" in actions and "person.view" in actions


def test_a_childs_address_is_hidden_from_those_not_working_the_case(app, client, auth):
    # 15 years old when the case opened: a child.
    _case_id, victim_id, _rel = _case(app, date_of_birth=date(2011, 3, 1))
    with app.app_context():
        office = user_named("qt.liaison").office_id
        create_user(
            {
                "username": "qt.blo.guard",
                "full_name": "Lê Văn Gác",
                "office_id": office,
                "roles": ["border_guard"],
                "password": "guard-password-1",
            },
            actor=None,
        )
        db.session.commit()
    auth.login("qt.blo.guard", "guard-password-1")
    page = client.get(f"/cases/people/{victim_id}").get_data(as_text=True)
    assert "Thôn 3, xã Lao Bảo" not in page
    assert "0912 345 678" not in page
    auth.logout()
    auth.login("qt.liaison")
    page = client.get(f"/cases/people/{victim_id}").get_data(as_text=True)
    assert "Thôn 3, xã Lao Bảo" in page


def test_an_adult_is_not_marked_as_a_child(app_ctx):
    _case, victim, _relative = make_case()
    assert not victim.is_child()
    victim.flagged_child = True
    assert victim.is_child()


def test_other_offices_and_admins_do_not_see_cases(app, client, auth):
    case_id, victim_id, _rel = _case(app)
    for username in ("svk.liaison", "px.liaison", "ls.supervisor", "admin"):
        auth.login(username)
        assert client.get(f"/cases/{case_id}").status_code == 404, username
        assert client.get(f"/cases/people/{victim_id}").status_code == 404, username
        assert "QT-BLO/CASE" not in client.get("/cases/").get_data(as_text=True)
        auth.logout()
    auth.login("qt.supervisor")
    assert client.get(f"/cases/{case_id}").status_code == 200


def test_bad_person_input_is_refused_and_nothing_stored(app, client, auth):
    case_id, _victim, _rel = _case(app)
    auth.login("admin")
    auth.logout()
    with app.app_context():
        user = user_named("qt.liaison")
        user.locale = "en"
        db.session.commit()
        before = db.session.scalar(select(func.count(Person.id)))
    auth.login("qt.liaison")
    tomorrow = (datetime.now(VIETNAM).date() + timedelta(days=1)).isoformat()
    cases = [
        ({"name_as_written": "   "}, "This field is required."),
        ({"name_as_written": "A\x00B"}, "The text contains control characters."),
        ({"date_of_birth": tomorrow}, "This date is in the future."),
        ({"date_of_birth": "1899-12-31"}, "Enter a date from 1900 on."),
        ({"date_of_birth": "31/12/2001"}, "Not a valid date."),
        ({"estimated_age": "130"}, "Enter an age between 0 and 120."),
        ({"estimated_age": "-1"}, "Enter an age between 0 and 120."),
        ({"estimated_age": "ten"}, "Not a valid integer."),
        ({"date_of_birth": "2001-01-01", "estimated_age": "20"}, "not both"),
        ({"role": "witness"}, "Choose one of the listed options."),
        ({"home_commune_id": "1"}, "Choose one of the listed options."),
    ]
    for changes, message in cases:
        form = {"role": "victim", "name_as_written": "Trần Thị Mai", **changes}
        response = client.post(f"/cases/{case_id}/people/new", data=form)
        assert response.status_code == 422, changes
        assert message in response.get_data(as_text=True), (changes, message)
    with app.app_context():
        assert db.session.scalar(select(func.count(Person.id))) == before


def test_today_on_the_officers_clock_is_not_in_the_future(app, client, auth):
    """The host runs on UTC: from 17:00 UTC it is already tomorrow in Hanoi, and a child
    born today there must not be refused as born in the future."""
    case_id, _victim, _rel = _case(app)
    auth.login("qt.liaison")
    today_in_hanoi = datetime.now(VIETNAM).date().isoformat()
    form = {"role": "victim", "name_as_written": "Trần Thị Mai", "date_of_birth": today_in_hanoi}
    response = client.post(f"/cases/{case_id}/people/new", data=form)
    assert response.status_code == 302
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.name_as_written == "Trần Thị Mai"))
        assert person.date_of_birth.isoformat() == today_in_hanoi


def test_markup_and_sql_in_names_are_kept_as_text(app, client, auth):
    case_id, _victim, _rel = _case(app)
    auth.login("qt.liaison")
    name = "<script>alert('x')</script>'; DROP TABLE people; --"
    client.post(f"/cases/{case_id}/people/new", data={"role": "suspect", "name_as_written": name})
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    with app.app_context():
        assert (
            db.session.scalar(select(Person).where(Person.role == "suspect")).name_as_written
            == name
        )


def test_concurrent_case_edits_conflict(app, client, auth):
    case_id, _victim, _rel = _case(app)
    auth.login("qt.liaison")
    form = {
        "title": "Sửa lần 1",
        "opened_on": "2026-10-01",
        "status": "verification",
        "version": "1",
    }
    assert client.post(f"/cases/{case_id}/edit", data=form).status_code == 302
    stale = {**form, "title": "Sửa lần 2"}
    assert client.post(f"/cases/{case_id}/edit", data=stale).status_code == 409
    with app.app_context():
        assert db.session.get(Case, case_id).title == "Sửa lần 1"


def test_case_search_by_person_name_in_any_spelling(app, client, auth):
    _case(app)
    auth.login("qt.liaison")
    for query in ("Nguyen Thi Huong", "nguyễn thị hướng", "HUONG"):
        assert "QT-BLO/CASE" in client.get(f"/cases/?q={query}").get_data(as_text=True), query
    assert "QT-BLO/CASE" not in client.get("/cases/?q=Somsak").get_data(as_text=True)


def test_only_liaison_officers_open_cases(app, client, auth):
    auth.login("qt.guard")
    assert client.get("/cases/new").status_code == 403
    assert (
        client.post("/cases/new", data={"title": "x", "opened_on": "2026-01-01"}).status_code == 403
    )


def test_scans_are_added_to_the_case_and_a_photo_to_a_person(app, client, auth):
    import io

    case_id, victim_id, _rel = _case(app, date_of_birth=date(2012, 1, 1))  # a child
    auth.login("qt.liaison")
    pdf = b"%PDF-1.4\n%%EOF\n"
    response = client.post(
        f"/cases/{case_id}/documents",
        data={"documents": [(io.BytesIO(pdf), "biên bản.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert "biên bản.pdf" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    with app.app_context():
        person = db.session.get(Person, victim_id)
        form = {
            "role": "victim",
            "name_as_written": person.name_as_written,
            "date_of_birth": "2012-01-01",
            "version": str(person.version),
            "photo": (io.BytesIO(png), "anh.png"),
        }
    response = client.post(
        f"/cases/people/{victim_id}/edit", data=form, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    with app.app_context():
        photo_id = db.session.get(Person, victim_id).photo_id
    assert photo_id is not None
    assert client.get(f"/documents/{photo_id}").status_code == 200
    # A border guard of the same office sees the case but not a child's photo.
    with app.app_context():
        create_user(
            {
                "username": "qt.blo.guard2",
                "full_name": "Lê Văn Gác",
                "office_id": user_named("qt.liaison").office_id,
                "roles": ["border_guard"],
                "password": "guard-password-1",
            },
            actor=None,
        )
        db.session.commit()
    auth.logout()
    auth.login("qt.blo.guard2", "guard-password-1")
    assert client.get(f"/documents/{photo_id}").status_code == 404
    # Nor is it listed on the case page (name, size, link): only counted as withheld.
    page = client.get(f"/cases/{case_id}", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "anh.png" not in text and f"/documents/{photo_id}" not in text
    assert "Đã ẩn 1 tài liệu" in text  # the guard reads Vietnamese
    assert "biên bản.pdf" in text  # the case's other files are listed as before
    # A pdf is no photo.
    auth.logout()
    auth.login("qt.liaison")
    with app.app_context():
        version = db.session.get(Person, victim_id).version
    form = {**form, "version": str(version), "photo": (io.BytesIO(pdf), "x.png")}
    response = client.post(
        f"/cases/people/{victim_id}/edit", data=form, content_type="multipart/form-data"
    )
    assert response.status_code == 422


def test_search_finds_short_chinese_names_and_follows_renames(app, client, auth):
    with app.app_context():
        make_case(name_as_written="李明", name_romanised="Li Ming")
        db.session.commit()
    auth.login("qt.liaison")
    assert "QT-BLO/CASE" in client.get("/cases/?q=李明").get_data(as_text=True)  # 2 characters
    assert "QT-BLO/CASE" in client.get("/cases/?q=li ming").get_data(as_text=True)
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.name_as_written == "李明"))
        from coordination.cases.operations import update_person

        update_person(
            person,
            {
                "role": "victim",
                "name_as_written": "ສົມສັກ ພົມມະຈັນ",
                "name_romanised": "Somsak Phommachan",
                "version": person.version,
            },
            actor=user_named("qt.liaison"),
        )
        db.session.commit()
    assert "QT-BLO/CASE" in client.get("/cases/?q=ພົມມະຈັນ").get_data(as_text=True)
    assert "QT-BLO/CASE" not in client.get("/cases/?q=li ming").get_data(as_text=True)

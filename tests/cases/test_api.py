"""Updates through the API change nothing by omission; a child's protection is never lowered
implicitly; enum fields cannot be emptied; every refusal is a translated 422."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coordination.audit.models import AuditEntry
from coordination.auth.operations import create_api_token, create_user
from coordination.cases import operations as case_operations
from coordination.cases.models import Case, MissingPersonReport, Person
from coordination.extensions import db
from tests.conftest import translated, user_named
from tests.exchange.helpers import make_case

# Columns every successful update changes on its own.
BOOKKEEPING = {"version", "updated_at"}


@pytest.fixture
def tokens(app):
    plain = {}
    with app.app_context():
        create_user(
            {
                "username": "qt.blo.guard",
                "full_name": "Lê Văn Gác",
                "office_id": user_named("qt.liaison").office_id,
                "roles": ["border_guard"],
                "password": "guard-password-1",
            },
            actor=None,
        )
        for username in ("qt.liaison", "qt.blo.guard"):
            user = user_named(username)
            _token, plain[username] = create_api_token(user, "test", actor=user)
        db.session.commit()
    return {name: {"Authorization": f"Bearer {value}"} for name, value in plain.items()}


def stored(app, model, record_id: int) -> dict:
    """Every column of the stored row, as the database has it."""
    with app.app_context():
        row = db.session.execute(
            select(model.__table__).where(model.__table__.c.id == record_id)
        ).one()
        return dict(row._mapping)


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in before if before[name] != after[name]} - BOOKKEEPING


@pytest.fixture
def child(app):
    """A flagged child (aged 15 by the birth date) with an address and relatives' contacts."""
    with app.app_context():
        _case, victim, _relative = make_case(date_of_birth=date(2011, 3, 2), flagged_child=True)
        db.session.commit()
        return victim.id


@pytest.fixture
def adult(app):
    with app.app_context():
        _case, victim, _relative = make_case()
        db.session.commit()
        return victim.id


@pytest.fixture
def missing_report(app):
    with app.app_context():
        report = case_operations.create_missing_report(
            {
                "name_as_written": "Lò Thị Mai",
                "sex": "female",
                "estimated_age": 16,
                "missing_since": date(2026, 9, 1),
                "last_seen_place": "Chợ Lao Bảo",
                "reporter_name": "Lò Văn Sáng",
                "reporter_contact": "0912 000 111",
            },
            actor=user_named("qt.liaison"),
        )
        db.session.commit()
        return report.id


def test_patch_of_a_person_changes_only_the_fields_sent(app, client, tokens, adult):
    before = stored(app, Person, adult)
    response = client.patch(
        f"/api/v1/people/{adult}",
        json={"name_romanised": "Nguyen T. Huong", "version": before["version"]},
        headers=tokens["qt.liaison"],
    )
    assert response.status_code == 200, response.json
    after = stored(app, Person, adult)
    assert changed(before, after) == {"name_romanised", "search_text"}
    assert after["version"] == before["version"] + 1


def test_patch_of_a_case_changes_only_the_fields_sent(app, client, tokens, adult):
    with app.app_context():
        case_id = db.session.get(Person, adult).case_id
    before = stored(app, Case, case_id)
    response = client.patch(
        f"/api/v1/cases/{case_id}",
        json={"summary": "Hai người được tìm thấy ở Bằng Tường.", "version": before["version"]},
        headers=tokens["qt.liaison"],
    )
    assert response.status_code == 200, response.json
    assert changed(before, stored(app, Case, case_id)) == {"summary"}


def test_patch_of_a_missing_person_entry_changes_only_the_fields_sent(
    app, client, tokens, missing_report
):
    before = stored(app, MissingPersonReport, missing_report)
    response = client.patch(
        f"/api/v1/missing-persons/{missing_report}",
        json={"last_seen_with": "Một người đàn ông lạ", "version": before["version"]},
        headers=tokens["qt.liaison"],
    )
    assert response.status_code == 200, response.json
    assert changed(before, stored(app, MissingPersonReport, missing_report)) == {"last_seen_with"}


@pytest.mark.parametrize(
    "path, model, fixture",
    [
        ("/api/v1/people/{}", Person, "adult"),
        ("/api/v1/missing-persons/{}", MissingPersonReport, "missing_report"),
    ],
)
def test_put_needs_the_whole_record(app, client, tokens, request, path, model, fixture):
    record_id = request.getfixturevalue(fixture)
    before = stored(app, model, record_id)
    response = client.put(
        path.format(record_id),
        json={"name_as_written": "Tên khác", "version": before["version"]},
        headers={**tokens["qt.liaison"], "Accept-Language": "vi"},
    )
    assert response.status_code == 422
    assert {"sex", "date_of_birth", "home_address"} <= set(response.json["errors"])
    assert response.json["errors"]["sex"] == ["Thiếu dữ liệu cho trường bắt buộc."]
    assert stored(app, model, record_id) == before


def test_an_update_without_the_version_is_refused(app, client, tokens, adult):
    before = stored(app, Person, adult)
    response = client.patch(
        f"/api/v1/people/{adult}", json={"name_romanised": "X"}, headers=tokens["qt.liaison"]
    )
    assert response.status_code == 422
    assert "version" in response.json["errors"]
    assert stored(app, Person, adult) == before


def test_leaving_out_the_child_fields_does_not_make_a_child_an_adult(app, client, tokens, child):
    """The update that once turned the flag off: role, name and version only."""
    version = stored(app, Person, child)["version"]
    client.put(
        f"/api/v1/people/{child}",
        json={"role": "victim", "name_as_written": "Nguyễn Thị Hướng", "version": version},
        headers=tokens["qt.liaison"],
    )
    after = stored(app, Person, child)
    assert after["flagged_child"] is True
    assert after["date_of_birth"] == date(2011, 3, 2)
    seen = client.get(f"/api/v1/people/{child}", headers=tokens["qt.blo.guard"]).json
    assert seen["child"] is True
    assert seen["home_address"] is None
    assert seen["relatives_contacts"] is None


@pytest.mark.parametrize(
    "change",
    [
        {"flagged_child": False, "date_of_birth": None},
        {"flagged_child": False, "date_of_birth": "1990-01-01"},
    ],
)
def test_making_a_child_an_adult_needs_confirmation(app, client, tokens, child, change):
    before = stored(app, Person, child)
    response = client.patch(
        f"/api/v1/people/{child}",
        json={**change, "version": before["version"]},
        headers={**tokens["qt.liaison"], "Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert {"confirm_not_child", "not_child_reason"} <= set(response.json["errors"])
    assert stored(app, Person, child) == before
    seen = client.get(f"/api/v1/people/{child}", headers=tokens["qt.blo.guard"]).json
    assert seen["home_address"] is None


def test_a_confirmed_change_to_adult_is_audited_with_who_and_why(app, client, tokens, child):
    version = stored(app, Person, child)["version"]
    response = client.patch(
        f"/api/v1/people/{child}",
        json={
            "flagged_child": False,
            "date_of_birth": "1990-01-01",
            "confirm_not_child": True,
            "not_child_reason": "Passport seen: born 1990.",
            "version": version,
        },
        headers=tokens["qt.liaison"],
    )
    assert response.status_code == 200, response.json
    assert response.json["child"] is False
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "person.not_a_child", AuditEntry.target_id == child
            )
        )
        assert entry is not None
        assert entry.actor_id == user_named("qt.liaison").id
        assert entry.details["reason"] == "Passport seen: born 1990."


def test_the_flag_can_still_be_set_without_confirmation(app, client, tokens, adult):
    version = stored(app, Person, adult)["version"]
    response = client.patch(
        f"/api/v1/people/{adult}",
        json={"flagged_child": True, "version": version},
        headers=tokens["qt.liaison"],
    )
    assert response.status_code == 200, response.json
    assert response.json["child"] is True


@pytest.mark.parametrize("sex", ["", None, " "])
def test_an_empty_sex_is_a_field_error_and_nothing_is_stored(app, client, tokens, adult, sex):
    before = stored(app, Person, adult)
    headers = {**tokens["qt.liaison"], "Accept-Language": "en"}
    response = client.patch(
        f"/api/v1/people/{adult}", json={"sex": sex, "version": before["version"]}, headers=headers
    )
    assert response.status_code == 422, response.json
    assert list(response.json["errors"]) == ["sex"]
    assert stored(app, Person, adult) == before
    case_id = before["case_id"]
    response = client.post(
        f"/api/v1/cases/{case_id}/people",
        json={"role": "relative", "name_as_written": "Lò Văn A", "sex": sex},
        headers=headers,
    )
    assert response.status_code == 422, response.json
    assert list(response.json["errors"]) == ["sex"]
    with app.app_context():
        assert len(db.session.get(Case, case_id).people) == 2


def test_an_empty_sex_on_the_person_form_is_a_field_error(app, client, auth, adult):
    auth.login("qt.liaison")
    person = stored(app, Person, adult)
    response = client.post(
        f"/cases/{person['case_id']}/people/new",
        data={"role": "relative", "name_as_written": "Lò Văn B", "sex": ""},
    )
    assert response.status_code in (200, 422)
    message = translated(app, "vi", "Choose one of the listed options.")
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.get(Case, person["case_id"]).people) == 2


def test_an_unsupported_method_says_which_are_allowed(client, tokens, adult):
    response = client.delete(f"/api/v1/people/{adult}", headers=tokens["qt.liaison"])
    assert response.status_code == 405
    assert response.is_json
    assert {"GET", "PUT", "PATCH"} <= {
        method.strip() for method in response.headers["Allow"].split(",")
    }


def test_a_bad_json_body_gets_an_errors_object(client, tokens):
    response = client.post(
        "/api/v1/cases",
        data="{not json",
        headers={**tokens["qt.liaison"], "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert isinstance(response.json["errors"], dict)


def test_the_person_form_makes_a_child_an_adult_only_when_confirmed(app, client, auth, child):
    auth.login("qt.liaison")
    page = client.get(f"/cases/people/{child}/edit").get_data(as_text=True)
    assert 'name="confirm_not_child"' in page
    before = stored(app, Person, child)
    form = {
        "role": "victim",
        "name_as_written": before["name_as_written"],
        "sex": before["sex"],
        "date_of_birth": "1990-01-01",
        "version": str(before["version"]),
    }
    response = client.post(f"/cases/people/{child}/edit", data=form)
    assert response.status_code in (200, 422)
    assert stored(app, Person, child) == before
    response = client.post(
        f"/cases/people/{child}/edit",
        data={**form, "confirm_not_child": "on", "not_child_reason": "Hộ chiếu: sinh năm 1990."},
    )
    assert response.status_code == 302
    assert stored(app, Person, child)["date_of_birth"] == date(1990, 1, 1)
    with app.app_context():
        assert db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "person.not_a_child", AuditEntry.target_id == child
            )
        )


@pytest.mark.parametrize("username", ["cz.liaison", "slv.liaison"])
def test_a_refused_write_answers_in_the_token_owners_language(app, username):
    """A JSON body is checked (size, depth) before the token is read: that check must not
    fix the language of the answer before the user is known."""
    with app.app_context():
        user = user_named(username)
        locale = user.locale
        _token, plain = create_api_token(user, "test", actor=user)
        db.session.commit()
    client = app.test_client()
    response = client.post(
        "/api/v1/cases",
        json={"title": "", "opened_on": "2099-01-01"},
        headers={"Authorization": f"Bearer {plain}"},
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["opened_on"] == [translated(app, locale, "This date is in the future.")]
    assert errors["title"] == [translated(app, locale, "This field is required.")]

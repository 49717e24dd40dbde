"""Administration of users: create, edit, deactivate, reset; bad input changes nothing."""

import unicodedata

from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.auth.models import User
from coordination.directory.models import Office
from coordination.extensions import db
from tests.conftest import login_client, user_named

EN = {"Accept-Language": "en"}


def _office_id(app, code):
    with app.app_context():
        return db.session.scalar(select(Office.id).where(Office.code == code))


def _user_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def _new_user_form(app, **changes):
    form = {
        "username": "slv.guard",
        "full_name": "ສົມພອນ ແສງສະຫວ່າງ",
        "email": "",
        "office_id": str(_office_id(app, "SLV-BLO")),
        "roles-present": "1",
        "roles": ["border_guard", "liaison_officer"],
        "locale": "lo",
        "timezone": "Asia/Vientiane",
        "password": "a-long-enough-password",
        "password_confirm": "a-long-enough-password",
    }
    form.update(changes)
    return form


def test_admin_creates_a_user_who_can_then_sign_in(app, client, auth):
    auth.login("admin")
    response = client.post("/admin/users/new", data=_new_user_form(app))
    assert response.status_code == 302
    with app.app_context():
        user = user_named("slv.guard")
        assert sorted(user.roles) == ["border_guard", "liaison_officer"]
        assert user.office.code == "SLV-BLO"
        assert user.password_hash.startswith("$argon2id$")
        entry = db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "user.create", AuditEntry.target_id == user.id
            )
        )
        assert entry.actor_name == "admin"
    auth.logout()
    assert auth.login("slv.guard", "a-long-enough-password").status_code == 302


def test_duplicate_user_name_is_refused_and_nothing_stored(app, client, auth):
    auth.login("admin")
    before = _user_count(app)
    response = client.post(
        "/admin/users/new", data=_new_user_form(app, username="QT.Liaison"), headers=EN
    )
    assert response.status_code == 422
    assert "The user name is already taken." in response.get_data(as_text=True)
    assert _user_count(app) == before


def test_bad_user_input_gets_clear_errors_and_changes_nothing(app, client, auth):
    auth.login("admin")
    before = _user_count(app)
    cases = [
        ({"full_name": "x" * 201}, "Use at most 200 characters."),
        ({"full_name": "   "}, "This field is required."),
        ({"full_name": "Bad\x07name"}, "The text contains control characters."),
        ({"username": "a b"}, "Use 3 to 64 small letters"),
        ({"password_confirm": "something-else-entirely"}, "The two passwords differ."),
        ({"password": "short", "password_confirm": "short"}, "A password needs 10 to 128"),
        ({"roles": []}, "Give the user at least one role."),
        ({"roles": ["emperor"]}, "Choose one of the listed options."),
        ({"office_id": "abc"}, "Not a valid integer."),
        ({"office_id": "999999"}, "Choose one of the listed options."),
        ({"locale": "fr"}, "Choose one of the listed options."),
        ({"email": "not-an-address"}, "Enter a valid e-mail address."),
    ]
    for changes, message in cases:
        response = client.post("/admin/users/new", data=_new_user_form(app, **changes), headers=EN)
        assert response.status_code == 422, changes
        assert message in response.get_data(as_text=True), (changes, message)
    assert _user_count(app) == before


def test_names_are_stored_in_nfc(app, client, auth):
    auth.login("admin")
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hướng")
    assert decomposed != "Nguyễn Thị Hướng"
    client.post("/admin/users/new", data=_new_user_form(app, full_name=decomposed))
    with app.app_context():
        assert user_named("slv.guard").full_name == "Nguyễn Thị Hướng"


def test_markup_in_a_name_is_shown_as_text(app, client, auth):
    auth.login("admin")
    name = "<script>alert(1)</script> Robert'); DROP TABLE users;--"
    client.post("/admin/users/new", data=_new_user_form(app, full_name=name))
    with app.app_context():
        user = user_named("slv.guard")
        assert user.full_name == name
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _edit_form(user: User, **changes):
    form = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email or "",
        "office_id": str(user.office_id),
        "roles-present": "1",
        "roles": list(user.roles),
        "locale": user.locale,
        "timezone": user.timezone,
        "is_enabled": "1",
        "version": str(user.version),
    }
    form.update(changes)
    return form


def test_deactivating_a_user_signs_them_out_everywhere(app, client, auth):
    social = login_client(app, "qt.social")
    assert social.get("/").status_code == 200
    auth.login("admin")
    with app.app_context():
        user = user_named("qt.social")
        form = _edit_form(user)
    del form["is_enabled"]
    assert client.post(f"/admin/users/{user.id}/edit", data=form).status_code == 302
    assert social.get("/").status_code == 302  # the open session is gone
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.update"))
        assert entry.details["is_enabled"] == [True, False]


def test_concurrent_edits_conflict_instead_of_overwriting(app, client, auth, caplog):
    auth.login("admin")
    with app.app_context():
        user = user_named("qt.guard")
        stale = _edit_form(user, full_name="Second editor")
        fresh = _edit_form(user, full_name="First editor")
    assert client.post(f"/admin/users/{user.id}/edit", data=fresh).status_code == 302
    response = client.post(f"/admin/users/{user.id}/edit", data=stale, headers=EN)
    assert response.status_code == 409
    assert "Someone else changed this record" in response.get_data(as_text=True)
    with app.app_context():
        assert user_named("qt.guard").full_name == "First editor"
    # Every 409 is logged with what conflicted, for whoever looks into it.
    assert (
        f"409 conflict on POST /admin/users/{user.id}/edit: User {user.id} version" in caplog.text
    )


def test_admin_cannot_lock_themselves_out(app, client, auth):
    auth.login("admin")
    with app.app_context():
        admin = user_named("admin")
        form = _edit_form(admin, roles=["supervisor"])
    response = client.post(f"/admin/users/{admin.id}/edit", data=form, headers=EN)
    assert response.status_code == 422
    assert "You cannot deactivate yourself" in response.get_data(as_text=True)
    with app.app_context():
        assert user_named("admin").is_admin


def test_admin_resets_a_password(app, client, auth):
    auth.login("admin")
    with app.app_context():
        target = user_named("qt.guard").id
    response = client.post(
        f"/admin/users/{target}/password",
        data={"password": "brand-new-password", "password_confirm": "brand-new-password"},
    )
    assert response.status_code == 302
    auth.logout()
    assert auth.login("qt.guard", "brand-new-password").status_code == 302


def test_only_administrators_manage_users(app, client, auth):
    auth.login("qt.supervisor")
    with app.app_context():
        colleague = user_named("qt.liaison").id
        foreign = user_named("px.liaison").id
    assert client.get("/admin/users/").status_code == 403
    assert client.get("/admin/users/new").status_code == 403
    assert client.post("/admin/users/new", data=_new_user_form(app)).status_code == 403
    # A supervisor may look at the accounts of their own province, not change them.
    assert client.get(f"/admin/users/{colleague}").status_code == 200
    assert client.get(f"/admin/users/{colleague}/edit").status_code == 403
    # An unrelated office's user does not exist for them.
    assert client.get(f"/admin/users/{foreign}").status_code == 404
    assert client.post(f"/admin/users/{foreign}/unlock").status_code == 404


def test_user_list_filters_and_paginates(app, client, auth):
    auth.login("admin")
    page = client.get("/admin/users/?q=liaison").get_data(as_text=True)
    assert "qt.liaison" in page and "qt.guard" not in page
    office = _office_id(app, "SVK-BLO")
    page = client.get(f"/admin/users/?office={office}").get_data(as_text=True)
    assert "svk.liaison" in page and "qt.liaison" not in page


def test_a_refused_form_comes_back_with_the_input_kept(app, client, auth):
    auth.login("admin")
    form = _new_user_form(app, username="qt.liaison", full_name="Hồ Thị Xuân")
    page = client.post("/admin/users/new", data=form, headers=EN).get_data(as_text=True)
    assert 'value="Hồ Thị Xuân"' in page  # nothing to type again
    assert 'aria-invalid="true"' in page  # the user name field is marked


def test_a_change_of_roles_alone_still_moves_the_version(app, client, auth):
    auth.login("admin")
    with app.app_context():
        user = user_named("qt.guard")
        first = _edit_form(user, roles=["border_guard", "supervisor"])
        stale = _edit_form(user, full_name="Stale editor")
    assert client.post(f"/admin/users/{user.id}/edit", data=first).status_code == 302
    assert client.post(f"/admin/users/{user.id}/edit", data=stale).status_code == 409
    with app.app_context():
        assert sorted(user_named("qt.guard").roles) == ["border_guard", "supervisor"]


def test_an_edit_without_its_version_is_refused(app, client, auth):
    auth.login("admin")
    with app.app_context():
        user = user_named("qt.guard")
        form = _edit_form(user, full_name="No version")
    del form["version"]
    assert client.post(f"/admin/users/{user.id}/edit", data=form).status_code == 422
    with app.app_context():
        assert user_named("qt.guard").full_name != "No version"


def test_sign_ins_do_not_make_an_open_edit_form_stale(app, client, auth):
    from tests.conftest import login_client

    auth.login("admin")
    with app.app_context():
        user = user_named("qt.guard")
        form = _edit_form(user, full_name="Edited while they signed in")
    login_client(app, "qt.guard")  # the guard signs in meanwhile
    assert client.post(f"/admin/users/{user.id}/edit", data=form).status_code == 302


def test_a_password_reset_revokes_the_users_api_tokens(app, client, auth):
    from coordination.auth.operations import create_api_token

    with app.app_context():
        guard = user_named("qt.guard")
        _token, plain = create_api_token(guard, "script", actor=guard)
        db.session.commit()
        guard_id = guard.id
    headers = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    auth.login("admin")
    client.post(
        f"/admin/users/{guard_id}/password",
        data={"password": "brand-new-password", "password_confirm": "brand-new-password"},
    )
    assert client.get("/api/v1/me", headers=headers).status_code == 401

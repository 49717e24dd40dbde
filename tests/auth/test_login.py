from sqlalchemy import select

from coordination.audit.models import AuditEntry
from coordination.extensions import db
from tests.conftest import translated, user_named


def test_demo_user_signs_in_and_sees_own_office_dashboard(client, auth):
    response = auth.login("qt.liaison")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Văn phòng liên lạc biên giới Quảng Trị" in page  # the office, in the user's vi
    assert "Savannakhet" in page  # a partner office with its deadlines


def test_wrong_password_is_refused_with_a_translated_message(client, auth):
    response = auth.login("qt.liaison", "not-the-password", **{"Accept-Language": "en"})
    assert response.status_code == 200
    assert "Wrong user name or password." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out


def test_wrong_password_message_in_vietnamese_by_default(app, client, auth):
    expected = translated(app, "vi", "Wrong user name or password.")
    assert expected != "Wrong user name or password."  # the catalogue has a translation
    response = auth.login("qt.liaison", "not-the-password")
    assert expected in response.get_data(as_text=True)


def test_unknown_user_gets_the_same_message_and_is_audited(app, client, auth):
    response = auth.login("nobody.here", "whatever-password", **{"Accept-Language": "en"})
    assert "Wrong user name or password." in response.get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert entry.action == "auth.login_failed"
        assert entry.actor_name == "nobody.here"
        assert entry.ip_address == "127.0.0.1"


def test_account_locks_after_repeated_failures(app, client, auth):
    for _attempt in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login("qt.guard", "wrong-password-x", **{"Accept-Language": "en"})
    # Even the right password is refused while locked.
    response = auth.login("qt.guard", **{"Accept-Language": "en"})
    assert "Too many failed attempts." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    with app.app_context():
        assert user_named("qt.guard").locked_until is not None


def test_admin_unlocks_a_locked_account(app, client, auth):
    for _attempt in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login("qt.guard", "wrong-password-x")
    auth.login("admin")
    with app.app_context():
        guard_id = user_named("qt.guard").id
    assert client.post(f"/admin/users/{guard_id}/unlock").status_code == 302
    auth.logout()
    assert auth.login("qt.guard").status_code == 302


def test_deactivated_account_cannot_sign_in(app, client, auth):
    with app.app_context():
        user_named("qt.social").is_enabled = False
        db.session.commit()
    response = auth.login("qt.social", **{"Accept-Language": "en"})
    assert "This account has been deactivated" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_is_rate_limited_per_address(database_url):
    from tests.conftest import CsrfClient, _app_for

    app = _app_for(database_url, LOGIN_RATE_LIMIT="3 per minute")
    app.test_client_class = CsrfClient
    client = app.test_client()
    statuses = [
        client.post(
            "/login",
            data={"username": "nobody", "password": "x" * 12},
            headers={"Accept-Language": "en"},
        ).status_code
        for _attempt in range(4)
    ]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] == 429
    response = client.post(
        "/login", data={"username": "a", "password": "b"}, headers={"Accept-Language": "en"}
    )
    assert "Too many attempts" in response.get_data(as_text=True)


def test_forged_csrf_token_is_refused_with_a_clear_message(client):
    response = client.post(
        "/login",
        data={"username": "qt.liaison", "password": "border-demo-2026", "csrf_token": "forged"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "The form has expired or was not sent from this site" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_session_cookie_flags(client, auth):
    response = auth.login("qt.liaison")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_next_parameter_cannot_redirect_off_site(client):
    response = client.post(
        "/login",
        data={"username": "qt.liaison", "password": "border-demo-2026", "next": "//evil.example/x"},
    )
    assert response.headers["Location"] == "/"


def test_next_parameter_returns_to_the_page_asked_for(client):
    response = client.post(
        "/login",
        data={"username": "qt.liaison", "password": "border-demo-2026", "next": "/directory/gates"},
    )
    assert response.headers["Location"] == "/directory/gates"


def test_pages_need_sign_in(client):
    for url in ("/", "/directory/offices", "/admin/users/", "/audit/", "/account"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_logout_ends_the_session(client, auth):
    auth.login()
    assert client.get("/").status_code == 200
    auth.logout()
    assert client.get("/").status_code == 302


def test_login_form_with_missing_fields_is_refused(client):
    response = client.post("/login", data={"username": "  "}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "This field is required." in text
    assert "Missing data for required field." in text

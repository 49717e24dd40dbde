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


# Repeated failures: see test_throttling.py (delays per address or device, no lock-out).


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


def _hash_with_older_settings(app, username):
    """The stored hash was made with other Argon2 costs (e.g. demo data loaded cheaply)."""
    from argon2 import PasswordHasher

    from coordination.demo_data import DEMO_PASSWORD

    with app.app_context():
        user = user_named(username)
        user.password_hash = PasswordHasher(time_cost=2, memory_cost=64).hash(DEMO_PASSWORD)
        db.session.commit()
        return user.version


def test_concurrent_first_sign_ins_that_rehash_the_password_do_not_conflict(app):
    """Issue 16: sign-ins of one account at once got 409 when the hash was renewed.

    Request A has loaded the user when request B signs the same user in and commits;
    A's sign-in must still succeed (it used to raise StaleDataError, a 409: the renewed
    hash was an ORM update of the versioned user row).
    """
    from argon2 import PasswordHasher

    from coordination.auth import operations
    from coordination.demo_data import DEMO_PASSWORD

    version = _hash_with_older_settings(app, "qt.liaison")
    with app.app_context():
        loaded_by_a = user_named("qt.liaison")
        with app.app_context():  # request B, its own database session
            assert operations.authenticate("qt.liaison", DEMO_PASSWORD).ok
            db.session.commit()
        assert loaded_by_a.version == version  # A still holds the version it loaded
        assert operations.authenticate("qt.liaison", DEMO_PASSWORD).ok
        db.session.commit()
    with app.app_context():
        user = user_named("qt.liaison")
        assert user.version == version  # sign-in bookkeeping is not an edit
        hasher = PasswordHasher(
            time_cost=app.config["ARGON2_TIME_COST"], memory_cost=app.config["ARGON2_MEMORY_KIB"]
        )
        assert not hasher.check_needs_rehash(user.password_hash)  # renewed all the same
        hasher.verify(user.password_hash, DEMO_PASSWORD)


def test_a_sign_in_that_renews_the_hash_keeps_an_open_edit_form_valid(app, client, auth):
    version = _hash_with_older_settings(app, "qt.guard")
    assert auth.login("qt.guard").status_code == 302
    with app.app_context():
        assert user_named("qt.guard").version == version


def test_many_simultaneous_sign_ins_of_shared_accounts_all_succeed(app):
    """Issue 16 as measured: a burst of sign-ins of a few accounts, none gets a 409."""
    import threading

    from tests.conftest import CsrfClient

    accounts = ["qt.liaison", "qt.guard", "qt.social"]
    for username in accounts:
        _hash_with_older_settings(app, username)
    app.test_client_class = CsrfClient
    clients = [(app.test_client(), accounts[i % len(accounts)]) for i in range(12)]
    for client, _username in clients:
        client.csrf_token()  # the token in each cookie jar before the burst
    start = threading.Barrier(len(clients))
    statuses = []

    def sign_in(client, username):
        start.wait()
        response = client.post(
            "/login", data={"username": username, "password": "border-demo-2026"}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=sign_in, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * len(clients)

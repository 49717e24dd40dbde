"""Server-side sessions: a copied session cookie stops working once its session has ended.

Each test signs in, copies the session cookie into a fresh client (another browser on
another address, as an attacker who copied it would), checks the copy works, ends the
session one way or another, and shows the copy is sent to the sign-in page and sees nothing.
"""

from datetime import date, timedelta

from sqlalchemy import select, update

from coordination.audit.models import AuditEntry
from coordination.auth.models import UserSession
from coordination.cases.operations import create_case
from coordination.core.db import utcnow
from coordination.extensions import db
from tests.conftest import CsrfClient, login_client, translated, user_named

EN = {"Accept-Language": "en"}
CASE_TITLE = "Hai phụ nữ bị lừa sang biên giới"
PASSWORD_FORM = {
    "current_password": "border-demo-2026",
    "password": "another-good-password",
    "password_confirm": "another-good-password",
}


def _case_url(app) -> str:
    """A case of qt.liaison's office."""
    with app.app_context():
        case = create_case(
            {"title": CASE_TITLE, "opened_on": date(2026, 10, 1)}, actor=user_named("qt.liaison")
        )
        db.session.commit()
        return f"/cases/{case.id}"


def client_at(app, address: str) -> CsrfClient:
    """A browser on another computer (its own cookie jar and address)."""
    app.test_client_class = CsrfClient
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _copy_of(app, browser) -> CsrfClient:
    """Another browser, elsewhere, holding a copy of ``browser``'s session cookie."""
    thief = client_at(app, "198.51.100.66")
    cookie = browser.get_cookie(app.config["SESSION_COOKIE_NAME"])
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie.value)
    return thief


def _copy_works(app, thief, case_url):
    assert thief.get("/account").status_code == 200
    response = thief.get(case_url)
    assert response.status_code == 200
    assert CASE_TITLE in response.get_data(as_text=True)


def _copy_refused(thief, case_url):
    for url in ("/account", case_url):
        response = thief.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url
        assert CASE_TITLE not in response.get_data(as_text=True)
    api = thief.get("/api/v1/me")  # no bearer token: the cookie is no way in either
    assert api.status_code == 401


def _session_rows(app, username):
    with app.app_context():
        user_id = user_named(username).id
        return db.session.scalars(
            select(UserSession).where(UserSession.user_id == user_id).order_by(UserSession.id)
        ).all()


def test_a_copied_cookie_stops_working_after_logout(app):
    browser = login_client(app, "qt.liaison")
    case_url = _case_url(app)
    thief = _copy_of(app, browser)
    _copy_works(app, thief, case_url)
    assert browser.post("/logout").status_code == 302
    _copy_refused(thief, case_url)
    row = _session_rows(app, "qt.liaison")[-1]
    assert row.ended_at is not None and row.end_reason == "logout"


def test_a_password_change_ends_the_other_sessions_but_keeps_this_one(app):
    laptop = login_client(app, "qt.liaison")
    phone = login_client(app, "qt.liaison")
    case_url = _case_url(app)
    thief = _copy_of(app, phone)
    _copy_works(app, thief, case_url)
    assert laptop.post("/account/password", data=PASSWORD_FORM).status_code == 302
    assert laptop.get(case_url).status_code == 200  # the session it was changed from goes on
    _copy_refused(thief, case_url)
    assert phone.get("/account").status_code == 302
    reasons = [row.end_reason for row in _session_rows(app, "qt.liaison")]
    assert reasons == [None, "password_change"]  # the laptop signed in first


def test_deactivation_by_an_administrator_ends_every_session(app):
    browser = login_client(app, "qt.liaison")
    case_url = _case_url(app)
    thief = _copy_of(app, browser)
    _copy_works(app, thief, case_url)
    admin = login_client(app, "admin")
    with app.app_context():
        user = user_named("qt.liaison")
        form = {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email or "",
            "office_id": str(user.office_id),
            "roles-present": "1",
            "roles": list(user.roles),
            "locale": user.locale,
            "timezone": user.timezone,
            "version": str(user.version),
        }
    assert admin.post(f"/admin/users/{user.id}/edit", data=form).status_code == 302
    _copy_refused(thief, case_url)
    assert _session_rows(app, "qt.liaison")[-1].end_reason == "deactivated"


def test_an_administrator_signs_a_user_out_everywhere(app):
    laptop = login_client(app, "qt.liaison")
    phone = login_client(app, "qt.liaison")
    case_url = _case_url(app)
    thief = _copy_of(app, laptop)
    _copy_works(app, thief, case_url)
    admin = login_client(app, "admin")
    with app.app_context():
        user_id = user_named("qt.liaison").id
    page = admin.get(f"/admin/users/{user_id}", headers=EN).get_data(as_text=True)
    assert "Sign out everywhere" in page
    response = admin.post(f"/admin/users/{user_id}/sign-out-everywhere", headers=EN)
    assert response.status_code == 302
    _copy_refused(thief, case_url)
    for device in (laptop, phone):
        assert device.get("/account").status_code == 302
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "user.sign_out_everywhere")
        )
        assert entry.target_id == user_id
        assert entry.details == {"sessions": 2}
        assert entry.actor_id == user_named("admin").id


def test_only_administrators_sign_others_out(app):
    supervisor = login_client(app, "qt.supervisor")
    browser = login_client(app, "qt.liaison")
    with app.app_context():
        user_id = user_named("qt.liaison").id
    assert supervisor.post(f"/admin/users/{user_id}/sign-out-everywhere").status_code == 403
    assert browser.get("/account").status_code == 200


def test_the_user_sees_their_sessions_and_ends_one(app):
    laptop = login_client(app, "qt.liaison")
    phone = client_at(app, "203.0.113.25")
    phone_agent = (
        "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
    )
    response = phone.post(
        "/login",
        data={"username": "qt.liaison", "password": "border-demo-2026"},
        headers={"User-Agent": phone_agent},
    )
    assert response.status_code == 302
    case_url = _case_url(app)
    thief = _copy_of(app, phone)
    _copy_works(app, thief, case_url)

    page = laptop.get("/account", headers=EN).get_data(as_text=True)
    # qt.liaison reads Vietnamese (a signed-in user's own language wins over the browser's).
    assert translated(app, "vi", "Your active sessions") in page
    assert (
        translated(app, "vi", "%(browser)s on %(system)s", browser="Chrome 126", system="Android")
        in page
    )
    assert "203.0.113.25" in page
    assert translated(app, "vi", "This device") in page
    rows = _session_rows(app, "qt.liaison")
    for row in rows:  # the secret is never shown, nor its digest
        assert row.digest not in page
    phone_secret = phone.get_cookie("session").value
    assert phone_secret not in page

    phone_row = next(row for row in rows if row.ip_address == "203.0.113.25")
    response = laptop.post(f"/account/sessions/{phone_row.id}/end", headers=EN)
    assert response.status_code == 302
    _copy_refused(thief, case_url)
    assert phone.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 200
    page = laptop.get("/account", headers=EN).get_data(as_text=True)
    assert "203.0.113.25" not in page
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.session_end"))
        assert entry.details["session"] == phone_row.id


def test_the_user_ends_all_other_sessions(app):
    laptop = login_client(app, "qt.liaison")
    phone = login_client(app, "qt.liaison")
    tablet = login_client(app, "qt.liaison")
    case_url = _case_url(app)
    thief = _copy_of(app, tablet)
    assert laptop.post("/account/sessions/end-others", headers=EN).status_code == 302
    _copy_refused(thief, case_url)
    assert phone.get("/account").status_code == 302
    assert laptop.get(case_url).status_code == 200
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.session_end"))
        assert entry.details == {"others": 2}


def test_a_user_cannot_end_someone_elses_session(app):
    liaison = login_client(app, "qt.liaison")
    guard = login_client(app, "qt.guard")
    guard_row = _session_rows(app, "qt.guard")[-1]
    response = liaison.post(f"/account/sessions/{guard_row.id}/end")
    assert response.status_code == 404
    assert guard.get("/account").status_code == 200


def test_a_session_idle_too_long_ends(app):
    browser = login_client(app, "qt.liaison")
    case_url = _case_url(app)
    thief = _copy_of(app, browser)
    _copy_works(app, thief, case_url)
    idle = app.config["SESSION_IDLE_MINUTES"]
    assert idle > 0
    with app.app_context():  # nobody has used the session for longer than the idle limit
        db.session.execute(
            update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=idle + 1))
        )
        db.session.commit()
    _copy_refused(thief, case_url)
    assert browser.get("/account").status_code == 302
    assert _session_rows(app, "qt.liaison")[-1].end_reason == "idle"


def test_a_session_in_use_stays_alive_and_records_when_it_was_last_seen(app):
    browser = login_client(app, "qt.liaison")
    with app.app_context():
        db.session.execute(
            update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=30))
        )
        db.session.commit()
        version = user_named("qt.liaison").version
    assert browser.get("/account").status_code == 200
    row = _session_rows(app, "qt.liaison")[-1]
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)
    with app.app_context():
        assert user_named("qt.liaison").version == version  # bookkeeping is not an edit


def test_a_session_ends_after_its_absolute_lifetime_however_active(app):
    browser = login_client(app, "qt.liaison")
    case_url = _case_url(app)
    thief = _copy_of(app, browser)
    _copy_works(app, thief, case_url)
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    with app.app_context():  # signed in a lifetime ago, busy until a moment ago
        db.session.execute(
            update(UserSession).values(
                created_at=utcnow() - lifetime - timedelta(minutes=1),
                expires_at=utcnow() - timedelta(minutes=1),
                last_seen_at=utcnow(),
            )
        )
        db.session.commit()
    _copy_refused(thief, case_url)
    assert _session_rows(app, "qt.liaison")[-1].end_reason == "expired"


def test_an_old_style_cookie_does_not_sign_in(app):
    """Cookies from before server-side sessions ("<id>:<generation>") are refused."""
    with app.app_context():
        user_id = user_named("qt.liaison").id
    app.test_client_class = CsrfClient
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}:1"
        session["_fresh"] = True
    assert client.get("/account").status_code == 302


def test_with_the_idle_limit_off_only_the_lifetime_counts(app):
    app.config["SESSION_IDLE_MINUTES"] = 0
    browser = login_client(app, "qt.liaison")
    with app.app_context():
        db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(hours=5)))
        db.session.commit()
    assert browser.get("/account").status_code == 200


def test_device_labels_are_readable():
    from coordination.auth.devices import device_label

    agents = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0": (
            "Firefox 128 on Windows"
        ),
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1": "Safari 17 on iOS",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0": "Edge 126 on Windows",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "coc_coc_browser/121.0.212 Chrome/115.0.0.0 Safari/537.36": "Cốc Cốc on Windows",
        "": "Unknown browser",
        "Werkzeug/3.1": "Unknown browser",
    }
    from flask_babel import force_locale

    from coordination import create_app

    with create_app({"TESTING": True}).test_request_context(), force_locale("en"):
        for agent, label in agents.items():
            assert device_label(agent) == label, agent

"""Sign-in throttling per user name and client: guessing a password never locks anyone out."""

from datetime import timedelta

from sqlalchemy import select, update

from coordination.audit.models import AuditEntry
from coordination.auth.models import SignInThrottle
from coordination.core.db import utcnow
from coordination.demo_data import DEMO_PASSWORD
from coordination.extensions import db
from tests.auth.test_sessions import client_at
from tests.conftest import login_client, user_named

EN = {"Accept-Language": "en"}
ATTACKER = "198.51.100.7"
OFFICE = "203.0.113.40"
WAIT = "Too many failed attempts from here. Wait"
WRONG = "Wrong user name or password."


def _try(client, username, password="wrong-password-x"):  # noqa: S107 - a wrong one
    return client.post("/login", data={"username": username, "password": password}, headers=EN)


def _fail_until_throttled(app, client, username="qt.guard"):
    for attempt in range(app.config["LOGIN_MAX_FAILURES"]):
        text = _try(client, username).get_data(as_text=True)
        last = attempt == app.config["LOGIN_MAX_FAILURES"] - 1
        assert (WAIT in text) == last and (WRONG in text) != last
    return text


def _throttles(app, username="qt.guard"):
    with app.app_context():
        return db.session.scalars(
            select(SignInThrottle).where(SignInThrottle.username == username)
        ).all()


def _lift_in_db(app):
    """Move the clock past every delay (instead of sleeping)."""
    with app.app_context():
        db.session.execute(
            update(SignInThrottle).values(blocked_until=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()


def test_an_attackers_failures_do_not_stop_the_user_at_another_address(app):
    attacker = client_at(app, ATTACKER)
    _fail_until_throttled(app, attacker)
    # Even the right password is refused from the attacker's address while it waits.
    text = _try(attacker, "qt.guard", DEMO_PASSWORD).get_data(as_text=True)
    assert WAIT in text
    assert attacker.get("/").status_code == 302
    # The guard at their own post signs in at once.
    guard = client_at(app, OFFICE)
    assert _try(guard, "qt.guard", DEMO_PASSWORD).status_code == 302
    assert guard.get("/").status_code == 200


def test_a_known_device_is_not_delayed_by_failures_from_unknown_browsers(app):
    # The guard's browser has signed in before (at the shared office address) …
    guard = client_at(app, OFFICE)
    assert _try(guard, "qt.guard", DEMO_PASSWORD).status_code == 302
    cookie = guard.get_cookie("known_device", path="/login")
    assert cookie is not None and cookie.http_only
    assert guard.post("/logout").status_code == 302
    # … then someone on the same network guesses until that address is delayed.
    stranger = client_at(app, OFFICE)
    _fail_until_throttled(app, stranger)
    assert WAIT in _try(stranger, "qt.guard", DEMO_PASSWORD).get_data(as_text=True)
    # The guard's own browser still signs in.
    assert _try(guard, "qt.guard", DEMO_PASSWORD).status_code == 302
    assert guard.get("/").status_code == 200


def test_a_forged_known_device_cookie_counts_for_nothing(app):
    attacker = client_at(app, ATTACKER)
    attacker.set_cookie("known_device", "eyJkIjoiYWJjIiwidSI6WzFdfQ.forged", path="/login")
    _fail_until_throttled(app, attacker)
    assert [row.client_key for row in _throttles(app)] == [f"ip:{ATTACKER}"]


def test_delays_double_with_each_further_failure_up_to_the_longest(app):
    app.config.update(LOGIN_FIRST_DELAY_SECONDS=30, LOGIN_LOCK_MINUTES=3)
    attacker = client_at(app, ATTACKER)
    text = _fail_until_throttled(app, attacker)
    assert "Wait 30 seconds" in text
    delays = []
    for _attempt in range(4):
        (row,) = _throttles(app)
        delays.append((row.blocked_until - row.last_failure_at).total_seconds())
        _lift_in_db(app)
        text = _try(attacker, "qt.guard").get_data(as_text=True)
    assert delays == [30, 60, 120, 180]  # capped at LOGIN_LOCK_MINUTES
    assert "Wait 3 minutes" in text


def test_every_delay_is_audited_and_shown_to_administrators_who_lift_it(app):
    attacker = client_at(app, ATTACKER)
    _fail_until_throttled(app, attacker)
    with app.app_context():
        guard_id = user_named("qt.guard").id
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.throttled"))
        assert entry.target_id == guard_id
        assert entry.details["address"] == ATTACKER
        assert entry.details["failures"] == app.config["LOGIN_MAX_FAILURES"]

    admin = login_client(app, "admin")
    listing = admin.get("/admin/users/?q=qt.guard", headers=EN).get_data(as_text=True)
    assert "Sign-in delayed" in listing
    page = admin.get(f"/admin/users/{guard_id}", headers=EN).get_data(as_text=True)
    assert f"Sign-in delayed for attempts from {ATTACKER} until" in page

    assert admin.post(f"/admin/users/{guard_id}/unlock", headers=EN).status_code == 302
    assert _throttles(app) == []
    page = admin.get(f"/admin/users/{guard_id}", headers=EN).get_data(as_text=True)
    assert "Sign-in delayed" not in page
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.unlock"))
        assert entry.target_id == guard_id and entry.details == {"cleared": [ATTACKER]}
    assert _try(attacker, "qt.guard", DEMO_PASSWORD).status_code == 302


def test_only_administrators_lift_delays(app):
    attacker = client_at(app, ATTACKER)
    _fail_until_throttled(app, attacker)
    supervisor = login_client(app, "qt.supervisor")
    with app.app_context():
        guard_id = user_named("qt.guard").id
    assert supervisor.post(f"/admin/users/{guard_id}/unlock").status_code == 403
    assert len(_throttles(app)) == 1


def test_unknown_and_existing_user_names_get_the_same_answers(app):
    def answers(username):
        client = client_at(app, ATTACKER)
        texts = [
            _try(client, username).get_data(as_text=True)
            for _attempt in range(app.config["LOGIN_MAX_FAILURES"] + 1)
        ]
        return [(WRONG in text, WAIT in text) for text in texts]

    assert answers("qt.guard") == answers("no.such.user")
    assert answers("qt.guard")[-1] == (False, True)


def test_a_successful_sign_in_forgets_that_clients_failures(app):
    guard = client_at(app, OFFICE)
    for _attempt in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        _try(guard, "qt.guard")
    assert _try(guard, "qt.guard", DEMO_PASSWORD).status_code == 302
    assert _throttles(app) == []


def test_a_new_password_clears_the_delays(app):
    attacker = client_at(app, ATTACKER)
    _fail_until_throttled(app, attacker)
    admin = login_client(app, "admin")
    with app.app_context():
        guard_id = user_named("qt.guard").id
    form = {"password": "a-fresh-password-1", "password_confirm": "a-fresh-password-1"}
    assert admin.post(f"/admin/users/{guard_id}/password", data=form).status_code == 302
    assert _throttles(app) == []

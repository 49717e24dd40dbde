"""A user's own account: preferences, password, API tokens."""

from sqlalchemy import select

from coordination.auth.models import ApiToken
from coordination.extensions import db
from tests.conftest import login_client, translated, user_named

EN = {"Accept-Language": "en"}


def test_user_changes_language_and_time_zone(app, client, auth):
    auth.login("qt.liaison")
    response = client.post(
        "/account",
        data={
            "full_name": "Nguyễn Văn An",
            "email": "",
            "locale": "en",
            "timezone": "Asia/Shanghai",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = user_named("qt.liaison")
        assert (user.locale, user.timezone) == ("en", "Asia/Shanghai")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Partner offices" in page


def test_times_are_shown_in_the_users_time_zone(app, client, auth):
    from datetime import UTC, datetime

    auth.login("qt.liaison")
    with app.app_context():
        user = user_named("qt.liaison")
        user.last_login_at = datetime(2026, 11, 22, 1, 30, tzinfo=UTC)
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "08:30" in page  # 01:30 UTC is 08:30 in Asia/Ho_Chi_Minh
    client.post(
        "/account",
        data={"full_name": "Nguyễn Văn An", "locale": "en", "timezone": "Asia/Shanghai"},
    )
    with app.app_context():
        user = user_named("qt.liaison")
        user.last_login_at = datetime(2026, 11, 22, 1, 30, tzinfo=UTC)
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "9:30" in page  # Asia/Shanghai is UTC+8; English shows "9:30:00 AM"


def test_unknown_time_zone_or_language_is_refused(app, client, auth):
    auth.login("qt.liaison")
    response = client.post(
        "/account",
        data={"full_name": "X", "locale": "xx", "timezone": "Europe/Paris"},
        headers=EN,
    )
    assert response.status_code == 422
    with app.app_context():
        user = user_named("qt.liaison")
        assert (user.locale, user.timezone) == ("vi", "Asia/Ho_Chi_Minh")


def test_password_change_needs_the_current_password(app, client, auth):
    auth.login("qt.liaison")
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong-current-password",
            "password": "another-good-password",
            "password_confirm": "another-good-password",
        },
        headers=EN,
    )
    assert response.status_code == 422
    message = translated(app, "vi", "The current password is wrong.")  # qt.liaison reads vi
    assert message in response.get_data(as_text=True)
    auth.logout()
    assert auth.login("qt.liaison").status_code == 302  # the old password still works


def test_password_change_signs_out_other_sessions(app, client, auth):
    other_device = login_client(app, "qt.liaison")
    auth.login("qt.liaison")
    response = client.post(
        "/account/password",
        data={
            "current_password": "border-demo-2026",
            "password": "another-good-password",
            "password_confirm": "another-good-password",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session continues
    assert other_device.get("/").status_code == 302  # the other one is signed out
    auth.logout()
    assert auth.login("qt.liaison", "another-good-password").status_code == 302


def test_api_token_is_shown_once_and_can_be_revoked(app, client, auth):
    auth.login("qt.liaison")
    page = client.post("/account/tokens", data={"name": "Provincial dashboard"}).get_data(
        as_text=True
    )
    assert 'id="new-token">cbt_' in page
    token = page.split('id="new-token">')[1].split("<")[0]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert token not in client.get("/account").get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalar(select(ApiToken))
        assert stored.digest != token and token.startswith(stored.prefix)
        token_id = stored.id
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_cannot_revoke_someone_elses_token(app, client, auth):
    from coordination.auth.operations import create_api_token

    with app.app_context():
        owner = user_named("px.liaison")
        token, _plain = create_api_token(owner, "theirs", actor=owner)
        db.session.commit()
        token_id = token.id
    auth.login("qt.liaison")
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None

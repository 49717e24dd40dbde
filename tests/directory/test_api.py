"""The directory's JSON API under /api/v1: bearer tokens, scoping, languages, errors."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from coordination.auth.models import ApiToken
from coordination.auth.operations import create_api_token, revoke_api_token
from coordination.core.db import utcnow
from coordination.demo_data import OFFICES, PARTNERSHIPS
from coordination.directory.models import Office
from coordination.directory.operations import find_partnership
from coordination.extensions import db
from coordination.i18n import _
from tests.conftest import user_named

API = "/api/v1"
ENGLISH = {"Accept-Language": "en"}
ALL_PATHS = [
    "/me",
    "/countries",
    "/areas",
    "/offices",
    "/offices/1",
    "/border-gates",
    "/partnerships",
    "/partnerships/1",
]


def make_token(app, username: str) -> str:
    with app.app_context():
        user = user_named(username)
        _token, plain = create_api_token(user, "test", actor=user)
        db.session.commit()
    return plain


def bearer(token: str, **headers) -> dict:
    return {"Authorization": f"Bearer {token}", **headers}


def office_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Office.id).where(Office.code == code))


def partnership_id(app, first: str, second: str) -> int:
    with app.app_context():
        return find_partnership(office_id(app, first), office_id(app, second)).id


def catalogue(app, locale: str, message: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return _(message)


@pytest.fixture
def token(app):
    """A token of qt.liaison (Vietnamese interface)."""
    return make_token(app, "qt.liaison")


@pytest.fixture
def en_token(app):
    """A token of the demo administrator, whose interface language is English."""
    return make_token(app, "admin")


# --- Authentication --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_PATHS)
def test_every_route_needs_a_token(client, path):
    response = client.get(API + path, headers=ENGLISH)
    assert response.status_code == 401
    assert response.is_json
    assert response.json["message"] == (
        "Send an API token in the Authorization header: Bearer <token>."
    )
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_missing_token_message_follows_the_browser_language(app, client):
    english = "Send an API token in the Authorization header: Bearer <token>."
    expected = catalogue(app, "vi", english)
    assert expected != english
    response = client.get(f"{API}/me", headers={"Accept-Language": "vi"})
    assert response.status_code == 401
    assert response.json["message"] == expected


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer garbage",
        "Bearer cbt_not-a-real-token",
        "Bearer ",
        "Bearer",
        "Basic cXQubGlhaXNvbjpib3JkZXItZGVtby0yMDI2",
        "cbt_just-the-token",
    ],
)
def test_malformed_or_unknown_token_is_refused(client, authorization):
    response = client.get(f"{API}/me", headers={"Authorization": authorization, **ENGLISH})
    assert response.status_code == 401
    assert response.is_json
    assert response.json["message"]
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_token_is_only_good_in_full(client, token):
    assert client.get(f"{API}/me", headers=bearer(token)).status_code == 200
    assert client.get(f"{API}/me", headers=bearer(token[:-1])).status_code == 401
    assert client.get(f"{API}/me", headers=bearer(token + "x")).status_code == 401


def test_revoked_token_is_refused(app, client, token):
    assert client.get(f"{API}/me", headers=bearer(token)).status_code == 200
    with app.app_context():
        stored = db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc()))
        revoke_api_token(stored, actor=stored.user)
        db.session.commit()
    response = client.get(f"{API}/me", headers=bearer(token, **ENGLISH))
    assert response.status_code == 401
    assert response.json["message"] == "The API token is invalid, expired or revoked."
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_expired_token_is_refused(app, client, token):
    with app.app_context():
        stored = db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc()))
        stored.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get(f"{API}/me", headers=bearer(token, **ENGLISH))
    assert response.status_code == 401
    assert response.json["message"] == "The API token is invalid, expired or revoked."


def test_deactivated_users_token_is_refused(app, client, token):
    with app.app_context():
        user_named("qt.liaison").is_enabled = False
        db.session.commit()
    for path in ("/me", "/offices", "/partnerships"):
        response = client.get(API + path, headers=bearer(token, **ENGLISH))
        assert response.status_code == 401, path
        assert response.json["message"] == "The API token is invalid, expired or revoked."


def test_session_cookie_alone_is_not_accepted(client, auth):
    assert auth.login("qt.liaison").status_code == 302
    assert client.get("/directory/offices").status_code == 200  # the cookie works for HTML
    response = client.get(f"{API}/me", headers=ENGLISH)
    assert response.status_code == 401
    assert response.is_json
    assert response.headers["WWW-Authenticate"] == "Bearer"


# --- Reading the directory -------------------------------------------------------------------


def test_me(client, token):
    response = client.get(f"{API}/me", headers=bearer(token))
    assert response.status_code == 200
    body = response.json
    assert body["username"] == "qt.liaison"
    assert body["full_name"] == "Nguyễn Văn An"
    assert body["office_code"] == "QT-BLO"
    assert body["roles"] == ["liaison_officer"]
    assert body["locale"] == "vi"
    assert "password_hash" not in body


def test_countries(client, en_token):
    response = client.get(f"{API}/countries", headers=bearer(en_token))
    assert response.status_code == 200
    by_code = {country["code"]: country for country in response.json}
    assert set(by_code) == {"VN", "LA", "CN"}
    assert by_code["LA"]["name"] == "Laos"
    assert by_code["LA"]["names"] == {"vi": "Lào", "lo": "ລາວ", "zh": "老挝", "en": "Laos"}
    assert by_code["CN"]["timezone"] == "Asia/Shanghai"


def test_areas_are_paginated(client, en_token):
    response = client.get(f"{API}/areas", headers=bearer(en_token))
    assert response.status_code == 200
    pagination = json.loads(response.headers["X-Pagination"])
    assert pagination["total"] == len(response.json) == 7
    by_code = {area["code"]: area for area in response.json}
    assert by_code["GX-PX"]["country"] == "CN"
    assert by_code["GX-PX"]["parent_id"] == by_code["GX-CZ"]["id"]
    assert by_code["QT"]["name"] == "Quang Tri"


def test_offices_are_paginated(client, en_token):
    response = client.get(f"{API}/offices", headers=bearer(en_token))
    assert response.status_code == 200
    assert json.loads(response.headers["X-Pagination"])["total"] == len(OFFICES)
    assert len(response.json) == len(OFFICES)

    first = client.get(f"{API}/offices?page_size=5", headers=bearer(en_token))
    pagination = json.loads(first.headers["X-Pagination"])
    assert len(first.json) == 5
    assert pagination["total"] == len(OFFICES)
    assert pagination["total_pages"] == 4
    assert pagination["next_page"] == 2
    last = client.get(f"{API}/offices?page_size=5&page=4", headers=bearer(en_token))
    assert len(last.json) == len(OFFICES) - 15
    seen = []
    for page in range(1, 5):
        url = f"{API}/offices?page_size=5&page={page}"
        seen += [office["code"] for office in client.get(url, headers=bearer(en_token)).json]
    assert len(seen) == len(set(seen)) == len(OFFICES)  # every office once, none twice


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("country=LA", ["SLV-BLO", "SVK-BGS-DSV", "SVK-BLO", "SVK-PC", "SVK-SPC"]),
        ("kind=shelter", ["LS-SH"]),
        ("country=CN&kind=border_liaison_office", ["CZ-BLO", "PX-BLO"]),
        ("q=svk", ["SVK-BGS-DSV", "SVK-BLO", "SVK-PC", "SVK-SPC"]),
        ("q=Pingxiang", ["PX-BLO"]),
        ("q=nothing-like-this", []),
    ],
)
def test_office_filters(client, en_token, query, codes):
    response = client.get(f"{API}/offices?{query}", headers=bearer(en_token))
    assert response.status_code == 200
    assert sorted(office["code"] for office in response.json) == codes


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("country=XX", "country"),
        ("kind=castle", "kind"),
        ("q=" + "x" * 101, "q"),
        ("page_size=100000", "page_size"),
        ("page=0", "page"),
    ],
)
def test_invalid_office_filter_is_a_422_with_errors(client, en_token, query, field):
    response = client.get(f"{API}/offices?{query}", headers=bearer(en_token))
    assert response.status_code == 422
    assert response.is_json
    assert field in response.json["errors"]
    assert response.json["message"]


def test_invalid_filter_errors_are_translated(app, client, token):
    """A Vietnamese user gets the validation message in Vietnamese."""
    expected = catalogue(app, "vi", "Choose one of the listed options.")
    assert expected != "Choose one of the listed options."
    response = client.get(f"{API}/offices?country=XX", headers=bearer(token))
    assert response.status_code == 422
    assert response.json["errors"]["country"] == [expected]
    # marshmallow's own messages with values in them are translated too (pagination).
    expected = catalogue(app, "vi", "Must be greater than or equal to {min}.").format(min=1)
    response = client.get(f"{API}/offices?page=0", headers=bearer(token))
    assert response.status_code == 422
    assert response.json["errors"]["page"] == [expected]


def test_one_office(app, client, en_token):
    qt_blo = office_id(app, "QT-BLO")
    response = client.get(f"{API}/offices/{qt_blo}", headers=bearer(en_token))
    assert response.status_code == 200
    body = response.json
    assert body["code"] == "QT-BLO"
    assert body["country"] == "VN"
    assert body["kind"] == "border_liaison_office"
    assert body["kind_label"] == "Border liaison office"
    assert body["name"] == "Quang Tri Border Liaison Office"


def test_missing_office_is_a_404_json(client, en_token):
    response = client.get(f"{API}/offices/999999", headers=bearer(en_token))
    assert response.status_code == 404
    assert response.is_json
    assert response.json["message"] == "There is nothing here, or you do not have access to it."


def test_border_gates(client, en_token):
    response = client.get(f"{API}/border-gates", headers=bearer(en_token))
    assert response.status_code == 200
    by_code = {gate["code"]: gate for gate in response.json}
    assert len(by_code) == 5
    gate = by_code["LAOBAO-DENSAVANH"]
    assert gate["name"] == "Lao Bao – Densavanh"
    assert gate["names"]["vi"] == "Lao Bảo – Đen Xa Vẳn"
    assert gate["names"]["lo"] == "ລາວບາວ – ແດນສະຫວັນ"
    assert gate["names"]["zh"] == "老保 – 丹沙湾"


# --- Names in the token user's language ------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "locale", "qt_blo_name"),
    [
        ("qt.liaison", "vi", "Văn phòng liên lạc biên giới Quảng Trị"),
        ("svk.liaison", "lo", "ຫ້ອງການປະສານງານຊາຍແດນ ກວາງຈີ"),
        ("px.liaison", "zh", "广治边境联络办公室"),
        ("admin", "en", "Quang Tri Border Liaison Office"),
    ],
)
def test_names_follow_the_token_users_language(app, client, username, locale, qt_blo_name):
    token = make_token(app, username)
    # The browser's language does not matter: the user's stored choice does.
    response = client.get(f"{API}/offices?q=QT-BLO", headers=bearer(token, **ENGLISH))
    assert response.status_code == 200
    [office] = response.json
    assert office["name"] == qt_blo_name
    assert set(office["names"]) == {"vi", "lo", "zh", "en"}
    assert office["names"][locale] == qt_blo_name
    assert office["names"]["en"] == "Quang Tri Border Liaison Office"
    assert office["names"]["zh"] == "广治边境联络办公室"
    for each in client.get(f"{API}/offices", headers=bearer(token)).json:
        assert each["name"] == each["names"][locale]


def test_error_message_in_the_token_users_language(app, client, token):
    english = "There is nothing here, or you do not have access to it."
    expected = catalogue(app, "vi", english)
    assert expected != english
    response = client.get(f"{API}/offices/999999", headers=bearer(token, **ENGLISH))
    assert response.status_code == 404
    assert response.json["message"] == expected


# --- Partnerships are scoped -----------------------------------------------------------------


def test_partnerships_of_an_unrelated_office_are_hidden(app, client):
    qt_svk = partnership_id(app, "QT-BLO", "SVK-BLO")
    px_token = make_token(app, "px.liaison")
    response = client.get(f"{API}/partnerships", headers=bearer(px_token))
    assert response.status_code == 200
    listed = {p["id"] for p in response.json}
    assert qt_svk not in listed
    ls_px = partnership_id(app, "LS-BLO", "PX-BLO")
    assert listed == {ls_px}
    assert json.loads(response.headers["X-Pagination"])["total"] == 1

    response = client.get(f"{API}/partnerships/{qt_svk}", headers=bearer(px_token))
    assert response.status_code == 404
    assert response.is_json  # the same answer as for an id that does not exist (px reads zh)
    assert response.json["message"] == catalogue(
        app, "zh", "There is nothing here, or you do not have access to it."
    )
    missing = client.get(f"{API}/partnerships/999999", headers=bearer(px_token))
    assert missing.json == response.json


def test_partnerships_of_own_office_are_listed(app, client, token):
    qt_svk = partnership_id(app, "QT-BLO", "SVK-BLO")
    response = client.get(f"{API}/partnerships", headers=bearer(token))
    assert response.status_code == 200
    listed = {p["id"] for p in response.json}
    expected = {partnership_id(app, "QT-BLO", other) for other in ("SVK-BLO", "SLV-BLO", "QT-SPC")}
    assert listed == expected
    response = client.get(f"{API}/partnerships/{qt_svk}", headers=bearer(token))
    assert response.status_code == 200
    body = response.json
    assert sorted(body["office_ids"]) == sorted(
        [office_id(app, "QT-BLO"), office_id(app, "SVK-BLO")]
    )
    assert body["working_languages"] == ["vi", "lo"]
    assert body["reply_deadline_days"] == {
        "identity_verification": 15,
        "information": 10,
        "rescue_assistance": 3,
        "handover_proposal": 7,
    }
    assert body["active"] is True


def test_partner_office_sees_the_partnership_too(app, client):
    qt_svk = partnership_id(app, "QT-BLO", "SVK-BLO")
    svk_token = make_token(app, "svk.liaison")
    assert client.get(f"{API}/partnerships/{qt_svk}", headers=bearer(svk_token)).status_code == 200


def test_administrator_sees_every_partnership(client, en_token):
    response = client.get(f"{API}/partnerships", headers=bearer(en_token))
    assert response.status_code == 200
    assert len(response.json) == len(PARTNERSHIPS)


def test_missing_partnership_is_a_404(client, en_token):
    response = client.get(f"{API}/partnerships/999999", headers=bearer(en_token))
    assert response.status_code == 404
    assert response.is_json


# --- OpenAPI ---------------------------------------------------------------------------------


def test_openapi_document_lists_the_paths_and_bearer_security(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    spec = response.json
    for path in (
        "/api/v1/me",
        "/api/v1/countries",
        "/api/v1/areas",
        "/api/v1/offices",
        "/api/v1/offices/{office_id}",
        "/api/v1/border-gates",
        "/api/v1/partnerships",
        "/api/v1/partnerships/{partnership_id}",
    ):
        assert path in spec["paths"], path
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert {"bearerAuth": []} in spec["security"]
    offices = spec["paths"]["/api/v1/offices"]["get"]
    parameter_names = {parameter["name"] for parameter in offices["parameters"]}
    assert {"country", "kind", "q", "page", "page_size"} <= parameter_names

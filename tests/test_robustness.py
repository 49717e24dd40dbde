"""No route answers 500, whatever it is sent, whoever sends it."""

import re

import pytest

from tests.conftest import translated

JUNK_VALUES = [
    "",
    " ",
    "x" * 5000,
    "\x00\x01\x02",
    "' OR 1=1; DROP TABLE users; --",
    "<script>alert(1)</script>",
    "-1",
    "99999999999999999999999",
    "1.5",
    "ຫງວຽນ 阮氏香 Nguyễn",
]
FIELDS = [
    "username", "password", "password_confirm", "current_password", "full_name", "email",
    "office_id", "roles", "locale", "timezone", "name", "code", "kind", "area_id",
    "name_vi", "name_lo", "name_zh", "name_en", "vietnam_area_id", "partner_area_id",
    "office_a_id", "office_b_id", "working_languages", "deadline_information", "version",
    "notes", "next", "address", "phone", "active", "is_enabled", "decision", "note",
]  # fmt: skip


def _urls(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("api-docs"):
            continue
        # Ids as 1; an <any(…)> segment (a record kind, an action) as its first value.
        values = {
            name: next(iter(getattr(rule._converters[name], "items", ())), 1)
            for name in rule.arguments
        }
        yield rule, app.url_for(rule.endpoint, **values) if values else rule.rule


@pytest.mark.parametrize("username", ["admin", "px.liaison", None])
def test_no_route_fails_on_junk_input(app, client, auth, username):
    if username:
        auth.login(username)
    with app.test_request_context():
        routes = list(_urls(app))
    for index, junk in enumerate(JUNK_VALUES):
        form = dict.fromkeys(FIELDS, junk)
        for rule, url in routes:
            if "logout" in url:
                continue
            if "GET" in rule.methods:
                query = {"q": junk, "page": junk, "office": junk, "case": junk, "status": junk}
                response = client.get(url, query_string=query)
                assert response.status_code < 500, (url, junk)
            if "POST" in rule.methods and "locale" not in url:
                response = client.post(url, data=form)
                assert response.status_code < 500, (url, junk)
        # Malformed UTF-8 on the wire (an encoded surrogate, invalid bytes).
        if index == 0:
            raw = "&".join(f"{field}=%ED%A0%80%FF%C0%AF" for field in FIELDS)
            for rule, url in routes:
                if "POST" in rule.methods and "logout" not in url:
                    response = client.post(
                        url,
                        data=f"csrf_token={client.csrf_token()}&{raw}",
                        content_type="application/x-www-form-urlencoded",
                    )
                    assert response.status_code < 500, url
        # One pass with the CSRF token missing as well.
        if index == 0:
            for rule, url in routes:
                if "POST" in rule.methods:
                    response = client.post(url, data={**form, "csrf_token": None})
                    assert response.status_code in (400, 401, 404, 405), url


def test_ids_beyond_the_integer_range_are_not_found(client, auth):
    auth.login("admin")
    for url in ("/directory/offices/99999999999999999999", "/admin/users/2147483648"):
        assert client.get(url).status_code == 404


def test_api_routes_do_not_fail_on_junk_queries(app, client):
    from coordination.auth.operations import create_api_token
    from tests.conftest import user_named

    with app.app_context():
        user = user_named("px.liaison")
        _token, plain = create_api_token(user, "junk", actor=user)
        from coordination.extensions import db

        db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    for url in ("/api/v1/offices", "/api/v1/areas", "/api/v1/partnerships", "/api/v1/me"):
        for junk in JUNK_VALUES:
            query = {"page": junk, "page_size": junk, "country": junk, "kind": junk, "q": junk}
            response = client.get(url, query_string=query, headers=headers)
            assert response.status_code < 500, (url, junk)
            assert response.is_json
    response = client.get("/api/v1/offices/99999999999999999999", headers=headers)
    assert response.status_code == 404 and response.is_json


# --- Every route, every identity: ids out of range, deep JSON, wrong types, huge and
# malformed text. Bounded: one request per route and case, a few seconds per identity.

OUT_OF_RANGE_IDS = (2**31, 2**63, 10**30)
HUGE_INT = "9" * 30
BIG_TEXT = "x" * (1024 * 1024)  # 1 MB in one field
LONE_SURROGATE = b"\xed\xa0\x80"  # an encoded surrogate: not valid UTF-8
ID_ARGS = ("case", "case_id", "request_id", "office", "page", "gate_id", "page_size", "q")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _schema_field_names() -> list[str]:
    """The data keys of every input schema of the app (what the endpoints read)."""
    import importlib
    import pkgutil

    import marshmallow

    import coordination

    names = set(FIELDS)
    for module_info in pkgutil.walk_packages(coordination.__path__, "coordination."):
        if not module_info.name.endswith(".schemas"):
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, marshmallow.Schema):
                try:
                    schema = value()
                except TypeError:
                    continue
                names.update(field.data_key or name for name, field in schema.fields.items())
    return sorted(names)


def _deep_json(depth: int = 5000) -> bytes:
    return b'{"title": ' + b"[" * depth + b"]" * depth + b"}"


def _json_bodies(names: list[str]) -> list[tuple[str, bytes]]:
    import json

    return [
        ("deep", _deep_json()),
        ("deep-object", b'{"a":' * 3000 + b"1" + b"}" * 3000),
        ("not an object", b"[1, 2, 3]"),
        ("a string", b'"text"'),
        ("objects everywhere", json.dumps({name: {"x": [1]} for name in names}).encode()),
        ("lists everywhere", json.dumps({name: [[1], {"a": None}] for name in names}).encode()),
        ("huge ints", json.dumps(dict.fromkeys(names, 10**30)).encode()),
        (
            "huge floats",
            json.dumps(dict.fromkeys(names, 1e308)).encode().replace(b"1e+308", b"1e999"),
        ),
        ("huge string", json.dumps(dict.fromkeys(names, BIG_TEXT[:5000])).encode()),
        ("1 MB string", json.dumps({"title": BIG_TEXT, "subject": "x"}).encode()),
        (
            "escaped surrogate",
            json.dumps(dict.fromkeys(names, "\ud800"), ensure_ascii=True).encode(),
        ),
        (
            "raw surrogate",
            b"{" + b",".join(b'"%s": "a%sb"' % (n.encode(), LONE_SURROGATE) for n in names) + b"}",
        ),
        ("broken", b'{"title": "x",'),
    ]


def _form_bodies(names: list[str]) -> list[tuple[str, dict | bytes]]:
    raw = "&".join(f"{name}=%ED%A0%80%FF" for name in names).encode()
    return [
        ("huge ints", dict.fromkeys(names, HUGE_INT)),
        ("big text", {**dict.fromkeys(names, "1"), "title": BIG_TEXT[:200_000]}),
        ("1 MB field", {"body": BIG_TEXT}),
        ("malformed utf-8", raw),
        ("id lists", {name: [HUGE_INT, "²", "-1", "0x10", "1"] for name in names}),
    ]


def _routes_with(app, ids) -> list[tuple[object, str]]:
    routes = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static" or rule.endpoint.startswith("api-docs"):
                continue
            if "logout" in rule.rule or "password" in rule.rule or "revoke" in rule.rule:
                continue  # would end the very session or token the test uses
            for record_id in ids:
                values = {
                    name: next(iter(getattr(rule._converters[name], "items", ())), record_id)
                    for name in rule.arguments
                }
                routes.append((rule, app.url_for(rule.endpoint, **values)))
                if not rule.arguments:
                    break
    return routes


def _api_headers(app, username: str) -> dict:
    from coordination.auth.operations import create_api_token
    from coordination.extensions import db
    from tests.conftest import user_named

    with app.app_context():
        user = user_named(username)
        _token, plain = create_api_token(user, "robustness", actor=user)
        db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def _send_everything(client, app, headers, names) -> list[tuple]:
    """Send every case to every route; return those answered 500 (nothing should be)."""
    failures = []

    def check(response, *what):
        if response.status_code >= 500:
            failures.append((response.status_code, *what))
        return response

    query = "&".join(f"{arg}={HUGE_INT}" for arg in ID_ARGS) + "&q=%ED%A0%80&status=%FF"
    json_bodies = _json_bodies(names)
    form_bodies = _form_bodies(names)
    for rule, url in _routes_with(app, (1,)):
        methods = rule.methods - {"HEAD", "OPTIONS"}
        if "GET" in methods:
            check(client.get(f"{url}?{query}", headers=headers), url, "GET", "query")
        for method in methods & set(WRITE_METHODS):
            for label, body in json_bodies:
                response = client.open(
                    url, method=method, data=body, content_type="application/json",
                    headers=headers,
                )  # fmt: skip
                check(response, url, method, label)
            if rule.rule.startswith("/api/"):
                continue
            for label, body in form_bodies:
                if isinstance(body, bytes):
                    response = client.open(
                        url, method=method, headers=headers,
                        data=f"csrf_token={client.csrf_token()}&".encode() + body,
                        content_type="application/x-www-form-urlencoded",
                    )  # fmt: skip
                else:
                    response = client.open(url, method=method, data=body, headers=headers)
                check(response, url, method, label)
    for rule, url in _routes_with(app, OUT_OF_RANGE_IDS):
        if not rule.arguments - {"action", "kind"}:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = check(client.open(url, method=method, headers=headers), url, method)
            # An id no row can have is simply not found, for every route.
            if response.status_code != 404:
                failures.append((response.status_code, url, method, "out-of-range id not 404"))
    return failures


@pytest.mark.parametrize("username", ["admin", "qt.liaison"])
def test_no_route_or_endpoint_fails_on_malformed_input(app, client, auth, username):
    names = _schema_field_names()
    assert auth.login(username).status_code == 302
    failures = _send_everything(client, app, {}, names)
    # The same with an API token (the API's own authentication), without the session.
    auth.logout()
    failures += _send_everything(client, app, _api_headers(app, username), names)
    assert failures == [], "\n".join(map(str, failures))


@pytest.mark.parametrize(
    "url", ["/handovers/new?request_id={}", "/requests/new?case={}", "/handovers/new"]
)
def test_prefill_ids_beyond_the_integer_range_are_not_found(client, auth, url):
    auth.login("qt.liaison")
    for huge in OUT_OF_RANGE_IDS:
        if "{}" in url:
            assert client.get(url.format(huge)).status_code == 404
        else:
            response = client.post(url, data={"request_id": str(huge)})
            assert response.status_code == 404


@pytest.mark.parametrize("endpoint", ["/api/v1/cases", "/api/v1/requests"])
def test_deeply_nested_json_is_refused_with_a_message(app, client, endpoint):
    headers = _api_headers(app, "qt.liaison")
    response = client.post(
        endpoint, data=_deep_json(), content_type="application/json", headers=headers
    )
    assert response.status_code == 400
    message = "The JSON data is nested more than %(depth)d levels deep."
    assert response.get_json()["message"] == translated(app, "vi", message, depth=32)
    body = b'{"title": "' + b"x" * (1024 * 1024 + 1) + b'"}'
    response = client.post(endpoint, data=body, content_type="application/json", headers=headers)
    assert response.status_code == 400
    too_large = "The JSON data is larger than %(size)d KB."
    assert response.get_json()["message"] == translated(app, "vi", too_large, size=1024)
    # Brackets inside strings are text, not nesting.
    from coordination.core.requests import json_depth

    assert json_depth(b'{"a": "[[[[[[", "b": [{"c": "\\"]]]"}]}') == 3


# --- Prefilled forms do not tell whether another office's record exists ----------------


def _not_found_bodies(client, url: str, ids) -> set[tuple[int, str]]:
    answers = set()
    for record_id in ids:
        response = client.get(url.format(record_id), headers={"Accept-Language": "en"})
        # The page repeats its own address (the language switch returns to it).
        body = response.get_data(as_text=True).replace(url.format(record_id), url)
        # A CSRF token carries the second it was signed in: not a difference between answers.
        body = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', body)
        answers.add((response.status_code, body))
    return answers


def test_prefilled_forms_answer_alike_for_missing_and_other_offices_records(app, client, auth):
    from coordination.extensions import db
    from tests.exchange.helpers import make_case
    from tests.handovers.helpers import agreed_proposal

    with app.app_context():
        case, _victim, _relative = make_case("qt.liaison")
        proposal = agreed_proposal()  # between Quảng Trị and Savannakhet
        db.session.commit()
        others = {"/requests/new?case={}": case.id, "/handovers/new?request_id={}": proposal.id}
    auth.login("px.liaison")
    for url, other_office_id in others.items():
        answers = _not_found_bodies(client, url, [other_office_id, 999_999, 2**31, "x"])
        # Only one answer, whichever id was asked for: the same status and the same page.
        assert len(answers) == 1, url
        assert {status for status, _body in answers} == {404}
    # The office's own records still fill in the form.
    auth.logout()
    auth.login("qt.liaison")
    assert client.get(f"/requests/new?case={others['/requests/new?case={}']}").status_code == 200
    assert client.get(f"/handovers/new?request_id={proposal.id}").status_code == 200
    assert client.get("/handovers/new?request_id=").status_code == 200  # none chosen yet


# --- CSRF: the token, and a request that comes from this site --------------------------


def _error_message(response) -> str:
    return response.get_data(as_text=True).split('class="card error-page"')[-1]


def _csrf_refused(response, client) -> bool:
    """400 with the same page as a form without its CSRF token (in the user's language)."""
    forged = client.post("/notifications/read", data={"csrf_token": None})
    assert forged.status_code == 400
    return response.status_code == 400 and _error_message(response) == _error_message(forged)


@pytest.mark.parametrize(
    ("headers", "refused"),
    [
        ({}, False),  # neither header (the test client, some privacy tools): the token decides
        ({"Origin": "http://localhost"}, False),
        ({"Origin": "https://evil.example"}, True),
        ({"Origin": "http://localhost.evil.example"}, True),
        ({"Origin": "http://localhost:8080"}, True),
        ({"Origin": "null"}, True),  # a sandboxed frame or a data: page
        ({"Referer": "http://localhost/notifications/"}, False),
        ({"Referer": "https://evil.example/page"}, True),
        ({"Origin": "http://localhost", "Referer": "https://evil.example/"}, False),
    ],
)
def test_a_form_post_with_a_valid_token_must_come_from_this_site(client, auth, headers, refused):
    auth.login("qt.liaison")
    response = client.post("/notifications/read", headers=headers)
    assert _csrf_refused(response, client) is refused, response.status_code


def test_signing_in_from_another_site_is_refused(client):
    response = client.post(
        "/login",
        data={"username": "qt.liaison", "password": "x"},
        headers={"Origin": "https://evil.example"},
    )
    assert _csrf_refused(response, client)


def test_behind_a_proxy_the_forwarded_host_is_this_site(database_url):
    from tests.conftest import CsrfClient, _app_for

    app = _app_for(database_url, TRUSTED_PROXY_HOPS=1)
    app.test_client_class = CsrfClient
    client = app.test_client()
    # Plain http behind the proxy: Flask-WTF's own Referer check (https only) stays out.
    forwarded = {"X-Forwarded-Host": "coordination.example.org", "X-Forwarded-Proto": "http"}
    here = "http://coordination.example.org"
    ok = client.post(
        "/notifications/read",
        headers={**forwarded, "Origin": here, "Referer": f"{here}/notifications/"},
    )
    assert not _csrf_refused(ok, client)
    internal = client.post(
        "/notifications/read",
        headers={**forwarded, "Origin": "http://localhost"},
    )
    assert _csrf_refused(internal, client)  # the proxy's view of the app is not the site


def test_the_api_is_not_subject_to_the_origin_check(app, client):
    response = client.post(
        "/api/v1/cases",
        json={"title": "Từ một ứng dụng khác", "opened_on": "2026-10-01"},
        headers={**_api_headers(app, "qt.liaison"), "Origin": "https://partner.example"},
    )
    assert response.status_code in (200, 201), response.get_json()

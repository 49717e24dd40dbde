"""No route answers 500, whatever it is sent, whoever sends it."""

import pytest

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

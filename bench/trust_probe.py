"""Attacker's probes of issue 9 ("Trust"), printed as a table: run it on any checkout.

    .venv/bin/python bench/trust_probe.py

It builds a throwaway SQLite database through the real migrations and demo data, then tries
what an attacker or a careless client tried against a local instance: replaying a session
cookie after logout, a partial API update of a child, cutting the audit log short, ids out
of range and deeply nested JSON, locking an officer out with wrong passwords, a foreign
Origin with a valid CSRF token, an existence oracle and an empty enumeration value. Each
row says what it found; the left column says what a safe answer is. Run it on an older
commit (``git worktree add``) to get the "before" column.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import text  # noqa: E402

from coordination import create_app  # noqa: E402
from coordination.auth.operations import create_api_token  # noqa: E402
from coordination.demo_data import DEMO_PASSWORD, load_demo_data  # noqa: E402
from coordination.extensions import db  # noqa: E402
from tests.conftest import CsrfClient, user_named  # noqa: E402

SETTINGS = {
    "SECRET_KEY": "probe-secret-key-with-enough-length-0123456789",
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_KIB": 64,
    "LOGIN_RATE_LIMIT": "1000 per minute",
    "PROPAGATE_EXCEPTIONS": False,  # a crash is a 500, as a user would get it
}
HUGE_IDS = (2**31, 2**63, 10**30)


def build(path: Path):
    app = create_app({**SETTINGS, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    app.test_client_class = CsrfClient
    with app.app_context():
        upgrade()
        load_demo_data()
        db.session.commit()
    return app


def signed_in(app, username: str, address: str = "127.0.0.1"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    return client, response


def token_for(app, username: str) -> dict:
    with app.app_context():
        _token, plain = create_api_token(user_named(username), "probe", actor=None)
        db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def probe_session_replay(app) -> str:
    first, _response = signed_in(app, "qt.liaison")
    cookie = first.get_cookie("session").value
    first.post("/logout")
    other = app.test_client()
    other.set_cookie("session", cookie)
    status = other.get("/account").status_code
    return f"/account answers {status}" + (" (opens)" if status == 200 else " (refused)")


def probe_child_partial_update(app) -> str:
    liaison = token_for(app, "qt.liaison")
    client = app.test_client()
    case = client.post(
        "/api/v1/cases", json={"title": "Probe", "opened_on": "2026-11-01"}, headers=liaison
    ).get_json()
    person = client.post(
        f"/api/v1/cases/{case['id']}/people",
        json={
            "role": "victim",
            "name_as_written": "Lò Thị Mai",
            "date_of_birth": "2013-03-04",
            "flagged_child": True,
            "home_address": "Bản Probe",
            "relatives_contacts": "mẹ 0912 000 000",
        },
        headers=liaison,
    ).get_json()
    partial = {"role": "victim", "name_as_written": "Lò Thị Mai", "version": person["version"]}
    statuses = []
    for method in ("PUT", "PATCH"):
        response = client.open(
            f"/api/v1/people/{person['id']}", method=method, json=partial, headers=liaison
        )
        statuses.append(f"{method} {response.status_code}")
    with app.app_context():
        from coordination.cases.models import Person

        stored = db.session.get(Person, person["id"])
        still_child = stored.is_child()
    return f"{', '.join(statuses)}; still a child: {'yes' if still_child else 'NO'}"


def probe_audit_tail(app) -> str:
    runner = app.test_cli_runner()
    results = []
    for label, statement in (
        ("last entry", "DELETE FROM audit_entries WHERE id = (SELECT max(id) FROM audit_entries)"),
        ("all", "DELETE FROM audit_entries"),
    ):
        with app.app_context():
            db.session.execute(text(statement))
            db.session.commit()
        outcome = runner.invoke(args=["audit", "verify"])
        results.append(f"{label}: {'fails' if outcome.exit_code else 'intact'}")
    return "; ".join(results)


def probe_malformed(app) -> str:
    client, _response = signed_in(app, "qt.liaison")
    headers = token_for(app, "qt.liaison")
    errors = sent = 0
    for huge in HUGE_IDS:
        for url in (f"/handovers/new?request_id={huge}", f"/requests/new?case={huge}"):
            sent += 1
            errors += client.get(url).status_code >= 500
        sent += 1
        errors += client.post("/handovers/new", data={"request_id": str(huge)}).status_code >= 500
    deep = "[" * 5000 + "]" * 5000
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or not rule.methods & {"POST", "PUT", "PATCH"}:
            continue
        url = rule.rule
        for argument in rule.arguments:
            url = url.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "1")
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH"}):
            sent += 1
            response = client.open(
                url,
                method=method,
                data=deep,
                content_type="application/json",
                headers=headers,
            )
            errors += response.status_code >= 500
    return f"{errors} × 500 in {sent} requests"


def probe_lockout(app) -> str:
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    for _attempt in range(6):
        attacker.post("/login", data={"username": "qt.guard", "password": "wrong-guess"})
    _client, response = signed_in(app, "qt.guard", address="10.1.1.1")
    ok = response.status_code == 302
    return "the officer signs in" if ok else "the officer is locked out"


def probe_foreign_origin(app) -> str:
    client, _response = signed_in(app, "qt.liaison")
    response = client.post(
        "/locale", data={"locale": "en"}, headers={"Origin": "https://attacker.example"}
    )
    return f"{response.status_code} " + (
        "(accepted)" if response.status_code < 400 else "(refused)"
    )


def probe_oracle(app) -> str:
    other = token_for(app, "svk.liaison")
    case = (
        app.test_client()
        .post(
            "/api/v1/cases",
            json={"title": "Other office", "opened_on": "2026-11-01"},
            headers=other,
        )
        .get_json()
    )
    client, _response = signed_in(app, "qt.liaison")
    answers = []
    for label, url in (
        ("missing", "/requests/new?case=999999"),
        ("another office's", f"/requests/new?case={case['id']}"),
        ("missing", "/handovers/new?request_id=999999"),
    ):
        answers.append(f"{label} {client.get(url).status_code}")
    return ", ".join(answers)


def probe_empty_sex(app) -> str:
    headers = token_for(app, "qt.liaison")
    client = app.test_client()
    case = client.post(
        "/api/v1/cases", json={"title": "Probe sex", "opened_on": "2026-11-01"}, headers=headers
    ).get_json()
    person = {"role": "victim", "name_as_written": "Probe", "sex": ""}
    created = client.post(f"/api/v1/cases/{case['id']}/people", json=person, headers=headers)
    answers = [f"POST {created.status_code}"]
    if created.status_code == 201:
        body = created.get_json()
        update = {**person, "version": body["version"]}
        response = client.put(f"/api/v1/people/{body['id']}", json=update, headers=headers)
        answers.append(f"PUT {response.status_code}")
    return ", ".join(answers)


PROBES = (
    ("copied cookie after logout (safe: refused)", probe_session_replay),
    ("partial API update of a child (safe: refused, still a child)", probe_child_partial_update),
    ("audit verify after tail deletion (safe: fails)", probe_audit_tail),
    ("huge ids and deep JSON (safe: 0 × 500)", probe_malformed),
    ("6 wrong passwords from another address (safe: officer signs in)", probe_lockout),
    ("valid CSRF token, foreign Origin (safe: refused)", probe_foreign_origin),
    ("/requests/new?case= oracle (safe: same answer)", probe_oracle),
    ("empty sex on the API (safe: unknown or 422)", probe_empty_sex),
)


def main() -> int:
    rows = []
    for label, probe in PROBES:
        with tempfile.TemporaryDirectory() as folder:
            app = build(Path(folder) / "probe.sqlite3")
            try:
                result = probe(app)
            except Exception as error:  # a probe the old code cannot even run
                result = f"error: {type(error).__name__}: {error}"[:120]
            with app.app_context():
                db.engine.dispose()
        rows.append((label, result))
    width = max(len(label) for label, _ in rows)
    print(f"| {'probe'.ljust(width)} | result |")
    print(f"|{'-' * (width + 2)}|--------|")
    for label, result in rows:
        print(f"| {label.ljust(width)} | {result} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

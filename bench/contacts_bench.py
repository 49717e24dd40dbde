"""Benchmark of the contact log (issue 17) with 100,000 contacts, on SQLite and PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/contacts_bench.py [--database sqlite|postgresql|both]
        [--contacts 100000] [--samples 60] [--pg-url postgresql+psycopg://…/postgres]

It builds a fresh database through the real migrations, the demo data and the demo records,
adds ``--contacts`` contacts over three years (60 % logged by Lạng Sơn's liaison office with
its four partners, the rest by the Quảng Trị offices and the border guard stations; one in
twenty urgent, one in ten shared, one in fifteen with an answer promised), then measures each
page through the Flask test client signed in as the demo users and prints p50, p95 and max
in ms (target: p95 < 100 ms), and the reports' count per period, partner, channel and
direction. PostgreSQL uses the test server of scripts/pg-test-server (TEST_DATABASE_URL or
--pg-url), database contacts_bench.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from coordination import create_app  # noqa: E402
from coordination.auth.models import User  # noqa: E402
from coordination.contacts.models import Contact  # noqa: E402
from coordination.contacts.queries import count_contacts  # noqa: E402
from coordination.demo_data import DEMO_PASSWORD, load_demo_data  # noqa: E402
from coordination.demo_records import load_demo_records  # noqa: E402
from coordination.directory.models import Office  # noqa: E402
from coordination.extensions import db  # noqa: E402

SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "contacts-bench-secret-key-0123456789abcdef",
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_KIB": 64,
    "LOGIN_RATE_LIMIT": "100000 per minute",
    "AUDIT_CHECKPOINT_FILE": str(Path(tempfile.gettempdir()) / "contacts_bench_checkpoints.log"),
    "REFERENCE_DATA_SCOPE": "core",
}
PG_DATABASE = "contacts_bench"
# logging office, partner, who logs, share of all contacts
PAIRS = [
    ("LS-BLO", "PX-BLO", "ls.liaison", 30),
    ("LS-BLO", "CZ-BLO", "ls.liaison", 12),
    ("LS-BLO", "GX-PD", "ls.liaison", 12),
    ("LS-BLO", "LS-SPC", "ls.liaison", 6),
    ("QT-BLO", "SVK-BLO", "qt.liaison", 15),
    ("QT-BLO", "SLV-BLO", "qt.liaison", 5),
    ("LS-BGS-HN", "PX-BGS", "ls.guard", 10),
    ("QT-BGS-LB", "SVK-BGS-DSV", "qt.guard", 10),
]
CHANNELS = (["hotline"] * 6) + ["letter"] * 3 + ["diplomatic_note", "fax", "meeting", "other"]


def _build(url: str, contacts: int):
    app = create_app({**SETTINGS, "SQLALCHEMY_DATABASE_URI": url})
    with app.test_request_context():
        upgrade()
        load_demo_data()
        load_demo_records()
        db.session.commit()
        offices = {o.code: o.id for o in db.session.scalars(select(Office))}
        users = {u.username: u.id for u in db.session.scalars(select(User))}
        rng = random.Random(17)
        now = datetime.now(UTC)
        weights = [pair[3] for pair in PAIRS]
        rows = []
        for _n in range(contacts):
            office, partner, who, _share = rng.choices(PAIRS, weights=weights)[0]
            moment = now - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
            shared = rng.random() < 0.1
            promised = rng.random() < 1 / 15
            rows.append(
                {
                    "office_id": offices[office],
                    "partner_office_id": offices[partner],
                    "partner_person": "Đối tác",
                    "channel": rng.choice(CHANNELS),
                    "direction": rng.choice(["in", "out"]),
                    "occurred_at": moment,
                    "duration_minutes": rng.randrange(1, 40),
                    "language": rng.choice(["vi", "zh", "lo"]),
                    "asked": "Trao đổi thông tin về vụ việc mua bán người qua biên giới.",
                    "answered": "Đã ghi nhận.",
                    "urgency": "urgent" if rng.random() < 0.05 else "routine",
                    "follow_up_due_at": moment + timedelta(days=3) if promised else None,
                    "follow_up_done_at": moment + timedelta(days=2)
                    if promised and rng.random() < 0.7
                    else None,
                    "shared_at": moment if shared else None,
                    "shared_by_id": users[who] if shared else None,
                    "created_by_id": users[who],
                    "created_at": moment,
                    "updated_at": moment,
                    "version": 1,
                }
            )
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(Contact), rows[start : start + 5000])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        sample = db.session.scalar(
            select(Contact.id).where(Contact.office_id == offices["LS-BLO"]).limit(1)
        )
    return app, offices, sample


def _measure(client, url: str, samples: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(samples):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    return times


def _measure_call(app, function, samples: int) -> list[float]:
    times = []
    with app.app_context():
        function()
        for _ in range(samples):
            began = time.perf_counter()
            function()
            times.append((time.perf_counter() - began) * 1000)
    return times


def _login(app, username: str):
    client = app.test_client()
    page = client.get("/login")
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code
    return client


def _api_token(app, username: str) -> dict:
    from coordination.auth.operations import create_api_token

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        _stored, plain = create_api_token(user, "bench", actor=user)
        db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def run(name: str, url: str, contacts: int, samples: int) -> list[tuple]:
    app, offices, sample = _build(url, contacts)
    liaison, supervisor = _login(app, "ls.liaison"), _login(app, "ls.supervisor")
    partner = _login(app, "px.liaison")
    api = app.test_client()
    headers = _api_token(app, "ls.liaison")
    month_ago = (date.today() - timedelta(days=30)).isoformat()
    today = date.today().isoformat()
    pages = [
        ("log, first page (liaison LS-BLO)", liaison, "/contacts"),
        ("log, page 100", liaison, "/contacts?page=100"),
        ("log, partner PX-BLO", liaison, f"/contacts?partner={offices['PX-BLO']}"),
        ("log, channel letter", liaison, "/contacts?channel=letter"),
        ("log, urgent", liaison, "/contacts?urgency=urgent"),
        ("log, last 30 days", liaison, f"/contacts?since={month_ago}&until={today}"),
        (
            "log, partner + urgent + 30 days",
            liaison,
            f"/contacts?partner={offices['PX-BLO']}&urgency=urgent&since={month_ago}",
        ),
        ("log, answer overdue", liaison, "/contacts?overdue=1"),
        ("log, province (supervisor)", supervisor, "/contacts"),
        ("shared with us (PX-BLO)", partner, "/contacts?box=shared"),
        ("a contact's page", liaison, f"/contacts/{sample}"),
    ]
    results = []
    for label, client, page_url in pages:
        times = sorted(_measure(client, page_url, samples))
        shown = client.get(page_url).get_data(as_text=True).count('<tr class="')
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        results.append((name, label, shown, statistics.median(times), p95, times[-1], p95 < 100))

    def api_list():
        response = api.get("/api/v1/contacts?page_size=50", headers=headers)
        assert response.status_code == 200

    year_ago = datetime.now(UTC) - timedelta(days=365)

    def report_counts():  # an annual report: the last year, per quarter
        return count_contacts(per="quarter", since=year_ago)

    calls = (
        ("API list, 50 (liaison)", api_list),
        ("report: a year per quarter/partner/channel/dir.", report_counts),
    )
    for label, function in calls:
        times = sorted(_measure_call(app, function, samples))
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        results.append((name, label, 0, statistics.median(times), p95, times[-1], p95 < 100))
    with app.app_context():
        total = db.session.scalar(text("SELECT count(*) FROM contacts"))
    print(f"({name}: {total} contacts)")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("TEST_DATABASE_URL")
        or "postgresql+psycopg://coordination@127.0.0.1:54329/coordination_test",
    )
    args = parser.parse_args()
    rows = []
    if args.database in ("sqlite", "both"):
        path = Path(tempfile.gettempdir()) / "contacts_bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        rows += run("SQLite", f"sqlite:///{path}", args.contacts, args.samples)
    if args.database in ("postgresql", "both"):
        base = make_url(args.pg_url)
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
        url = base.set(database=PG_DATABASE).render_as_string(hide_password=False)
        rows += run("PostgreSQL", url, args.contacts, args.samples)
    print()
    print(
        f"{'database':<11} {'page':<44} {'rows':>5} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'max ms':>7}  p95<100"
    )
    for name, label, shown, p50, p95, worst, ok in rows:
        print(
            f"{name:<11} {label:<44} {shown:>5} {p50:>7.1f} {p95:>7.1f} {worst:>7.1f}  "
            f"{'yes' if ok else 'NO'}"
        )


if __name__ == "__main__":
    main()

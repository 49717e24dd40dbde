"""Benchmark of a centre's reintegration caseload with 20,000 people in care and 200,000
services, on SQLite and PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/reintegration_bench.py [--database sqlite|postgresql|both]
        [--people 20000] [--services 10] [--samples 60] [--pg-url postgresql+psycopg://…]

It builds a fresh database through the real migrations, the demo data and the demo records,
adds ``--people`` referrals to Quảng Trị's social protection centre (QT-SPC; 80 % in
support or follow-up, the rest pending, accepted or closed), ``--services`` services each
(a tenth of them essential needs, some near their 120th day, a third not yet delivered) and
four follow-up visits for each person in follow-up (some missed), then measures the
caseload dashboard (counts, filters, pages, search), the referrals inbox, a person's file
and the API list through the Flask test client signed in as the demo users, and prints p50,
p95 and max in ms per page (target: p95 < 100 ms). PostgreSQL uses the test server of
scripts/pg-test-server (TEST_DATABASE_URL or --pg-url), database reintegration_bench.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from coordination import create_app  # noqa: E402
from coordination.auth.models import User  # noqa: E402
from coordination.demo_data import DEMO_PASSWORD, load_demo_data  # noqa: E402
from coordination.demo_records import load_demo_records  # noqa: E402
from coordination.directory.models import Office  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.reintegration.models import (  # noqa: E402
    FollowUpVisit,
    Referral,
    SupportService,
)

SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "reintegration-bench-secret-key-0123456789abcdef",
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_KIB": 64,
    "LOGIN_RATE_LIMIT": "100000 per minute",
    "AUDIT_CHECKPOINT_FILE": str(Path(tempfile.gettempdir()) / "reint_bench_checkpoints.log"),
    "REFERENCE_DATA_SCOPE": "core",
}
PG_DATABASE = "reintegration_bench"
STAGES = (
    ["in_support"] * 40 + ["follow_up"] * 40 + ["pending"] * 5 + ["accepted"] * 5 + ["closed"] * 10
)
TYPES = [
    "essential_needs",
    "medical",
    "health_insurance",
    "psychological",
    "legal_aid",
    "schooling",
    "vocational",
    "hardship_allowance",
    "loan",
    "travel_home",
]


def _build(url: str, people: int, services: int):
    app = create_app({**SETTINGS, "SQLALCHEMY_DATABASE_URI": url})
    with app.test_request_context():
        upgrade()
        load_demo_data()
        load_demo_records()
        db.session.commit()
        centre = db.session.scalar(select(Office.id).where(Office.code == "QT-SPC"))
        source = db.session.scalar(select(Office.id).where(Office.code == "QT-BLO"))
        liaison = db.session.scalar(select(User.id).where(User.username == "qt.liaison"))
        social = db.session.scalar(select(User.id).where(User.username == "qt.social"))
        rng = random.Random(13)
        now = datetime.now(UTC)
        today = now.date()
        rows, service_rows, visit_rows = [], [], []
        for n in range(people):
            stage = rng.choice(STAGES)
            referred = now - timedelta(days=rng.randrange(1, 900), minutes=rng.randrange(1440))
            home_on = (
                today - timedelta(days=rng.randrange(400))
                if stage in ("follow_up", "closed")
                else None
            )
            mine = []
            for k in range(services if stage != "pending" else 0):
                kind = TYPES[k % len(TYPES)]
                begin = today - timedelta(days=rng.randrange(0, 300))
                mine.append(
                    {
                        "referral_id": n,
                        "type": kind,
                        "provider": "Trung tâm bảo trợ xã hội tỉnh Quảng Trị",
                        "planned_start": begin,
                        "planned_end": begin + timedelta(days=90),
                        "delivered": None if rng.random() < 0.3 else True,
                        "actual_start": None,
                        "cost": rng.randrange(0, 10_000_000),
                        "currency": "VND",
                        "created_by_id": social,
                        "created_at": now,
                        "updated_at": now,
                        "version": 1,
                    }
                )
            visits = []
            if stage == "follow_up":
                for months in (1, 3, 6, 12):
                    due = home_on + timedelta(days=30 * months)
                    visits.append(
                        {
                            "referral_id": n,
                            "months_after": months,
                            "due_on": due,
                            "visited_on": due if (due < today and rng.random() < 0.8) else None,
                            "created_at": now,
                            "updated_at": now,
                            "version": 1,
                        }
                    )
            # The due dates the operations keep (operations.refresh_due).
            service_due = min(
                (s["planned_start"] for s in mine if s["delivered"] is None), default=None
            )
            limit = min(
                (
                    s["planned_start"] + timedelta(days=120)
                    for s in mine
                    if s["type"] == "essential_needs"
                ),
                default=None,
            )
            visit_due = min((v["due_on"] for v in visits if v["visited_on"] is None), default=None)
            service_rows += mine
            visit_rows += visits
            rows.append(
                {
                    "centre_office_id": centre,
                    "from_office_id": source,
                    "name_as_written": f"Nguyễn Thị Người {n}",
                    "name_romanised": f"Nguyen Thi Nguoi {n}",
                    "search_text": f"nguyen thi nguoi {n}",
                    "sex": "female",
                    "child": n % 7 == 0,
                    "stage": stage,
                    "referred_at": referred,
                    "referred_by_id": liaison,
                    "answered_at": None if stage == "pending" else referred,
                    "answered_by_id": None if stage == "pending" else social,
                    "home_on": home_on,
                    "closed_on": today - timedelta(days=rng.randrange(200))
                    if stage == "closed"
                    else None,
                    "service_due_on": service_due,
                    "limit_on": limit,
                    "visit_due_on": visit_due,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(Referral), rows[start : start + 5000])
        ids = db.session.scalars(
            select(Referral.id)
            .where(Referral.name_as_written.like("Nguyễn Thị Người %"))
            .order_by(Referral.id)
        ).all()
        for row in service_rows + visit_rows:
            row["referral_id"] = ids[row["referral_id"]]
        referrals = [(referral_id,) for referral_id in ids]
        for start in range(0, len(service_rows), 10000):
            db.session.execute(insert(SupportService), service_rows[start : start + 10000])
        for start in range(0, len(visit_rows), 10000):
            db.session.execute(insert(FollowUpVisit), visit_rows[start : start + 10000])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        sample = referrals[len(referrals) // 2][0]
        counts = (len(referrals), len(service_rows), len(visit_rows))
    return app, centre, sample, counts


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


def _login(app, username: str):
    client = app.test_client()
    page = client.get("/login")
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code
    return client


def run(name: str, url: str, people: int, services: int, samples: int) -> list[tuple]:
    app, centre, sample, counts = _build(url, people, services)
    social, supervisor = _login(app, "qt.social"), _login(app, "qt.supervisor")
    pages = [
        ("caseload, everyone in care (social)", social, "/reintegration/"),
        ("caseload, page 50", social, "/reintegration/?page=50"),
        ("caseload, services due", social, "/reintegration/?show=services_due"),
        ("caseload, visits due", social, "/reintegration/?show=visits_due"),
        ("caseload, visits missed", social, "/reintegration/?show=visits_missed"),
        ("caseload, near 120 days", social, "/reintegration/?show=limit_near"),
        ("caseload, closed this quarter", social, "/reintegration/?show=closed"),
        ("caseload, stage follow-up", social, "/reintegration/?stage=follow_up"),
        ("caseload, name search", social, "/reintegration/?q=Nguoi%201234"),
        ("caseload (supervisor)", supervisor, f"/reintegration/?office_id={centre}"),
        ("referrals inbox (social)", social, "/reintegration/referrals"),
        ("a person's file (social)", social, f"/reintegration/{sample}"),
    ]
    results = []
    for label, client, page_url in pages:
        times = sorted(_measure(client, page_url, samples))
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        results.append((name, label, statistics.median(times), p95, times[-1], p95 < 100))
    print(f"({name}: {counts[0]} people, {counts[1]} services, {counts[2]} visits)")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--services", type=int, default=10)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("TEST_DATABASE_URL")
        or "postgresql+psycopg://coordination@127.0.0.1:54329/coordination_test",
    )
    args = parser.parse_args()
    rows = []
    if args.database in ("sqlite", "both"):
        path = Path(tempfile.gettempdir()) / "reintegration_bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        rows += run("SQLite", f"sqlite:///{path}", args.people, args.services, args.samples)
    if args.database in ("postgresql", "both"):
        base = make_url(args.pg_url)
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
        url = base.set(database=PG_DATABASE).render_as_string(hide_password=False)
        rows += run("PostgreSQL", url, args.people, args.services, args.samples)
    print()
    print(f"{'database':<11} {'page':<38} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  p95<100")
    for name, label, p50, p95, worst, ok in rows:
        print(
            f"{name:<11} {label:<38} {p50:>7.1f} {p95:>7.1f} {worst:>7.1f}  {'yes' if ok else 'NO'}"
        )


if __name__ == "__main__":
    main()

"""Benchmark of the calendar pages, the API and the iCalendar feed of an office with 5,000
handovers a year, on SQLite and PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/calendar_bench.py [--database sqlite|postgresql|both]
        [--entries 5000] [--samples 60] [--pg-url postgresql+psycopg://…/postgres]

It builds a fresh database through the real migrations, the demo data and the demo records,
adds ``--entries`` handovers of Quảng Trị's liaison office with Savannakhet at Lao Bảo
spread over a year from a month ago (two people each; one in ten postponed or cancelled),
then measures each page through the Flask test client signed in as the demo users and
prints p50, p95 and max in ms per page (target: p95 < 100 ms). The feeds are measured
four ways: repeated polls (the same feed again), revalidation (If-None-Match: 304), the
first request after a change (one handover moved before each sample), and the first request
of a new worker (every in-process cache emptied, after a change). PostgreSQL uses the test
server of scripts/pg-test-server (TEST_DATABASE_URL or --pg-url), database calendar_bench.
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
from coordination.calendar.operations import renew_feed  # noqa: E402
from coordination.demo_data import DEMO_PASSWORD, load_demo_data  # noqa: E402
from coordination.demo_records import load_demo_records  # noqa: E402
from coordination.directory.models import Office  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.handovers.models import Handover, HandoverPerson  # noqa: E402

SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "calendar-bench-secret-key-0123456789abcdef",
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_KIB": 64,
    "LOGIN_RATE_LIMIT": "100000 per minute",
    "AUDIT_CHECKPOINT_FILE": str(Path(tempfile.gettempdir()) / "calendar_bench_checkpoints.log"),
    "REFERENCE_DATA_SCOPE": "core",
}
PG_DATABASE = "calendar_bench"


def _build(url: str, entries: int):
    app = create_app({**SETTINGS, "SQLALCHEMY_DATABASE_URI": url})
    with app.test_request_context():
        upgrade()
        load_demo_data()
        load_demo_records()
        db.session.commit()
        demo = db.session.scalars(select(Handover).order_by(Handover.id)).first()
        qt = db.session.scalar(select(Office.id).where(Office.code == "QT-BLO"))
        svk = db.session.scalar(select(Office.id).where(Office.code == "SVK-BLO"))
        rng = random.Random(12)
        start = datetime.now(UTC) - timedelta(days=30)
        now = datetime.now(UTC)
        rows = []
        for n in range(entries):
            moment = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
            state = rng.choices(["scheduled", "postponed", "cancelled"], weights=[90, 5, 5])[0]
            rows.append(
                {
                    "request_id": demo.request_id,
                    "handing_office_id": svk if n % 2 else qt,
                    "receiving_office_id": qt if n % 2 else svk,
                    "gate_id": demo.gate_id,
                    "scheduled_at": moment,
                    "state": state,
                    "handing_officers": [],
                    "receiving_officers": [],
                    "witnesses": [],
                    "created_by_id": demo.created_by_id,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1 + n % 3,
                }
            )
        db.session.execute(insert(Handover), rows)
        ids = db.session.scalars(select(Handover.id).where(Handover.id != demo.id)).all()
        people = [
            {
                "handover_id": handover_id,
                "position": position,
                "on_list": True,
                "name_as_written": f"Người {handover_id}-{position}",
                "identity_checked": False,
                "victim_file_received": False,
            }
            for handover_id in ids
            for position in (1, 2)
        ]
        db.session.execute(insert(HandoverPerson), people)
        tokens = {}
        for username in ("qt.liaison", "qt.guard", "qt.supervisor"):
            user = db.session.scalar(select(User).where(User.username == username))
            tokens[username] = renew_feed(user, actor=user)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        qt_id = qt
    return app, tokens, qt_id


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


def _measure_after_change(app, client, url: str, samples: int, cold: bool = False) -> list[float]:
    """Each sample: one handover of the office postponed by an hour (through the ORM, so its
    version and updated_at rise as in the app), then the feed read: the first request after
    a change (no whole-feed cache hit). With ``cold``, every cache of the worker is emptied
    too: the first request of a new worker."""
    from coordination.calendar.feed import clear_caches

    rng = random.Random(7)
    times = []
    with app.app_context():
        ids = db.session.scalars(select(Handover.id).order_by(Handover.id)).all()
    for _ in range(samples):
        with app.app_context():
            handover = db.session.get(Handover, rng.choice(ids[1:]))
            handover.scheduled_at = handover.scheduled_at + timedelta(hours=1)
            db.session.commit()
        if cold:
            clear_caches()
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    return times


def _measure_revalidation(client, url: str, samples: int) -> list[float]:
    """A calendar application polling with the ETag it has: 304, no body."""
    etag = client.get(url).headers["ETag"]
    times = []
    for _ in range(samples):
        began = time.perf_counter()
        response = client.get(url, headers={"If-None-Match": etag})
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 304, response.status_code
    return times


def _login(app, username: str):
    client = app.test_client()
    with client.session_transaction():
        pass
    page = client.get("/login")
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code
    return client


def run(name: str, url: str, entries: int, samples: int) -> list[tuple]:
    app, tokens, qt = _build(url, entries)
    today = date.today()
    in_a_month = (today + timedelta(days=30)).isoformat()
    liaison, guard = _login(app, "qt.liaison"), _login(app, "qt.guard")
    feed_client = app.test_client()
    pages = [
        ("month, office QT-BLO (liaison)", liaison, f"/calendar/?office={qt}"),
        ("month, mine (guard)", guard, f"/calendar/?date={in_a_month}"),
        ("week, mine (guard)", guard, "/calendar/?view=week"),
        ("list, 30 days (liaison)", liaison, "/calendar/?view=list"),
        ("feed, default window (guard)", feed_client, f"/calendar/feed/{tokens['qt.guard']}.ics"),
        (
            "feed, one year (liaison)",
            feed_client,
            f"/calendar/feed/{tokens['qt.liaison']}.ics?year={today.year + 1}",
        ),
    ]
    results = []
    with app.app_context():
        counted = (
            len(
                liaison.get(f"/calendar/?view=list&office={qt}")
                .get_data(as_text=True)
                .split("cal-entry ")
            )
            - 1
        )
    default_feed = f"/calendar/feed/{tokens['qt.guard']}.ics"
    year_feed = f"/calendar/feed/{tokens['qt.liaison']}.ics?year={today.year + 1}"
    measures = [
        (label, client, page_url, lambda c=client, u=page_url: _measure(c, u, samples))
        for label, client, page_url in pages
    ]
    for label, page_url in (("default window", default_feed), ("one year", year_feed)):
        measures += [
            (
                f"feed, {label}: 304",
                feed_client,
                page_url,
                lambda u=page_url: _measure_revalidation(feed_client, u, samples),
            ),
            (
                f"feed, {label}: after a change",
                feed_client,
                page_url,
                lambda u=page_url: _measure_after_change(app, feed_client, u, samples),
            ),
            (
                f"feed, {label}: new worker",
                feed_client,
                page_url,
                lambda u=page_url: _measure_after_change(
                    app, feed_client, u, max(samples // 4, 5), cold=True
                ),
            ),
        ]
    for label, client, page_url, measure in measures:
        times = sorted(measure())
        body = client.get(page_url).get_data(as_text=True)
        shown = body.count("BEGIN:VEVENT") or body.count('class="cal-entry ')
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        results.append((name, label, shown, statistics.median(times), p95, times[-1], p95 < 100))
    print(f"({name}: {counted} entries in the next 30 days of the office)")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("TEST_DATABASE_URL")
        or "postgresql+psycopg://coordination@127.0.0.1:54329/coordination_test",
    )
    args = parser.parse_args()
    rows = []
    if args.database in ("sqlite", "both"):
        path = Path(tempfile.gettempdir()) / "calendar_bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        rows += run("SQLite", f"sqlite:///{path}", args.entries, args.samples)
    if args.database in ("postgresql", "both"):
        base = make_url(args.pg_url)
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
        url = base.set(database=PG_DATABASE).render_as_string(hide_password=False)
        rows += run("PostgreSQL", url, args.entries, args.samples)
    print()
    print(
        f"{'database':<11} {'page':<40} {'entries':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'max ms':>7}  p95<100"
    )
    for name, label, shown, p50, p95, worst, ok in rows:
        print(
            f"{name:<11} {label:<40} {shown:>7} {p50:>7.1f} {p95:>7.1f} {worst:>7.1f}  "
            f"{'yes' if ok else 'NO'}"
        )


if __name__ == "__main__":
    main()

"""Benchmark of the deadline jobs over 100,000 open requests (a fifth of them due), on SQLite
and PostgreSQL; checks that a second run sends nothing (each notice once).

    .venv/bin/python bench/scheduler_bench.py [--database sqlite|postgresql|both]
        [--requests 100000] [--pg-url postgresql+psycopg://coordination@127.0.0.1:54329/x]

Builds a fresh database (migrations + demo data), inserts the requests with Core
executemany (seeded), then times exchange.remind_deadlines and exchange.remind_overdue
through core.jobs.run_job (commit included), twice each. Target: under 2 s per run.
PostgreSQL: the server of scripts/pg-test-server (port 54329), database coordination_sched_bench.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from coordination import create_app  # noqa: E402
from coordination.auth.models import User  # noqa: E402
from coordination.core.db import utcnow  # noqa: E402
from coordination.core.jobs import run_job  # noqa: E402
from coordination.demo_data import load_demo_data  # noqa: E402
from coordination.directory.models import Office  # noqa: E402
from coordination.exchange.models import Request  # noqa: E402
from coordination.exchange.tasks import remind_deadlines, remind_overdue  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.notifications.models import Notification  # noqa: E402

PG_DEFAULT = "postgresql+psycopg://coordination@127.0.0.1:54329/coordination_sched_bench"


def build(url: str, count: int) -> object:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "AUDIT_CHECKPOINT_SECONDS": 0,
            "AUDIT_CHECKPOINT_FILE": os.path.join(tempfile.gettempdir(), "sched-bench.log"),
        }
    )
    with app.app_context():
        upgrade()
        load_demo_data()
        db.session.commit()
        offices = db.session.scalars(select(Office.id).order_by(Office.id)).all()
        creator = db.session.scalar(select(User.id).order_by(User.id))
        now = utcnow()
        rng = random.Random(12)
        rows = []
        for n in range(count):
            due = n % 5 == 0  # a fifth: half near (within 48 h), half overdue
            if due:
                offset = timedelta(hours=rng.uniform(1, 47)) * (1 if n % 10 == 0 else -1)
            else:
                offset = timedelta(days=rng.uniform(3, 30))
            sender, recipient = rng.sample(offices, 2)
            rows.append(
                {
                    "reference": f"BENCH-{n}",
                    "kind": "identity_verification",
                    "state": "sent",
                    "sender_office_id": sender,
                    "recipient_office_id": recipient,
                    "subject": f"Bench request {n}",
                    "sent_at": now - timedelta(days=10),
                    "deadline_at": now + offset,
                    "created_by_id": creator,
                    "search_text": "",
                }
            )
        for start in range(0, count, 10_000):
            db.session.execute(insert(Request), rows[start : start + 10_000])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
        db.session.commit()
    return app


def measure(app, name: str, function) -> list[tuple[str, float, str]]:
    results = []
    with app.app_context():
        for attempt in ("first run", "second run"):
            started = time.perf_counter()
            outcome = run_job(name, function)
            results.append(
                (f"{name} ({attempt})", time.perf_counter() - started, str(outcome.result))
            )
            db.session.remove()
    return results


def run(database: str, count: int, pg_url: str) -> None:
    if database == "sqlite":
        path = Path(tempfile.gettempdir()) / "coordination_sched_bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        url = pg_url
        name = make_url(url).database
        admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    started = time.perf_counter()
    app = build(url, count)
    print(f"\n{database}: {count:,} open requests built in {time.perf_counter() - started:.0f} s")
    rows = measure(app, "exchange.remind_deadlines", remind_deadlines)
    rows += measure(app, "exchange.remind_overdue", remind_overdue)
    with app.app_context():
        notices = db.session.execute(
            select(Notification.kind, func.count())
            .where(Notification.due_slot.is_not(None))
            .group_by(Notification.kind)
        ).all()
        duplicates = db.session.scalar(
            select(func.count()).select_from(
                select(
                    Notification.kind,
                    Notification.subject_key,
                    Notification.user_id,
                    Notification.due_slot,
                )
                .where(Notification.due_slot.is_not(None))
                .group_by(
                    Notification.kind,
                    Notification.subject_key,
                    Notification.user_id,
                    Notification.due_slot,
                )
                .having(func.count() > 1)
                .subquery()
            )
        )
        db.engine.dispose()
    print(f"| {'job':<42} | {'seconds':>7} | {'verdict':<7} | result")
    print(f"|{'-' * 44}|{'-' * 9}|{'-' * 9}|--------")
    for label, seconds, result in rows:
        verdict = "ok" if seconds < 2 else "SLOW"
        print(f"| {label:<42} | {seconds:7.2f} | {verdict:<7} | {result}")
    print(f"notices by kind: {dict(notices)}; keys stored twice: {duplicates}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    args = parser.parse_args()
    for database in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
        run(database, args.requests, args.pg_url)


if __name__ == "__main__":
    main()

"""Benchmark of the periodic reports at volume, on SQLite and PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/reports_bench.py [--database sqlite|postgresql|both]
        [--cases 100000] [--people 300000] [--requests 200000] [--samples 5] [--reuse]

For each database it builds a fresh database through the real migrations and the demo data
and bulk-generates the volume with bench/exchange_bench.py's loader (imported, same seed),
runs ANALYZE, then times a whole report (coordination.reports.figures.snapshot: the figures
of the period, of the previous period and of the same period last year, every section) for
the current year over everything, over a province and over one office; and the storing of
one (operations.generate_report). Target: under 1 s each. For a year the previous period is
the year before, which is also "last year": two years are counted, each section in one scan
(coordination/reports/figures.py), over covering indexes made by the reports' migration.

The SQLite file is /tmp/coordination_reports_bench.sqlite3; the PostgreSQL database is
``coordination_reports_bench`` on exchange_bench's private server (port 54339), which is left
running (another benchmark may use it).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import exchange_bench as loader  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from coordination.demo_data import load_demo_data  # noqa: E402
from coordination.directory.models import Office  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.reports import figures  # noqa: E402
from coordination.reports.operations import generate_report  # noqa: E402
from coordination.reports.periods import Period  # noqa: E402
from coordination.reports.scopes import ALL, office_scope, province_scope  # noqa: E402

SQLITE_PATH = Path("/tmp/coordination_reports_bench.sqlite3")  # noqa: S108 - throwaway
PG_DATABASE = "coordination_reports_bench"
TARGET_S = 1.0


def build(kind: str, args) -> str:
    if kind == "sqlite":
        url = f"sqlite:///{args.sqlite_path}"
    else:
        url, _was_running = loader.postgres_url(args.pg_database)
    reuse = args.reuse and loader.already_built(kind, url)
    if not reuse:
        loader.create_empty(kind, url)
    app = loader.app_for(url)
    with app.app_context():
        upgrade()
        if not reuse:
            started = time.perf_counter()
            load_demo_data()
            db.session.commit()
            directory = loader.read_directory()
            _catalog, stats = loader.generate(args, directory, random.Random(args.seed))
            counts = ", ".join(f"{n:,} {t}" for t, n in stats["counts"].items())
            print(
                f"{kind}: generated in {time.perf_counter() - started:.0f} s: {counts}",
                file=sys.stderr,
            )
            loader.analyze()
        db.session.remove()
    return url


def measure(kind: str, url: str, args) -> list[list[str]]:
    app = loader.app_for(url)
    rows = []
    with app.app_context():
        year = Period.year(loader.TODAY.year)
        qt = db.session.scalar(select(Office).where(Office.code == "QT-BLO"))
        scopes = [
            ("everything", ALL),
            ("province QT", province_scope(qt.province_id)),
            ("office QT-BLO", office_scope(qt.id)),
        ]
        for name, scope in scopes:
            times = []
            for _sample in range(args.samples):
                started = time.perf_counter()
                snapshot = figures.snapshot(scope, year)
                times.append(time.perf_counter() - started)
                db.session.rollback()
            opened = snapshot["figures"]["cases"]["opened"]
            sent = snapshot["figures"]["requests"]["sent"]["total"]
            rows.append(
                [
                    kind,
                    f"annual report, {name}",
                    f"{statistics.median(times):.3f}",
                    f"{max(times):.3f}",
                    f"{opened:,} cases, {sent:,} requests",
                    "PASS" if max(times) < TARGET_S else "FAIL",
                ]
            )
        started = time.perf_counter()
        generate_report(ALL, year, actor=None)
        db.session.rollback()
        stored = time.perf_counter() - started
        rows.append(
            [
                kind,
                "store it (everything)",
                f"{stored:.3f}",
                f"{stored:.3f}",
                "",
                "PASS" if stored < TARGET_S else "FAIL",
            ]
        )
        db.session.remove()
        db.engine.dispose()
    return rows


def table(rows: list[list[str]]) -> str:
    head = ["database", "what", "median s", "max s", "counted", "< 1 s"]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]

    def line(r):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |"

    return "\n".join(
        [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)]
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--missing", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--reuse", action="store_true", help="measure the database already built")
    parser.add_argument("--sqlite-path", default=str(SQLITE_PATH))
    parser.add_argument("--pg-database", default=PG_DATABASE)
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    rows = []
    for kind in kinds:
        url = build(kind, args)
        print(f"{kind}: {make_url(url).render_as_string(hide_password=True)}", file=sys.stderr)
        rows += measure(kind, url, args)
    print(table(rows))
    return 0 if all(row[-1] == "PASS" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the periodic reports at volume, on SQLite and PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/reports_bench.py [--database sqlite|postgresql|both]
        [--cases 100000] [--people 300000] [--requests 200000] [--samples 5] [--reuse]

For each database it builds a fresh database through the real migrations and the demo data
and bulk-generates the volume with bench/exchange_bench.py's loader (imported, same seed),
runs ANALYZE, then times a whole report (coordination.reports.figures.snapshot: the figures
of the period, of the previous period and of the same period last year, every section) for
the current year over everything, over a province and over one office; and the storing of
one (operations.generate_report). Target: under 1 s each. Then the stored report of
everything as its XLSX workbook and its PDF (in Vietnamese and in Lao, whose words are
shaped), each made from the stored snapshot as the download routes make them. Target: under
3 s each. For a year the previous period is
the year before, which is also "last year": two years are counted, each section in one scan
(coordination/reports/figures.py), over covering indexes made by the reports' migration.

The SQLite file is /tmp/coordination_reports_bench.sqlite3; the PostgreSQL database is
``coordination_reports_bench`` on exchange_bench's private server (port 54339), which is left
running (another benchmark may use it).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import exchange_bench as loader  # noqa: E402
import volume  # noqa: E402
from flask_babel import force_locale, format_datetime, get_locale  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from coordination.directory.models import Office  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.reports import figures, report_pdf, report_xlsx  # noqa: E402
from coordination.reports.operations import generate_report  # noqa: E402
from coordination.reports.periods import Period  # noqa: E402
from coordination.reports.scopes import ALL, office_scope, province_scope  # noqa: E402

SQLITE_PATH = Path("/tmp/coordination_reports_bench.sqlite3")  # noqa: S108 - throwaway
PG_DATABASE = "coordination_reports_bench"
TARGET_S = 1.0
DOCUMENT_TARGET_S = 3.0


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
        report = generate_report(ALL, year, actor=None)
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
        rows += documents(app, kind, report, year, args.samples)
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()
    return rows


def documents(app, kind: str, report, year: Period, samples: int) -> list[list[str]]:
    """The stored report's XLSX and PDF, timed as the download routes make them."""
    rows = []
    title = f"{ALL.label} · {year.label}"
    makers = [
        ("XLSX (vi)", "vi", lambda: report_xlsx.report_workbook(report.snapshot, year, title))
    ]
    for language in ("vi", "lo"):
        makers.append((f"PDF ({language})", language, lambda: _pdf(report, year)))
    for name, language, make in makers:
        times, size = [], 0
        with app.test_request_context(), force_locale(language):
            for _sample in range(samples):
                started = time.perf_counter()
                size = len(make())
                times.append(time.perf_counter() - started)
        rows.append(
            [
                kind,
                f"{name}, everything",
                f"{statistics.median(times):.3f}",
                f"{max(times):.3f}",
                f"{size / 1024:,.0f} KiB",
                "PASS" if max(times) < DOCUMENT_TARGET_S else "FAIL",
            ]
        )
    return rows


def _pdf(report, year: Period) -> bytes:
    document = report_pdf.document(
        report.snapshot,
        language=str(get_locale()),
        scope_label=ALL.label,
        period=year,
        version=report.version,
        generated=format_datetime(report.generated_at, "short"),
    )
    return report_pdf.render_report(document)


def table(rows: list[list[str]]) -> str:
    head = ["database", "what", "median s", "max s", "counted / size", "target (1 s; 3 s)"]
    return volume.markdown_table(head, rows)


def main(argv=None) -> int:
    parser = volume.volume_arguments(__doc__.splitlines()[0], SQLITE_PATH, PG_DATABASE)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    kinds = volume.databases(args)
    rows = []
    for kind in kinds:
        url = volume.build(kind, args)
        print(f"{kind}: {make_url(url).render_as_string(hide_password=True)}", file=sys.stderr)
        rows += measure(kind, url, args)
    print(table(rows))
    return 0 if all(row[-1] == "PASS" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

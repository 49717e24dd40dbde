"""Benchmark of loading the whole map (``flask reference-data load``): first load, second
load (nothing to do), an update, and building the matching gazetteer from the map.

How to run (from the repository root):

    .venv/bin/python bench/map_load_bench.py
        [--pg postgresql+psycopg://coordination@127.0.0.1:54329/coordination_test]

For SQLite it uses a fresh file in a temporary directory; for ``--pg`` it creates the
database ``map_bench`` on that server (the one in the URL is not touched) and drops it
afterwards. Each database is built through the app's real migrations with no data, then
loaded; it prints a table of wall-clock seconds and the number of rows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from coordination import create_app  # noqa: E402
from coordination.directory.models import AdministrativeArea, AreaSuccession  # noqa: E402
from coordination.directory.reference_data import load_reference_data  # noqa: E402
from coordination.extensions import db  # noqa: E402


def _timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def bench(url: str, label: str) -> list[tuple[str, str, float, str]]:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "AUDIT_KEY": "bench-audit",
         "AUDIT_CHECKPOINT_FILE": str(Path(tempfile.gettempdir()) / "map-bench.log")}
    )  # fmt: skip
    rows = []
    with app.app_context():
        upgrade()

        def load(**options):
            report = load_reference_data(**options)
            db.session.commit()
            return report

        seconds, report = _timed(load)
        areas = db.session.scalar(select(func.count(AdministrativeArea.id)))
        links = db.session.scalar(select(func.count()).select_from(AreaSuccession))
        rows.append((label, "first load", seconds, f"{areas} areas, {links} successions"))
        seconds, report = _timed(load)
        rows.append((label, "second load", seconds, f"{report.total} changes"))
        seconds, report = _timed(lambda: load(update=True))
        rows.append((label, "update", seconds, f"{report.total} changes"))
        try:
            from coordination.matching.places import gazetteer
        except ImportError:
            gazetteer = None
        if gazetteer is not None:
            seconds, built = _timed(gazetteer)
            rows.append((label, "matching gazetteer", seconds, f"{len(built.places)} places"))
        db.session.remove()
        db.engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="a PostgreSQL URL (its server gets a map_bench database)")
    options = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results += bench(f"sqlite:///{folder}/map.sqlite3", "SQLite")
    if options.pg:
        base = make_url(options.pg)
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS map_bench WITH (FORCE)"))
            connection.execute(text("CREATE DATABASE map_bench"))
        try:
            target = base.set(database="map_bench").render_as_string(hide_password=False)
            results += bench(target, "PostgreSQL")
        finally:
            with admin.connect() as connection:
                connection.execute(text("DROP DATABASE IF EXISTS map_bench WITH (FORCE)"))
            admin.dispose()
    print(f"{'database':<12} {'step':<20} {'seconds':>8}  rows")
    for label, step, seconds, note in results:
        print(f"{label:<12} {step:<20} {seconds:>8.2f}  {note}")


if __name__ == "__main__":
    main()

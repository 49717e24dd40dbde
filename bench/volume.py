"""What the benchmarks at the exchange benchmark's volume share (reports_bench, htcds_bench):
the command-line options of the volume, building (or reusing) the database with
exchange_bench's loader, and the Markdown table they print."""

from __future__ import annotations

import argparse
import random
import sys
import time

import exchange_bench as loader
from flask_migrate import upgrade

from coordination.demo_data import load_demo_data
from coordination.extensions import db


def volume_arguments(description: str, sqlite_path, pg_database: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--missing", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--reuse", action="store_true", help="measure the database already built")
    parser.add_argument("--sqlite-path", default=str(sqlite_path))
    parser.add_argument("--pg-database", default=pg_database)
    return parser


def databases(args) -> list[str]:
    return ["sqlite", "postgresql"] if args.database == "both" else [args.database]


def build(kind: str, args) -> str:
    """The database's URL, built through the real migrations, the demo data and the loader's
    generated volume (same seed), or reused with ``--reuse`` (brought up to date)."""
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


def markdown_table(head: list[str], rows: list[list]) -> str:
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]

    def line(r):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |"

    return "\n".join(
        [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)]
    )

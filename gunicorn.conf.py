"""gunicorn's settings for this app, read from the working directory by ``gunicorn wsgi:app``.

Threads of one process share its interpreter lock; past a few per process they wait for it
more than for the database. Measured on 2 cores (bench/load_bench.py, the inbox and case
pages at saturation, PostgreSQL on the same machine): 2 processes x 4 threads served about
120 pages/s with p95 0.6 s, 2 x 8 about 109 with p95 0.9 s, 4 x 1 about 111. Hence a
process per core, four threads each.
"""

import os


def _count(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


workers = _count("WEB_WORKERS", max(2, os.cpu_count() or 1))
threads = _count("WEB_THREADS", 4)
worker_class = "gthread"

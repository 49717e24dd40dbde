"""Benchmark of the people search (coordination/matching/search.py): query times at volume.

How to run (from the repository root):

    .venv/bin/python bench/search_bench.py [--size 10000] [--queries 40]
        [--pg postgresql+psycopg://coordination@127.0.0.1:54329/coordination_test]
        [--seed 20261122] [--workdir /tmp/search-bench]

The register is matching_bench's (generate_people: Vietnamese names with the surnames'
real frequencies, a tenth Lao names in Lao script, some romanised), loaded the same way
(``matching_bench.build``: migrations, demo data, bulk insert, indexes after) with every
key ``matching.operations.index_name`` stores, the people search's word keys included. On
PostgreSQL (``--pg``, or TEST_DATABASE_URL) it uses the database ``search_bench`` on that
server; the one in the URL is not touched.

Each query is ``search.find_people(user, text, page=1)`` in a request context, as the page
calls it (the count, the first page of 20, the records and why each matched), for
qt.liaison (Vietnam's register) or svk.liaison (Laos'). Categories: one word as written
(a surname or a given name, with its marks), the same without marks, in Lao script (as
heard), as a Chinese character; part of a word (the first three or four letters of a
given name, and three letters from inside a surname); a whole name as written, in Lao
script and in Chinese characters; a word of a Lao name in Lao script (Laos' register);
a page far down the results (page 40 of "Nguyễn"). It prints p50 and p95 in milliseconds
and the median number of records found.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import matching_bench as mb  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from coordination.auth.models import User  # noqa: E402
from coordination.extensions import db  # noqa: E402
from coordination.matching.search import find_people, search_keys  # noqa: E402

_matcher_keys = mb.key_rows


def key_rows(people, directory):
    """Every key index_name stores: the matcher's (matching_bench) and the search's."""
    yield from _matcher_keys(people, directory)
    for record in people:
        for key in sorted(search_keys(record.name_as_written, record.name_romanised)):
            yield record.id, key


mb.key_rows = key_rows  # the loaders look it up by name


def make_queries(people, count: int, seed: int) -> dict[str, list[tuple[str, str]]]:
    """Category → [(username, text)]."""
    rng = random.Random(seed)
    vietnamese = [p for p in people if p.nationality == "VN"]
    lao = [p for p in people if p.nationality == "LA"]
    queries: dict[str, list[tuple[str, str]]] = {}

    def add(category, username, text):
        queries.setdefault(category, []).append((username, text))

    for _ in range(count):
        person = rng.choice(vietnamese)
        word = rng.choice([person.surname, person.given])
        add("one word, as written (Nguyễn)", "qt.liaison", word)
        add("one word, no marks (Nguyen)", "qt.liaison", mb.plain(word))
        add("one word, Lao script (ເຮືອງ)", "qt.liaison", mb.lao_syllable(word))
        add("one word, Chinese (香)", "qt.liaison", mb.HAN_OF[word][0])
        given = mb.plain(person.given)
        add("part: start of a word (Huo)", "qt.liaison", given[: rng.choice((3, 4))])
        surname = mb.plain(person.surname)
        if len(surname) > 4:
            add("part: inside a word (guy)", "qt.liaison", surname[1:4])
        add("whole name, as written", "qt.liaison", person.name_as_written)
        add("whole name, Lao script", "qt.liaison", mb.lao_rendering(person, rng))
        add("whole name, Chinese", "qt.liaison", "".join(mb.han_characters(person, rng)))
        other = rng.choice(lao)
        add("Lao name, one word (ສົມສັກ)", "svk.liaison", other.lao_given[0])
    add("page 40 of Nguyễn", "qt.liaison", "Nguyễn")
    return queries


def measure(app, queries) -> list[list[str]]:
    rows = []
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        with app.test_request_context():
            for _warmup in range(5):  # tables read, statements compiled
                find_people(users["qt.liaison"], "Nguyễn Thị Hương")
            for category, asked in queries.items():
                times, found = [], []
                page = 40 if category.startswith("page 40") else 1
                for username, text in asked:
                    start = time.perf_counter()
                    answer = find_people(users[username], text, page=page)
                    times.append((time.perf_counter() - start) * 1000)
                    found.append(answer.total)
                    db.session.rollback()
                rows.append(
                    [
                        category,
                        str(len(asked)),
                        f"{mb.percentile(times, 0.5):.1f}",
                        f"{mb.percentile(times, 0.95):.1f}",
                        f"{statistics.median(found):,.0f}",
                    ]
                )
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=40, help="per category")
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--pg-database", default="search_bench")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--workdir", help="where the SQLite file goes (default: a temp dir)")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="search-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    people = mb.generate_people(args.size, args.seed)
    queries = make_queries(people, args.queries, args.seed)
    databases = [("sqlite", None)] + ([("postgresql", args.pg)] if args.pg else [])
    for kind, pg_url in databases:
        if kind == "sqlite":
            path = workdir / f"search_{args.size}.sqlite3"
            url = f"sqlite:///{path}"
        else:
            path = None
            url = make_url(pg_url).set(database=args.pg_database)
            url = url.render_as_string(hide_password=False)
        print(f"== {args.size:,} register entries, {kind}: loading", file=sys.stderr)
        app, _directory, facts = mb.build(kind, url, path, people, args.seed)
        keys_rows, _bytes = facts["name_keys"]
        print(
            f"\n{args.size:,} register entries on {kind} (loaded in {facts['load']:.0f} s; "
            f"name_keys {keys_rows:,} rows), find_people, first page of 20 unless said:\n"
        )
        header = ["query", "n", "p50 ms", "p95 ms", "found (median)"]
        print(mb.table([header, *measure(app, queries)], "lrrrr"))
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load benchmark: many users signed in at once, browsing through a real server (gunicorn).

Run from the repository root (about 2 minutes per database once the data is built; building
the full volume takes about 5 minutes per database, see bench/exchange_bench.py):

    .venv/bin/python bench/load_bench.py [--database sqlite|postgresql|both] [--users 50]
        [--think 2.0] [--duration 60] [--workers 2] [--threads 4] [--keep-alive 2] [--repeat 1]
        [--cases 100000] [--people N] [--requests N] [--missing N] [--reuse] [--pages K,K]
        [--accounts N] [--keep-hashes] [--env NAME=VALUE ...] [--keep-server]

    # a quick run on a small database:
    .venv/bin/python bench/load_bench.py --cases 2000 --users 10 --duration 15 --reuse

For each database it builds the exchange benchmark's database (bench/exchange_bench.py: the
real migrations, the demo data, then the generated volume; ``--reuse`` keeps one already
built), then starts the app as in production: ``gunicorn wsgi:app`` (gthread workers,
``--workers`` x ``--threads``, default 2 x 4, as gunicorn.conf.py gives on 2 cores) on
127.0.0.1 and a free port, with
APP_ENV=production, its own SECRET_KEY and AUDIT_KEY, and the production Argon2 cost (every
account's password is first re-hashed at that cost, as a production database holds it, unless
``--keep-hashes``). Only LOGIN_RATE_LIMIT is raised (every simulated user comes from
127.0.0.1) and SESSION_COOKIE_SECURE is off (plain HTTP); ``--env`` sets any other setting.

Then ``--users`` simulated users, each a thread with its own cookie jar and keep-alive
connection, sign in all at once, as browsers do: the login page first (for the CSRF token),
then the form posted with Origin and Referer headers. The demo accounts (password
border-demo-2026) are shared round-robin: with more users than accounts (``--accounts``
limits them), several users sign in to the same account. Each user then browses a mix of
pages for ``--duration`` seconds: dashboard, inbox (also overdue and searched by name),
outbox, case list and name search, missing-person search, case pages, request pages and
notifications, choosing records its office can see, with a think time of about ``--think``
seconds between pages (uniformly 0.5x-1.5x; 0 = saturation: as fast as the server answers).
``--pages "inbox,case page"`` keeps only those page kinds (the issue's saturation goal is
stated for the inbox and case pages).

It prints, per run, two tables (p50, p95, p99, max in ms measured by the client; errors by
status, e.g. "409x7"): the sign-in phase (sign-ins/s) and the browsing phase per page kind
(pages/s), with the CPU time the server used per page: gunicorn's master and workers (from
/proc/<pid>/stat, utime + stime, before and after) and, on PostgreSQL, the database
server's. The client's own CPU and the load average are printed too: on a small machine the
client competes with the server, so compare the CPU per page more than the wall-clock times.
The first error responses are shown (status, URL, text of the page's first 200 characters)
and saved whole under /tmp/load_bench_errors/, with the first traceback of the server log.

Volumes other than the default get their own database (/tmp/coordination_bench_<cases>.sqlite3,
``coordination_bench_<cases>``) so that a quick run does not replace the full one. The run
writes to the database as real users do (sign-ins, the audit log of every record viewed), so
a reused database grows a little. ``--repeat K`` runs the sign-in and browsing phases K times
against the same server (run 1 includes its warm-up: templates compiled, connections opened).
"""

from __future__ import annotations

import argparse
import contextlib
import html
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.exchange_bench import (  # noqa: E402
    PG_BENCH_DIR,
    PG_DATABASE,
    SETTINGS,
    SQLITE_PATH,
    already_built,
    analyze,
    catalog_from_database,
    create_empty,
    generate,
    office_country,
    percentile,
    pg_server,
    postgres_url,
    read_directory,
    table,
)
from config import settings_from_env  # noqa: E402
from coordination import create_app  # noqa: E402
from coordination.auth.models import User  # noqa: E402
from coordination.demo_data import DEMO_PASSWORD, load_demo_data  # noqa: E402
from coordination.directory.models import Office  # noqa: E402
from coordination.extensions import db  # noqa: E402

DEFAULT_CASES = 100_000
# The benchmark database's audit chain is signed with this key when it is built and by the
# server; production wants 32+ characters, which the benchmark's SECRET_KEY has.
AUDIT_KEY = SETTINGS["SECRET_KEY"]
UPLOADS = Path("/tmp/coordination_bench_uploads")  # noqa: S108 - nothing is uploaded
ERRORS_DIR = Path("/tmp/load_bench_errors")  # noqa: S108 - a throwaway folder
ERRORS_SHOWN = 5
REQUEST_TIMEOUT = 60.0
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) load_bench/1.0"
CSRF_FIELD = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
MAIN = re.compile(r"<main\b.*?</main>", re.S)
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- The database ---------------------------------------------------------------------------


@dataclass
class Prepared:
    kind: str
    url: str
    was_running: bool  # the PostgreSQL server was running before this run
    pools: dict  # what there is to ask for, from the exchange benchmark's catalog
    accounts: list[tuple[str, str]]  # (user name, office code), enabled accounts
    notes: list[str] = field(default_factory=list)


def production_argon2(args) -> tuple[int, int]:
    """The Argon2 cost the server will use (the defaults, unless --env overrides them)."""
    settings = settings_from_env(dict(extra_env(args)), "/nonexistent")
    return settings["ARGON2_TIME_COST"], settings["ARGON2_MEMORY_KIB"]


def prepare(kind: str, args) -> Prepared:
    """Build (or reuse) the benchmark database; what the simulated users will ask for."""
    was_running = True
    if kind == "sqlite":
        url = f"sqlite:///{args.sqlite_path}"
    else:
        url, was_running = postgres_url(args.pg_database)
    rng = random.Random(args.seed)
    print(f"\n== {kind}: {make_url(url).render_as_string(hide_password=True)}", file=sys.stderr)
    reuse = args.reuse and already_built(kind, url)
    checkpoints = checkpoint_file(kind, args)
    if not reuse:
        create_empty(kind, url)
        checkpoints.unlink(missing_ok=True)  # the checkpoints of the chain just dropped
    notes = []
    app = create_app(
        {
            **SETTINGS,
            "SQLALCHEMY_DATABASE_URI": url,
            "AUDIT_KEY": AUDIT_KEY,
            "AUDIT_CHECKPOINT_FILE": str(checkpoints),
        }
    )
    with app.app_context():
        start = time.perf_counter()
        upgrade()  # with --reuse, a no-op unless a migration was added since the build
        if not reuse:
            load_demo_data()
            db.session.commit()
        directory = read_directory()
        if reuse:
            catalog = catalog_from_database(directory, rng)
            notes.append("reused the existing benchmark database")
        else:
            _catalog, stats = generate(args, directory, rng)
            analyze()
            counts = ", ".join(f"{n:,} {t}" for t, n in stats["counts"].items())
            notes.append(f"built in {time.perf_counter() - start:.0f} s: {counts}")
            # Read back like --reuse, so that both runs ask for the same kind of records.
            catalog = catalog_from_database(directory, random.Random(args.seed))
        if not args.keep_hashes:
            time_cost, memory_kib = production_argon2(args)
            hashed = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib).hash(DEMO_PASSWORD)
            values = {"password_hash": hashed}
            # Unlocked, if the accounts carry their own sign-in failures.
            columns = User.__table__.c
            values |= {"failed_logins": 0} if "failed_logins" in columns else {}
            values |= {"locked_until": None} if "locked_until" in columns else {}
            db.session.execute(
                update(User).values(values).execution_options(synchronize_session=False)
            )
            db.session.commit()
            notes.append(
                f"passwords hashed at the production cost (t={time_cost}, {memory_kib} KiB)"
            )
        if not audit_chain_signed_with_our_key():
            notes.append(
                "WARNING: this database's audit chain was signed with another AUDIT_KEY (built"
                " by bench/exchange_bench.py?): the server logs an error on every audited page;"
                " run without --reuse to rebuild it"
            )
        accounts = list(
            db.session.execute(
                select(User.username, Office.code)
                .join(Office, User.office_id == Office.id)
                .where(User.is_enabled.is_(True))
                .order_by(User.id)
            ).all()
        )
        db.session.remove()
        db.engine.dispose()
    pools = {
        "cases": catalog.cases_by_office,
        "case names": catalog.names_by_office,
        "requests": catalog.visible_requests,
        "inbox names": catalog.inbox_names,
        "missing names": catalog.missing_names,
    }
    for line in notes:
        print(line, file=sys.stderr)
    return Prepared(kind, url, was_running, pools, accounts, notes)


def checkpoint_file(kind: str, args) -> Path:
    """The audit checkpoints of this benchmark database (not the instance folder's)."""
    if kind == "sqlite":
        return Path(f"{args.sqlite_path}.audit-checkpoints.log")
    return Path(f"/tmp/{args.pg_database}.audit-checkpoints.log")  # noqa: S108


def audit_chain_signed_with_our_key() -> bool:
    """Whether the audit chain state row verifies with AUDIT_KEY (True if there is none)."""
    try:
        from coordination.audit.models import AuditChainState
        from coordination.audit.operations import state_signature
    except ImportError:  # an older or newer audit module: nothing to check
        return True
    state = db.session.get(AuditChainState, 1)
    if state is None:
        return True
    return state.signature == state_signature(state.last_sequence, state.head_digest)


# --- The pages ------------------------------------------------------------------------------


def q(value: str) -> str:
    return quote(value, safe="")


@dataclass(frozen=True)
class PageKind:
    name: str
    weight: int  # share of the page views
    pool: str | None  # the catalog pool the URL draws from, by the user's office
    make: object  # callable(rng, pool items) -> path


# A working day's mix: the worklists and the records behind them most, searches less.
PAGE_KINDS = [
    PageKind("dashboard", 8, None, lambda rng, pool: "/"),
    PageKind("inbox", 14, None, lambda rng, pool: "/requests/inbox"),
    PageKind("inbox ?overdue=1", 3, None, lambda rng, pool: "/requests/inbox?overdue=1"),
    PageKind(
        "inbox ?q=name",
        5,
        "inbox names",
        lambda rng, pool: f"/requests/inbox?q={q(rng.choice(pool))}",
    ),
    PageKind("outbox", 8, None, lambda rng, pool: "/requests/outbox"),
    PageKind("cases (list)", 10, None, lambda rng, pool: "/cases/"),
    PageKind(
        "cases ?q=name", 8, "case names", lambda rng, pool: f"/cases/?q={q(rng.choice(pool))}"
    ),
    PageKind(
        "missing ?q=name",
        3,
        "missing names",
        lambda rng, pool: f"/missing/?q={q(rng.choice(pool))}",
    ),
    PageKind("case page", 15, "cases", lambda rng, pool: f"/cases/{rng.choice(pool)}"),
    PageKind("request page", 16, "requests", lambda rng, pool: f"/requests/{rng.choice(pool)}"),
    PageKind("notifications", 4, None, lambda rng, pool: "/notifications/"),
]
SIGN_IN_KINDS = ["login page (GET)", "sign-in (POST)"]


def pages_of(office: str, pools: dict, only=()) -> list[tuple[PageKind, list]]:
    """The page kinds a user of ``office`` visits, with the records to choose from (``only``:
    the names of the kinds to keep, e.g. "inbox", "case page"; empty: all)."""
    kinds = []
    for kind in PAGE_KINDS:
        if only and kind.name not in only:
            continue
        items = []
        if kind.pool == "missing names":
            items = pools["missing names"].get(office_country(office), [])
        elif kind.pool:
            items = pools[kind.pool].get(office, [])
        if kind.pool and not items:
            continue  # nothing of this office's to look at
        kinds.append((kind, items))
    return kinds


# --- Recording ------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    ms: float
    status: str  # "200", "409", "302 -> /login", "ConnectionError"…
    ok: bool


class Recorder:
    def __init__(self, errors_dir: Path):
        self.lock = threading.Lock()
        self.samples: list[Sample] = []
        self.shown: list[str] = []
        self.errors_dir = errors_dir
        shutil.rmtree(errors_dir, ignore_errors=True)  # no error pages of an earlier run
        self.error_count = 0
        self.retries = 0

    def count_retry(self) -> None:
        with self.lock:
            self.retries += 1

    def add(self, kind: str, ms: float, status: str, ok: bool, url: str = "", body: str = ""):
        with self.lock:
            self.samples.append(Sample(kind, ms, status, ok))
            if ok:
                return
            self.error_count += 1
            if len(self.shown) >= ERRORS_SHOWN:
                return
            number = len(self.shown) + 1
            self.errors_dir.mkdir(parents=True, exist_ok=True)
            saved = self.errors_dir / f"{number}.html"
            saved.write_text(body)
            self.shown.append(f"{status} {kind} {url}: {page_text(body)[:200]!r} (whole: {saved})")


def page_text(body: str) -> str:
    """The visible text of a page's main part, on one line."""
    found = MAIN.search(body)
    text = TAGS.sub(" ", found.group(0) if found else body)
    return " ".join(html.unescape(text).split())


# --- The simulated users --------------------------------------------------------------------


class SimulatedUser:
    def __init__(self, number: int, base: str, account: str, office: str, pools, args):
        self.number = number
        self.base = base
        self.account = account
        self.pages = pages_of(office, pools, args.pages)
        self.weights = [kind.weight for kind, _items in self.pages]
        self.rng = random.Random(args.seed * 1000 + number)
        self.think = args.think
        self.signed_in = False
        self.session = requests.Session()
        self.session.headers.update(
            {
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                "Accept-Language": "vi,en;q=0.5",
            }
        )
        self.last_url: str | None = None

    def get(self, recorder: Recorder, kind: str, path: str) -> requests.Response | None:
        url = self.base + path
        headers = {"Referer": self.last_url} if self.last_url else {}
        begin = time.perf_counter()
        for attempt in (1, 2):
            try:
                response = self.session.get(
                    url, headers=headers, allow_redirects=False, timeout=REQUEST_TIMEOUT
                )
                break
            except requests.ConnectionError as error:
                # The server closed a kept-alive connection (gunicorn closes those idle for
                # --keep-alive seconds, counted while a request waits for a free thread too):
                # browsers then send a GET again on a new connection, once. The close may
                # reach us as an empty answer or as a reset, depending on the timing.
                closed = ("RemoteDisconnected", "ConnectionResetError")
                if attempt == 1 and any(sign in str(error) for sign in closed):
                    recorder.count_retry()
                    continue
                ms = (time.perf_counter() - begin) * 1000
                recorder.add(kind, ms, type(error).__name__, False, path, str(error))
                return None
            except requests.RequestException as error:
                ms = (time.perf_counter() - begin) * 1000
                recorder.add(kind, ms, type(error).__name__, False, path, str(error))
                return None
        ms = (time.perf_counter() - begin) * 1000
        ok = response.status_code == 200
        status = str(response.status_code)
        if response.is_redirect:
            status += " -> " + response.headers.get("Location", "?").split("?")[0]
        recorder.add(kind, ms, status, ok, path, "" if ok else response.text)
        self.last_url = url
        return response

    def sign_in(self, recorder: Recorder) -> None:
        page = self.get(recorder, SIGN_IN_KINDS[0], "/login")
        if page is None or page.status_code != 200:
            return
        token = CSRF_FIELD.search(page.text)
        data = {
            "username": self.account,
            "password": DEMO_PASSWORD,
            "csrf_token": html.unescape(token.group(1)) if token else "",
            "next": "",
        }
        headers = {"Origin": self.base, "Referer": self.base + "/login"}
        begin = time.perf_counter()
        try:
            response = self.session.post(
                self.base + "/login",
                data=data,
                headers=headers,
                allow_redirects=False,
                timeout=REQUEST_TIMEOUT,
            )
        except requests.RequestException as error:
            ms = (time.perf_counter() - begin) * 1000
            recorder.add(SIGN_IN_KINDS[1], ms, type(error).__name__, False, "/login", str(error))
            return
        ms = (time.perf_counter() - begin) * 1000
        location = response.headers.get("Location", "")
        self.signed_in = response.status_code == 302 and "/login" not in location
        status = str(response.status_code)
        if response.status_code == 200:
            status = "200 (not signed in)"  # the form again, with a message
        body = "" if self.signed_in else response.text
        recorder.add(SIGN_IN_KINDS[1], ms, status, self.signed_in, "/login", body)

    def browse(self, recorder: Recorder, deadline: float, stop: threading.Event) -> None:
        def think(seconds: float) -> None:
            stop.wait(max(0.0, min(seconds, deadline - time.monotonic())))

        if self.think:
            think(self.rng.uniform(0, self.think))  # users do not all click at the same moment
        while not stop.is_set() and time.monotonic() < deadline:
            kind, items = self.rng.choices(self.pages, self.weights)[0]
            self.get(recorder, kind.name, kind.make(self.rng, items))
            if self.think:
                think(self.rng.uniform(0.5, 1.5) * self.think)


def run_threads(targets, stop: threading.Event) -> None:
    """Run the callables in threads released at the same moment; wait for all of them."""
    barrier = threading.Barrier(len(targets))

    def wrap(target):
        def go():
            try:
                barrier.wait(timeout=60)
            except threading.BrokenBarrierError:
                return
            target()

        return go

    threads = [threading.Thread(target=wrap(target), daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)
    except BaseException:
        stop.set()
        barrier.abort()
        raise


# --- The server -----------------------------------------------------------------------------


def cpu_seconds(root_pid: int | None) -> float:
    """CPU time (user + system) of a process and all its descendants, including the children
    it has already waited for."""
    if root_pid is None:
        return 0.0
    stats = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        fields = raw[raw.rindex(")") + 2 :].split()
        # fields[0] is the state (field 3 of stat(5)): ppid 4, utime 14, stime 15, cutime 16…
        stats[int(entry.name)] = (int(fields[1]), [int(value) for value in fields[11:15]])
    children = defaultdict(list)
    for pid, (ppid, _times) in stats.items():
        children[ppid].append(pid)
    if root_pid not in stats:
        return 0.0
    ticks = sum(stats[root_pid][1][2:4])  # reaped children (restarted workers, old backends)
    pending = [root_pid]
    while pending:
        pid = pending.pop()
        ticks += sum(stats[pid][1][0:2])
        pending.extend(children.get(pid, []))
    return ticks / CLOCK_TICKS


def postgres_pid() -> int | None:
    data = Path(os.environ.get("PGTEST_DIR", PG_BENCH_DIR)) / "data" / "postmaster.pid"
    try:
        return int(data.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def extra_env(args) -> list[tuple[str, str]]:
    pairs = []
    for item in args.env:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise SystemExit(f"--env takes NAME=VALUE, not {item!r}")
        pairs.append((name, value))
    return pairs


class Server:
    """gunicorn serving wsgi:app in production mode, stopped whatever happens."""

    def __init__(self, url: str, checkpoints: Path, args, log_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("ARGON2_", "FLASK_")) and name not in {"DATABASE_URL"}
        }
        env.update(
            {
                "APP_ENV": "production",
                "SECRET_KEY": SETTINGS["SECRET_KEY"],
                # The key the chain was signed with when the database was built.
                "AUDIT_KEY": AUDIT_KEY,
                "AUDIT_CHECKPOINT_FILE": str(checkpoints),
                "UPLOAD_FOLDER": str(UPLOADS),
                "DATABASE_URL": url,
                "SESSION_COOKIE_SECURE": "false",  # plain HTTP on 127.0.0.1
                "LOGIN_RATE_LIMIT": "100000 per minute",  # every user comes from 127.0.0.1
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(extra_env(args))
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            "--timeout",
            "120",
            "--keep-alive",
            str(args.keep_alive),
            "--graceful-timeout",
            "10",
            "--log-level",
            "warning",
            "--error-logfile",
            "-",
            "wsgi:app",
        ]
        self.env = env
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl+C reaches the benchmark, which stops the server
        )
        log.close()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start:\n{self.log_tail()}")
            try:
                if requests.get(self.base + "/login", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within 90 s:\n{self.log_tail()}")

    def warm_up(self, count: int) -> None:
        """Each worker thread serves a page or two (imports, first template compile)."""
        for _ in range(count):
            with contextlib.suppress(requests.RequestException):
                requests.get(self.base + "/login", timeout=30)

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid if self.process else None)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # gunicorn: graceful shutdown of the workers
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def first_traceback(self, lines: int = 40) -> str | None:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return None
        for index, line in enumerate(text):
            if line.startswith("Traceback"):
                return "\n".join(text[max(0, index - 2) : index + lines])
        return None


# --- Report ---------------------------------------------------------------------------------


def errors_cell(samples: list[Sample]) -> str:
    counts = Counter(sample.status for sample in samples if not sample.ok)
    return ", ".join(f"{status}×{n}" for status, n in counts.most_common()) or "-"


def rows_for(kinds: list[str], samples: list[Sample], seconds: float, total: str) -> list[list]:
    by_kind = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    rows = [["page", "requests", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"]]

    def row(name, group):
        if not group:
            return [name, "0", *["-"] * 6]
        times = [sample.ms for sample in group]
        return [
            name,
            str(len(group)),
            f"{len(group) / seconds:.1f}",
            f"{percentile(times, 0.50):.0f}",
            f"{percentile(times, 0.95):.0f}",
            f"{percentile(times, 0.99):.0f}",
            f"{max(times):.0f}",
            errors_cell(group),
        ]

    rows += [row(kind, by_kind[kind]) for kind in kinds if by_kind[kind]]
    rows.append(row(total, samples))
    return rows


@dataclass
class Phase:
    seconds: float = 0.0
    server_cpu: float = 0.0
    db_cpu: float | None = None
    client_cpu: float = 0.0


def cpu_lines(phase: Phase, count: int, unit: str) -> list[str]:
    per = max(count, 1)
    lines = [
        f"server CPU (gunicorn master + workers): {phase.server_cpu:.1f} s, "
        f"{phase.server_cpu / per * 1000:.1f} ms per {unit} "
        f"({phase.server_cpu / max(phase.seconds, 1e-9):.2f} cores busy)"
    ]
    if phase.db_cpu is not None:
        lines.append(
            f"PostgreSQL CPU: {phase.db_cpu:.1f} s, {phase.db_cpu / per * 1000:.1f} ms per {unit}"
        )
    lines.append(
        f"client CPU (this benchmark): {phase.client_cpu:.1f} s "
        f"({phase.client_cpu / max(phase.seconds, 1e-9):.2f} cores busy)"
    )
    return lines


def report(
    kind: str, args, run: int, sign_in: tuple, browse: tuple, recorder: Recorder, server
) -> str:
    (sign_in_samples, sign_in_phase, signed_in, accounts) = sign_in
    (browse_samples, browse_phase) = browse
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    title = (
        f"### {kind}, run {run}: {args.users} users on {accounts} accounts, "
        f"{args.workers} workers × {args.threads} threads, think {args.think:g} s, "
        f"{args.duration:g} s"
    )
    posts = [s for s in sign_in_samples if s.kind == SIGN_IN_KINDS[1]]
    out = [
        title,
        "",
        f"Sign-in, all at once: {signed_in}/{args.users} signed in in "
        f"{sign_in_phase.seconds:.1f} s ({signed_in / max(sign_in_phase.seconds, 1e-9):.1f}"
        f" sign-ins/s)",
        "",
        table(
            rows_for(SIGN_IN_KINDS, sign_in_samples, sign_in_phase.seconds, "sign-in total"),
            "lrrrrrrl",
        ),
        "",
        *cpu_lines(sign_in_phase, len(posts), "sign-in"),
        "",
        f"Browsing for {browse_phase.seconds:.1f} s:",
        "",
        table(
            rows_for(
                [kind.name for kind in PAGE_KINDS],
                browse_samples,
                browse_phase.seconds,
                "all pages",
            ),
            "lrrrrrrl",
        ),
        "",
        *cpu_lines(browse_phase, len(browse_samples), "page"),
        f"load average after the run: {load}",
    ]
    if recorder.retries:
        out.append(
            f"GETs sent again on a new connection after the server closed a kept-alive one"
            f" (as browsers do; not counted as errors): {recorder.retries}"
        )
    if recorder.shown:
        out += ["", f"First errors ({recorder.error_count} in all):"]
        out += [f"  {line}" for line in recorder.shown]
        traceback = server.first_traceback()
        if traceback:
            out += ["", "First traceback in the server log:", traceback]
    return "\n".join(out)


# --- Main -----------------------------------------------------------------------------------


def one_run(kind: str, prepared: Prepared, server: Server, args, run: int) -> str:
    recorder = Recorder(ERRORS_DIR / f"{kind}-run{run}")
    accounts = prepared.accounts[: args.accounts] if args.accounts else prepared.accounts
    users = [
        SimulatedUser(
            number,
            server.base,
            accounts[number % len(accounts)][0],
            accounts[number % len(accounts)][1],
            prepared.pools,
            args,
        )
        for number in range(args.users)
    ]
    stop = threading.Event()
    pg = postgres_pid() if kind == "postgresql" else None

    def measured(action) -> Phase:
        phase = Phase()
        server_before, db_before = server.cpu(), cpu_seconds(pg)
        client_before = sum(os.times()[:2])
        started = time.perf_counter()
        action()
        phase.seconds = time.perf_counter() - started
        phase.server_cpu = server.cpu() - server_before
        phase.db_cpu = cpu_seconds(pg) - db_before if pg else None
        phase.client_cpu = sum(os.times()[:2]) - client_before
        return phase

    print(f"  run {run}: {args.users} users signing in", file=sys.stderr)
    sign_in_phase = measured(
        lambda: run_threads([lambda u=u: u.sign_in(recorder) for u in users], stop)
    )
    sign_in_samples = list(recorder.samples)
    recorder.samples.clear()
    browsing = [user for user in users if user.signed_in]
    print(f"  run {run}: {len(browsing)} users browsing for {args.duration:g} s", file=sys.stderr)
    if browsing:

        def browse_all():
            deadline = time.monotonic() + args.duration
            run_threads([lambda u=u: u.browse(recorder, deadline, stop) for u in browsing], stop)

        browse_phase = measured(browse_all)
    else:
        browse_phase = Phase(seconds=1e-9)
    for user in users:
        user.session.close()
    signed_in = len(browsing)
    used = len({user.account for user in users})
    return report(
        kind,
        args,
        run,
        (sign_in_samples, sign_in_phase, signed_in, used),
        (list(recorder.samples), browse_phase),
        recorder,
        server,
    )


def run_database(kind: str, args) -> None:
    prepared = prepare(kind, args)
    server = Server(
        prepared.url, checkpoint_file(kind, args), args, ERRORS_DIR / f"gunicorn-{kind}.log"
    )
    try:
        print(f"  starting {' '.join(server.command[2:])}", file=sys.stderr)
        server.start()
        server.warm_up(args.workers * args.threads)
        for run in range(1, args.repeat + 1):
            print(one_run(kind, prepared, server, args, run))
            print(flush=True)
        for line in prepared.notes:
            print(f"({kind}: {line})")
        print(f"(server log: {server.log_path})\n")
    finally:
        server.stop()
        if not prepared.was_running and not args.keep_server:
            pg_server("stop")


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--users", type=int, default=50, help="simulated users (threads)")
    parser.add_argument(
        "--accounts", type=int, default=0, help="use only the first N accounts (shared more)"
    )
    parser.add_argument(
        "--think", type=float, default=2.0, help="seconds between pages (0 = saturation)"
    )
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of browsing")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--keep-alive",
        type=int,
        default=2,
        help="gunicorn's --keep-alive: seconds an idle connection stays open (its default: 2)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs against the same server")
    parser.add_argument(
        "--pages",
        type=lambda text: tuple(name.strip() for name in text.split(",") if name.strip()),
        default=(),
        help='only these page kinds, comma-separated (e.g. "inbox,case page"; default: the mix)',
    )
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES)
    parser.add_argument("--people", type=int, help="default: 3 per case")
    parser.add_argument("--requests", type=int, help="default: 2 per case")
    parser.add_argument("--missing", type=int, help="default: 1 per 5 cases")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument(
        "--reuse", action="store_true", help="use the benchmark database already built"
    )
    parser.add_argument(
        "--keep-hashes",
        action="store_true",
        help="leave the password hashes as built (cheap: the first sign-in re-hashes them)",
    )
    parser.add_argument(
        "--env", action="append", default=[], help="NAME=VALUE for the server (repeatable)"
    )
    parser.add_argument("--sqlite-path", help="default: the exchange benchmark's for its volume")
    parser.add_argument("--pg-database", help="default: the exchange benchmark's for its volume")
    parser.add_argument(
        "--keep-server",
        action="store_true",
        help="leave the PostgreSQL server running if this run started it",
    )
    args = parser.parse_args(argv)
    if args.users < 1 or args.workers < 1 or args.threads < 1 or args.repeat < 1:
        parser.error("--users, --workers, --threads and --repeat must be at least 1")
    if args.cases < 10:
        parser.error("--cases must be at least 10")
    unknown = set(args.pages) - {kind.name for kind in PAGE_KINDS}
    if unknown:
        names = ", ".join(kind.name for kind in PAGE_KINDS)
        parser.error(f"--pages: unknown {', '.join(sorted(unknown))}; the kinds: {names}")
    args.people = args.people or 3 * args.cases
    args.requests = args.requests or 2 * args.cases
    args.missing = args.missing or max(1, args.cases // 5)
    default_volume = (args.cases, args.people, args.requests, args.missing) == (
        DEFAULT_CASES,
        300_000,
        200_000,
        20_000,
    )
    suffix = "" if default_volume else f"_{args.cases}"
    if args.sqlite_path is None:
        args.sqlite_path = str(
            SQLITE_PATH
            if default_volume
            else SQLITE_PATH.with_name(f"coordination_bench{suffix}.sqlite3")
        )
    args.pg_database = args.pg_database or PG_DATABASE + suffix
    extra_env(args)  # fail early on a malformed --env
    return args


def main(argv=None) -> int:
    args = parse(argv)

    def terminated(_signum, _frame):
        raise KeyboardInterrupt  # so that the server is stopped on the way out

    signal.signal(signal.SIGTERM, terminated)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in background
    os.chdir(ROOT)
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    try:
        for kind in kinds:
            run_database(kind, args)
    except KeyboardInterrupt:
        print("\ninterrupted: server stopped", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())

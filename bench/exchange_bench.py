"""Benchmark of the inbox, the searches and the detail pages at volume, on SQLite and PostgreSQL.

Run from the repository root (about 5 minutes per database on 2 cores):

    .venv/bin/python bench/exchange_bench.py [--database sqlite|postgresql|both]
        [--cases 100000] [--people 300000] [--requests 200000] [--missing 20000]
        [--samples 200] [--warmup 5] [--explain | --explain-all] [--reuse] [--pages inbox,cases]

For each database it builds a fresh database through the real migrations and the demo data,
bulk-generates the volume with SQLAlchemy Core executemany inserts (seeded, so repeatable),
runs ANALYZE, then measures pages through the Flask test client signed in as demo users.
It prints one table per database (p50, p95, max in ms; the time spent in SQL; SQL statements
per page load, which must not grow with the rows shown) and a verdict per page (p95 < 100 ms),
then the slowest statements of each page.

``--explain`` prints the query plan of the slowest statement of every page over the target
(``--explain-all``: of every page); ``--reuse`` measures the database already built (after
running any new migration) instead of rebuilding it; ``--pages`` measures only some pages.
The SQLite file is /tmp/coordination_bench.sqlite3 (``--sqlite-path``); the PostgreSQL
database is ``coordination_bench`` (``--pg-database``) on a private server started with
scripts/pg-test-server in /tmp/coordination-pgbench on port 54339 (PGTEST_DIR and PGTEST_PORT
override), apart from the test suite's; a server this script started is stopped at the end
unless ``--keep-server``. Both databases are kept, for EXPLAIN by hand. See bench/FINDINGS.md.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from itsdangerous import URLSafeTimedSerializer  # noqa: E402
from sqlalchemy import create_engine, event, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from coordination import create_app  # noqa: E402
from coordination.auth.models import User  # noqa: E402
from coordination.cases.models import Case, MissingPersonReport, Person  # noqa: E402
from coordination.core.text import search_key  # noqa: E402
from coordination.demo_data import DEMO_PASSWORD, PARTNERSHIPS, load_demo_data  # noqa: E402
from coordination.directory.models import (  # noqa: E402
    AdministrativeArea,
    Office,
    ReferenceCounter,
    RequestKind,
)
from coordination.exchange.models import (  # noqa: E402
    Request,
    RequestMessage,
    RequestPerson,
)
from coordination.extensions import db  # noqa: E402
from coordination.notifications.models import Notification  # noqa: E402

TARGET_MS = 100.0
SQLITE_PATH = Path("/tmp/coordination_bench.sqlite3")  # noqa: S108 - a throwaway file
PG_DATABASE = "coordination_bench"
PG_BENCH_DIR = "/tmp/coordination-pgbench"  # noqa: S108 - a throwaway cluster
PG_BENCH_PORT = "54339"
BATCH = 5_000
SETTINGS = {
    "SECRET_KEY": "bench-secret-key-with-enough-length-0123456789",
    # The audit chain is signed with this key: the load bench serves the same database.
    "AUDIT_KEY": "bench-secret-key-with-enough-length-0123456789",
    # Not the instance folder's file: a bench database has its own chain.
    "AUDIT_CHECKPOINT_FILE": str(Path(tempfile.gettempdir()) / "coordination_bench-audit.log"),
    # Cheap hashing for the demo accounts: the benchmark is not about signing in.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_KIB": 64,
    "LOGIN_RATE_LIMIT": "1000 per minute",
}
NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()

# --- Names ----------------------------------------------------------------------------------

# fmt: off
VI_SURNAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4),
    ("Phan", 4), ("Vũ", 4), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2),
    ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Lò", 1), ("Hà", 1), ("Vi", 1), ("Lương", 1),
]
VI_MIDDLE = {
    "female": ["Thị", "Thị", "Thị", "Thị Thu", "Ngọc", "Thanh", "Thùy", "Kim", "Phương", "Mỹ"],
    "male": ["Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Công", "Xuân", "Thanh"],
}
VI_GIVEN = {
    "female": ["An", "Anh", "Chi", "Cúc", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
               "Hồng", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga",
               "Ngân", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thủy", "Trang", "Tuyết",
               "Vân", "Yến"],
    "male": ["An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khánh",
             "Long", "Minh", "Nam", "Phong", "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Thành",
             "Trung", "Tuấn", "Việt"],
}
# Lao given names are built from two syllables (Som + sak, Boun + my, Kham + phone…).
LO_GIVEN_FIRST = [("ສົມ", "Som"), ("ບຸນ", "Boun"), ("ຄຳ", "Kham"), ("ແສງ", "Seng"),
                  ("ພອນ", "Phone"), ("ທອງ", "Thong"), ("ສີ", "Si"), ("ວັນ", "Van"),
                  ("ບົວ", "Boua"), ("ມະນີ", "Many")]
LO_GIVEN_SECOND = [("ສັກ", "sak"), ("ມີ", "my"), ("ພອນ", "phone"), ("ໄຊ", "xay"),
                   ("ຈັນ", "chanh"), ("ສຸກ", "souk"), ("ດີ", "dy"), ("ລາ", "la"),
                   ("ພັນ", "phanh"), ("ວົງ", "vong")]
LO_SURNAMES = [("ພົມມະຈັນ", "Phommachanh"), ("ແກ້ວວົງສາ", "Keovongsa"), ("ສີຫາລາດ", "Sihalath"),
               ("ວົງສາ", "Vongsa"), ("ອິນທະວົງ", "Inthavong"), ("ສຸລິຍະ", "Souliya"),
               ("ແສງສຸລິຍາ", "Sengsouliya"), ("ພິມມະສອນ", "Phimmasone"), ("ຈັນທະລາ", "Chanthala"),
               ("ໄຊຍະວົງ", "Xayavong"), ("ສີສຸວັນ", "Sisouvanh"), ("ລາດສະວົງ", "Latsavong")]
ZH_SURNAMES = [("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"),
               ("杨", "Yang"), ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"),
               ("农", "Nong"), ("韦", "Wei"), ("梁", "Liang"), ("覃", "Qin"), ("陆", "Lu"),
               ("蒙", "Meng")]
ZH_GIVEN = [("明", "Ming"), ("丽", "Li"), ("强", "Qiang"), ("芳", "Fang"), ("伟", "Wei"),
            ("娟", "Juan"), ("军", "Jun"), ("燕", "Yan"), ("华", "Hua"), ("英", "Ying"),
            ("红", "Hong"), ("平", "Ping"), ("秀", "Xiu"), ("玉", "Yu"), ("海", "Hai"),
            ("春", "Chun"), ("兰", "Lan"), ("国", "Guo")]
# fmt: on


def _weighted(pairs):
    values, weights = zip(*pairs, strict=True)
    return list(values), list(weights)


VI_SURNAME_VALUES, VI_SURNAME_WEIGHTS = _weighted(VI_SURNAMES)


def person_name(rng: random.Random, nationality: str, sex: str) -> tuple[str, str | None]:
    """(name as written, name in Latin letters or None) for someone of ``nationality``."""
    sex_key = "male" if sex == "male" else "female"
    if nationality == "LA":
        first, first_roman = rng.choice(LO_GIVEN_FIRST)
        second, second_roman = rng.choice(LO_GIVEN_SECOND)
        surname, surname_roman = rng.choice(LO_SURNAMES)
        return f"{first}{second} {surname}", f"{first_roman}{second_roman} {surname_roman}"
    if nationality == "CN":
        surname, surname_roman = rng.choice(ZH_SURNAMES)
        given = rng.sample(ZH_GIVEN, rng.choice((1, 2, 2)))
        written = surname + "".join(char for char, _ in given)
        roman = f"{surname_roman} " + "".join(roman for _, roman in given).capitalize()
        return written, roman
    surname = rng.choices(VI_SURNAME_VALUES, VI_SURNAME_WEIGHTS)[0]
    return f"{surname} {rng.choice(VI_MIDDLE[sex_key])} {rng.choice(VI_GIVEN[sex_key])}", None


def plain(value: str) -> str:
    """A name as someone types it without diacritics (Nguyễn Thị Hoa → Nguyen Thi Hoa)."""
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", value)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not 0x0300 <= ord(c) < 0x0370)
    )


# --- Office mix -----------------------------------------------------------------------------

# fmt: off
# Share of the cases opened by each office (mostly the four big border liaison offices).
CASE_OFFICES = [
    ("QT-BLO", 30), ("LS-BLO", 25), ("SVK-BLO", 15), ("PX-BLO", 15), ("SLV-BLO", 4),
    ("CZ-BLO", 4), ("GX-PD", 3), ("QT-BGS-LB", 2), ("QT-PC", 1), ("LS-PC", 1),
]
# Share of the requests exchanged within each demo partnership.
PARTNERSHIP_WEIGHTS = {
    ("QT-BLO", "SVK-BLO"): 32, ("QT-BLO", "SLV-BLO"): 8, ("QT-BGS-LB", "SVK-BGS-DSV"): 5,
    ("LS-BLO", "PX-BLO"): 30, ("LS-BLO", "CZ-BLO"): 8, ("LS-BLO", "GX-PD"): 7,
    ("QT-BLO", "QT-SPC"): 5, ("LS-BLO", "LS-SPC"): 5,
}
COUNTRY_OF_PROVINCE = {"QT": "VN", "LS": "VN", "SVK": "LA", "SLV": "LA", "GX": "CN"}
OFFICE_PROVINCE = {
    "QT": "QT", "LS": "LS", "SVK": "SVK", "SLV": "SLV", "GX": "GX", "PX": "GX", "CZ": "GX",
}
# fmt: on


def office_country(code: str) -> str:
    return COUNTRY_OF_PROVINCE[OFFICE_PROVINCE[code.split("-")[0]]]


# fmt: off
# Nationality of the people of a case, by the case office's country and the person's role.
NATIONALITY_MIX = {
    "VN": {"victim": [("VN", 90), ("LA", 5), ("CN", 5)],
           "relative": [("VN", 95), ("LA", 5)],
           "suspect": [("VN", 50), ("LA", 25), ("CN", 25)]},
    "LA": {"victim": [("VN", 40), ("LA", 60)], "relative": [("VN", 40), ("LA", 60)],
           "suspect": [("LA", 60), ("VN", 30), ("TH", 10)]},
    "CN": {"victim": [("VN", 80), ("CN", 20)], "relative": [("VN", 80), ("CN", 20)],
           "suspect": [("CN", 60), ("VN", 40)]},
}
CASE_STATUSES = [
    ("open", 8), ("verification", 8), ("victim_determined", 6), ("handover_scheduled", 4),
    ("handed_over", 6), ("in_support", 8), ("follow_up", 6), ("closed", 40),
    ("closed_referred", 8), ("closed_not_victim", 6),
]
CASE_TITLES = {
    "VN": "Nghi vấn mua bán người – {name}",
    "LA": "ກໍລະນີຄ້າມະນຸດ – {name}",
    "CN": "涉嫌拐卖人口案 – {name}",
}
REQUEST_SUBJECTS = {
    "VN": {"identity_verification": "Xác minh nhân thân {name}",
           "information": "Đề nghị cung cấp thông tin vụ {number}",
           "rescue_assistance": "Đề nghị hỗ trợ giải cứu {name}",
           "handover_proposal": "Đề xuất bàn giao nạn nhân {name}"},
    "LA": {"identity_verification": "ຂໍກວດສອບຕົວຕົນ {name}",
           "information": "ຂໍຂໍ້ມູນກ່ຽວກັບ {number}",
           "rescue_assistance": "ຂໍຄວາມຊ່ວຍເຫຼືອກູ້ໄພ {name}",
           "handover_proposal": "ສະເໜີສົ່ງມອບ {name}"},
    "CN": {"identity_verification": "身份核查：{name}",
           "information": "关于{number}的信息请求",
           "rescue_assistance": "请求协助解救{name}",
           "handover_proposal": "移交建议：{name}"},
}
# Most requests of three years are finished; about one in eight still awaits an answer.
REQUEST_STATES = [
    ("draft", 3), ("sent", 5), ("acknowledged", 6), ("information_requested", 2),
    ("answered", 14), ("closed", 60), ("declined", 5), ("withdrawn", 5),
]
# fmt: on


AWAITING = {"sent", "acknowledged", "information_requested"}
KIND_ORDER = [str(kind) for kind in RequestKind]
# The thread each state has (message kinds by sender "s" or recipient "r"), 1–3 messages.
THREADS = {
    "sent": [("send", "s")],
    "acknowledged": [("send", "s"), ("acknowledge", "r")],
    "information_requested": [("send", "s"), ("acknowledge", "r"), ("ask_back", "r")],
    "answered": [("send", "s"), ("acknowledge", "r"), ("reply", "r")],
    "closed": [("send", "s"), ("reply", "r"), ("close", "s")],
    "declined": [("send", "s"), ("decline", "r")],
    "withdrawn": [("send", "s"), ("withdraw", "s")],
    "draft": [],
}


def choose(rng: random.Random, pairs):
    values, weights = _weighted(pairs)
    return rng.choices(values, weights)[0]


# --- Building the database ------------------------------------------------------------------


def app_for(url: str):
    return create_app({**SETTINGS, "SQLALCHEMY_DATABASE_URI": url})


def pg_server(command: str) -> subprocess.CompletedProcess:
    """scripts/pg-test-server, on a cluster of its own (not the test suite's, which a test run
    stops when it ends), unless PGTEST_DIR / PGTEST_PORT say otherwise."""
    env = {**os.environ}
    env.setdefault("PGTEST_DIR", PG_BENCH_DIR)
    env.setdefault("PGTEST_PORT", PG_BENCH_PORT)
    script = ROOT / "scripts" / "pg-test-server"
    return subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [str(script), command], check=True, capture_output=True, text=True, timeout=600, env=env
    )


def postgres_url(database: str) -> tuple[str, bool]:
    """Start the private server if needed; the benchmark database's URL, and whether the
    server was already running."""
    result = pg_server("start")
    base = make_url(result.stdout.strip().splitlines()[-1])
    url = base.set(database=database).render_as_string(hide_password=False)
    return url, "already running" in result.stderr


def create_empty(kind: str, url: str) -> None:
    if kind == "sqlite":
        sqlite_path = make_url(url).database
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        return
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        name = make_url(url).database
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8'"))
    admin.dispose()


def already_built(kind: str, url: str) -> bool:
    if kind == "sqlite" and not Path(make_url(url).database).exists():
        return False
    try:
        engine = create_engine(url)
        with engine.connect() as connection:
            found = connection.execute(text("SELECT count(*) FROM requests")).scalar()
        engine.dispose()
        return bool(found)
    except Exception:  # no database, or no tables yet: build it
        return False


@dataclass
class Directory:
    """What the demo data holds, by code."""

    offices: dict[str, int]
    areas: dict[str, dict]  # code -> {"id": …, "names": {…}}
    users: dict[str, int]  # username -> id
    office_user: dict[str, int]  # office code -> a user of that office (else admin)


def read_directory() -> Directory:
    offices = {o.code: o.id for o in db.session.scalars(select(Office))}
    areas = {
        a.code: {"id": a.id, "names": a.names}
        for a in db.session.scalars(select(AdministrativeArea))
    }
    users = {}
    office_user = {}
    codes = {office_id: code for code, office_id in offices.items()}
    for user in db.session.scalars(select(User).order_by(User.id)):
        users[user.username] = user.id
        office_user.setdefault(codes[user.office_id], user.id)
    for code in offices:
        office_user.setdefault(code, users["admin"])
    return Directory(offices, areas, users, office_user)


class Bulk:
    """executemany inserts in batches, with timing per table."""

    def __init__(self, connection, order):
        self.connection = connection
        # Parents before children: flushing a table first flushes the tables it refers to.
        self.order = order
        self.pending: dict = defaultdict(list)
        self.counts: Counter = Counter()
        self.seconds: Counter = Counter()

    def add(self, table, row: dict) -> None:
        rows = self.pending[table]
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush(table)

    def flush(self, table=None) -> None:
        last = self.order.index(table) if table is not None else len(self.order) - 1
        for each in self.order[: last + 1]:
            rows = self.pending[each]
            if not rows:
                continue
            start = time.perf_counter()
            self.connection.execute(insert(each), rows)
            self.seconds[each.name] += time.perf_counter() - start
            self.counts[each.name] += len(rows)
            self.pending[each] = []


@dataclass
class Catalog:
    """What was generated, for choosing what to ask for while measuring."""

    cases_by_office: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    names_by_office: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    inbox_names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    visible_requests: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    missing_names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def next_id(connection, table) -> int:
    return (connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def searchable(rng: random.Random, written: str, romanised: str | None) -> str:
    """What a user would type to find this person: Latin letters, no diacritics."""
    if romanised and rng.random() < 0.8:
        return romanised
    return plain(written)


def generate(args, directory: Directory, rng: random.Random) -> tuple[Catalog, dict]:
    catalog = Catalog()
    offices = directory.offices
    province_of = {code: directory.areas[OFFICE_PROVINCE[code.split("-")[0]]] for code in offices}
    provinces_by_country = defaultdict(list)
    for code, country in COUNTRY_OF_PROVINCE.items():
        provinces_by_country[country].append(directory.areas[code])
    provinces_by_country["CN"] += [directory.areas["GX-PX"], directory.areas["GX-CZ"]]
    engine = db.engine
    timings: dict[str, float] = {}
    with engine.begin() as connection:
        cases_t, people_t = Case.__table__, Person.__table__
        requests_t, shared_t = Request.__table__, RequestPerson.__table__
        messages_t, missing_t = RequestMessage.__table__, MissingPersonReport.__table__
        notifications_t = Notification.__table__
        bulk = Bulk(
            connection,
            [cases_t, people_t, requests_t, shared_t, messages_t, notifications_t, missing_t],
        )
        case_id, person_id = next_id(connection, cases_t), next_id(connection, people_t)
        request_id, shared_id = next_id(connection, requests_t), next_id(connection, shared_t)
        message_id, missing_id = next_id(connection, messages_t), next_id(connection, missing_t)
        notification_id = next_id(connection, notifications_t)

        # Cases and their people.
        start = time.perf_counter()
        people_per_case = max(1, round(args.people / max(args.cases, 1)))
        numbers: Counter = Counter()
        case_people: dict[int, list[dict]] = {}
        case_info: dict[int, tuple[str, str]] = {}  # id -> (office code, number)
        people_left = args.people
        for index in range(args.cases):
            office = choose(rng, CASE_OFFICES)
            country = office_country(office)
            opened = TODAY - timedelta(days=int(rng.triangular(0, 6 * 365, 0)))
            numbers[(office, opened.year)] += 1
            number = f"{office}/CASE/{opened.year}/{numbers[(office, opened.year)]:06d}"
            stamp = datetime.combine(opened, datetime.min.time(), UTC) + timedelta(hours=9)
            count = people_per_case if index < args.cases - 1 else max(people_left, 0)
            count = min(count, people_left)
            people_left -= count
            members = []
            for position in range(count):
                role = ("victim", "relative", "suspect")[position % 3]
                if position % 3 == 1 and rng.random() < 0.3:
                    role = "victim"
                nationality = choose(rng, NATIONALITY_MIX[country][role])
                if role == "victim":
                    sex = choose(rng, [("female", 75), ("male", 20), ("unknown", 5)])
                elif role == "suspect":
                    sex = choose(rng, [("male", 70), ("female", 25), ("unknown", 5)])
                else:
                    sex = rng.choice(("female", "male"))
                written, romanised = person_name(
                    rng, nationality if nationality in ("VN", "LA", "CN") else "LA", sex
                )
                home = rng.choice(
                    provinces_by_country.get(nationality) or provinces_by_country["VN"]
                )
                age = rng.randint(12, 30) if role == "victim" else rng.randint(20, 60)
                born = None
                if rng.random() < 0.6:
                    born = opened - timedelta(days=age * 365 + rng.randint(0, 364))
                documents = []
                if rng.random() < 0.5:
                    documents.append(
                        {
                            "kind": rng.choice(("id_card", "passport")),
                            "number": f"{rng.randint(0, 999_999_999_999):012d}",
                            "issued_by": nationality,
                        }
                    )
                row = {
                    "id": person_id,
                    "case_id": case_id,
                    "role": role,
                    "name_as_written": written,
                    "name_romanised": romanised,
                    "sex": sex,
                    "date_of_birth": born,
                    "estimated_age": None if born else age,
                    "age_recorded_on": None if born else opened,
                    "nationality": nationality,
                    "home_province_id": home["id"],
                    "home_commune_id": None,
                    "home_address": f"Bản {rng.randint(1, 40)}" if rng.random() < 0.4 else None,
                    "identity_documents": documents,
                    "relatives_contacts": None,
                    "guardian": None,
                    "flagged_child": role == "victim" and age < 18 and born is None,
                    "victim_status": rng.choice(("possible", "actual", None))
                    if role == "victim"
                    else None,
                    "photo_id": None,
                    "search_text": search_key(written, romanised),
                    "created_at": stamp,
                    "updated_at": stamp,
                    "version": 1,
                }
                members.append({**row, "home": home})
                catalog.names_by_office[office].append(searchable(rng, written, romanised))
                person_id += 1
            victim = next((m for m in members if m["role"] == "victim"), None)
            title_name = victim["name_as_written"] if victim else number
            bulk.add(
                cases_t,
                {
                    "id": case_id,
                    "office_id": offices[office],
                    "number": number,
                    "title": CASE_TITLES[country].format(name=title_name)[:200],
                    "summary": "Benchmark case." if rng.random() < 0.5 else None,
                    "status": choose(rng, CASE_STATUSES),
                    "opened_on": opened,
                    "created_by_id": directory.office_user[office],
                    "created_at": stamp,
                    "updated_at": stamp,
                    "version": 1,
                },
            )
            for member in members:  # after their case: the foreign key is checked at once
                bulk.add(people_t, {k: v for k, v in member.items() if k != "home"})
            case_people[case_id] = members
            case_info[case_id] = (office, number)
            catalog.cases_by_office[office].append(case_id)
            case_id += 1
        # Cases first: people refer to them (foreign keys are enforced on both databases).
        bulk.flush(cases_t)
        bulk.flush(people_t)
        timings["cases + people"] = time.perf_counter() - start

        # Requests between partner offices, one shared person each, 1–3 messages.
        start = time.perf_counter()
        pairs = [((a, b), days) for a, b, _languages, days in PARTNERSHIPS]
        pair_weights = [PARTNERSHIP_WEIGHTS.get(pair, 1) for pair, _ in pairs]
        references: Counter = Counter()
        recipient_user = {code: directory.office_user[code] for code in offices}
        for _index in range(args.requests):
            (a, b), days = rng.choices(pairs, pair_weights)[0]
            sender, recipient = (a, b) if rng.random() < 0.55 else (b, a)
            kind = choose(
                rng,
                [
                    ("identity_verification", 45),
                    ("information", 30),
                    ("rescue_assistance", 10),
                    ("handover_proposal", 15),
                ],
            )
            state = choose(rng, REQUEST_STATES)
            own_cases = catalog.cases_by_office.get(sender)
            case = rng.choice(own_cases) if own_cases else None
            members = case_people.get(case) or []
            person = rng.choice(members) if members else None
            if person is None:  # an office without cases asks about someone not in a case
                nationality = office_country(sender)
                written, romanised = person_name(rng, nationality, "female")
                person = {
                    "id": None,
                    "name_as_written": written,
                    "name_romanised": romanised,
                    "sex": "female",
                    "date_of_birth": None,
                    "estimated_age": 20,
                    "nationality": nationality,
                    "home": province_of[sender],
                    "flagged_child": False,
                }
            number = case_info[case][1] if case else "—"
            language = office_country(sender)
            subject = REQUEST_SUBJECTS[language][kind].format(
                name=person["name_as_written"], number=number
            )[:200]
            if state == "draft":
                sent_at = deadline_at = answered_at = reference = None
                created = NOW - timedelta(days=rng.uniform(0, 60))
            else:
                if state in AWAITING:  # recent: some still in time, some overdue
                    sent_at = NOW - timedelta(
                        days=rng.triangular(0, 40, 0), minutes=rng.randint(0, 600)
                    )
                else:
                    sent_at = NOW - timedelta(days=rng.triangular(0, 3 * 365, 0))
                sent_at = sent_at.replace(microsecond=0)
                deadline_at = sent_at + timedelta(days=days[KIND_ORDER.index(kind)])
                answered_at = (
                    sent_at + timedelta(days=rng.uniform(0.5, days[KIND_ORDER.index(kind)] + 5))
                    if state in ("answered", "closed")
                    else None
                )
                references[(sender, sent_at.year)] += 1
                reference = f"{sender}/{sent_at.year}/{references[(sender, sent_at.year)]:04d}"
                created = sent_at
            shared = {
                "name_as_written": person["name_as_written"],
                "name_romanised": person["name_romanised"],
                "sex": person["sex"],
                "date_of_birth": person["date_of_birth"].isoformat()
                if person["date_of_birth"]
                else None,
                "estimated_age": person["estimated_age"],
                "nationality": person["nationality"],
                "home_province": {"id": person["home"]["id"], "names": person["home"]["names"]},
                "child": bool(person["flagged_child"]),
            }
            names = [n for n in (person["name_as_written"], person["name_romanised"]) if n]
            updated = answered_at or sent_at or created
            bulk.add(
                requests_t,
                {
                    "id": request_id,
                    "reference": reference,
                    "kind": kind,
                    "state": state,
                    "sender_office_id": offices[sender],
                    "recipient_office_id": offices[recipient],
                    "case_id": case,
                    "subject": subject,
                    "body": "Đề nghị quý cơ quan phối hợp xác minh." if language == "VN" else None,
                    "sent_at": sent_at,
                    "deadline_at": deadline_at,
                    "answered_at": answered_at,
                    "created_by_id": directory.office_user[sender],
                    "search_text": search_key(reference, subject, *names),
                    "created_at": created,
                    "updated_at": updated,
                    "version": 1 + len(THREADS[state]),
                },
            )
            verified = state in ("answered", "closed") and kind == "identity_verification"
            bulk.add(
                shared_t,
                {
                    "id": shared_id,
                    "request_id": request_id,
                    "person_id": person["id"],
                    "position": 1,
                    "shared": shared,
                    "outcome": rng.choice(("confirmed", "not_confirmed")) if verified else None,
                    "outcome_note": None,
                    "outcome_at": answered_at,
                    "outcome_by_id": recipient_user[recipient] if answered_at else None,
                },
            )
            shared_id += 1
            moment = sent_at
            for step, side in THREADS[state]:
                author_office = sender if side == "s" else recipient
                bulk.add(
                    messages_t,
                    {
                        "id": message_id,
                        "request_id": request_id,
                        "kind": step,
                        "author_id": directory.office_user[author_office],
                        "author_office_id": offices[author_office],
                        "body": None if step in ("send", "acknowledge") else "Nội dung trả lời.",
                        "created_at": moment,
                    },
                )
                message_id += 1
                moment = min(moment + timedelta(hours=rng.uniform(1, 72)), NOW)
            if state != "draft":
                bulk.add(
                    notifications_t,
                    {
                        "id": notification_id,
                        "user_id": recipient_user[recipient],
                        "kind": "request_received",
                        "request_id": request_id,
                        "created_at": sent_at,
                        "read_at": None if rng.random() < 0.03 else sent_at + timedelta(hours=2),
                        "emailed_at": None,
                    },
                )
                notification_id += 1
                catalog.inbox_names[recipient].append(
                    searchable(rng, person["name_as_written"], person["name_romanised"])
                )
                catalog.visible_requests[recipient].append(request_id)
            catalog.visible_requests[sender].append(request_id)
            request_id += 1
        bulk.flush(requests_t)
        bulk.flush(shared_t)
        bulk.flush(messages_t)
        bulk.flush(notifications_t)
        timings["requests + shared people + messages + notifications"] = time.perf_counter() - start

        # Missing-person reports, across the three countries' offices.
        start = time.perf_counter()
        report_offices = [(code, weight) for code, weight in CASE_OFFICES]
        for _index in range(args.missing):
            office = choose(rng, report_offices)
            country = office_country(office)
            sex = choose(rng, [("female", 70), ("male", 28), ("unknown", 2)])
            nationality = country if rng.random() < 0.8 else "VN"
            written, romanised = person_name(rng, nationality, sex)
            since = TODAY - timedelta(days=int(rng.triangular(0, 5 * 365, 0)))
            status = choose(rng, [("open", 60), ("found", 25), ("closed", 15)])
            stamp = datetime.combine(since, datetime.min.time(), UTC) + timedelta(days=1)
            reporter, _ = person_name(rng, nationality, "male")
            bulk.add(
                missing_t,
                {
                    "id": missing_id,
                    "office_id": offices[office],
                    "name_as_written": written,
                    "name_romanised": romanised,
                    "sex": sex,
                    "date_of_birth": None,
                    "estimated_age": rng.randint(13, 35),
                    "home_province_id": rng.choice(provinces_by_country[nationality])["id"],
                    "home_commune_id": None,
                    "home_address": None,
                    "missing_since": since,
                    "last_seen_place": None,
                    "last_seen_with": None,
                    "reporter_name": reporter,
                    "reporter_contact": None,
                    "reporter_relationship": "parent",
                    "status": status,
                    "found_on": since + timedelta(days=30) if status != "open" else None,
                    "outcome_note": None,
                    "photo_id": None,
                    "search_text": search_key(written, romanised),
                    "created_by_id": directory.office_user[office],
                    "created_at": stamp,
                    "updated_at": stamp,
                    "version": 1,
                },
            )
            catalog.missing_names[country].append(searchable(rng, written, romanised))
            missing_id += 1
        bulk.flush()
        timings["missing-person reports"] = time.perf_counter() - start

        # Keep the reference counters in step, so the app numbers on after the generated data.
        counters = Counter()
        for (office, year), last in numbers.items():
            counters[(office, "case", year)] = last
        for (office, year), last in references.items():
            counters[(office, "request", year)] = last
        connection.execute(ReferenceCounter.__table__.delete())
        if counters:
            connection.execute(
                insert(ReferenceCounter.__table__),
                [
                    {"office_id": offices[o], "series": s, "year": y, "last_number": n}
                    for (o, s, y), n in counters.items()
                ],
            )
        if engine.dialect.name == "postgresql":
            for table in (
                "cases",
                "people",
                "requests",
                "request_people",
                "request_messages",
                "missing_person_reports",
                "notifications",
            ):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    return catalog, {"timings": timings, "counts": dict(bulk.counts), "seconds": dict(bulk.seconds)}


def analyze() -> float:
    start = time.perf_counter()
    engine = db.engine
    if engine.dialect.name == "postgresql":
        # VACUUM sets the visibility map (index-only counts) only if no transaction is open
        # meanwhile: close the session's first.
        db.session.remove()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
            connection.execute(text("PRAGMA optimize"))
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - start


def catalog_from_database(directory: Directory, rng: random.Random, limit: int = 5000) -> Catalog:
    """With --reuse: read back enough of the generated data to choose what to ask for."""
    catalog = Catalog()
    codes = {office_id: code for code, office_id in directory.offices.items()}
    for case_id, office_id in db.session.execute(select(Case.id, Case.office_id)):
        catalog.cases_by_office[codes[office_id]].append(case_id)
    rows = db.session.execute(
        select(Person.name_as_written, Person.name_romanised, Case.office_id)
        .join(Case, Person.case_id == Case.id)
        .order_by(Person.id)
        .limit(limit * 5)
    )
    for written, romanised, office_id in rows:
        catalog.names_by_office[codes[office_id]].append(searchable(rng, written, romanised))
    rows = db.session.execute(
        select(Request.id, Request.sender_office_id, Request.recipient_office_id, Request.state)
    )
    for request_id, sender, recipient, state in rows:
        catalog.visible_requests[codes[sender]].append(request_id)
        if state != "draft":
            catalog.visible_requests[codes[recipient]].append(request_id)
    rows = db.session.execute(
        select(RequestPerson.shared, Request.recipient_office_id)
        .join(Request, RequestPerson.request_id == Request.id)
        .where(Request.state != "draft")
        .order_by(RequestPerson.id)
        .limit(limit * 5)
    )
    for shared, recipient in rows:
        catalog.inbox_names[codes[recipient]].append(
            searchable(rng, shared["name_as_written"], shared.get("name_romanised"))
        )
    rows = db.session.execute(
        select(
            MissingPersonReport.name_as_written,
            MissingPersonReport.name_romanised,
            MissingPersonReport.office_id,
        ).limit(limit * 4)
    )
    for written, romanised, office_id in rows:
        catalog.missing_names[office_country(codes[office_id])].append(
            searchable(rng, written, romanised)
        )
    return catalog


# --- Measuring ------------------------------------------------------------------------------


class StatementLog:
    """Counts (and times) the SQL statements sent while a page is served."""

    def __init__(self, engine):
        self.count = 0
        self.statements: list[tuple[str, object, float]] = []
        self._started: float = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def reset(self) -> None:
        self.count = 0
        self.statements = []

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self.count += 1
        self._started = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append((statement, parameters, time.perf_counter() - self._started))


@dataclass
class Page:
    name: str
    user: str
    make_url: object  # callable(rng) -> str
    samples_ms: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)  # time spent in SQL, per page load
    rows: list[int] = field(default_factory=list)
    # statement text -> [total seconds, calls, last parameters]
    sql: dict = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)


def sign_in(app, username: str):
    client = app.test_client()
    raw = "bench-csrf-raw-token"
    with client.session_transaction() as session:
        session["csrf_token"] = raw
    token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    response = client.post(
        "/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    if response.status_code != 302:
        raise SystemExit(f"could not sign in as {username}: {response.status_code}")
    return client


ROW_PATTERNS = (
    re.compile(rb"<tbody>(.*?)</tbody>", re.S),
    re.compile(rb'<li class="message'),
    re.compile(rb'<article class="shared-person'),
)


def rows_shown(body: bytes) -> int:
    rows = sum(part.count(b"<tr") for part in ROW_PATTERNS[0].findall(body))
    return rows + len(ROW_PATTERNS[1].findall(body)) + len(ROW_PATTERNS[2].findall(body))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def pages_for(catalog: Catalog, directory: Directory) -> list[Page]:
    def pick(pool):
        if not pool:
            raise SystemExit("nothing generated to ask for: use larger volumes")
        return pool

    qt_cases = pick(catalog.cases_by_office["QT-BLO"])
    qt_names = pick(catalog.names_by_office["QT-BLO"])
    qt_requests = pick(catalog.visible_requests["QT-BLO"])
    svk_names = pick(catalog.inbox_names["SVK-BLO"])
    vn_missing = pick(catalog.missing_names["VN"])

    def q(value: str) -> str:
        return quote(value, safe="")

    return [
        Page("inbox", "svk.liaison", lambda rng: "/requests/inbox"),
        Page("inbox ?overdue=1", "svk.liaison", lambda rng: "/requests/inbox?overdue=1"),
        Page(
            "inbox ?q=name",
            "svk.liaison",
            lambda rng: f"/requests/inbox?q={q(rng.choice(svk_names))}",
        ),
        Page("outbox", "qt.liaison", lambda rng: "/requests/outbox"),
        Page("cases (list)", "qt.liaison", lambda rng: "/cases/"),
        Page("cases ?q=name", "qt.liaison", lambda rng: f"/cases/?q={q(rng.choice(qt_names))}"),
        Page(
            "missing ?q=name", "qt.liaison", lambda rng: f"/missing/?q={q(rng.choice(vn_missing))}"
        ),
        Page("case page", "qt.liaison", lambda rng: f"/cases/{rng.choice(qt_cases)}"),
        Page("request page", "qt.liaison", lambda rng: f"/requests/{rng.choice(qt_requests)}"),
    ]


def measure(app, engine, pages: list[Page], args, rng: random.Random) -> None:
    log = StatementLog(engine)
    clients = {}
    for page in pages:
        if page.user not in clients:
            clients[page.user] = sign_in(app, page.user)
        client = clients[page.user]
        for _ in range(args.warmup):
            client.get(page.make_url(rng))
        started = time.perf_counter()
        for _ in range(args.samples):
            url = page.make_url(rng)
            log.reset()
            begin = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - begin) * 1000
            if response.status_code != 200:
                page.errors[response.status_code] += 1
                if page.errors.total() <= 3:
                    print(f"  {url}: {response.status_code}", file=sys.stderr)
                continue
            page.samples_ms.append(elapsed)
            page.statements.append(log.count)
            page.sql_ms.append(sum(seconds for _s, _p, seconds in log.statements) * 1000)
            page.rows.append(rows_shown(response.data))
            for statement, parameters, seconds in log.statements:
                entry = page.sql.setdefault(statement, [0.0, 0, None])
                entry[0] += seconds
                entry[1] += 1
                entry[2] = parameters
            if time.perf_counter() - started > args.max_seconds_per_page:
                break
        print(f"  measured {page.name:<18} {len(page.samples_ms)} samples", file=sys.stderr)


def span(values: list[int]) -> str:
    if not values:
        return "-"
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low}–{high}"


def table(rows: list[list[str]], align: str) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row):
        cells = [
            cell.rjust(width) if kind == "r" else cell.ljust(width)
            for cell, width, kind in zip(row, widths, align, strict=True)
        ]
        return "| " + " | ".join(cells) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if kind == "r" else ("-" * (w + 2))
            for w, kind in zip(widths, align, strict=True)
        )
        + "|"
    )
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])


def report(kind: str, pages: list[Page], samples_wanted: int) -> str:
    header = [
        "page",
        "user",
        "n",
        "p50 ms",
        "p95 ms",
        "max ms",
        "SQL ms p50",
        "SQL ms p95",
        "SQL/page",
        "rows shown",
        "p95 < 100 ms",
    ]
    rows = [header]
    for page in pages:
        if not page.samples_ms:
            rows.append([page.name, page.user, "0", *["-"] * 7, f"ERROR {dict(page.errors)}"])
            continue
        p95 = percentile(page.samples_ms, 0.95)
        verdict = "PASS" if p95 < TARGET_MS else "FAIL"
        if page.errors:
            verdict += f" (errors {dict(page.errors)})"
        rows.append(
            [
                page.name,
                page.user,
                str(len(page.samples_ms)),
                f"{percentile(page.samples_ms, 0.50):.1f}",
                f"{p95:.1f}",
                f"{max(page.samples_ms):.1f}",
                f"{percentile(page.sql_ms, 0.50):.1f}",
                f"{percentile(page.sql_ms, 0.95):.1f}",
                span(page.statements),
                span(page.rows),
                verdict,
            ]
        )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"### {kind}\n\n"
        + table(rows, "llrrrrrrrrl")
        + f"\n\n(load average after measuring: {load}. This benchmark keeps one core busy;"
        " well above 1 means other processes competed for the CPU and the wall-clock columns"
        " are inflated: compare the SQL columns.)"
    )


def short_sql(statement: str) -> str:
    """The statement on one line, with long column lists shown as "…" (counts are kept)."""
    return re.sub(
        r"SELECT (?!count\()((?:(?! FROM ).){60,}?) FROM ",
        "SELECT … FROM ",
        " ".join(statement.split()),
    )


def slowest_statements(pages: list[Page], top: int = 3) -> str:
    lines = []
    for page in pages:
        if not page.samples_ms:
            continue
        loads = len(page.samples_ms)
        lines.append(f"- {page.name}:")
        ranked = sorted(page.sql.items(), key=lambda item: item[1][0], reverse=True)[:top]
        for statement, (seconds, calls, _params) in ranked:
            sql = short_sql(statement)
            sql = sql if len(sql) <= 150 else sql[:147] + "..."
            lines.append(f"    {seconds / loads * 1000:7.2f} ms/page  {calls / loads:4.1f}x  {sql}")
    return "\n".join(lines)


def explain(engine, pages: list[Page], everything: bool) -> str:
    out = []
    for page in pages:
        if not page.samples_ms or not page.sql:
            continue
        if not everything and percentile(page.samples_ms, 0.95) < TARGET_MS:
            continue
        statement, (seconds, _calls, params) = max(page.sql.items(), key=lambda item: item[1][0])
        if not statement.lstrip().upper().startswith("SELECT"):
            continue
        prefix = (
            "EXPLAIN (ANALYZE, BUFFERS) "
            if engine.dialect.name == "postgresql"
            else "EXPLAIN QUERY PLAN "
        )
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute(prefix + statement, params)
            plan = cursor.fetchall()
        finally:
            raw.rollback()
            raw.close()
        sql = short_sql(statement)
        out.append(f"#### {page.name}: {seconds / len(page.samples_ms) * 1000:.1f} ms/page\n")
        out.append(f"    {sql}\n    params: {params}\n")
        for row in plan:
            out.append("    " + " | ".join(str(part) for part in row))
        out.append("")
    return "\n".join(out)


# --- Main -----------------------------------------------------------------------------------


def run(kind: str, args) -> tuple[str, list[Page]]:
    was_running = True
    if kind == "sqlite":
        url = f"sqlite:///{args.sqlite_path}"
    else:
        url, was_running = postgres_url(args.pg_database)
    rng = random.Random(args.seed)
    print(f"\n== {kind}: {make_url(url).render_as_string(hide_password=True)}", file=sys.stderr)
    reuse = args.reuse and already_built(kind, url)
    if not reuse:
        create_empty(kind, url)
    app = app_for(url)
    summary = []
    with app.app_context():
        if reuse:
            upgrade()  # a no-op unless a migration was added since the build
        else:
            start = time.perf_counter()
            upgrade()
            load_demo_data()
            db.session.commit()
            summary.append(f"migrations + demo data: {time.perf_counter() - start:.1f} s")
        directory = read_directory()
        if reuse:
            catalog = catalog_from_database(directory, rng)
            summary.append("reused the existing benchmark database")
        else:
            start = time.perf_counter()
            catalog, stats = generate(args, directory, rng)
            total = time.perf_counter() - start
            counts = ", ".join(f"{n:,} {t}" for t, n in stats["counts"].items())
            summary.append(f"generated in {total:.1f} s: {counts}")
            for name, seconds in stats["timings"].items():
                summary.append(f"  {name}: {seconds:.1f} s")
            inserts = ", ".join(f"{t} {s:.1f} s" for t, s in stats["seconds"].items())
            summary.append(f"  of which inserts: {inserts}")
            summary.append(f"ANALYZE: {analyze():.1f} s")
        db.session.remove()
        engine = db.engine
    for line in summary:
        print(line, file=sys.stderr)
    # Outside any app context: each request then gets its own context, session and user, as
    # on a real server (a request inside an open app context would share them).
    pages = [
        page
        for page in pages_for(catalog, directory)
        if not args.pages or any(part in page.name for part in args.pages.split(","))
    ]
    measure(app, engine, pages, args, rng)
    output = [
        report(kind, pages, args.samples),
        "",
        *summary,
        "",
        "Slowest statements (average time per page load, calls per load):",
        "",
        slowest_statements(pages),
    ]
    if args.explain or args.explain_all:
        plans = explain(engine, pages, args.explain_all)
        if plans:
            output += ["", "Query plans of the slowest statement of pages over target:", "", plans]
    engine.dispose()
    if not was_running and not args.keep_server:
        pg_server("stop")  # the data stays in its directory: start it again to look
    return "\n".join(output), pages


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--missing", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument(
        "--max-seconds-per-page",
        type=float,
        default=90.0,
        help="stop sampling a page after this long (keeps slow runs bounded)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the plan of the slowest statement of each page over target",
    )
    parser.add_argument(
        "--explain-all",
        action="store_true",
        help="print the plan of the slowest statement of every page",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the existing benchmark database instead of rebuilding it",
    )
    parser.add_argument("--sqlite-path", default=str(SQLITE_PATH))
    parser.add_argument("--pg-database", default=PG_DATABASE)
    parser.add_argument(
        "--pages",
        help="measure only pages whose name contains one of these "
        "comma-separated words, e.g. inbox,cases",
    )
    parser.add_argument(
        "--keep-server",
        action="store_true",
        help="leave the PostgreSQL server running if this run started it",
    )
    args = parser.parse_args(argv)
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    os.chdir(ROOT)
    results = []
    for kind in kinds:
        started = time.perf_counter()
        output, pages = run(kind, args)
        print(output)
        print(f"\n({kind}: whole run {time.perf_counter() - started:.0f} s)\n")
        results.append((kind, pages))
    print("Verdict (p95 < 100 ms):")
    failed = False
    for kind, pages in results:
        for page in pages:
            if not page.samples_ms:
                print(f"  {kind:<10} {page.name:<18} ERROR {dict(page.errors)}")
                failed = True
                continue
            p95 = percentile(page.samples_ms, 0.95)
            constant = len(set(page.statements)) == 1
            verdict = "PASS" if p95 < TARGET_MS and not page.errors else "FAIL"
            failed |= verdict == "FAIL"
            note = "" if constant else f"  (SQL statements vary: {span(page.statements)})"
            print(f"  {kind:<10} {page.name:<18} {verdict}  p95 {p95:6.1f} ms{note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

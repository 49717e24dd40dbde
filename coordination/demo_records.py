"""Demo records for a first look at identity verification (``flask demo-data load --records``).

Two missing-person registers on the Vietnamese side, and two partners asking who the
people they rescued are: Savannakhet writes the names in Lao script, Pingxiang in Chinese
characters and pinyin. Signed in as qt.liaison or ls.liaison, the inbox holds a request
whose people already have candidates; qt.guard finds a handover scheduled at Lao Bảo.
Loaded once: a second run adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.cases.models import Case
from coordination.cases.operations import add_person, create_case, create_missing_report
from coordination.core.features import registry, resolve
from coordination.directory.models import AdministrativeArea, BorderGate, Office
from coordination.directory.reference_data import LoadReport, load_reference_data
from coordination.exchange.models import MessageKind
from coordination.exchange.operations import compose, take_step
from coordination.extensions import db
from coordination.handovers.operations import schedule

# The register's home communes are reference data (the whole map): QT-HP Hướng Phùng, QT-LB
# Lao Bảo, LS-DD Đồng Đăng, and VN-06172 Hoàng Văn Thụ, which took in the former commune of
# Tân Thanh (LS-TT, merged in 2025: a former unit is no home commune any more).
# reporting user, home province code, commune code, name, romanised, sex, date of birth,
# missing since (two namesakes of one age: the commune the partner writes tells them apart)
REGISTER = [
    ("qt.liaison", "QT", "QT-LB", "Nguyễn Thị Hương", None, "female",
     date(2000, 9, 2), date(2026, 5, 14)),
    ("qt.liaison", "QT", "QT-HP", "Nguyễn Thị Hướng", "Nguyen Thi Huong", "female",
     date(2001, 5, 17), date(2026, 3, 2)),
    ("qt.liaison", "QT", None, "Nguyễn Thị Hương Giang", None, "female",
     date(1990, 1, 8), date(2025, 12, 20)),
    ("qt.liaison", "QT", "QT-LB", "Hồ Thị Lan", "Ho Thi Lan", "female",
     date(2009, 8, 1), date(2026, 6, 11)),
    ("qt.liaison", "QT", None, "Trần Văn Bình", None, "male", date(1995, 2, 1), date(2026, 1, 15)),
    ("ls.liaison", "LS", "LS-DD", "Phạm Thị Lan", "Pham Thi Lan", "female",
     date(1999, 11, 3), date(2026, 4, 9)),
    ("ls.liaison", "LS", "VN-06172", "Hoàng Văn Minh", None, "male",
     date(1987, 7, 30), date(2026, 2, 1)),
    ("ls.liaison", "LS", "VN-06172", "Lưu Thị Mai", "Luu Thi Mai", "female",
     date(2004, 3, 21), date(2026, 9, 5)),
]  # fmt: skip

# sender, recipient, case title, request subject, people (name, sex, estimated age, home
# place as the partner heard it)
REQUESTS = [
    ("svk.liaison", "QT-BLO", "ຊ່ວຍເຫຼືອແມ່ຍິງ 2 ຄົນ ຢູ່ເມືອງໄກສອນ", "ກວດສອບຕົວຕົນ ແມ່ຍິງ 2 ຄົນ",
     [("ຫງວຽນ ທິ ເຮືອງ", "female", 25, "ບ້ານເຮືອງຟຸງ ແຂວງກວາງຈີ"),
      ("ໂຮ ທິ ລານ", "female", 17, "ລາວບາວ")]),
    ("px.liaison", "LS-BLO", "凭祥解救越南籍妇女", "身份核查：两名越南籍妇女",
     [("范氏兰", "female", 27, "谅山省同登镇"), ("Liu Shi Mei", "female", 22, "Xinqing xiang")]),
]  # fmt: skip
SHARED = ["name_as_written", "sex", "estimated_age", "home_address"]


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def load_demo_records() -> LoadReport:
    """Register entries and incoming verification requests (after load_demo_data)."""
    report = LoadReport()
    first_title = REQUESTS[0][2]
    if db.session.scalar(select(Case.id).where(Case.title == first_title)) is None:
        _built_in_records(report)
    for feature in registry().features:
        if feature.demo:
            resolve(feature.demo)(report)
    return report


def _built_in_records(report: LoadReport) -> None:
    codes = {code for entry in REGISTER for code in entry[1:3] if code}
    present = select(func.count()).where(AdministrativeArea.code.in_(codes))
    missing = len(codes) - db.session.scalar(present)
    if missing:  # a database with the core map only (tests): load the communes of the map
        load_reference_data(scope="records")
        report.added["communes"] = missing
    areas = {
        area.code: area
        for area in db.session.scalars(
            select(AdministrativeArea).where(AdministrativeArea.code.in_(codes))
        )
    }
    for username, province, commune, name, romanised, sex, born, since in REGISTER:
        create_missing_report(
            {
                "name_as_written": name,
                "name_romanised": romanised,
                "sex": sex,
                "date_of_birth": born,
                "home_province_id": areas[province].id,
                "home_commune_id": areas[commune].id if commune else None,
                "missing_since": since,
                "reporter_name": "Gia đình",
            },
            actor=_user(username),
        )
        report.count("missing-person reports")
    for sender, recipient, title, subject, people in REQUESTS:
        actor = _user(sender)
        case = create_case({"title": title, "opened_on": date.today()}, actor=actor)
        added = []
        for name, sex, age, place in people:
            person = {"name_as_written": name, "sex": sex, "estimated_age": age}
            added.append(
                add_person(case, {"role": "victim", **person, "home_address": place}, actor=actor)
            )
        office = db.session.scalar(select(Office).where(Office.code == recipient))
        compose(
            {
                "recipient_office_id": office.id,
                "kind": "identity_verification",
                "subject": subject,
                "case_id": case.id,
                "person_ids": [person.id for person in added],
                "shared_fields": SHARED,
                "action": "send",
            },
            actor=actor,
        )
        report.count("verification requests")
    _scheduled_handover(report)


def _scheduled_handover(report: LoadReport) -> None:
    """Savannakhet proposes to hand two women back at Lao Bảo; Quảng Trị agrees; the
    Lao Bảo station has scheduled it for tomorrow morning (Vietnam time)."""
    lao = _user("svk.liaison")
    case = create_case({"title": "ມອບແມ່ຍິງ 2 ຄົນ ຄືນ ຫວຽດນາມ", "opened_on": date.today()}, actor=lao)
    added = [
        add_person(
            case,
            {"role": "victim", "name_as_written": name, "sex": "female", "estimated_age": age},
            actor=lao,
        )
        for name, age in (("ຫງວຽນ ທິ ເຮືອງ", 25), ("ເລ ທິ ລານ", 19))
    ]
    recipient = db.session.scalar(select(Office).where(Office.code == "QT-BLO"))
    proposal = compose(
        {
            "recipient_office_id": recipient.id,
            "kind": "handover_proposal",
            "subject": "ສະເໜີມອບ-ຮັບ ແມ່ຍິງ 2 ຄົນ ທີ່ດ່ານແດນສະຫວັນ",
            "case_id": case.id,
            "person_ids": [person.id for person in added],
            "shared_fields": SHARED,
            "action": "send",
        },
        actor=lao,
    )
    take_step(
        proposal,
        MessageKind.REPLY,
        {"body": "Đồng ý tiếp nhận tại cửa khẩu Lao Bảo."},
        {},
        actor=_user("qt.liaison"),
    )
    gate = db.session.scalar(select(BorderGate).where(BorderGate.code == "LAOBAO-DENSAVANH"))
    vietnam = ZoneInfo("Asia/Ho_Chi_Minh")
    # Tomorrow in Vietnam, not on the host's clock (UTC: after 17:00 it is already tomorrow).
    tomorrow = datetime.combine(
        datetime.now(vietnam).date() + timedelta(days=1), time(9, 0), tzinfo=vietnam
    )
    schedule(
        proposal,
        {
            "gate_id": gate.id,
            "scheduled_at": tomorrow,
            "handing_side": "sender",
            "person_ids": [person.id for person in proposal.people],
            "handing_officers": [{"name": "ບຸນມີ ແກ້ວວົງສາ", "rank": "ຮ້ອຍເອກ"}],
            "receiving_officers": [{"name": "Trần Văn Bình", "rank": "Thiếu tá"}],
            "interpreter": "Phạm Văn Hưởng",
            "transport": "Xe ô tô 74A-123.45",
        },
        actor=_user("qt.guard"),
    )
    report.count("scheduled handovers")

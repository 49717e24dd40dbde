"""Demo joint patrols (``flask demo-data load --records``): on the Lạng Sơn – Guangxi
border, the Hữu Nghị station and the Youyiguan station have one patrol confirmed and one
proposed by the Chinese side awaiting Hữu Nghị's answer. Loaded once: a second run adds
nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from coordination.auth.models import User
from coordination.directory.models import BorderGate, Office
from coordination.extensions import db
from coordination.patrols.models import Patrol, PatrolStep
from coordination.patrols.operations import propose, take_step

FIRST_MEETING_POINT = "Mốc 601, thôn Nà Phải, xã Đồng Đăng"

# proposer, partner office, from, to, gate code, days ahead, local start hour, hours,
# meeting point, units (proposer, partner), leaders (proposer, partner), purpose, answer
PATROLS = [
    ("ls.guard", "PX-BGS", "601", "605", None, 2, 7, 5, FIRST_MEETING_POINT,
     ("Đồn Biên phòng cửa khẩu quốc tế Hữu Nghị", "友谊关边防检查站 巡逻队"),
     ([{"name": "Vũ Văn Hải", "rank": "Thiếu tá"}], [{"name": "张伟", "rank": "二级警长"}]),
     "Tuần tra song phương phòng chống mua bán người qua đường mòn lối mở.", "px.guard"),
    ("px.guard", "LS-BGS-HN", None, None, "HUUNGHI-YOUYIGUAN", 6, 8, 4,
     "友谊关口岸 联检楼前",
     ("友谊关边防检查站", "Đồn Biên phòng cửa khẩu quốc tế Hữu Nghị"),
     ([{"name": "张伟", "rank": "二级警长"}], []),
     "联合巡逻：口岸周边便道，防范拐卖人口。", None),
]  # fmt: skip


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def add_demo_records(report) -> None:
    if db.session.scalar(select(Patrol.id).where(Patrol.meeting_point == FIRST_MEETING_POINT)):
        return
    for (proposer, partner, start, end, gate_code, days, hour, hours, point, units, leaders,
         purpose, confirmer) in PATROLS:  # fmt: skip
        actor = _user(proposer)
        partner_office = db.session.scalar(select(Office).where(Office.code == partner))
        if actor is None or partner_office is None:
            continue
        gate = (
            db.session.scalar(select(BorderGate).where(BorderGate.code == gate_code))
            if gate_code
            else None
        )
        zone = ZoneInfo(actor.timezone)
        starts = datetime.combine(date.today() + timedelta(days=days), time(hour, 0), tzinfo=zone)
        patrol = propose(
            {
                "partner_office_id": partner_office.id,
                "marker_from": start,
                "marker_to": end,
                "gate_id": gate.id if gate else None,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=hours),
                "meeting_point": point,
                "proposing_unit": units[0],
                "partner_unit": units[1],
                "proposing_leaders": leaders[0],
                "partner_leaders": leaders[1],
                "purpose": purpose,
            },
            actor=actor,
        )
        report.count("joint patrols")
        if confirmer:
            take_step(
                patrol,
                PatrolStep.CONFIRM,
                {"body": "同意。", "version": patrol.version},
                actor=_user(confirmer),
            )

"""Patrols built through the real operations: Hữu Nghị (LS-BGS-HN, Lạng Sơn) and the
Youyiguan station (PX-BGS, Guangxi), partners in the directory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from coordination.directory.models import BorderGate, Office
from coordination.extensions import db
from coordination.patrols import operations
from coordination.patrols.models import Patrol, PatrolMessage, PatrolReport, PatrolStep
from tests.conftest import user_named

HUU_NGHI = "HUUNGHI-YOUYIGUAN"


def office_id(code: str) -> int:
    return db.session.scalar(select(Office.id).where(Office.code == code))


def gate_id(code: str = HUU_NGHI) -> int:
    return db.session.scalar(select(BorderGate.id).where(BorderGate.code == code))


def future(hours: float) -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=hours)


def propose_data(**overrides) -> dict:
    starts = overrides.pop("starts_at", None) or future(48)
    return {
        "partner_office_id": office_id("PX-BGS"),
        "marker_from": "601",
        "marker_to": "605",
        "gate_id": None,
        "starts_at": starts,
        "ends_at": overrides.pop("ends_at", None) or starts + timedelta(hours=4),
        "meeting_point": "Mốc 601, thôn Nà Phải",
        "proposing_unit": "Đồn Biên phòng Hữu Nghị",
        "partner_unit": "友谊关边防检查站",
        "proposing_leaders": [{"name": "Vũ Văn Hải", "rank": "Thiếu tá"}],
        "partner_leaders": [{"name": "张伟", "rank": "二级警长"}],
        "purpose": "Phòng chống mua bán người qua đường mòn.",
        **overrides,
    }


def proposed_patrol(proposer: str = "ls.guard", **overrides) -> Patrol:
    return operations.propose(propose_data(**overrides), actor=user_named(proposer))


def confirmed_patrol(**overrides) -> Patrol:
    patrol = proposed_patrol(**overrides)
    operations.take_step(
        patrol, PatrolStep.CONFIRM, {"version": patrol.version}, actor=user_named("px.guard")
    )
    return patrol


def started(patrol: Patrol, hours_ago: float = 3) -> Patrol:
    """Move a patrol's time into the past (as if days had gone by since it was arranged)."""
    patrol.starts_at = future(-hours_ago)
    patrol.ends_at = future(-hours_ago + 2)
    db.session.flush()
    return patrol


def counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Patrol, PatrolMessage, PatrolReport)
    )

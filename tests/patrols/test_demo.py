"""The demo records: two patrols on the Lạng Sơn – Guangxi border (one confirmed, one
proposed by the Chinese side awaiting Hữu Nghị), loaded once."""

from __future__ import annotations

from sqlalchemy import func, select

from coordination.directory.reference_data import LoadReport
from coordination.extensions import db
from coordination.patrols.demo import add_demo_records
from coordination.patrols.models import Patrol
from coordination.patrols.queries import listed
from tests.conftest import user_named


def test_demo_patrols_load_once(app_ctx):
    report = LoadReport()
    add_demo_records(report)
    add_demo_records(report)
    assert report.added == {"joint patrols": 2}
    states = db.session.scalars(select(Patrol.state).order_by(Patrol.id)).all()
    assert states == ["confirmed", "proposed"]
    awaiting = db.session.scalars(listed(user_named("ls.guard"), "awaiting")).all()
    assert [patrol.proposing_office.code for patrol in awaiting] == ["PX-BGS"]
    assert db.session.scalar(select(func.count()).select_from(Patrol)) == 2

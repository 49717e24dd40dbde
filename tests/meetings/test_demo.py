"""The demo records: a quarterly giao ban of Quảng Trị with Savannakhet, minutes signed with
two action items (one overdue), loaded once."""

from __future__ import annotations

from sqlalchemy import func, select

from coordination.extensions import db
from coordination.meetings.demo import TITLE
from coordination.meetings.models import Meeting


def test_demo_records_load_once(app, runner):
    for _ in range(2):
        result = runner.invoke(args=["demo-data", "load", "--records"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        meetings = db.session.scalars(select(Meeting).where(Meeting.title == TITLE)).all()
        assert len(meetings) == 1
        minutes = meetings[0].minutes[0]
        assert minutes.signed and len(minutes.action_items) == 2
        assert sum(item.is_overdue() for item in minutes.action_items) == 1
        assert db.session.scalar(select(func.count()).select_from(Meeting)) >= 1

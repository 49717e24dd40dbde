"""The reminders: a referral unanswered for 3 days, a visit due or missed, essential needs
near 120 days; each notice once, none naming the person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from coordination.extensions import db
from coordination.notifications.describe import describe
from coordination.notifications.models import Notification
from coordination.reintegration import operations, tasks
from tests.conftest import user_named
from tests.reintegration.helpers import in_support, referred


def _notices(kind: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind)))


def test_a_referral_unanswered_for_three_days_is_reminded_once(app_ctx):
    referral = referred()
    now = datetime.now(UTC)
    assert tasks.remind_unanswered_referrals(now) == 0
    later = now + timedelta(days=3, minutes=1)
    sent = tasks.remind_unanswered_referrals(later)
    # The centre's social worker and the supervisors of its province.
    recipients = {n.user_id for n in _notices("reintegration_unanswered")}
    assert user_named("qt.social").id in recipients
    assert user_named("qt.supervisor").id in recipients
    assert sent == len(recipients)
    assert tasks.remind_unanswered_referrals(later + timedelta(hours=1)) == 0
    operations.answer_referral(
        referral, {"decision": "accept", "version": referral.version}, actor=user_named("qt.social")
    )


def test_visits_due_and_missed_are_reminded_once_each(app_ctx):
    referral = in_support()
    social = user_named("qt.social")
    today = datetime.now(UTC).date()
    operations.end_support(referral, {"home_on": today, "version": referral.version}, actor=social)
    first = referral.visits[0]
    now = datetime.combine(first.due_on - timedelta(days=3), datetime.min.time(), UTC)
    assert tasks.remind_visits(now) == 1
    assert tasks.remind_visits(now) == 0
    missed_at = now + timedelta(days=10)
    sent = tasks.remind_visits(missed_at)
    assert sent == 2  # the social worker and the province's supervisor
    assert tasks.remind_visits(missed_at + timedelta(days=1)) == 0


def test_essential_needs_near_120_days_are_reminded_and_say_no_name(app_ctx):
    referral = in_support(arrived=datetime.now(UTC).date())
    today = datetime.now(UTC).date()
    operations.add_service(
        referral,
        {"type": "essential_needs", "planned_start": today, "planned_end": today + timedelta(90)},
        actor=user_named("qt.social"),
    )
    soon = datetime.combine(today + timedelta(days=107), datetime.min.time(), UTC)
    assert tasks.remind_support_limits(soon - timedelta(days=5)) == 0
    assert tasks.remind_support_limits(soon) == 1
    assert tasks.remind_support_limits(soon) == 0
    notice = _notices("reintegration_limit_near")[0]
    from zoneinfo import ZoneInfo

    said = describe(notice, user_named("qt.social"), ZoneInfo("Asia/Ho_Chi_Minh"))
    assert said is not None and said.endpoint == "reintegration.detail"
    everything = said.title + " ".join(value for _label, value in said.lines)
    assert referral.name_as_written not in everything
    # Someone who may not see the file gets no description.
    assert describe(notice, user_named("px.liaison"), ZoneInfo("Asia/Shanghai")) is None
    assert db.session.scalar(select(func.count()).select_from(Notification)) >= 1

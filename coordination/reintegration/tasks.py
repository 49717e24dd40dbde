"""The reintegration feature's scheduled jobs (run by core.jobs.run_job): reminders.

- a referral not answered within 3 days: the centre's social workers and the supervisors of
  its province;
- a follow-up visit due within 7 days, and one missed (its day passed, nothing recorded):
  the centre's social workers (a missed one also its province's supervisors);
- essential needs reaching their 120th day within 14 days without an extension decision:
  the centre's social workers.

Each notice goes out once (notify_once keyed by kind, "referral:<id>", recipient and the
occasion: the visit or service it is about). A notice names no victim (it may go by e-mail).
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from sqlalchemy import func, select

from coordination.auth.models import Role
from coordination.core.formatting import day_text
from coordination.core.jobs import Counted, job_now
from coordination.extensions import db
from coordination.i18n import _
from coordination.notifications.describe import Description
from coordination.notifications.operations import Notice, notify_once, officers_of, supervisors_of
from coordination.reintegration.models import (
    ESSENTIAL_NEEDS_DAYS,
    OPEN_STAGES,
    FollowUpVisit,
    Referral,
    ServiceType,
    Stage,
    SupportService,
)
from coordination.reintegration.operations import (
    NOTICE_DECLINED,
    NOTICE_LIMIT_NEAR,
    NOTICE_REFERRED,
    NOTICE_UNANSWERED,
    NOTICE_VISIT_DUE,
    NOTICE_VISIT_MISSED,
    subject_key,
)
from coordination.reintegration.policies import can_view_status

UNANSWERED_AFTER = timedelta(days=3)
VISIT_LEAD = timedelta(days=7)
LIMIT_LEAD = timedelta(days=14)


def _workers(office_ids) -> dict[int, list[int]]:
    return officers_of(office_ids, Role.SOCIAL_WORKER)


def remind_unanswered_referrals(now: datetime | None = None) -> Counted:
    now = now or job_now()
    rows = db.session.execute(
        select(Referral.id, Referral.centre_office_id).where(
            Referral.stage == str(Stage.PENDING), Referral.referred_at <= now - UNANSWERED_AFTER
        )
    ).all()
    centres = {row.centre_office_id for row in rows}
    workers, supervisors = _workers(centres), supervisors_of(centres)
    notices = [
        Notice(user, NOTICE_UNANSWERED, subject_key(row.id), "3d")
        for row in rows
        for user in dict.fromkeys(
            [*workers.get(row.centre_office_id, []), *supervisors.get(row.centre_office_id, [])]
        )
    ]
    sent = notify_once(notices)
    return Counted(sent, f"referrals unanswered for 3 days: {len(rows)}; notices sent: {sent}")


def remind_visits(now: datetime | None = None) -> Counted:
    now = now or job_now()
    today = now.date()
    rows = db.session.execute(
        select(FollowUpVisit.id, FollowUpVisit.due_on, Referral.id, Referral.centre_office_id)
        .join(Referral, Referral.id == FollowUpVisit.referral_id)
        .where(
            Referral.stage.in_([str(stage) for stage in OPEN_STAGES]),
            FollowUpVisit.visited_on.is_(None),
            FollowUpVisit.due_on <= today + VISIT_LEAD,
        )
    ).all()
    centres = {row.centre_office_id for row in rows}
    workers, supervisors = _workers(centres), supervisors_of(centres)
    notices = []
    due = missed = 0
    for visit_id, due_on, referral_id, centre in rows:
        if due_on < today:
            missed += 1
            recipients = [*workers.get(centre, []), *supervisors.get(centre, [])]
            kind, slot = NOTICE_VISIT_MISSED, f"missed:{visit_id}"
        else:
            due += 1
            recipients = workers.get(centre, [])
            kind, slot = NOTICE_VISIT_DUE, f"due:{visit_id}"
        notices += [
            Notice(user, kind, subject_key(referral_id), slot) for user in dict.fromkeys(recipients)
        ]
    sent = notify_once(notices)
    return Counted(sent, f"visits due: {due}; missed: {missed}; notices sent: {sent}")


def remind_support_limits(now: datetime | None = None) -> Counted:
    now = now or job_now()
    today = now.date()
    start = func.coalesce(SupportService.actual_start, SupportService.planned_start)
    rows = db.session.execute(
        select(SupportService.id, Referral.id, Referral.centre_office_id)
        .join(Referral, Referral.id == SupportService.referral_id)
        .where(
            Referral.stage.in_([str(stage) for stage in OPEN_STAGES]),
            SupportService.type == str(ServiceType.ESSENTIAL_NEEDS),
            SupportService.actual_end.is_(None),
            SupportService.extension_decision.is_(None),
            start <= today + LIMIT_LEAD - timedelta(days=ESSENTIAL_NEEDS_DAYS),
        )
    ).all()
    workers = _workers({row.centre_office_id for row in rows})
    notices = [
        Notice(user, NOTICE_LIMIT_NEAR, subject_key(referral_id), f"limit:{service_id}")
        for service_id, referral_id, centre in rows
        for user in workers.get(centre, [])
    ]
    sent = notify_once(notices)
    return Counted(sent, f"essential needs near 120 days: {len(rows)}; notices sent: {sent}")


def describe_notice(notification, user, zone: tzinfo) -> Description | None:
    """What a reintegration notice says: the centre, the referring office, the day; never
    the person's name."""
    prefix, _sep, raw = (notification.subject_key or "").partition(":")
    if prefix != "referral" or not raw.isdigit() or len(raw) > 18:
        return None
    referral = db.session.get(Referral, int(raw))
    if referral is None or not can_view_status(user, referral):
        return None
    from flask_babel import get_locale

    locale = str(get_locale() or "vi")
    centre = referral.centre_office.name_in(locale)
    office = referral.from_office.name_in(locale)
    titles = {
        NOTICE_REFERRED: _(
            "New referral to %(centre)s from %(office)s", centre=centre, office=office
        ),
        NOTICE_DECLINED: _("%(centre)s declined a referral: choose another centre", centre=centre),
        NOTICE_UNANSWERED: _(
            "A referral from %(office)s has waited three days for an answer", office=office
        ),
        NOTICE_VISIT_DUE: _("A follow-up visit is due (file no. %(number)d)", number=referral.id),
        NOTICE_VISIT_MISSED: _(
            "A follow-up visit was missed (file no. %(number)d)", number=referral.id
        ),
        NOTICE_LIMIT_NEAR: _(
            "Essential needs reach 120 days within two weeks (file no. %(number)d)",
            number=referral.id,
        ),
    }
    title = titles.get(notification.kind)
    if title is None:
        return None
    lines = (
        (_("Centre"), centre),
        (_("Referring office"), office),
        (_("Referred on"), day_text(referral.referred_at.astimezone(zone).date(), locale)),
        (_("Stage"), referral.stage_label),
    )
    return Description(
        title=title,
        lines=lines,
        endpoint="reintegration.detail",
        values={"referral_id": referral.id},
        link_label=_("Open the file:"),
    )

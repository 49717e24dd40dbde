"""The scheduler's state for the administrator's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from coordination.core.db import utcnow
from coordination.core.features import Job, registry
from coordination.extensions import db
from coordination.notifications.models import Notification
from coordination.scheduler import lease
from coordination.scheduler.models import JobRun, JobRunRequest, apscheduler_jobs
from coordination.scheduler.runner import every_seconds

STUCK_CLAIM = timedelta(minutes=10)


@dataclass
class JobState:
    job: Job
    every_seconds: int
    last_run: JobRun | None
    last_failure: JobRun | None
    failures: int  # among the kept runs
    next_run: datetime | None
    requested: bool


def job_states() -> list[JobState]:
    jobs = registry().jobs
    next_runs = {
        job_id: datetime.fromtimestamp(stamp, UTC) if stamp is not None else None
        for job_id, stamp in db.session.execute(
            select(apscheduler_jobs.c.id, apscheduler_jobs.c.next_run_time)
        )
    }
    requested = set(db.session.scalars(select(JobRunRequest.job_id)))
    states = []
    for job in jobs.values():
        runs = select(JobRun).where(JobRun.job_id == job.id).order_by(JobRun.id.desc()).limit(1)
        failure = runs.where(JobRun.ok.is_(False))
        failures = db.session.scalar(
            select(func.count())
            .select_from(JobRun)
            .where(JobRun.job_id == job.id, JobRun.ok.is_(False))
        )
        states.append(
            JobState(
                job=job,
                every_seconds=every_seconds(job),
                last_run=db.session.scalar(runs),
                last_failure=db.session.scalar(failure),
                failures=failures,
                next_run=next_runs.get(job.id),
                requested=job.id in requested,
            )
        )
    return states


def recent_runs(limit: int = 30) -> list[JobRun]:
    return db.session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(limit)).all()


def stuck_emails() -> int:
    """E-mails claimed long ago and never marked sent (a crash mid-delivery; not re-sent)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.emailed_at.is_(None),
            Notification.email_claimed_at < utcnow() - STUCK_CLAIM,
        )
    )


def pending_emails() -> int:
    if not current_app.config.get("MAIL_ENABLED"):
        return 0
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.emailed_at.is_(None))
    )


def scheduler_lease():
    return lease.current()

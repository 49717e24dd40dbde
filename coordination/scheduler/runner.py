"""What the scheduler process runs: module-level functions (APScheduler's job store pickles
a reference to them), each in an app context, through core.jobs.run_job.

The scheduler reads the jobs from the feature registry and resolves their functions by
import path at run time: it imports no feature above it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app
from sqlalchemy import delete, select

from coordination.core.db import utcnow
from coordination.core.features import Job, registry, resolve
from coordination.core.jobs import JobFailedError, run_job
from coordination.extensions import db
from coordination.scheduler import lease
from coordination.scheduler.models import JOBSTORE_TABLE, JobRun, JobRunRequest, apscheduler_jobs

log = logging.getLogger(__name__)

# Interval triggers count from a fixed origin, so that a restart keeps the same grid.
ORIGIN = datetime(2026, 1, 1, tzinfo=UTC)
HEARTBEAT_ID = "scheduler.heartbeat"

# The one scheduler of this process: set by `flask scheduler run` before it starts.
_process: dict = {}


def every_seconds(job: Job, config=None) -> int:
    config = config if config is not None else current_app.config
    return config.get("SCHEDULER_INTERVALS", {}).get(job.id, job.every_seconds)


def _text(result) -> str | None:
    if result is None:
        return None
    return str(result)[:2000]


def execute(job_id: str, *, holder: str | None = None, manual: bool = False) -> JobRun | None:
    """Run the registered job ``job_id`` now (in the current app context) and record the run:
    its outcome, or the error with its traceback. A failing job changes nothing (rolled
    back), is retried at its next time, and never stops the others."""
    job = registry().jobs.get(job_id)
    if job is None:
        log.warning("no job %r is declared; ignored", job_id)
        return None
    started = utcnow()
    try:
        outcome = run_job(job.id, resolve(job.function))
        ok, result, error = True, _text(outcome.result), None
    except JobFailedError as failure:
        ok, result = False, None
        error = (failure.outcome.details or failure.outcome.error or "")[-4000:]
    except Exception as failure:  # resolving the function failed (a wrong import path)
        db.session.rollback()
        log.exception("job %s could not start", job_id)
        ok, result, error = False, None, repr(failure)[:4000]
    run = JobRun(
        job_id=job.id,
        started_at=started,
        finished_at=utcnow(),
        ok=ok,
        manual=manual,
        result=result,
        error=error,
        holder=holder,
    )
    db.session.add(run)
    db.session.flush()
    _prune(job.id)
    db.session.commit()
    return run


def _prune(job_id: str) -> None:
    keep = current_app.config.get("SCHEDULER_KEEP_RUNS", 50)
    oldest_kept = db.session.scalar(
        select(JobRun.id)
        .where(JobRun.job_id == job_id)
        .order_by(JobRun.id.desc())
        .offset(keep - 1)
        .limit(1)
    )
    if oldest_kept is not None:
        db.session.execute(delete(JobRun).where(JobRun.job_id == job_id, JobRun.id < oldest_kept))


def run_registered(job_id: str, manual: bool = False) -> None:
    """APScheduler's entry point for every declared job (pickled by reference)."""
    app: Flask | None = _process.get("app")
    if app is None:
        log.error("job %s fired outside `flask scheduler run`; ignored", job_id)
        return
    with app.app_context():
        holder = _process["holder"]
        # Fencing: a scheduler that lost its lease (stopped for too long) runs nothing more.
        if not lease.renew(holder, app.config["SCHEDULER_LEASE_SECONDS"]):
            _lost_lease()
            return
        try:
            execute(job_id, holder=holder, manual=manual)
        except Exception:  # recording the run failed (database gone): try again next time
            db.session.rollback()
            log.exception("the run of %s could not be recorded", job_id)
        finally:
            db.session.remove()


def heartbeat() -> None:
    """Renew the lease; start the jobs an administrator asked to run now."""
    app: Flask = _process["app"]
    with app.app_context():
        try:
            if not lease.renew(_process["holder"], app.config["SCHEDULER_LEASE_SECONDS"]):
                _lost_lease()
                return
            requested = db.session.scalars(select(JobRunRequest.job_id)).all()
            if requested:
                db.session.execute(delete(JobRunRequest).where(JobRunRequest.job_id.in_(requested)))
                db.session.commit()
            for job_id in requested:
                if job_id in registry().jobs:
                    _process["scheduler"].add_job(
                        run_registered,
                        args=[job_id, True],
                        id=f"now:{job_id}",
                        jobstore="memory",
                        replace_existing=True,
                        misfire_grace_time=None,
                    )
        except Exception:
            db.session.rollback()
            log.exception("heartbeat failed; trying again")
        finally:
            db.session.remove()


def _lost_lease() -> None:
    log.error("this scheduler no longer holds the lease (another took over): stopping")
    _process["lost"] = True
    scheduler = _process.get("scheduler")
    if scheduler is not None and scheduler.running:
        scheduler.shutdown(wait=False)


def build(app: Flask, holder: str) -> BlockingScheduler:
    """The scheduler of this process, every declared job added (explicit ids, replaced)."""
    config = app.config
    jobs = registry(app).jobs
    # Jobs no feature declares any more leave the store.
    with db.engine.begin() as connection:
        connection.execute(delete(apscheduler_jobs).where(apscheduler_jobs.c.id.not_in(list(jobs))))
    scheduler = BlockingScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(engine=db.engine, tablename=JOBSTORE_TABLE),
            "memory": MemoryJobStore(),
        },
        executors={"default": ThreadPoolExecutor(4)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=UTC,
    )
    now = datetime.now(UTC)
    for job in jobs.values():
        scheduler.add_job(
            run_registered,
            trigger=IntervalTrigger(seconds=every_seconds(job, config), start_date=ORIGIN),
            args=[job.id],
            id=job.id,
            name=job.description or job.id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=job.grace_seconds,
            # At start, every job runs once: it catches up with what fell due while no
            # scheduler ran (jobs compute what is due now, so this sends each notice once).
            next_run_time=now,
        )
    scheduler.add_job(
        heartbeat,
        trigger=IntervalTrigger(seconds=config["SCHEDULER_HEARTBEAT_SECONDS"]),
        id=HEARTBEAT_ID,
        jobstore="memory",
        replace_existing=True,
        misfire_grace_time=None,
        next_run_time=now + timedelta(seconds=1),
    )
    _process.update(app=app, holder=holder, scheduler=scheduler, lost=False)
    return scheduler

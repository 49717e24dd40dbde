"""The scheduler's tables: the lease (one scheduler at a time), job runs, "run now" requests,
and APScheduler's own job store table (declared here so that migrations create it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    Unicode,
)
from sqlalchemy.orm import Mapped, mapped_column

from coordination.core.db import UTCDateTime, utcnow
from coordination.extensions import db

LEASE_NAME = "scheduler"
JOBSTORE_TABLE = "apscheduler_jobs"

# APScheduler 3.x SQLAlchemyJobStore's table, exactly as it creates it (it finds it present).
apscheduler_jobs = Table(
    JOBSTORE_TABLE,
    db.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)


class SchedulerLease(db.Model):
    """Who runs the jobs: one row, held by the scheduler whose ``expires_at`` lies ahead.

    A scheduler takes the row when it is free or expired, renews it with every heartbeat
    and gives it up on exit; a scheduler that dies stops renewing, and another may take over
    once the lease has expired. Works the same on SQLite and PostgreSQL.
    """

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(128))
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
    acquired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def alive(self, now: datetime | None = None) -> bool:
        return bool(self.holder and self.expires_at and self.expires_at > (now or utcnow()))


class JobRun(db.Model):
    """One run of a job: when, how long, what it did or why it failed (the last runs kept)."""

    __tablename__ = "scheduler_job_runs"
    __table_args__ = (Index("ix_scheduler_job_runs_job_started", "job_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(100), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ok: Mapped[bool] = mapped_column(Boolean, nullable=False)
    manual: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    result: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    holder: Mapped[str | None] = mapped_column(String(128))

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


class JobRunRequest(db.Model):
    """An administrator asked for a job to run now; the scheduler picks it up and deletes it."""

    __tablename__ = "scheduler_run_requests"

    job_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

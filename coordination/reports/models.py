"""Stored reports: the figures of a period and scope, frozen when generated.

A report is never changed: correcting the data later changes nothing in it. Generating the
report of the same scope and period again makes a new version (1, 2, …); all stay readable
and downloadable. ``generated_by_id`` is None for a report made by the scheduler.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.cases.models import Case, Person, TraffickingEvent
from coordination.core.db import UTCDateTime, utcnow
from coordination.exchange.models import Request, RequestPerson
from coordination.extensions import db
from coordination.reports.periods import Period


class Report(db.Model):
    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("scope_key", "period_key", "version"),
        Index("ix_reports_scope_period", "scope_key", "period_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope_kind: Mapped[str] = mapped_column(String(16), nullable=False)
    scope_id: Mapped[int | None] = mapped_column(Integer)
    scope_key: Mapped[str] = mapped_column(String(40), nullable=False)
    period_kind: Mapped[str] = mapped_column(String(16), nullable=False)
    period_key: Mapped[str] = mapped_column(String(40), nullable=False)
    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    period_end: Mapped[date] = mapped_column(Date, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    snapshot: Mapped[dict] = mapped_column(JSON, nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    generated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    generated_by = relationship("User")

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start, self.period_end)

    @property
    def audit_office_id(self) -> int | None:
        return self.scope_id if self.scope_kind == "office" else None


# Covering indexes for the reports' aggregates (figures.py): each scan of a period reads the
# index alone, not the wide rows (bench/reports_bench.py: an annual report over 100,000
# cases, 300,000 people and 200,000 requests). Created by the reports' migration.
REPORT_INDEXES = (
    Index("ix_cases_reports", Case.opened_on, Case.office_id),
    Index(
        "ix_people_reports",
        Person.case_id,
        Person.role,
        Person.victim_status,
        Person.sex,
        Person.nationality,
        Person.date_of_birth,
        Person.estimated_age,
    ),
    Index(
        "ix_trafficking_events_reports",
        TraffickingEvent.case_id,
        TraffickingEvent.exploitation_type,
    ),
    Index(
        "ix_requests_reports",
        Request.sent_at,
        Request.sender_office_id,
        Request.recipient_office_id,
        Request.kind,
        Request.answered_at,
        Request.deadline_at,
    ),
    Index(
        "ix_request_people_reports",
        RequestPerson.outcome_at,
        RequestPerson.outcome,
        RequestPerson.request_id,
    ),
)

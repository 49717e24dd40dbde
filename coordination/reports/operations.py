"""Generating a stored report (flush only; the request or the job commits)."""

from __future__ import annotations

from sqlalchemy import func, select

from coordination.audit.operations import record
from coordination.extensions import db
from coordination.reports import figures
from coordination.reports.models import Report
from coordination.reports.periods import Period
from coordination.reports.scopes import Scope


def latest_version(scope: Scope, period: Period) -> int:
    return (
        db.session.scalar(
            select(func.max(Report.version)).where(
                Report.scope_key == scope.key, Report.period_key == period.key
            )
        )
        or 0
    )


def generate_report(
    scope: Scope, period: Period, *, actor=None, reason: str | None = None
) -> Report:
    """Count the figures now and store them as the next version of the scope's report for
    the period (version 1 the first time). ``actor`` None: the scheduler."""
    report = Report(
        scope_kind=scope.kind,
        scope_id=scope.id,
        scope_key=scope.key,
        period_kind=period.kind,
        period_key=period.key,
        period_start=period.start,
        period_end=period.end,
        version=latest_version(scope, period) + 1,
        snapshot=figures.snapshot(scope, period),
        reason=reason or None,
        generated_by_id=actor.id if actor is not None else None,
    )
    db.session.add(report)
    db.session.flush()
    record(
        "report.generate",
        actor=actor,
        actor_name=None if actor is not None else "scheduler",
        target=report,
        details={"scope": scope.key, "period": period.key, "version": report.version},
    )
    return report

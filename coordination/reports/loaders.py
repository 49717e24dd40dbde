"""Loading reports for views and the API: 404 alike for a report that does not exist and
one the user may not see; a stored report as it may leave the office."""

from __future__ import annotations

from sqlalchemy import select

from coordination.core.access import get_visible_or_404
from coordination.extensions import db
from coordination.reports import policies
from coordination.reports.models import Report
from coordination.reports.periods import Period
from coordination.reports.protect import leaving_the_office
from coordination.reports.scopes import Scope


def load_report(report_id: int, user) -> Report:
    return get_visible_or_404(Report, report_id, policies.can_view_report, user)


def stored_versions(scope: Scope, period: Period) -> list[Report]:
    """The stored versions of a scope's report for a period, newest first."""
    return db.session.scalars(
        select(Report)
        .where(Report.scope_key == scope.key, Report.period_key == period.key)
        .order_by(Report.version.desc())
    ).all()


def protected_snapshot(report: Report) -> dict:
    """A stored report as it may leave the office (protect.leaving_the_office)."""
    return {
        **leaving_the_office(report.snapshot),
        "version": report.version,
        "generated_at": report.generated_at.isoformat(),
    }

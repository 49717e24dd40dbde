"""Loading reports for views and the API: 404 alike for a report that does not exist and
one the user may not see."""

from __future__ import annotations

from sqlalchemy import select

from coordination.core.access import get_visible_or_404
from coordination.extensions import db
from coordination.reports import policies
from coordination.reports.models import Report
from coordination.reports.periods import Period
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

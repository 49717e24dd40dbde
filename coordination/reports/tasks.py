"""The reports' scheduled job: at the end of each quarter, half-year and year, the report of
each province (and of everything) for the period just ended, made once.

The job looks at the periods that ended before today (``job_now`` in REPORT_TIMEZONE): the
last quarter, and the last half-year and year when they ended with it. A scope's report for a
period already stored (any version) is not made again, so a repeated, late or concurrent
run makes each report once (a concurrent duplicate of version 1 fails on the unique
constraint, inside a savepoint, and is skipped).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coordination.core.jobs import Counted, job_now
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.reports.models import Report
from coordination.reports.operations import generate_report
from coordination.reports.periods import REPORT_TIMEZONE, Period, containing
from coordination.reports.scopes import ALL, province_scope


def periods_ended(today) -> list[Period]:
    """The quarter before today's, and the half-year and year if they ended with it."""
    last_day = containing(today, "quarter").start - timedelta(days=1)
    ended = [containing(last_day, "quarter")]
    for kind in ("half", "year"):
        period = containing(last_day, kind)
        if period.end == last_day:
            ended.append(period)
    return ended


def generate_period_reports(now=None) -> Counted:
    now = now or job_now()
    today = now.astimezone(REPORT_TIMEZONE).date()
    provinces = sorted(set(db.session.scalars(select(Office.province_id))))
    scopes = [ALL] + [province_scope(area_id) for area_id in provinces]
    made = 0
    for period in periods_ended(today):
        stored = set(
            db.session.scalars(select(Report.scope_key).where(Report.period_key == period.key))
        )
        for scope in scopes:
            if scope.key in stored:
                continue
            try:
                with db.session.begin_nested():
                    generate_report(scope, period, actor=None)
                made += 1
            except IntegrityError:  # made by a concurrent run
                continue
    keys = ", ".join(period.key for period in periods_ended(today))
    return Counted(made, f"{made} report(s) made for {keys}")

"""The office in figures, on the dashboard of those who read its reports (liaison officers,
supervisors, administrators): open requests by state, handovers this week, people in care,
and the twelve months' trend, all exact (the office's own figures, on its own screen).

The requests, handovers and people are counted on each visit (a GROUP BY each, over their
indexes). The trend reads a year of cases, requests and handovers (about 40 ms for a busy
office of the benchmark's volume): each worker keeps it per office and day for TREND_SECONDS,
so a dashboard opened again soon after does not count it again; a change shows within that.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import get_locale, get_timezone
from sqlalchemy import func, or_, select

from coordination.core.panels import Panel
from coordination.documents import svgchart
from coordination.documents.charts import BarChart
from coordination.exchange.models import Request, RequestState
from coordination.extensions import db
from coordination.handovers.models import Handover, HandoverState
from coordination.i18n import _, local_today
from coordination.reintegration.models import OPEN_STAGES, Referral
from coordination.reports import charts, figures, policies
from coordination.reports.periods import Period
from coordination.reports.scopes import office_scope

TREND_SECONDS = 300
TREND_KEPT = 2_000  # offices × days kept per worker, at most
EXTENSION_KEY = "coordination.reports.dashboard_trends"

# Open: the partner still owes an answer, or it was answered and is not closed yet.
OPEN_STATES = (
    RequestState.SENT,
    RequestState.ACKNOWLEDGED,
    RequestState.INFORMATION_REQUESTED,
    RequestState.ANSWERED,
)


def open_requests(office_id: int) -> dict[str, dict[str, int]]:
    """{"received": {state: n}, "sent": {state: n}}: the office's open requests (drafts too,
    on the sending side)."""
    states = [str(state) for state in OPEN_STATES]
    counted = {
        "received": dict.fromkeys(states, 0),
        "sent": dict.fromkeys([str(RequestState.DRAFT), *states], 0),
    }
    for side, column in (
        ("received", Request.recipient_office_id),
        ("sent", Request.sender_office_id),
    ):
        rows = db.session.execute(
            select(Request.state, func.count())
            .where(column == office_id, Request.state.in_(list(counted[side])))
            .group_by(Request.state)
        )
        for state, n in rows:
            counted[side][str(state)] = int(n)
    return counted


def handovers_this_week(office_id: int, zone: ZoneInfo) -> dict[str, int]:
    """The office's handovers (either side) scheduled this week, Monday to Sunday in the
    reader's zone, and of those the ones completed."""
    today = local_today()
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday, datetime.min.time(), zone)
    end = start + timedelta(days=7)
    scheduled, completed = db.session.execute(
        select(
            func.count(),
            func.count().filter(Handover.state == str(HandoverState.COMPLETED)),
        ).where(
            or_(Handover.handing_office_id == office_id, Handover.receiving_office_id == office_id),
            Handover.state != str(HandoverState.CANCELLED),
            Handover.scheduled_at >= start,
            Handover.scheduled_at < end,
        )
    ).one()
    return {"scheduled": int(scheduled), "completed": int(completed)}


def people_in_care(office_id: int) -> dict[str, int]:
    """People in support now: at the office's centre, and referred by the office."""
    open_stage = Referral.stage.in_([str(stage) for stage in OPEN_STAGES])
    at_centre, referred = db.session.execute(
        select(
            func.count().filter(Referral.centre_office_id == office_id),
            func.count().filter(Referral.from_office_id == office_id),
        ).where(
            open_stage,
            or_(Referral.centre_office_id == office_id, Referral.from_office_id == office_id),
        )
    ).one()
    return {"at_centre": int(at_centre), "referred": int(referred)}


def trend(office_id: int) -> dict:
    """The twelve months up to this one (figures.trend), kept a while per worker."""
    today = local_today()
    kept = current_app.extensions.setdefault(EXTENSION_KEY, {})
    key = (office_id, today)
    found = kept.get(key)
    if found is not None and found[0] > time.monotonic():
        return found[1]
    counted = figures.trend(office_scope(office_id), Period.range(today, today))
    if len(kept) >= TREND_KEPT:
        kept.clear()
    kept[key] = (time.monotonic() + TREND_SECONDS, counted)
    return counted


def requests_chart(counted: dict) -> BarChart:
    states = list(counted["sent"])
    return BarChart(
        title=_("Open requests by state"),
        categories=[RequestState(state).label for state in states],
        series=[
            (_("Received by the office"), [counted["received"].get(state) for state in states]),
            (_("Sent by the office"), [counted["sent"][state] for state in states]),
        ],
        description=_("Open requests by state"),
    )


def office_figures_panel(office, user) -> Panel | None:
    if office is None or user.office_id != office.id:
        return None
    if not policies.can_view_scope(user, office_scope(office.id)):
        return None
    zone = ZoneInfo(str(get_timezone()))
    language = str(get_locale())
    requests = open_requests(office.id)
    trend_counts = trend(office.id)
    figure = {
        "table_summary": _("Show the figures"),
        "language": language,
    }
    return Panel(
        "reports/_dashboard_panel.html",
        {
            "office": office,
            "open_total": sum(requests["received"].values())
            + sum(requests["sent"].values())
            - requests["sent"][str(RequestState.DRAFT)],
            "handovers": handovers_this_week(office.id, zone),
            "people": people_in_care(office.id),
            "requests_chart": svgchart.figure(
                requests_chart(requests), corner=_("State"), show_title=False, **figure
            ),
            "trend_chart": svgchart.figure(
                charts.trend_chart(trend_counts), corner=_("Month"), show_title=False, **figure
            ),
        },
        order=20,
    )

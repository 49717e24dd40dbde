"""The reports page: choose a period and a scope, read the figures beside the previous
period's and last year's, list the stored versions, generate a new one, read or download a
stored (frozen) version."""

from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, Response, redirect, request, url_for
from flask_babel import format_datetime, get_locale
from flask_login import current_user, login_required

from coordination.audit.operations import record
from coordination.core.access import require
from coordination.core.db import utcnow
from coordination.core.views import render_form
from coordination.i18n import _
from coordination.reports import (
    charts,
    figures,
    operations,
    policies,
    presenters,
    report_pdf,
    report_xlsx,
)
from coordination.reports.loaders import load_report, protected_snapshot, stored_versions
from coordination.reports.models import Report
from coordination.reports.periods import (
    REPORT_TIMEZONE,
    Period,
    PeriodError,
    containing,
    from_args,
)
from coordination.reports.scopes import Scope, from_key

bp = Blueprint("reports", __name__, url_prefix="/reports", template_folder="templates")
MAX_REASON = 500


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user; each view then checks its own policy."""


def today() -> date:
    return utcnow().astimezone(REPORT_TIMEZONE).date()


def period_choices(day: date) -> list[Period]:
    """The recent quarters, half-years and years (the last completed first)."""
    choices = []
    for kind, back in (("quarter", 12), ("half", 6), ("year", 4)):
        period = containing(day, kind)
        for _step in range(back):
            choices.append(period)
            period = period.previous()
    return choices


def default_period(day: date) -> Period:
    return containing(day, "quarter").previous()


def chosen_scope(user, key: str | None) -> Scope:
    """The scope asked for (404 if the user may not see it), else the first they may."""
    if key:
        scope = from_key(key[:40])
        require(policies.can_view_scope(user, scope))
        return scope
    scopes = policies.scopes_for(user)
    require(bool(scopes))
    return scopes[0]


def shown_exactly(user, scope: Scope) -> bool:
    """Inside the office its own figures are shown exactly; anything else is protected."""
    return scope.kind == "office" and scope.id == user.office_id


def _charts(snapshot: dict, period: Period, scope: Scope) -> dict:
    names = (period.label, period.previous().label, period.same_last_year().label)
    protected = not shown_exactly(current_user, scope)
    return charts.on_screen(snapshot, names, str(get_locale()), protected=protected)


def _page(scope, period, errors, form):
    scopes = policies.scopes_for(current_user)
    context = {
        "scopes": scopes,
        "scope": scope,
        "choices": period_choices(today()),
        "form": form,
        "period": period,
        "sections": None,
        "stored": [],
    }
    if period is not None and not errors:
        snapshot = figures.snapshot(scope, period)
        context["sections"] = presenters.table(
            snapshot, protected=not shown_exactly(current_user, scope)
        )
        context["stored"] = stored_versions(scope, period)
        context["previous_label"] = period.previous().label
        context["last_year_label"] = period.same_last_year().label
        context["charts"] = _charts(snapshot, period, scope)
    return render_form("reports/index.html", errors=errors, **context)


@bp.route("/")
def index():
    require(policies.can_use_reports(current_user))
    scope = chosen_scope(current_user, request.args.get("scope"))
    form = {
        "scope": scope.key,
        "period": (request.args.get("period") or "")[:40],
        "start": (request.args.get("start") or "")[:10],
        "end": (request.args.get("end") or "")[:10],
    }
    if not (form["period"] or form["start"] or form["end"]):
        period = default_period(today())
        form["period"] = period.key
        return _page(scope, period, {}, form)
    try:
        period = from_args(request.args)
    except PeriodError as error:
        field = "start" if form["start"] or form["end"] else "period"
        return _page(scope, None, {field: [str(error)]}, form)
    if period.kind == "range":
        form["period"] = ""
    return _page(scope, period, {}, form)


@bp.route("/generate", methods=["POST"])
def generate():
    require(policies.can_use_reports(current_user))
    scope = chosen_scope(current_user, request.form.get("scope") or "-")
    try:
        period = from_args(request.form)
    except PeriodError as error:
        form = {key: (request.form.get(key) or "")[:40] for key in ("period", "start", "end")}
        return _page(scope, None, {"period": [str(error)]}, {**form, "scope": scope.key})
    reason = (request.form.get("reason") or "").strip()
    if len(reason) > MAX_REASON:
        form = {"scope": scope.key, "period": period.key, "start": "", "end": ""}
        message = _("At most %(count)s characters.", count=MAX_REASON)
        return _page(scope, period, {"reason": [message]}, form)
    report = operations.generate_report(scope, period, actor=current_user, reason=reason)
    return redirect(url_for("reports.stored", report_id=report.id))


def _report_or_404(report_id: int) -> Report:
    return load_report(report_id, current_user)


@bp.route("/stored/<int:report_id>")
def stored(report_id: int):
    report = _report_or_404(report_id)
    scope = from_key(report.scope_key)
    period = report.period
    return render_form(
        "reports/stored.html",
        report=report,
        scope=scope,
        period=period,
        previous_label=period.previous().label,
        last_year_label=period.same_last_year().label,
        sections=presenters.table(
            report.snapshot, protected=not shown_exactly(current_user, scope)
        ),
        versions=stored_versions(scope, period),
        charts=_charts(report.snapshot, period, scope),
    )


def _file_name(report: Report, extension: str) -> str:
    scope_part = report.scope_key.replace(":", "-")
    period_part = report.period_key.replace("..", "_")
    return f"report-{scope_part}-{period_part}-v{report.version}.{extension}"


def _attachment(body, mimetype: str, name: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/stored/<int:report_id>.json")
def download(report_id: int):
    report = _report_or_404(report_id)
    record("report.download", actor=current_user, target=report, details={"format": "json"})
    body = json.dumps(protected_snapshot(report), ensure_ascii=False, indent=1)
    return _attachment(body, "application/json", _file_name(report, "json"))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/stored/<int:report_id>.xlsx")
def download_xlsx(report_id: int):
    """The stored report as a workbook, protected like the JSON download."""
    report = _report_or_404(report_id)
    record("report.download", actor=current_user, target=report, details={"format": "xlsx"})
    scope = from_key(report.scope_key)
    title = f"{scope.label} · {report.period.label}"
    body = report_xlsx.report_workbook(report.snapshot, report.period, title)
    return _attachment(body, XLSX, _file_name(report, "xlsx"))


@bp.route("/current.xlsx")
def current_xlsx():
    """The figures counted now (the page's period and scope) as a workbook, protected."""
    require(policies.can_use_reports(current_user))
    scope = chosen_scope(current_user, request.args.get("scope") or "-")
    try:
        period = from_args(request.args)
    except PeriodError as error:
        form = {key: (request.args.get(key) or "")[:40] for key in ("period", "start", "end")}
        return _page(scope, None, {"period": [str(error)]}, {**form, "scope": scope.key})
    record(
        "report.download_current",
        actor=current_user,
        details={"format": "xlsx", "scope": scope.key, "period": period.key},
        subject_office_id=scope.id if scope.kind == "office" else None,
    )
    snapshot = figures.snapshot(scope, period)
    body = report_xlsx.report_workbook(snapshot, period, f"{scope.label} · {period.label}")
    name = f"report-{scope.key.replace(':', '-')}-{period.key.replace('..', '_')}-now.xlsx"
    return _attachment(body, XLSX, name)


@bp.route("/stored/<int:report_id>.pdf")
def download_pdf(report_id: int):
    """The stored report as a PDF in the reader's language, protected like the downloads."""
    report = _report_or_404(report_id)
    record("report.download", actor=current_user, target=report, details={"format": "pdf"})
    document = report_pdf.document(
        report.snapshot,
        language=str(get_locale()),
        scope_label=from_key(report.scope_key).label,
        period=report.period,
        version=report.version,
        generated=format_datetime(report.generated_at, "short"),
    )
    body = report_pdf.render_report(document)
    return _attachment(body, "application/pdf", _file_name(report, "pdf"))

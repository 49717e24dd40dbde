"""The missing-person register: reports from families and communes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from coordination.cases import operations, policies, queries
from coordination.cases.loaders import missing_report_or_404
from coordination.cases.models import MissingPersonReport, MissingPersonStatus, Sex
from coordination.cases.place_fields import home_place_options
from coordination.cases.schemas import MissingPersonCloseSchema, MissingPersonSchema
from coordination.core.access import require
from coordination.core.text import clean_query
from coordination.core.validation import enum_value, load_form
from coordination.core.views import attempt, paginate, render_form, submit
from coordination.i18n import _
from coordination.notifications.operations import mark_read

bp = Blueprint("missing", __name__, url_prefix="/missing", template_folder="templates")


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user; each view then checks its own policy."""


def load_report(report_id: int) -> MissingPersonReport:
    return missing_report_or_404(report_id, current_user)


def _form(report, errors):
    return render_form(
        "cases/missing_form.html",
        errors,
        report=report,
        sexes=[(sex.value, sex.label) for sex in Sex],
        **home_place_options(report),
    )


@bp.route("/")
def index():
    status = enum_value(MissingPersonStatus, request.args.get("status"))
    q = clean_query(request.args.get("q"))
    page = paginate(queries.search_missing_reports(current_user, q, status))
    return render_form(
        "cases/missing_list.html",
        page=page,
        q=q,
        status=status,
        statuses=[(s.value, s.label) for s in MissingPersonStatus],
        can_report=policies.can_report_missing(current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    require(policies.can_report_missing(current_user), hide=False)
    sent = submit(MissingPersonSchema(), operations.create_missing_report, actor=current_user)
    if sent.done:
        flash(_("The report has been registered."), "success")
        return redirect(url_for("missing.detail", report_id=sent.result.id))
    return _form(None, sent.errors)


@bp.route("/<int:report_id>")
def detail(report_id: int):
    report = load_report(report_id)
    operations.record_missing_view(report, actor=current_user)
    # A notice that this report was found has done its work once the report is opened.
    mark_read(current_user, subject_key=f"missing:{report.id}")
    return render_form(
        "cases/missing_detail.html",
        report=report,
        can_edit=policies.can_edit_missing(current_user, report),
        tells_the_family=policies.tells_the_family(current_user, report),
        sees_found_request=policies.sees_found_request(current_user, report),
    )


@bp.route("/<int:report_id>/edit", methods=["GET", "POST"])
def edit(report_id: int):
    report = load_report(report_id)
    require(policies.can_edit_missing(current_user, report), hide=False)
    errors = {}
    if request.method == "POST":
        data, errors = load_form(MissingPersonSchema(), request.form)
        if not errors:
            _saved, errors = attempt(
                operations.update_missing_report, report, data, actor=current_user
            )
        if not errors:
            flash(_("The report has been saved."), "success")
            return redirect(url_for("missing.detail", report_id=report.id))
    return _form(report, errors)


@bp.route("/<int:report_id>/close", methods=["POST"])
def close(report_id: int):
    report = load_report(report_id)
    require(policies.can_edit_missing(current_user, report), hide=False)
    data, errors = load_form(MissingPersonCloseSchema(), request.form)
    if not errors:
        _closed, errors = attempt(operations.close_missing_report, report, data, actor=current_user)
    if errors:
        return render_form(
            "cases/missing_detail.html",
            errors,
            report=report,
            can_edit=True,
            close_errors=errors,
            tells_the_family=policies.tells_the_family(current_user, report),
            sees_found_request=policies.sees_found_request(current_user, report),
        )
    flash(_("The entry has been closed."), "success")
    return redirect(url_for("missing.detail", report_id=report.id))

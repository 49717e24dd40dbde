"""Joint patrols: the list (awaiting my answer, upcoming, past), proposing one, its page
with the thread and the next steps, and the outcome report form."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import get_locale, get_timezone
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from coordination.cases.models import Sex
from coordination.cases.schemas import NATIONALITIES
from coordination.core.access import require
from coordination.core.formatting import country_name, local_input, moment_text
from coordination.core.validation import load_form
from coordination.core.views import attempt, paginate, render_form
from coordination.i18n import _, timezone_label
from coordination.matching.names import romanise
from coordination.notifications.operations import mark_read
from coordination.patrols import operations, policies, queries
from coordination.patrols.loaders import patrol_or_404
from coordination.patrols.models import STEP_BUTTONS, Patrol, PatrolStep
from coordination.patrols.schemas import (
    ListArgs,
    PatrolProposeSchema,
    PatrolReportSchema,
    PatrolStepSchema,
)

bp = Blueprint(
    "patrols",
    __name__,
    url_prefix="/patrols",
    template_folder="templates",
    static_folder="static",
)

# Blank rows for people rescued on the report form (a phone shows them one under another).
BLANK_RESCUED_ROWS = 3


@bp.before_request
def _signed_in():
    """Every page here needs a signed-in user; each view then checks its own policy. The
    stylesheet is public, as the app's own are."""
    if request.endpoint == "patrols.static":
        return None
    return _require_login()


@login_required
def _require_login():
    return None


@bp.context_processor
def _helpers():
    return {"times": _times, "latin": romanise, "zone_label": timezone_label(str(get_timezone()))}


def _times(patrol: Patrol, moment) -> list[tuple[str, str]]:
    """A moment in each side's time zone (China is an hour ahead), the reader's first."""
    zones = dict.fromkeys(
        [
            str(get_timezone()),
            patrol.proposing_office.country.timezone,
            patrol.partner_office.country.timezone,
        ]
    )
    return [
        (timezone_label(zone, moment), moment_text(moment, get_locale(), ZoneInfo(zone)))
        for zone in zones
    ]


@bp.route("/")
def index():
    require(policies.can_use_patrols(current_user), hide=False)
    args, errors = load_form(ListArgs(), request.args)
    show = (args or {}).get("show") or "upcoming"
    page = paginate(queries.listed(current_user, show))
    return render_form(
        "patrols/list.html",
        page=page,
        show=show,
        filter_errors=errors,
        awaiting=queries.awaiting_count(current_user),
        can_propose=policies.can_propose_patrols(current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
def propose():
    require(policies.can_propose_patrols(current_user), hide=False)
    errors = {}
    if request.method == "POST":
        data, errors = load_form(PatrolProposeSchema(), request.form)
        if not errors:
            patrol, errors = attempt(operations.propose, data, actor=current_user)
        if not errors:
            flash(_("The patrol has been proposed to %(office)s.",
                    office=patrol.partner_office.name), "success")  # fmt: skip
            return redirect(url_for("patrols.detail", patrol_id=patrol.id))
    return render_form(
        "patrols/propose.html",
        errors,
        partner_options=queries.partner_options(current_user),
        gate_options=queries.gate_options(current_user),
    )


def _detail_page(patrol: Patrol, errors: dict | None = None, step: str | None = None):
    steps = policies.allowed_steps(current_user, patrol)
    reports = [
        (office, patrol.report_of(office.id))
        for office in (patrol.proposing_office, patrol.partner_office)
    ]
    return render_form(
        "patrols/detail.html",
        errors,
        patrol=patrol,
        steps=steps,
        step_labels={str(step): str(label) for step, label in STEP_BUTTONS.items()},
        open_step=step,
        reports=reports,
        can_report=policies.can_report(current_user, patrol),
        can_see_rescued=lambda report: policies.can_see_rescued(current_user, report),
        starts_input=local_input(patrol.starts_at),
        ends_input=local_input(patrol.ends_at),
        partner_leaders_text="\n".join(
            "; ".join(part for part in (leader.get("name"), leader.get("rank")) if part)
            for leader in patrol.partner_leaders or []
        ),
    )


@bp.route("/<int:patrol_id>")
def detail(patrol_id: int):
    patrol = patrol_or_404(patrol_id, current_user)
    mine = patrol.report_of(current_user.office_id)
    if mine is not None and mine.rescued and policies.can_see_rescued(current_user, mine):
        # The page names the people the office rescued: who read them is audited.
        operations.record_view(patrol, actor=current_user)
    mark_read(current_user, subject_key=f"patrol:{patrol.id}")
    return _detail_page(patrol)


@bp.route("/<int:patrol_id>/steps", methods=["POST"])
def step(patrol_id: int):
    patrol = patrol_or_404(patrol_id, current_user)
    data, errors = load_form(PatrolStepSchema(), request.form)
    if not errors and not policies.can_take_step(current_user, patrol, data["step"]):
        errors = {
            "_schema": [
                _("This step is not possible now: the patrol is %(state)s.",
                  state=patrol.state_label)
            ]
        }  # fmt: skip
    if not errors:
        _message, errors = attempt(
            operations.take_step, patrol, data["step"], data, actor=current_user
        )
    if errors:
        return _detail_page(patrol, errors, request.form.get("step"))
    flash(_("Done: %(step)s.", step=PatrolStep(data["step"]).label), "success")
    return redirect(url_for("patrols.detail", patrol_id=patrol.id))


def _rescued_rows(count: int) -> tuple[list[dict], list[int], dict]:
    """The rescued people of the form: inputs named ``rescued-<n>-<field>``; a row whose
    name is empty is left out (the blank rows of the form). Also each kept row's form index
    (to put an operation's error beside the right row)."""
    rows, indexes, errors = [], [], {}
    for index in range(count):
        prefix = f"rescued-{index}-"
        form = MultiDict(
            (key.removeprefix(prefix), value)
            for key, value in request.form.items(multi=True)
            if key.startswith(prefix)
        )
        if not (form.get("name_as_written") or "").strip():
            continue
        data, row_errors = load_form(_RESCUED_SCHEMA, form)
        errors.update({f"{prefix}{name}": messages for name, messages in row_errors.items()})
        rows.append(data or {})
        indexes.append(index)
    return rows, indexes, errors


def _to_form_rows(errors: dict, indexes: list[int]) -> dict:
    """Errors of the operation about the n-th rescued person, named by their form row."""
    moved = {}
    for key, messages in errors.items():
        parts = key.split("-", 2)
        if key.startswith("rescued-") and len(parts) == 3 and parts[1].isdigit():
            position = int(parts[1])
            if position < len(indexes):
                key = f"rescued-{indexes[position]}-{parts[2]}"
        moved[key] = messages
    return moved


_RESCUED_SCHEMA = PatrolReportSchema().fields["rescued"].inner.schema


@bp.route("/<int:patrol_id>/report", methods=["GET", "POST"])
def report(patrol_id: int):
    patrol = patrol_or_404(patrol_id, current_user)
    require(policies.can_report(current_user, patrol), hide=False)
    mine = patrol.report_of(current_user.office_id)
    errors = {}
    rows = max(BLANK_RESCUED_ROWS, _submitted_rows())
    if request.method == "POST":
        form = MultiDict(
            (key, value)
            for key, value in request.form.items(multi=True)
            if not key.startswith("rescued-")
        )
        data, errors = load_form(_ReportForm(), form)
        rescued, indexes, rescued_errors = _rescued_rows(rows)
        errors = {**(errors or {}), **rescued_errors}
        if not errors:
            data["rescued"] = rescued
            _saved, errors = attempt(operations.report_outcome, patrol, data, actor=current_user)
            errors = _to_form_rows(errors, indexes)
        if not errors:
            flash(_("The outcome report has been saved."), "success")
            return redirect(url_for("patrols.detail", patrol_id=patrol.id))
    return render_form(
        "patrols/report.html",
        errors,
        patrol=patrol,
        report=mine,
        rows=range(rows),
        sexes=[(sex.value, sex.label) for sex in Sex],
        nationalities=sorted(
            ((code, country_name(code)) for code in NATIONALITIES), key=lambda pair: pair[1]
        ),
        case_options=[
            (case.id, f"{case.number} · {case.title}") for case in queries.open_cases(current_user)
        ],
    )


def _submitted_rows() -> int:
    """How many rescued rows the submitted form had (at most 30)."""
    if request.method != "POST":
        return 0
    indexes = set()
    for key in request.form:
        if key.startswith("rescued-"):
            raw = key.split("-", 2)[1]
            if raw.isascii() and raw.isdigit() and len(raw) < 3:
                indexes.add(int(raw))
    return min(max(indexes, default=-1) + 1, 30)


class _ReportForm(PatrolReportSchema):
    """The report form without its rescued rows (read row by row)."""

    class Meta:
        exclude = ("rescued",)

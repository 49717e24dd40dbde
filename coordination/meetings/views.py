"""Liaison meetings: the list, planning one, the series page (occurrences, attendees,
cancelling), an occurrence's page (moving or skipping it, its agenda, minutes, action items,
signed versions as PDF)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import get_locale, get_timezone
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from coordination.core.access import require
from coordination.core.db import utcnow
from coordination.core.formatting import local_input, moment_text
from coordination.core.validation import load_form
from coordination.core.views import attempt, paginate, render_form
from coordination.extensions import db
from coordination.i18n import _, timezone_label
from coordination.meetings import operations, policies, queries
from coordination.meetings.loaders import action_item_or_404, meeting_or_404, occurrence_key_or_404
from coordination.meetings.minutes_pdf import render_minutes
from coordination.meetings.models import (
    ActionStatus,
    Meeting,
    MeetingKind,
    MinutesRecord,
    OverrideKind,
    PlaceKind,
    Repeat,
    SignedAttendee,
    occurrence_slug,
)
from coordination.meetings.schemas import (
    ActionItemSchema,
    ActionStatusSchema,
    AgendaItemSchema,
    AttendeeSchema,
    CancelSchema,
    ListArgs,
    MeetingPlanSchema,
    MinutesSchema,
    OccurrenceChangeSchema,
    SignSchema,
)
from coordination.notifications.operations import mark_read

bp = Blueprint("meetings", __name__, url_prefix="/meetings", template_folder="templates")

BLANK_ACTION_ROWS = 2
MAX_ACTION_ROWS = 30


@bp.before_request
@login_required
def _signed_in():
    """Every page here needs a signed-in user; each view then checks its own policy."""


@bp.context_processor
def _helpers():
    return {
        "times": _times,
        "slug": occurrence_slug,
        "zone_label": timezone_label(str(get_timezone())),
    }


def _times(meeting: Meeting, moment) -> list[tuple[str, str]]:
    """A moment in the reader's zone, then the host's and the partner's (China is an hour
    ahead of Vietnam and Laos)."""
    zones = dict.fromkeys(
        [
            str(get_timezone()),
            meeting.timezone,
            meeting.host_office.country.timezone,
            meeting.partner_office.country.timezone,
        ]
    )
    return [
        (timezone_label(zone, moment), moment_text(moment, get_locale(), ZoneInfo(zone)))
        for zone in zones
    ]


@bp.route("/")
def index():
    require(policies.can_use_meetings(current_user), hide=False)
    args, errors = load_form(ListArgs(), request.args)
    show = (args or {}).get("show") or "upcoming"
    page = paginate(queries.listed(current_user, show))
    return render_form(
        "meetings/list.html",
        page=page,
        show=show,
        filter_errors=errors,
        can_plan=policies.can_plan_meetings(current_user),
    )


def _options() -> dict:
    return {
        "partner_options": queries.partner_options(current_user),
        "gate_options": queries.gate_options(current_user),
        "kind_options": [(kind.value, kind.label) for kind in MeetingKind],
        "repeat_options": [(repeat.value, repeat.label) for repeat in Repeat],
        "place_options": [(kind.value, kind.label) for kind in PlaceKind],
        "host_zone": current_user.office.country.timezone,
    }


@bp.route("/new", methods=["GET", "POST"])
def plan():
    require(policies.can_plan_meetings(current_user), hide=False)
    errors = {}
    if request.method == "POST":
        data, errors = load_form(MeetingPlanSchema(), request.form)
        if not errors:
            meeting, errors = attempt(operations.plan, data, actor=current_user)
        if not errors:
            flash(_("The meeting has been planned with %(office)s.",
                    office=meeting.partner_office.name), "success")  # fmt: skip
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_form("meetings/plan.html", errors, **_options())


def _detail_page(meeting: Meeting, errors: dict | None = None):
    office_options = [(office.id, office.name) for office in
                      (meeting.host_office, meeting.partner_office)]  # fmt: skip
    return render_form(
        "meetings/detail.html",
        errors,
        meeting=meeting,
        occurrences=meeting.occurrences(),
        next_occurrence=meeting.next_occurrence(),
        can_schedule=policies.can_schedule(current_user, meeting),
        can_prepare=policies.can_prepare(current_user, meeting),
        office_options=office_options,
        user_options=queries.user_options(meeting) if policies.can_prepare(current_user, meeting)
        else [],
    )  # fmt: skip


@bp.route("/<int:meeting_id>")
def detail(meeting_id: int):
    meeting = meeting_or_404(meeting_id, current_user)
    mark_read(current_user, subject_key=f"meeting:{meeting.id}")
    return _detail_page(meeting)


@bp.route("/<int:meeting_id>/attendees", methods=["POST"])
def add_attendee(meeting_id: int):
    meeting = meeting_or_404(meeting_id, current_user)
    require(policies.can_prepare(current_user, meeting), hide=False)
    data, errors = load_form(AttendeeSchema(), request.form)
    if not errors:
        _attendee, errors = attempt(operations.add_attendee, meeting, data, actor=current_user)
    if errors:
        return _detail_page(meeting, errors)
    flash(_("The attendee has been added."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id) + "#attendees")


@bp.route("/<int:meeting_id>/attendees/<int:attendee_id>/remove", methods=["POST"])
def remove_attendee(meeting_id: int, attendee_id: int):
    meeting = meeting_or_404(meeting_id, current_user)
    require(policies.can_prepare(current_user, meeting), hide=False)
    _done, errors = attempt(operations.remove_attendee, meeting, attendee_id, actor=current_user)
    if errors:
        return _detail_page(meeting, errors)
    return redirect(url_for("meetings.detail", meeting_id=meeting.id) + "#attendees")


@bp.route("/<int:meeting_id>/cancel", methods=["POST"])
def cancel(meeting_id: int):
    meeting = meeting_or_404(meeting_id, current_user)
    require(policies.can_schedule(current_user, meeting), hide=False)
    data, errors = load_form(CancelSchema(), request.form)
    if not errors:
        _done, errors = attempt(operations.cancel, meeting, data, actor=current_user)
    if errors:
        return _detail_page(meeting, errors)
    flash(_("The meeting has been cancelled."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id))


def _occurrence_page(meeting: Meeting, key, errors: dict | None = None, rows: int = 0):
    occ = meeting.occurrence(key)
    minutes = meeting.minutes_for(key)
    can_record = policies.can_record_minutes(current_user, meeting)
    can_prepare = policies.can_prepare(current_user, meeting)
    signed_attendees = minutes.signed_attendees(str(get_locale())) if minutes else None
    return render_form(
        "meetings/occurrence.html",
        errors,
        meeting=meeting,
        occ=occ,
        agenda=meeting.agenda_for(key),
        minutes=minutes,
        attendees_signed=signed_attendees is not None,
        attendees=signed_attendees
        if signed_attendees is not None
        else [
            SignedAttendee(a.display_name, a.position or "", a.office.code, a.office.name)
            for a in meeting.attendees
        ],
        can_schedule=policies.can_schedule(current_user, meeting),
        can_prepare=can_prepare,
        can_record=can_record,
        may_update=lambda item: policies.can_update_action_item(current_user, item),
        requests=queries.open_requests(meeting) if can_prepare else [],
        cases=queries.shared_cases(meeting, current_user) if can_prepare else [],
        office_options=[
            (office.id, office.name) for office in (meeting.host_office, meeting.partner_office)
        ],
        user_options=queries.user_options(meeting) if can_record else [],
        status_options=[(status.value, status.label) for status in ActionStatus],
        rows=range(max(BLANK_ACTION_ROWS, rows)),
        starts_input=local_input(occ.starts_at),
        ends_input=local_input(occ.ends_at),
        started=occ.starts_at <= utcnow() + operations.CLOCK_LEEWAY,
        decisions_text="\n".join(minutes.decisions) if minutes else "",
    )


@bp.route("/<int:meeting_id>/on/<slug>")
def occurrence(meeting_id: int, slug: str):
    meeting = meeting_or_404(meeting_id, current_user)
    key = occurrence_key_or_404(meeting, slug)
    return _occurrence_page(meeting, key)


def _back(meeting: Meeting, key, anchor: str = "") -> Response:
    return redirect(
        url_for("meetings.occurrence", meeting_id=meeting.id, slug=occurrence_slug(key)) + anchor
    )


@bp.route("/<int:meeting_id>/on/<slug>/change", methods=["POST"])
def change(meeting_id: int, slug: str):
    meeting = meeting_or_404(meeting_id, current_user)
    key = occurrence_key_or_404(meeting, slug)
    require(policies.can_schedule(current_user, meeting), hide=False)
    data, errors = load_form(OccurrenceChangeSchema(), request.form)
    if not errors:
        _done, errors = attempt(
            operations.change_occurrence, meeting, key, data, actor=current_user
        )
    if errors:
        return _occurrence_page(meeting, key, errors)
    if data["kind"] == OverrideKind.MOVED:
        flash(_("This occurrence has been moved."), "success")
    else:
        flash(_("This occurrence has been skipped."), "success")
    return _back(meeting, key)


@bp.route("/<int:meeting_id>/on/<slug>/agenda", methods=["POST"])
def add_agenda_item(meeting_id: int, slug: str):
    meeting = meeting_or_404(meeting_id, current_user)
    key = occurrence_key_or_404(meeting, slug)
    require(policies.can_prepare(current_user, meeting), hide=False)
    data, errors = load_form(AgendaItemSchema(), request.form)
    if not errors:
        _item, errors = attempt(operations.add_agenda_item, meeting, key, data, actor=current_user)
    if errors:
        return _occurrence_page(meeting, key, errors)
    flash(_("The item has been added to the agenda."), "success")
    return _back(meeting, key, "#agenda")


@bp.route("/<int:meeting_id>/on/<slug>/agenda/<int:item_id>/remove", methods=["POST"])
def remove_agenda_item(meeting_id: int, slug: str, item_id: int):
    meeting = meeting_or_404(meeting_id, current_user)
    key = occurrence_key_or_404(meeting, slug)
    require(policies.can_prepare(current_user, meeting), hide=False)
    _done, errors = attempt(operations.remove_agenda_item, meeting, item_id, actor=current_user)
    if errors:
        return _occurrence_page(meeting, key, errors)
    return _back(meeting, key, "#agenda")


def _submitted_rows() -> int:
    indexes = set()
    for name in request.form:
        if name.startswith("action_items-"):
            raw = name.split("-", 2)[1]
            if raw.isascii() and raw.isdigit() and len(raw) < 3:
                indexes.add(int(raw))
    return min(max(indexes, default=-1) + 1, MAX_ACTION_ROWS)


def _action_rows(count: int) -> tuple[list[dict], list[int], dict]:
    """The action items of the form (``action_items-<n>-<field>``); a row without text is
    left out (the blank rows)."""
    rows, indexes, errors = [], [], {}
    for index in range(count):
        prefix = f"action_items-{index}-"
        form = MultiDict(
            (name.removeprefix(prefix), value)
            for name, value in request.form.items(multi=True)
            if name.startswith(prefix)
        )
        if not (form.get("text") or "").strip():
            continue
        data, row_errors = load_form(ActionItemSchema(), form)
        errors.update({f"{prefix}{name}": messages for name, messages in row_errors.items()})
        rows.append(data or {})
        indexes.append(index)
    return rows, indexes, errors


def _to_form_rows(errors: dict, indexes: list[int]) -> dict:
    moved = {}
    for name, messages in errors.items():
        parts = name.split("-", 2)
        if name.startswith("action_items-") and len(parts) == 3 and parts[1].isdigit():
            position = int(parts[1])
            if position < len(indexes):
                name = f"action_items-{indexes[position]}-{parts[2]}"
        moved[name] = messages
    return moved


class _MinutesForm(MinutesSchema):
    class Meta:
        exclude = ("action_items",)


@bp.route("/<int:meeting_id>/on/<slug>/minutes", methods=["POST"])
def save_minutes(meeting_id: int, slug: str):
    meeting = meeting_or_404(meeting_id, current_user)
    key = occurrence_key_or_404(meeting, slug)
    require(policies.can_record_minutes(current_user, meeting), hide=False)
    rows = _submitted_rows()
    form = MultiDict(
        (name, value)
        for name, value in request.form.items(multi=True)
        if not name.startswith("action_items-")
    )
    data, errors = load_form(_MinutesForm(), form)
    actions, indexes, action_errors = _action_rows(rows)
    errors = {**(errors or {}), **action_errors}
    if not errors:
        data["action_items"] = actions
        _minutes, errors = attempt(operations.save_minutes, meeting, key, data, actor=current_user)
        errors = _to_form_rows(errors, indexes)
    if errors:
        return _occurrence_page(meeting, key, errors, rows)
    flash(_("The minutes have been saved."), "success")
    return _back(meeting, key, "#minutes")


@bp.route("/<int:meeting_id>/on/<slug>/sign", methods=["POST"])
def sign(meeting_id: int, slug: str):
    meeting = meeting_or_404(meeting_id, current_user)
    key = occurrence_key_or_404(meeting, slug)
    require(policies.can_record_minutes(current_user, meeting), hide=False)
    minutes = meeting.minutes_for(key)
    if minutes is None:
        return _occurrence_page(meeting, key, {"_schema": [_("Write the minutes first.")]})
    data, errors = load_form(SignSchema(), request.form)
    if errors:
        return _occurrence_page(meeting, key, errors)
    if minutes.signed:
        return _occurrence_page(
            meeting,
            key,
            {"_schema": [_("These minutes are signed already: a change issues a new version.")]},
        )
    issued = operations.sign_minutes(minutes, actor=current_user, trilingual=data["trilingual"])
    flash(_("The minutes have been signed: %(number)s.", number=issued.number), "success")
    return _back(meeting, key, "#minutes")


@bp.route("/<int:meeting_id>/minutes/<int:record_id>.pdf")
def download(meeting_id: int, record_id: int):
    meeting = meeting_or_404(meeting_id, current_user)
    issued = db.session.get(MinutesRecord, record_id)
    if issued is None or issued.minutes.meeting_id != meeting.id:
        abort(404)
    operations.record_download(issued, actor=current_user)
    pdf = render_minutes(issued.snapshot)
    filename = f"{issued.number.replace('/', '-')}-v{issued.version}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/actions/<int:item_id>/status", methods=["POST"])
def action_status(item_id: int):
    item = action_item_or_404(item_id, current_user)
    require(policies.can_update_action_item(current_user, item), hide=False)
    meeting = item.minutes.meeting
    data, errors = load_form(ActionStatusSchema(), request.form)
    if not errors:
        _done, errors = attempt(operations.set_action_status, item, data, actor=current_user)
    if errors:
        return _occurrence_page(meeting, item.minutes.occurs_at, errors)
    flash(_("The action item is now: %(status)s.", status=item.status_label), "success")
    target = request.form.get("back")
    if target == "dashboard":
        return redirect(url_for("dashboard.index"))
    return _back(meeting, item.minutes.occurs_at, f"#action-{item.id}")

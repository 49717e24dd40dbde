"""Scheduling a handover, logging it at the gate, its records, and the gate lists."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask_babel import get_locale, get_timezone
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from coordination.core.access import require
from coordination.core.db import utcnow
from coordination.core.formatting import local_input, moment_text, name_with_romanised
from coordination.core.validation import load_form, parse_id, parse_ids
from coordination.core.views import attempt, paginate, record_named, render_form
from coordination.directory.models import Office
from coordination.exchange.models import Request
from coordination.extensions import db
from coordination.handovers import operations, policies, queries
from coordination.handovers.loaders import handover_or_404
from coordination.handovers.models import Handover, HandoverRecord, HandoverState, Referral
from coordination.handovers.record_pdf import render_handover_record
from coordination.handovers.schemas import (
    ListArgs,
    LogSchema,
    NewScheduleSchema,
    PersonLogSchema,
    ReasonSchema,
    ScheduleSchema,
)
from coordination.handovers.tasks import subject_key
from coordination.i18n import _, timezone_label
from coordination.matching.names import romanise
from coordination.notifications.operations import mark_read

bp = Blueprint(
    "handovers",
    __name__,
    url_prefix="/handovers",
    template_folder="templates",
    static_folder="static",
)


@bp.before_request
def _signed_in():
    """Every page here needs a signed-in user; each view then checks its own policy. The
    gate's stylesheet and script are public, as the app's own are."""
    if request.endpoint == "handovers.static":
        return None
    return _require_login()


@login_required
def _require_login():
    return None


@bp.context_processor
def _helpers():
    return {
        "times": _times,
        "officer_lines": _lines,
        "latin": romanise,
        "current_timezone_label": timezone_label(str(get_timezone())),
    }


def _times(handover: Handover, moment) -> list[tuple[str, str]]:
    """A moment in each side's time zone (Laos and China are an hour apart, Vietnam and
    Laos not), the reader's own first."""
    zones = dict.fromkeys(
        [
            str(get_timezone()),
            handover.handing_office.country.timezone,
            handover.receiving_office.country.timezone,
        ]
    )
    return [
        (
            timezone_label(zone, moment),
            moment_text(moment, get_locale(), ZoneInfo(zone)),
        )
        for zone in zones
    ]


def _name_lines(pairs) -> str:
    """(name, rank or note) pairs as the "name; rank" lines the forms read back."""
    return "\n".join(f"{name}; {other or ''}".rstrip("; ") for name, other in pairs)


def _lines(handover, field: str, key: str) -> str:
    if handover is None:
        return ""
    return _name_lines((item["name"], item.get(key)) for item in getattr(handover, field) or [])


def our_names(handovers) -> tuple[dict[int, list[str]], list[list]]:
    """Our records' names for the people of ``handovers`` that the user may read (by
    handover person id), and the records shown, for the audit entry of the page."""
    people = {person.id: person for handover in handovers for person in handover.people}
    names: dict[int, list[str]] = {}
    shown: list[list] = []
    for person_id, records in queries.our_records(list(people.values())).items():
        latin = (people[person_id].latin_name or "").casefold()
        for found in records:
            if policies.reads_our_record(current_user, found):
                # Its Latin form only when it says more than the partner's beside it.
                romanised = found.romanised if (found.romanised or "").casefold() != latin else None
                names.setdefault(person_id, []).append(name_with_romanised(found.name, romanised))
                if [found.kind, found.id] not in shown:
                    shown.append([found.kind, found.id])
    return names, shown


def load_handover(handover_id: int) -> Handover:
    return handover_or_404(handover_id, current_user)


def _filtered(args: dict):
    query = queries.visible_handovers(current_user)
    if args.get("gate_id"):
        query = query.where(Handover.gate_id == args["gate_id"])
    if args.get("state"):
        query = query.where(Handover.state == args["state"])
    if args.get("day"):
        start, end = queries.day_bounds(args["day"], str(get_timezone()))
        query = query.where(Handover.scheduled_at >= start, Handover.scheduled_at < end)
    return query


@bp.route("/")
def index():
    args, errors = load_form(ListArgs(), request.args)
    args = args or {}
    page = paginate(_filtered(args).order_by(Handover.scheduled_at.desc(), Handover.id.desc()))
    return render_form(
        "handovers/list.html",
        page=page,
        args=args,
        filter_errors=errors,
        gates=queries.all_gates(),
        states=[(state.value, state.label) for state in HandoverState],
        can_schedule=policies.can_schedule_handovers(current_user),
    )


@bp.route("/day")
def day_schedule():
    """The printable schedule of one gate (or all the user's gates) for one day."""
    args, errors = load_form(ListArgs(), request.args)
    today = datetime.now(ZoneInfo(str(get_timezone()))).date()  # the reader's today
    args = {**(args or {}), "day": (args or {}).get("day") or today}
    query = _filtered({**args, "state": None}).where(
        Handover.state.in_((HandoverState.SCHEDULED, HandoverState.COMPLETED))
    )
    handovers = db.session.scalars(query.order_by(Handover.scheduled_at)).unique().all()
    names, shown = our_names(handovers)
    # The schedule names the people: who printed which list is audited.
    operations.record_day_view(handovers, actor=current_user, records=shown)
    return render_form(
        "handovers/day.html",
        errors,
        handovers=handovers,
        args=args,
        gates=queries.all_gates(),
        our_names=names,
    )


def _schedule_context(found_request, handover, errors):
    people = found_request.people if found_request else []
    if request.method == "POST":
        chosen = parse_ids(request.form.getlist("person_ids"))
    elif handover is not None:
        chosen = [p.request_person_id for p in handover.people if p.on_list]
    else:
        chosen = [person.id for person in people]
    handing_side = "sender"
    if handover is not None and handover.handing_office_id != found_request.sender_office_id:
        handing_side = "recipient"
    requests = (
        db.session.scalars(queries.schedulable_requests(current_user).limit(200)).all()
        if handover is None
        else []
    )
    return render_form(
        "handovers/schedule.html",
        errors,
        handover=handover,
        req=found_request,
        requests_options=[(r.id, f"{r.reference} · {r.subject}") for r in requests],
        gate_options=[(g.id, g.name) for g in queries.gates_for(found_request)]
        if found_request
        else [],
        side_options=[
            ("sender", _("%(office)s hands over", office=found_request.sender_office.name)),
            ("recipient", _("%(office)s hands over", office=found_request.recipient_office.name)),
        ]
        if found_request
        else [],
        handing_side=handing_side,
        people_options=[(person.id, person.display_name) for person in people],
        chosen=chosen,
    )


@bp.route("/new", methods=["GET", "POST"])
def schedule():
    require(policies.can_schedule_handovers(current_user), hide=False)
    found_request = record_named(Request, "request_id")
    if found_request is not None:
        # Another office's proposal: 404 as for one that does not exist, so that its
        # existence is not confirmed.
        require(policies.can_schedule_from(current_user, found_request))
    errors = {}
    if request.method == "POST":
        data, errors = load_form(NewScheduleSchema(), request.form)
        if not errors and found_request is None:
            errors = {"request_id": [_("Choose one of the listed options.")]}
        if not errors:
            handover, errors = attempt(operations.schedule, found_request, data, actor=current_user)
        if not errors:
            flash(_("The handover has been scheduled."), "success")
            return redirect(url_for("handovers.detail", handover_id=handover.id))
    return _schedule_context(found_request, None, errors)


@bp.route("/<int:handover_id>")
def detail(handover_id: int):
    handover = load_handover(handover_id)
    names, shown = our_names([handover])
    operations.record_view(handover, actor=current_user, records=shown)
    # The reminders of this handover have done their work once it is opened.
    mark_read(current_user, subject_key=subject_key(handover.id))
    return render_form(
        "handovers/detail.html",
        handover=handover,
        our_names=names,
        can_manage=policies.can_manage_handover(current_user, handover),
        is_open=handover.state in operations.OPEN_STATES,
    )


@bp.route("/<int:handover_id>/edit", methods=["GET", "POST"])
def edit(handover_id: int):
    handover = load_handover(handover_id)
    require(policies.can_manage_handover(current_user, handover), hide=False)
    errors = {}
    if request.method == "POST":
        data, errors = load_form(ScheduleSchema(), request.form)
        if not errors:
            _updated, errors = attempt(
                operations.update_schedule, handover, data, actor=current_user
            )
        if not errors:
            flash(_("The schedule has been changed."), "success")
            return redirect(url_for("handovers.detail", handover_id=handover.id))
    return _schedule_context(handover.request, handover, errors)


@bp.route("/<int:handover_id>/<any(postpone, cancel):action>", methods=["POST"])
def stop(handover_id: int, action: str):
    handover = load_handover(handover_id)
    require(policies.can_manage_handover(current_user, handover), hide=False)
    data, errors = load_form(ReasonSchema(), request.form)
    if not errors:
        operation = operations.postpone if action == "postpone" else operations.cancel
        _stopped, errors = attempt(operation, handover, data, actor=current_user)
    if errors:
        return render_form(
            "handovers/detail.html",
            errors,
            handover=handover,
            our_names=our_names([handover])[0],
            can_manage=True,
            is_open=handover.state in operations.OPEN_STATES,
            stop_action=action,
        )
    flash(handover.state_label, "success")
    return redirect(url_for("handovers.detail", handover_id=handover.id))


def _people_data(handover: Handover):
    """Each person's logged fields, from inputs named ``p<id>-<field>``."""
    people, errors = {}, {}
    for person in handover.listed_people:
        prefix = f"p{person.id}-"
        form = MultiDict(
            (key.removeprefix(prefix), value)
            for key, value in request.form.items(multi=True)
            if key.startswith(prefix)
        )
        data, person_errors = load_form(PersonLogSchema(), form)
        if person_errors:
            errors.update({prefix + field: messages for field, messages in person_errors.items()})
        else:
            people[person.id] = data
    return people, errors


@bp.route("/<int:handover_id>/log", methods=["GET", "POST"])
def log(handover_id: int):
    handover = load_handover(handover_id)
    require(policies.can_manage_handover(current_user, handover), hide=False)
    errors = {}
    if request.method == "POST":
        data, errors = load_form(LogSchema(), request.form)
        people, people_errors = _people_data(handover)
        errors = {**(errors or {}), **people_errors}
        if not errors:
            issued, errors = attempt(
                operations.log_at_gate, handover, data, people, actor=current_user
            )
        if not errors:
            if issued is not None:
                flash(
                    _("Record %(number)s (version %(version)d) is ready to print.",
                      number=issued.number, version=issued.version),
                    "success",
                )  # fmt: skip
            else:
                flash(_("What happened at the gate has been saved."), "success")
            return redirect(url_for("handovers.detail", handover_id=handover.id))
    names, shown = our_names([handover])
    if shown:
        operations.record_view(handover, actor=current_user, records=shown)
    return render_form(
        "handovers/log.html",
        errors,
        handover=handover,
        our_names=names,
        people=_gate_people(handover, errors),
        referrals=[(referral.value, referral.label) for referral in Referral],
        centres=[(office.id, office.name) for office in queries.referral_centres(handover)],
        completed=handover.state == HandoverState.COMPLETED,
        # One tap at the gate: the completion time is filled in with now, the guard's time.
        now_input=local_input(utcnow()),
        not_on_list_lines=_name_lines(
            (p.name_as_written, p.note) for p in handover.people if not p.on_list
        ),
    )


def _gate_people(handover: Handover, errors: dict) -> list[dict]:
    """Each person on the list with the decision the form shows (as submitted, else as
    stored: True, False or None) and whether their section opens (errors in it, or the
    only person on the list)."""
    listed = handover.listed_people
    people = []
    for person in listed:
        prefix = f"p{person.id}-"
        decision = person.handed_over
        if request.method == "POST":
            decision = {"1": True, "0": False}.get(request.form.get(prefix + "handed_over", ""))
        people.append(
            {
                "person": person,
                "prefix": prefix,
                "decision": decision,
                "open": len(listed) == 1 or any(key.startswith(prefix) for key in errors),
            }
        )
    return people


@bp.route("/<int:handover_id>/records/<int:record_id>.pdf")
def download(handover_id: int, record_id: int):
    handover = load_handover(handover_id)
    issued = db.session.get(HandoverRecord, record_id)
    require(issued is not None and issued.handover_id == handover.id)
    snapshot, shown = _our_copy(issued.snapshot)
    operations.record_download(issued, actor=current_user, records=shown)
    pdf = render_handover_record(snapshot, our_names=bool(shown))
    filename = f"{issued.number.replace('/', '-')}-v{issued.version}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _our_copy(snapshot: dict) -> tuple[dict, list[list]]:
    """The snapshot with, for each person, only the names of our records this reader may
    read (their side's copy), and those records ([kind, id]); none: the record as issued."""
    offices: dict[int, Office | None] = {}

    def office(office_id):
        if office_id not in offices:
            offices[office_id] = db.session.get(Office, office_id) if parse_id(office_id) else None
        return offices[office_id]

    people, shown = [], []
    for person in snapshot.get("people") or []:
        readable = []
        for entry in person.get("our_names") or []:
            ours = [office(office_id) for office_id in entry.get("offices") or []][:2]
            if len(ours) == 2 and all(ours) and policies.on_our_side(current_user, ours):
                readable.append(entry)
                shown.append([entry.get("kind"), entry.get("id")])
        people.append({**person, "our_names": readable})
    return {**snapshot, "people": people}, shown

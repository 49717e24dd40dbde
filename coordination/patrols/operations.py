"""Proposing, answering, cancelling and reporting joint patrols. They flush, never commit.

Each checks what a form cannot: the partner is a partner of the proposing office in the
directory, the gate lies on the two offices' border, another time proposed is a real change
and still to come, an outcome is reported only once the patrol has started, a rescued person
joins a case of the reporting office only. A refusal raises before anything is written.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from coordination.audit.operations import record
from coordination.auth.models import Role
from coordination.cases import operations as case_operations
from coordination.cases.models import Case, CaseStatus, PersonRole, VictimStatus
from coordination.core.db import utcnow
from coordination.core.errors import OperationError, check_version, field_error
from coordination.directory.models import BorderGate, Office
from coordination.directory.operations import find_partnership, top_level_area
from coordination.extensions import db
from coordination.i18n import _
from coordination.notifications.operations import Notice, notify_once, officers_of
from coordination.patrols.models import (
    AWAITING_STATES,
    LIVE_STATES,
    REPORTABLE_STATES,
    Patrol,
    PatrolMessage,
    PatrolReport,
    PatrolRescue,
    PatrolState,
    PatrolStep,
)

DETAIL_FIELDS = (
    "marker_from",
    "marker_to",
    "meeting_point",
    "proposing_unit",
    "partner_unit",
    "proposing_leaders",
    "partner_leaders",
    "purpose",
)
# A patrol lasts at most this long (a typing slip in a date gives weeks).
LONGEST = timedelta(days=7)
# A time typed on a phone whose clock runs a little behind is not "in the past".
CLOCK_LEEWAY = timedelta(minutes=5)


def _check_times(starts_at, ends_at, *, field_prefix: str = "") -> None:
    if starts_at is None:
        raise field_error(f"{field_prefix}starts_at", _("Give the start of the patrol."))
    if ends_at is None:
        raise field_error(f"{field_prefix}ends_at", _("Give the end of the patrol."))
    if ends_at <= starts_at:
        raise field_error(f"{field_prefix}ends_at", _("The patrol must end after it starts."))
    if ends_at - starts_at > LONGEST:
        raise field_error(
            f"{field_prefix}ends_at", _("A joint patrol lasts at most seven days: check the dates.")
        )
    if starts_at < utcnow() - CLOCK_LEEWAY:
        raise field_error(f"{field_prefix}starts_at", _("This time is in the past."))


def _partner(actor, office_id: int) -> Office:
    partner = db.session.get(Office, office_id)
    partnership = find_partnership(actor.office_id, office_id) if partner else None
    if partner is None or partnership is None or not partnership.active or not partner.active:
        raise field_error(
            "partner_office_id",
            _("This office is not a partner of yours. Patrols are arranged with partner "
              "offices only."),
        )  # fmt: skip
    return partner


def gate_joins(gate: BorderGate, first: Office, second: Office) -> bool:
    """The gate lies on the border between the two offices' provinces."""
    sides = {top_level_area(gate.vietnam_area).id, top_level_area(gate.partner_area).id}
    return sides == {first.province_id, second.province_id}


def _gate(gate_id: int | None, actor, partner: Office) -> BorderGate | None:
    if gate_id is None:
        return None
    gate = db.session.get(BorderGate, gate_id)
    if gate is None or not gate.active:
        raise field_error("gate_id", _("Choose one of the listed options."))
    if not gate_joins(gate, actor.office, partner):
        raise field_error(
            "gate_id", _("This border gate is not on the border between these two offices.")
        )
    return gate


def tell_the_other_side(patrol: Patrol, message: PatrolMessage, actor) -> int:
    """Notify the other office's border guards and liaison officers of a step of the
    thread (once per step: keyed by the message)."""
    other = patrol.other_office(actor.office_id).id
    kind = "patrol_proposed" if message.kind == PatrolStep.PROPOSE else "patrol_updated"
    users = {
        user_id
        for role in (Role.BORDER_GUARD, Role.LIAISON_OFFICER)
        for user_id in officers_of([other], role).get(other, ())
    }
    return notify_once(
        Notice(user_id, kind, f"patrol:{patrol.id}", f"message:{message.id}")
        for user_id in sorted(users)
    )


def _add_message(patrol: Patrol, step: PatrolStep, actor, body=None, starts_at=None, ends_at=None):
    message = PatrolMessage(
        kind=str(step),
        author_id=actor.id,
        author_office_id=actor.office_id,
        body=body,
        starts_at=starts_at,
        ends_at=ends_at,
        created_at=utcnow(),
    )
    patrol.messages.append(message)
    return message


# The audit code of each step.
STEP_CODES = {
    PatrolStep.CONFIRM: "patrol.confirm",
    PatrolStep.DECLINE: "patrol.decline",
    PatrolStep.COUNTER: "patrol.counter",
    PatrolStep.CANCEL: "patrol.cancel",
}


def _details(patrol: Patrol, **details) -> dict:
    return {"state": patrol.state, **details}


def propose(data: dict, *, actor) -> Patrol:
    partner = _partner(actor, data["partner_office_id"])
    gate = _gate(data.get("gate_id"), actor, partner)
    if not (data.get("marker_from") or data.get("marker_to") or gate):
        raise field_error(
            "marker_from",
            _("Give the border segment: the markers from and to, or a border gate."),
        )
    _check_times(data.get("starts_at"), data.get("ends_at"))
    patrol = Patrol(
        proposing_office_id=actor.office_id,
        partner_office_id=partner.id,
        awaiting_office_id=partner.id,
        gate=gate,
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        state=PatrolState.PROPOSED,
        created_by_id=actor.id,
        messages=[],
        reports=[],
    )
    for name in DETAIL_FIELDS:
        value = data.get(name)
        setattr(patrol, name, value if value is not None or "leaders" not in name else [])
    _add_message(patrol, PatrolStep.PROPOSE, actor, data.get("purpose"))
    db.session.add(patrol)
    db.session.flush()
    record(
        "patrol.propose",
        actor=actor,
        target=patrol,
        details=_details(patrol, partner=partner.code),
        subject_office_id=actor.office_id,
    )
    tell_the_other_side(patrol, patrol.messages[0], actor)
    return patrol


PARTNER_SIDE = ("partner_unit", "partner_leaders")


def _partner_side(patrol: Patrol, step: PatrolStep, data: dict, actor) -> dict:
    """The partner office's unit and leaders sent with a step: only the partner office gives
    them, and they are taken when it confirms or proposes another time (the proposing
    office names the partner's side only when it proposes)."""
    given = {name: data[name] for name in PARTNER_SIDE if name in data}
    if not given:
        return {}
    if actor.office_id != patrol.partner_office_id:
        name = next(iter(given))
        raise field_error(name, _("Only the partner office gives its own unit and leaders."))
    if step not in (PatrolStep.CONFIRM, PatrolStep.COUNTER):
        return {}
    if "partner_leaders" in given:
        given["partner_leaders"] = list(given["partner_leaders"] or [])
    return {name: value for name, value in given.items() if getattr(patrol, name) != value}


def take_step(patrol: Patrol, step, data: dict, *, actor) -> PatrolMessage:
    """Confirm, decline (with a reason), propose another time, or cancel (with a reason)."""
    step = PatrolStep(step)
    check_version(patrol, data.get("version"))
    body = data.get("body")
    awaited = patrol.state in AWAITING_STATES and patrol.awaiting_office_id == actor.office_id
    moving = step == PatrolStep.COUNTER and patrol.state == PatrolState.CONFIRMED
    if step in (PatrolStep.CONFIRM, PatrolStep.DECLINE, PatrolStep.COUNTER) and not (
        awaited or moving
    ):
        raise OperationError(
            _("This step is not possible now: the patrol is %(state)s.", state=patrol.state_label)
        )
    if step == PatrolStep.CANCEL and patrol.state not in LIVE_STATES:
        raise OperationError(
            _("This step is not possible now: the patrol is %(state)s.", state=patrol.state_label)
        )
    if (
        step == PatrolStep.CANCEL
        and patrol.state == PatrolState.CONFIRMED
        and patrol.starts_at <= utcnow()
    ):
        # A confirmed patrol that has begun took place: one side alone cannot undo it.
        raise OperationError(
            _("This patrol has begun: report its outcome instead of cancelling it.")
        )
    if step in (PatrolStep.DECLINE, PatrolStep.CANCEL) and not body:
        raise field_error("body", _("Give the reason."))
    partner_side = _partner_side(patrol, step, data, actor)
    starts_at = ends_at = None
    if step == PatrolStep.CONFIRM:
        if patrol.ends_at <= utcnow():
            raise OperationError(_("This patrol's time has passed: propose another time instead."))
        patrol.state = PatrolState.CONFIRMED
        patrol.awaiting_office_id = None
        patrol.state_reason = None
    elif step == PatrolStep.DECLINE:
        patrol.state = PatrolState.DECLINED
        patrol.awaiting_office_id = None
        patrol.state_reason = body
    elif step == PatrolStep.COUNTER:
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        _check_times(starts_at, ends_at)
        if (starts_at, ends_at) == (patrol.starts_at, patrol.ends_at):
            raise field_error(
                "starts_at", _("These are the times already proposed: give another time.")
            )
        patrol.starts_at, patrol.ends_at = starts_at, ends_at
        patrol.state = PatrolState.COUNTER_PROPOSED
        patrol.awaiting_office_id = patrol.other_office(actor.office_id).id
        patrol.state_reason = None
    else:  # cancel
        patrol.state = PatrolState.CANCELLED
        patrol.awaiting_office_id = None
        patrol.state_reason = body
    for name, value in partner_side.items():
        setattr(patrol, name, value)
    message = _add_message(patrol, step, actor, body, starts_at, ends_at)
    db.session.flush()
    details = {}
    if step == PatrolStep.COUNTER:
        details = {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()}
    if "partner_unit" in partner_side:
        details["partner_unit"] = patrol.partner_unit
    if "partner_leaders" in partner_side:
        details["partner_leaders"] = len(patrol.partner_leaders)
    code = STEP_CODES[step]
    record(
        code,
        actor=actor,
        target=patrol,
        details=_details(patrol, **details),
        subject_office_id=actor.office_id,
    )
    tell_the_other_side(patrol, message, actor)
    return message


def _case_for(rescued: dict, patrol: Patrol, actor, index: int, new_case: list) -> Case:
    """The case a rescued person joins: one of the office's open cases, or the one new
    case this report opens for the people it names without a case."""
    if rescued.get("case_id"):
        case = db.session.get(Case, rescued["case_id"])
        if case is None or case.office_id != actor.office_id or CaseStatus(case.status).is_closed:
            raise field_error(
                f"rescued-{index}-case_id", _("Choose one of your office's open cases.")
            )
        return case
    if not new_case:
        zone = ZoneInfo(actor.office.country.timezone)
        opened = min(patrol.starts_at.astimezone(zone).date(), datetime.now(zone).date())
        new_case.append(
            case_operations.create_case(
                {
                    "title": _(
                        "People rescued during the joint patrol of %(day)s", day=opened.isoformat()
                    )[:200],
                    "summary": _(
                        "Joint patrol %(segment)s with %(partner)s.",
                        segment=patrol.segment,
                        partner=patrol.other_office(actor.office_id).name,
                    ),
                    "opened_on": opened,
                },
                actor=actor,
            )
        )
    return new_case[0]


def report_outcome(patrol: Patrol, data: dict, *, actor) -> PatrolReport:
    """The actor's office's outcome report (made, or changed: ``version`` of the report).
    Each person named as rescued is added at once to a case of the office: an existing open
    case, or one new case opened for those given none. People already reported stay."""
    if patrol.state not in REPORTABLE_STATES:
        raise OperationError(
            _("Only a confirmed patrol has an outcome to report: the patrol is %(state)s.",
              state=patrol.state_label)
        )  # fmt: skip
    if patrol.starts_at > utcnow() + CLOCK_LEEWAY:
        raise OperationError(_("The patrol has not started yet: report its outcome afterwards."))
    report = patrol.report_of(actor.office_id)
    if report is not None:
        check_version(report, data.get("version"))
    # Check every case choice before anything is written.
    for index, rescued in enumerate(data.get("rescued") or []):
        if rescued.get("case_id"):
            case = db.session.get(Case, rescued["case_id"])
            if (
                case is None
                or case.office_id != actor.office_id
                or CaseStatus(case.status).is_closed
            ):
                raise field_error(
                    f"rescued-{index}-case_id", _("Choose one of your office's open cases.")
                )
    created = report is None
    if created:
        report = PatrolReport(office_id=actor.office_id, created_by_id=actor.id, rescued=[])
        patrol.reports.append(report)
    report.people_checked = data["people_checked"]
    report.incidents = data.get("incidents")
    report.notes = data.get("notes")
    new_case: list[Case] = []
    position = len(report.rescued)
    people = []
    for index, rescued in enumerate(data.get("rescued") or []):
        case = _case_for(rescued, patrol, actor, index, new_case)
        person = case_operations.add_person(
            case,
            {
                "role": PersonRole.VICTIM.value,
                "name_as_written": rescued["name_as_written"],
                "sex": rescued.get("sex") or "unknown",
                "estimated_age": rescued.get("estimated_age"),
                "nationality": rescued.get("nationality"),
                "victim_status": VictimStatus.POSSIBLE.value,
            },
            actor=actor,
        )
        position += 1
        report.rescued.append(PatrolRescue(position=position, person=person))
        people.append(person.id)
    if patrol.state == PatrolState.CONFIRMED:
        patrol.state = PatrolState.COMPLETED
    message = _add_message(patrol, PatrolStep.REPORT, actor) if created else None
    db.session.flush()
    record(
        "patrol.report",
        actor=actor,
        target=patrol,
        details=_details(patrol, people_checked=report.people_checked, people=people),
        subject_office_id=actor.office_id,
    )
    if message is not None:
        tell_the_other_side(patrol, message, actor)
    return report


def record_view(patrol: Patrol, *, actor) -> None:
    """Opening a patrol whose report names people rescued (the own office's) is audited."""
    record("patrol.view", actor=actor, target=patrol, subject_office_id=actor.office_id)

"""Referrals, intake, services, follow-up visits and closure. They flush, never commit.

Each checks what a form cannot: the centre is a centre of the receiving country, the person
is referred to the actor's centre, dates are in order and not in the future where they say
what happened, costs are plausible, essential needs beyond 120 days carry the decision that
extended them, a closure waits for a supervisor. The case of the person moves with them
(intake: in support; end of support: follow-up; closure: closed), each move audited with
its cause.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import select

from coordination.audit.operations import changes, record, snapshot
from coordination.auth.models import Role
from coordination.cases.models import Case, CaseStatus, Person
from coordination.core.db import utcnow
from coordination.core.errors import OperationError, check_version, field_error
from coordination.core.text import search_key
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.i18n import _, local_today
from coordination.notifications.operations import Notice, notify_once, officers_of
from coordination.reintegration.models import (
    ESSENTIAL_NEEDS_DAYS,
    ESSENTIAL_NEEDS_MAX_DAYS,
    MAX_COST,
    OPEN_STAGES,
    Closure,
    ClosureState,
    FollowUpVisit,
    Intake,
    Referral,
    ServiceType,
    Stage,
    SupportService,
)
from coordination.reintegration.policies import is_centre

DEFAULT_FOLLOW_UP_MONTHS = (1, 3, 6, 12)
INTAKE_FIELDS = [
    "arrived_on",
    "health",
    "psychological",
    "safety_risk",
    "safety_note",
    "family_situation",
    "education",
    "skills",
    "income",
    "counselling_note",
    "guardian",
    "school_status",
    "legal_representative",
    "best_interests_note",
]
SENSITIVE_INTAKE_FIELDS = ("health", "psychological", "counselling_note")
SERVICE_FIELDS = [
    "type",
    "provider",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "cost",
    "currency",
    "outcome",
    "referred_to",
    "delivered",
    "extension_decision",
]
VISIT_FIELDS = [
    "visited_on",
    "method",
    "housing",
    "income",
    "health",
    "safety_risk",
    "safety_note",
    "stigma",
    "legal_proceedings",
    "note",
]

NOTICE_REFERRED = "reintegration_referral"
NOTICE_DECLINED = "reintegration_declined"
NOTICE_UNANSWERED = "reintegration_unanswered"
NOTICE_VISIT_DUE = "reintegration_visit_due"
NOTICE_VISIT_MISSED = "reintegration_visit_missed"
NOTICE_LIMIT_NEAR = "reintegration_limit_near"


def subject_key(referral_id: int) -> str:
    return f"referral:{referral_id}"


def follow_up_months() -> tuple[int, ...]:
    """The schedule of follow-up visits, in months after the person went home
    (REINTEGRATION_FOLLOW_UP_MONTHS)."""
    months = current_app.config.get("REINTEGRATION_FOLLOW_UP_MONTHS") or DEFAULT_FOLLOW_UP_MONTHS
    return tuple(sorted({int(month) for month in months if 0 < int(month) <= 120}))


def _today() -> date:
    """Today on the social worker's clock (the host's UTC date is yesterday until 07:00 in
    Vietnam and Laos: a visit made this morning would read as in the future)."""
    return local_today()


# --- What is due (the dashboard's columns) -------------------------------------------------


def refresh_due(referral: Referral) -> None:
    """Set the referral's due dates from its services and visits (a few rows each)."""
    db.session.flush()
    services = db.session.scalars(
        select(SupportService).where(SupportService.referral_id == referral.id)
    ).all()
    visits = db.session.scalars(
        select(FollowUpVisit).where(FollowUpVisit.referral_id == referral.id)
    ).all()
    referral.service_due_on = min(
        (s.planned_start for s in services if s.delivered is None), default=None
    )
    referral.limit_on = min(
        (
            s.limit_on
            for s in services
            if s.limit_on is not None and s.actual_end is None and not s.extension_decision
        ),
        default=None,
    )
    referral.visit_due_on = min((v.due_on for v in visits if v.visited_on is None), default=None)
    db.session.flush()


# --- The case moves with the person ------------------------------------------------------


def move_case(case: Case | None, status: CaseStatus, *, cause: str, referral: Referral, actor):
    """Move ``case`` on to ``status`` (never back from a later stage to an earlier one by
    itself), audited with its cause."""
    if case is None or case.status == status:
        return
    order = [str(member) for member in CaseStatus]
    if CaseStatus(case.status).is_closed or order.index(case.status) > order.index(status):
        return
    before = case.status
    case.status = status
    db.session.flush()
    record(
        "reintegration.case_moved",
        actor=actor,
        target=case,
        details={"status": [before, str(status)], "cause": cause, "referral": referral.id},
    )


def _all_closed(case: Case, but: Referral) -> bool:
    others = db.session.scalars(
        select(Referral.stage).where(Referral.case_id == case.id, Referral.id != but.id)
    ).all()
    return all(stage in (Stage.CLOSED, Stage.DECLINED) for stage in others)


# --- Referrals ---------------------------------------------------------------------------


def _check_centre(centre_id: int | None, from_office: Office) -> Office:
    centre = db.session.get(Office, centre_id) if centre_id else None
    if centre is None or not centre.active or not is_centre(centre):
        raise field_error(
            "centre_office_id", _("Choose a social protection centre or shelter of the list.")
        )
    if centre.country.id != from_office.country.id:
        raise field_error(
            "centre_office_id",
            _("Choose a centre in the country that receives the person."),
        )
    return centre


def _notify_centre(referral: Referral) -> None:
    workers = officers_of([referral.centre_office_id], Role.SOCIAL_WORKER)
    notify_once(
        Notice(user, NOTICE_REFERRED, subject_key(referral.id), "referred")
        for user in workers.get(referral.centre_office_id, [])
    )


def _identity_from_person(person: Person) -> dict:
    return {
        "person_id": person.id,
        "case_id": person.case_id,
        "name_as_written": person.name_as_written,
        "name_romanised": person.name_romanised,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth,
        "child": person.is_child(),
    }


def _open_referral_of(person_id: int | None) -> Referral | None:
    if person_id is None:
        return None
    return db.session.scalar(
        select(Referral).where(
            Referral.person_id == person_id,
            Referral.stage.in_([Stage.PENDING, *OPEN_STAGES]),
        )
    )


def _create(identity: dict, centre: Office, from_office: Office, reason, actor, **links):
    referral = Referral(
        **identity,
        **links,
        search_text=search_key(identity.get("name_as_written"), identity.get("name_romanised")),
        centre_office_id=centre.id,
        from_office_id=from_office.id,
        reason=reason,
        stage=Stage.PENDING,
        referred_at=utcnow(),
        referred_by_id=actor.id,
    )
    db.session.add(referral)
    db.session.flush()
    record(
        "reintegration.refer",
        actor=actor,
        target=referral,
        details={"office_id": centre.id, "from_office": from_office.id},
    )
    _notify_centre(referral)
    return referral


def refer_person(person: Person, data: dict, *, actor) -> Referral:
    """A liaison officer refers a victim of their case to a centre (no handover)."""
    centre = _check_centre(data.get("centre_office_id"), actor.office)
    if _open_referral_of(person.id) is not None:
        raise OperationError(_("This person is already referred to a centre or in its care."))
    return _create(_identity_from_person(person), centre, actor.office, data.get("reason"), actor)


def refer_again(referral: Referral, data: dict, *, actor) -> Referral:
    """After a decline: the same person to another centre."""
    check_version(referral, data.get("version"))
    if referral.stage != Stage.DECLINED:
        raise OperationError(_("Only a declined referral can be sent to another centre."))
    centre = _check_centre(data.get("centre_office_id"), referral.from_office)
    if centre.id == referral.centre_office_id:
        raise field_error("centre_office_id", _("This centre has declined; choose another."))
    if _open_referral_of(referral.person_id) is not None:
        raise OperationError(_("This person is already referred to a centre or in its care."))
    identity = {
        name: getattr(referral, name)
        for name in (
            "person_id",
            "case_id",
            "name_as_written",
            "name_romanised",
            "sex",
            "date_of_birth",
            "child",
        )
    }
    return _create(
        identity,
        centre,
        referral.from_office,
        data.get("reason") or referral.reason,
        actor,
        handover_person_id=referral.handover_person_id,
    )


def refer_from_handover(handover, person, *, actor) -> Referral | None:
    """The referral a completed handover makes for a person referred to a centre."""
    if person.referral != "social_protection_centre" or not person.referral_office_id:
        return None
    if person.handed_over is False:
        return None
    exists = db.session.scalar(select(Referral.id).where(Referral.handover_person_id == person.id))
    if exists:
        return None
    centre = db.session.get(Office, person.referral_office_id)
    if centre is None or not is_centre(centre):
        return None
    record_person = None
    shared = person.request_person
    if shared is not None and shared.person is not None:
        candidate = shared.person
        if candidate.case.office.country.id == handover.receiving_office.country.id:
            record_person = candidate
    if record_person is not None:
        identity = _identity_from_person(record_person)
    else:
        values = shared.shared if shared is not None else {}
        identity = {
            "name_as_written": person.name_as_written,
            "name_romanised": person.latin_name,
            "sex": values.get("sex"),
            "date_of_birth": _date(values.get("date_of_birth")),
            "child": False,
        }
    return _create(
        identity,
        centre,
        handover.receiving_office,
        person.referral_detail,
        actor,
        handover_person_id=person.id,
    )


def _date(raw) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


def answer_referral(referral: Referral, data: dict, *, actor) -> Referral:
    check_version(referral, data.get("version"))
    if referral.stage != Stage.PENDING:
        raise OperationError(_("This referral has already been answered."))
    accept = data["decision"] == "accept"
    if not accept and not data.get("reason"):
        raise field_error("reason", _("Say why the centre declines the referral."))
    referral.stage = Stage.ACCEPTED if accept else Stage.DECLINED
    referral.decline_reason = None if accept else data["reason"]
    referral.answered_at = utcnow()
    referral.answered_by_id = actor.id
    db.session.flush()
    record(
        "reintegration.accept" if accept else "reintegration.decline",
        actor=actor,
        target=referral,
        details={} if accept else {"reason": data["reason"]},
    )
    if not accept:
        officers = officers_of([referral.from_office_id], Role.LIAISON_OFFICER)
        notify_once(
            Notice(user, NOTICE_DECLINED, subject_key(referral.id), "declined")
            for user in officers.get(referral.from_office_id, [])
        )
    return referral


def _check_own_centre(referral: Referral, actor) -> None:
    if actor.office_id != referral.centre_office_id:
        raise OperationError(_("This person is not referred to your centre."))


# --- Intake --------------------------------------------------------------------------------


def record_intake(referral: Referral, data: dict, *, actor) -> Intake:
    _check_own_centre(referral, actor)
    if referral.stage not in OPEN_STAGES:
        raise OperationError(_("Accept the referral before recording the intake."))
    arrived_on = data.get("arrived_on")
    if arrived_on and arrived_on < referral.referred_at.date() - timedelta(days=1):
        raise field_error("arrived_on", _("The arrival cannot be before the person was referred."))
    intake = referral.intake
    created = intake is None
    if created:
        intake = Intake(referral=referral, recorded_by_id=actor.id)
        db.session.add(intake)
        before = {}
    else:
        check_version(intake, data.get("version"))
        before = snapshot(intake, INTAKE_FIELDS)
    for name in INTAKE_FIELDS:
        if name in data:
            setattr(intake, name, data[name])
    consent_before = (intake.consent_services, intake.consent_sharing)
    intake.consent_services = bool(data.get("consent_services"))
    intake.consent_sharing = bool(data.get("consent_sharing"))
    if created or consent_before != (intake.consent_services, intake.consent_sharing):
        intake.consent_recorded_at = utcnow()
        intake.consent_recorded_by_id = actor.id
        if intake.consent_services or intake.consent_sharing:
            intake.consent_withdrawn_at = None
            intake.consent_withdrawn_by_id = None
    db.session.flush()
    diff = changes(intake, before, INTAKE_FIELDS) if not created else {}
    # Sensitive notes are not copied into the log, only that they changed.
    for name in SENSITIVE_INTAKE_FIELDS:
        if name in diff:
            diff[name] = ["…", "…"]
    record(
        "reintegration.intake" if created else "reintegration.intake_update",
        actor=actor,
        target=referral,
        details={
            **diff,
            "consent_services": intake.consent_services,
            "consent_sharing": intake.consent_sharing,
        },
    )
    if referral.stage == Stage.ACCEPTED:
        referral.stage = Stage.IN_SUPPORT
        db.session.flush()
        move_case(
            referral.case, CaseStatus.IN_SUPPORT, cause="intake", referral=referral, actor=actor
        )
    return intake


def withdraw_consent(referral: Referral, data: dict, *, actor) -> Intake:
    """Withdrawing consent takes effect at once (for services, sharing, or both)."""
    _check_own_centre(referral, actor)
    intake = referral.intake
    if intake is None:
        raise OperationError(_("No consent has been recorded yet."))
    check_version(intake, data.get("version"))
    which = data["consent"]
    if which in ("services", "all"):
        intake.consent_services = False
    if which in ("sharing", "all"):
        intake.consent_sharing = False
    intake.consent_withdrawn_at = utcnow()
    intake.consent_withdrawn_by_id = actor.id
    db.session.flush()
    record(
        "reintegration.consent_withdrawn",
        actor=actor,
        target=referral,
        details={"consent": which},
    )
    return intake


# --- Services ------------------------------------------------------------------------------


def _check_service(values: dict) -> None:
    start, end = values.get("planned_start"), values.get("planned_end")
    if start and end and end < start:
        raise field_error("planned_end", _("The service cannot end before it starts."))
    actual_start, actual_end = values.get("actual_start"), values.get("actual_end")
    if actual_start and actual_end and actual_end < actual_start:
        raise field_error("actual_end", _("The service cannot end before it starts."))
    today = _today()
    for name in ("actual_start", "actual_end"):
        if values.get(name) and values[name] > today:
            raise field_error(name, _("What happened cannot be in the future."))
    if values.get("delivered") and not actual_start:
        raise field_error("actual_start", _("Give the date the service was delivered."))
    cost = values.get("cost")
    if cost is not None and not 0 <= cost <= MAX_COST:
        raise field_error("cost", _("Enter a cost between 0 and 10,000,000,000."))
    if cost and not values.get("currency"):
        raise field_error("currency", _("Choose the currency of the cost."))
    if values.get("type") == ServiceType.ESSENTIAL_NEEDS:
        first = actual_start or start
        last = max(filter(None, (end, actual_end)), default=None)
        if first and last:
            days = (last - first).days
            if days > ESSENTIAL_NEEDS_MAX_DAYS:
                raise field_error(
                    "planned_end",
                    _(
                        "Essential needs can be extended to %(days)d days at most.",
                        days=ESSENTIAL_NEEDS_MAX_DAYS,
                    ),
                )
            if days > ESSENTIAL_NEEDS_DAYS and not values.get("extension_decision"):
                raise field_error(
                    "extension_decision",
                    _(
                        "Essential needs last %(days)d days at most unless extended: "
                        "record the extension decision.",
                        days=ESSENTIAL_NEEDS_DAYS,
                    ),
                )


def add_service(referral: Referral, data: dict, *, actor) -> SupportService:
    """A service of the plan. Added to a closed file, it reopens it."""
    _check_own_centre(referral, actor)
    if referral.stage not in (*OPEN_STAGES, Stage.CLOSED):
        raise OperationError(_("Accept the referral before planning services."))
    values = {name: data.get(name) for name in SERVICE_FIELDS}
    _check_service(values)
    service = SupportService(referral=referral, created_by_id=actor.id, **values)
    db.session.add(service)
    db.session.flush()
    record(
        "reintegration.service_add",
        actor=actor,
        target=referral,
        details={"service": service.id, "type": service.type},
    )
    refresh_due(referral)
    if referral.stage == Stage.CLOSED:
        referral.stage = Stage.IN_SUPPORT
        referral.closed_on = None
        db.session.flush()
        record("reintegration.reopen", actor=actor, target=referral, details={"cause": "service"})
        if referral.case is not None and CaseStatus(referral.case.status).is_closed:
            before = referral.case.status
            referral.case.status = CaseStatus.IN_SUPPORT
            db.session.flush()
            record(
                "reintegration.case_moved",
                actor=actor,
                target=referral.case,
                details={
                    "status": [before, str(CaseStatus.IN_SUPPORT)],
                    "cause": "service",
                    "referral": referral.id,
                },
            )
    elif referral.stage == Stage.ACCEPTED:
        referral.stage = Stage.IN_SUPPORT
        db.session.flush()
        move_case(
            referral.case, CaseStatus.IN_SUPPORT, cause="service", referral=referral, actor=actor
        )
    return service


def update_service(service: SupportService, data: dict, *, actor) -> SupportService:
    referral = service.referral
    _check_own_centre(referral, actor)
    check_version(service, data.get("version"))
    if referral.stage not in OPEN_STAGES:
        raise OperationError(_("This file is closed: add a service to reopen it."))
    values = {name: data.get(name) for name in SERVICE_FIELDS}
    _check_service(values)
    before = snapshot(service, SERVICE_FIELDS)
    for name, value in values.items():
        setattr(service, name, value)
    diff = changes(service, before, SERVICE_FIELDS)
    if diff:
        db.session.flush()
        record(
            "reintegration.service_update",
            actor=actor,
            target=referral,
            details={"service": service.id, **diff},
        )
        refresh_due(referral)
    return service


# --- End of support and follow-up ---------------------------------------------------------


def end_support(referral: Referral, data: dict, *, actor) -> Referral:
    """The person went home: follow-up visits are planned on the configured schedule."""
    _check_own_centre(referral, actor)
    check_version(referral, data.get("version"))
    if referral.stage != Stage.IN_SUPPORT:
        raise OperationError(_("Only a person in support can go on to follow-up."))
    home_on = data["home_on"]
    if home_on > _today():
        raise field_error("home_on", _("What happened cannot be in the future."))
    if referral.intake is not None and home_on < referral.intake.arrived_on:
        raise field_error("home_on", _("The person cannot go home before arriving."))
    referral.home_on = home_on
    referral.stage = Stage.FOLLOW_UP
    for months in follow_up_months():
        db.session.add(
            FollowUpVisit(
                referral=referral,
                months_after=months,
                due_on=home_on + relativedelta(months=months),
            )
        )
    db.session.flush()
    record(
        "reintegration.end_support",
        actor=actor,
        target=referral,
        details={"home_on": home_on, "visits": list(follow_up_months())},
    )
    refresh_due(referral)
    move_case(
        referral.case, CaseStatus.FOLLOW_UP, cause="end_of_support", referral=referral, actor=actor
    )
    return referral


def record_visit(visit: FollowUpVisit, data: dict, *, actor) -> FollowUpVisit:
    referral = visit.referral
    _check_own_centre(referral, actor)
    check_version(visit, data.get("version"))
    if referral.stage not in OPEN_STAGES:
        raise OperationError(_("This file is closed."))
    visited_on = data.get("visited_on")
    if visited_on is None:
        raise field_error("visited_on", _("Give the date of the visit or call."))
    if visited_on > _today():
        raise field_error("visited_on", _("A visit in the future cannot be marked done."))
    if referral.home_on and visited_on < referral.home_on:
        raise field_error("visited_on", _("The visit cannot be before the person went home."))
    if not data.get("method"):
        raise field_error("method", _("Choose how the person was followed up."))
    before = snapshot(visit, VISIT_FIELDS)
    for name in VISIT_FIELDS:
        setattr(visit, name, data.get(name))
    visit.recorded_by_id = actor.id
    db.session.flush()
    diff = changes(visit, before, VISIT_FIELDS)
    if "health" in diff:
        diff["health"] = ["…", "…"]
    record(
        "reintegration.visit",
        actor=actor,
        target=referral,
        details={"visit": visit.id, **diff},
    )
    refresh_due(referral)
    return visit


def add_visit(referral: Referral, data: dict, *, actor) -> FollowUpVisit:
    """An extra visit beside the schedule (due on a chosen day)."""
    _check_own_centre(referral, actor)
    if referral.stage != Stage.FOLLOW_UP:
        raise OperationError(_("Visits are planned once the person has gone home."))
    due_on = data["due_on"]
    if due_on < _today():
        raise field_error("due_on", _("A visit cannot be planned in the past."))
    if due_on > _today() + timedelta(days=2 * 366):
        raise field_error("due_on", _("Plan a visit within the next two years."))
    visit = FollowUpVisit(referral=referral, due_on=due_on)
    db.session.add(visit)
    db.session.flush()
    record("reintegration.visit_plan", actor=actor, target=referral, details={"visit": visit.id})
    refresh_due(referral)
    return visit


# --- Closure -------------------------------------------------------------------------------


def request_closure(referral: Referral, data: dict, *, actor) -> Closure:
    _check_own_centre(referral, actor)
    check_version(referral, data.get("version"))
    if referral.stage not in OPEN_STAGES:
        raise OperationError(_("This file is not open."))
    if referral.pending_closure is not None:
        raise OperationError(_("A closure is already awaiting a supervisor's approval."))
    closure = Closure(
        referral=referral,
        reason=data["reason"],
        note=data.get("note"),
        requested_by_id=actor.id,
        requested_at=utcnow(),
        state=ClosureState.REQUESTED,
    )
    db.session.add(closure)
    referral.updated_at = utcnow()  # a new version: a form loaded before sees the request
    db.session.flush()
    record(
        "reintegration.closure_request",
        actor=actor,
        target=referral,
        details={"reason": data["reason"]},
    )
    return closure


def decide_closure(referral: Referral, data: dict, *, actor) -> Closure:
    """A supervisor approves (the file closes, and the case once all its people's files
    have) or turns down a closure request."""
    check_version(referral, data.get("version"))
    closure = referral.pending_closure
    if closure is None:
        raise OperationError(_("No closure is awaiting approval."))
    approve = data["decision"] == "approve"
    if not approve and not data.get("note"):
        raise field_error("note", _("Say why the closure is not approved."))
    closure.state = ClosureState.APPROVED if approve else ClosureState.REJECTED
    closure.decided_by_id = actor.id
    closure.decided_at = utcnow()
    closure.decision_note = data.get("note")
    if approve:
        referral.stage = Stage.CLOSED
        referral.closed_on = _today()
    referral.updated_at = utcnow()
    db.session.flush()
    record(
        "reintegration.closure_approve" if approve else "reintegration.closure_reject",
        actor=actor,
        target=referral,
        details={"reason": closure.reason},
    )
    if approve and referral.case is not None and _all_closed(referral.case, referral):
        move_case(referral.case, CaseStatus.CLOSED, cause="closure", referral=referral, actor=actor)
    return closure


# --- Reads ---------------------------------------------------------------------------------


def record_view(referral: Referral, *, actor) -> None:
    record("reintegration.view", actor=actor, target=referral)


def record_sensitive_read(referral: Referral, *, actor) -> None:
    """Counselling and health notes were shown to ``actor``."""
    record("reintegration.sensitive_read", actor=actor, target=referral)


def record_history_download(referral: Referral, *, actor) -> None:
    record("reintegration.history_pdf", actor=actor, target=referral)

"""The selects of the reintegration pages: a centre's caseload and its counts, the referrals
a user's office sent or received, the centres one may refer to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, and_, exists, func, or_, select

from coordination.auth.models import Role, User
from coordination.core.text import search_key
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.reintegration.models import (
    ESSENTIAL_NEEDS_DAYS,
    OPEN_STAGES,
    FollowUpVisit,
    Referral,
    ServiceType,
    Stage,
    SupportService,
)
from coordination.reintegration.policies import CENTRE_KINDS

SOON_DAYS = 14  # visits due and the 120-day limit "approaching": within two weeks
SERVICES_DUE_DAYS = 7
OPEN = [str(stage) for stage in OPEN_STAGES]


def quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def centres_for(user: User) -> list[Office]:
    """The centres whose caseload the user may open: their own, or their province's."""
    query = select(Office).where(Office.kind.in_([str(kind) for kind in CENTRE_KINDS]))
    if user.has_role(Role.SUPERVISOR):
        query = query.where(Office.province_id == user.office.province_id)
    elif user.has_role(Role.SOCIAL_WORKER):
        query = query.where(Office.id == user.office_id)
    else:
        return []
    return list(db.session.scalars(query.order_by(Office.code)))


def referable_centres(office: Office) -> list[Office]:
    """Active centres and shelters of the office's country."""
    centres = db.session.scalars(
        select(Office)
        .where(Office.kind.in_([str(kind) for kind in CENTRE_KINDS]), Office.active.is_(True))
        .order_by(Office.code)
    )
    return [centre for centre in centres if centre.country.id == office.country.id]


def _services_due(today: date):
    return and_(
        SupportService.delivered.is_(None),
        SupportService.planned_start <= today + timedelta(days=SERVICES_DUE_DAYS),
    )


def _limit_near(today: date):
    """Essential needs whose 120th day is within two weeks (or passed) and not extended."""
    start = func.coalesce(SupportService.actual_start, SupportService.planned_start)
    return and_(
        SupportService.type == str(ServiceType.ESSENTIAL_NEEDS),
        SupportService.actual_end.is_(None),
        SupportService.extension_decision.is_(None),
        start <= today - timedelta(days=ESSENTIAL_NEEDS_DAYS - SOON_DAYS),
    )


@dataclass(frozen=True)
class Counts:
    in_care: int
    pending: int
    services_due: int
    visits_due: int
    visits_missed: int
    limit_near: int
    closed_quarter: int


def caseload_counts(office_id: int, today: date) -> Counts:
    """The dashboard's numbers for one centre: a few aggregate queries, none per person."""
    stage_counts = dict(
        db.session.execute(
            select(Referral.stage, func.count())
            .where(Referral.centre_office_id == office_id)
            .group_by(Referral.stage)
        ).all()
    )
    in_care = sum(stage_counts.get(stage, 0) for stage in OPEN)
    open_referrals = and_(Referral.centre_office_id == office_id, Referral.stage.in_(OPEN))
    services = db.session.execute(
        select(
            func.count().filter(_services_due(today)),
            func.count().filter(_limit_near(today)),
        )
        .select_from(SupportService)
        .join(Referral, Referral.id == SupportService.referral_id)
        .where(open_referrals)
    ).one()
    visits = db.session.execute(
        select(
            func.count().filter(FollowUpVisit.due_on >= today),
            func.count().filter(FollowUpVisit.due_on < today),
        )
        .select_from(FollowUpVisit)
        .join(Referral, Referral.id == FollowUpVisit.referral_id)
        .where(
            open_referrals,
            FollowUpVisit.visited_on.is_(None),
            FollowUpVisit.due_on <= today + timedelta(days=SOON_DAYS),
        )
    ).one()
    closed = db.session.scalar(
        select(func.count())
        .select_from(Referral)
        .where(
            Referral.centre_office_id == office_id,
            Referral.stage == str(Stage.CLOSED),
            Referral.closed_on >= quarter_start(today),
        )
    )
    return Counts(
        in_care=in_care,
        pending=stage_counts.get(str(Stage.PENDING), 0),
        services_due=services[0],
        visits_due=visits[0],
        visits_missed=visits[1],
        limit_near=services[1],
        closed_quarter=closed,
    )


def caseload(office_id: int, args: dict, today: date) -> Select:
    """The centre's people, filtered: by stage, by what is due, by name."""
    query = select(Referral).where(Referral.centre_office_id == office_id)
    show = args.get("show") or "all"
    if args.get("stage"):
        query = query.where(Referral.stage == args["stage"])
    elif show == "closed":
        query = query.where(
            Referral.stage == str(Stage.CLOSED), Referral.closed_on >= quarter_start(today)
        )
    elif show == "all":
        query = query.where(Referral.stage.in_([*OPEN, str(Stage.PENDING)]))
    else:
        query = query.where(Referral.stage.in_(OPEN))
    if show == "services_due":
        query = query.where(
            exists().where(SupportService.referral_id == Referral.id, _services_due(today))
        )
    elif show == "limit_near":
        query = query.where(
            exists().where(SupportService.referral_id == Referral.id, _limit_near(today))
        )
    elif show in ("visits_due", "visits_missed"):
        due = (
            and_(
                FollowUpVisit.due_on >= today,
                FollowUpVisit.due_on <= today + timedelta(days=SOON_DAYS),
            )
            if show == "visits_due"
            else FollowUpVisit.due_on < today
        )
        query = query.where(
            exists().where(
                FollowUpVisit.referral_id == Referral.id,
                FollowUpVisit.visited_on.is_(None),
                due,
            )
        )
    if args.get("q"):
        key = f"%{search_key(args['q'])}%"
        query = query.where(
            or_(
                func.lower(Referral.name_as_written).like(f"%{args['q'].lower()}%"),
                func.lower(func.coalesce(Referral.name_romanised, "")).like(key),
            )
        )
    return query.order_by(Referral.referred_at.desc(), Referral.id.desc())


def missed_visit_referrals(referral_ids: list[int], today: date) -> set[int]:
    """Which of the listed people have a missed visit (one query for a page)."""
    if not referral_ids:
        return set()
    return set(
        db.session.scalars(
            select(FollowUpVisit.referral_id).where(
                FollowUpVisit.referral_id.in_(referral_ids),
                FollowUpVisit.visited_on.is_(None),
                FollowUpVisit.due_on < today,
            )
        )
    )


def inbox(office_id: int) -> Select:
    """Referrals to a centre awaiting its answer, oldest first."""
    return (
        select(Referral)
        .where(Referral.centre_office_id == office_id, Referral.stage == str(Stage.PENDING))
        .order_by(Referral.referred_at, Referral.id)
    )


def sent_by(office_id: int) -> Select:
    """Referrals an office made, newest first (the police side's view of the status)."""
    return (
        select(Referral)
        .where(Referral.from_office_id == office_id)
        .order_by(Referral.referred_at.desc(), Referral.id.desc())
    )


def referrals_of_case(case_id: int) -> list[Referral]:
    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.case_id == case_id)
            .order_by(Referral.referred_at, Referral.id)
        )
    )


def referrals_of_person(person_id: int) -> list[Referral]:
    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.person_id == person_id)
            .order_by(Referral.referred_at, Referral.id)
        )
    )

"""The selects of the reintegration pages: a centre's caseload and its counts, the referrals
a user's office sent or received, the centres one may refer to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import lazyload

from coordination.auth.models import Role, User
from coordination.core.search import contains_key
from coordination.core.text import search_key
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.reintegration.models import (
    OPEN_STAGES,
    Referral,
    Stage,
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
    return Referral.service_due_on <= today + timedelta(days=SERVICES_DUE_DAYS)


def _limit_near(today: date):
    """Essential needs whose 120th day is within two weeks (or passed), not extended."""
    return Referral.limit_on <= today + timedelta(days=SOON_DAYS)


def _visits_due(today: date):
    return and_(
        Referral.visit_due_on >= today,
        Referral.visit_due_on <= today + timedelta(days=SOON_DAYS),
    )


def _visits_missed(today: date):
    return Referral.visit_due_on < today


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
    """The dashboard's numbers for one centre: people, counted in one pass over the centre's
    referrals (their due dates are kept by the operations: no service is read)."""
    is_open = Referral.stage.in_(OPEN)
    row = db.session.execute(
        select(
            func.count().filter(is_open),
            func.count().filter(Referral.stage == str(Stage.PENDING)),
            func.count().filter(is_open, _services_due(today)),
            func.count().filter(is_open, _visits_due(today)),
            func.count().filter(is_open, _visits_missed(today)),
            func.count().filter(is_open, _limit_near(today)),
            func.count().filter(
                Referral.stage == str(Stage.CLOSED), Referral.closed_on >= quarter_start(today)
            ),
        ).where(Referral.centre_office_id == office_id)
    ).one()
    return Counts(*row)


FILTERS = {
    "services_due": _services_due,
    "limit_near": _limit_near,
    "visits_due": _visits_due,
    "visits_missed": _visits_missed,
}


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
    if show in FILTERS:
        query = query.where(FILTERS[show](today))
    if args.get("q"):
        query = query.where(contains_key(Referral, search_key(args["q"])))
    return query.order_by(Referral.referred_at.desc(), Referral.id.desc())


def missed_visit_referrals(referrals, today: date) -> set[int]:
    """Which of the listed people have a missed visit (from the page's rows)."""
    return {
        r.id
        for r in referrals
        if r.visit_due_on is not None and r.visit_due_on < today and r.stage in OPEN
    }


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
            # The referring office is the case's: in the session, if it is read at all.
            .options(lazyload(Referral.from_office))
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

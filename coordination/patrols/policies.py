"""Who may see, propose, answer and report joint patrols.

A patrol is shared between its two offices only (the proposing office and its partner),
and the supervisors of either office's province who oversee them. Nobody else learns that it
exists (404). Border guards and liaison officers of the two offices arrange it and report
its outcome; each office reports for itself, and the people it rescued stay its own: the
partner sees how many were rescued, never who.
"""

from __future__ import annotations

from coordination.auth.models import Role, User
from coordination.cases.policies import CASE_WORKERS
from coordination.patrols.models import (
    AWAITING_STATES,
    LIVE_STATES,
    REPORTABLE_STATES,
    Patrol,
    PatrolState,
    PatrolStep,
)

ARRANGERS = (Role.BORDER_GUARD, Role.LIAISON_OFFICER)


def _arranges(user: User) -> bool:
    return user.is_active and any(user.has_role(role) for role in ARRANGERS)


def _oversees(user: User, patrol: Patrol) -> bool:
    return user.has_role(Role.SUPERVISOR) and user.office.province_id in {
        patrol.proposing_office.province_id,
        patrol.partner_office.province_id,
    }


def can_use_patrols(user: User) -> bool:
    """The menu entry: those who arrange patrols and the supervisors who watch them."""
    return user.is_active and (_arranges(user) or user.has_role(Role.SUPERVISOR))


def can_propose_patrols(user: User) -> bool:
    return _arranges(user)


def can_view_patrol(user: User, patrol: Patrol) -> bool:
    if not user.is_active:
        return False
    return user.office_id in patrol.office_ids or _oversees(user, patrol)


def _party(user: User, patrol: Patrol) -> bool:
    return _arranges(user) and user.office_id in patrol.office_ids


def allowed_steps(user: User, patrol: Patrol) -> list[PatrolStep]:
    """The steps ``user`` may take on ``patrol`` now: the awaited side confirms, declines
    or proposes another time; either side proposes another time for a confirmed patrol,
    and cancels a patrol that is still to happen."""
    if not _party(user, patrol):
        return []
    steps = []
    if patrol.state in AWAITING_STATES and patrol.awaiting_office_id == user.office_id:
        steps += [PatrolStep.CONFIRM, PatrolStep.DECLINE, PatrolStep.COUNTER]
    elif patrol.state == PatrolState.CONFIRMED:
        # Either side may ask to move a confirmed patrol (the weather, a case): the other
        # side then confirms the new time.
        steps.append(PatrolStep.COUNTER)
    if patrol.state in LIVE_STATES:
        steps.append(PatrolStep.CANCEL)
    return steps


def can_take_step(user: User, patrol: Patrol, step) -> bool:
    return PatrolStep(step) in allowed_steps(user, patrol)


def can_report(user: User, patrol: Patrol) -> bool:
    """Report (or change) the own office's outcome of a confirmed patrol; whether it has
    started yet is the operation's check (a clear message rather than a missing button)."""
    return _party(user, patrol) and patrol.state in REPORTABLE_STATES


def can_see_rescued(user: User, report) -> bool:
    """The names of the people rescued: the reporting office's own, like its cases."""
    return (
        user.is_active
        and user.office_id == report.office_id
        and any(user.has_role(role) for role in (*CASE_WORKERS, Role.BORDER_GUARD))
    )

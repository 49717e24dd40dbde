"""Who may see and do what in a person's reintegration.

- The centre (its social workers) sees the people referred to it, answers the referrals,
  records intake, services, visits and asks for closure. It reads what it needs about the
  person (the identity copied with the referral), never the police case file.
- Counselling and health notes are a sensitive class: the centre's social workers alone read
  them, each read audited (operations.record_sensitive_read).
- The police side (the referring office's liaison officers, and whoever may see the case)
  sees the reintegration status only: stage, centre, dates; no notes.
- Supervisors of the centre's province oversee its caseload and approve closures; they read
  the support file but not the sensitive notes.
- A liaison officer refers a victim of their own office's case; after a decline, the
  referring office's liaison officers choose another centre.
Nobody else learns that a referral exists (404).
"""

from __future__ import annotations

from coordination.auth.models import Role, User
from coordination.cases.models import Person, PersonRole
from coordination.cases.policies import can_view_case
from coordination.directory.models import Office, OfficeKind
from coordination.reintegration.models import OPEN_STAGES, Referral, Stage

CENTRE_KINDS = (OfficeKind.SOCIAL_PROTECTION_CENTRE, OfficeKind.SHELTER)


def is_centre(office: Office) -> bool:
    return office.kind in CENTRE_KINDS


def _centre_worker(user: User, referral: Referral) -> bool:
    return (
        user.is_active
        and user.office_id == referral.centre_office_id
        and user.has_role(Role.SOCIAL_WORKER)
    )


def _centre_supervisor(user: User, office: Office) -> bool:
    return (
        user.is_active
        and user.has_role(Role.SUPERVISOR)
        and user.office.province_id == office.province_id
    )


def _referring_officer(user: User, referral: Referral) -> bool:
    return (
        user.is_active
        and user.office_id == referral.from_office_id
        and user.has_role(Role.LIAISON_OFFICER)
    )


def can_view_status(user: User, referral: Referral) -> bool:
    """The stage, the centre and the dates: the police side's view (no notes)."""
    if not user.is_active:
        return False
    if _centre_worker(user, referral) or _referring_officer(user, referral):
        return True
    if _centre_supervisor(user, referral.centre_office) or _centre_supervisor(
        user, referral.from_office
    ):
        return True
    return referral.case is not None and can_view_case(user, referral.case) and not user.is_admin


def can_view_support(user: User, referral: Referral) -> bool:
    """The support file: intake (without the sensitive notes), services, visits, closure."""
    return _centre_worker(user, referral) or _centre_supervisor(user, referral.centre_office)


def can_read_sensitive(user: User, referral: Referral) -> bool:
    """Counselling and health notes: the centre's social workers only."""
    return _centre_worker(user, referral)


def can_answer_referral(user: User, referral: Referral) -> bool:
    return _centre_worker(user, referral) and referral.stage == Stage.PENDING


def can_work(user: User, referral: Referral) -> bool:
    """Intake, services, visits, consents, ending support, asking for closure."""
    return _centre_worker(user, referral) and referral.stage in OPEN_STAGES


def can_add_service(user: User, referral: Referral) -> bool:
    """A service may be added to a closed file too: it reopens it."""
    return _centre_worker(user, referral) and referral.stage in (*OPEN_STAGES, Stage.CLOSED)


def can_decide_closure(user: User, referral: Referral) -> bool:
    return (
        _centre_supervisor(user, referral.centre_office)
        and referral.pending_closure is not None
        and referral.stage in OPEN_STAGES
    )


def can_refer_again(user: User, referral: Referral) -> bool:
    """After a decline, the referring office chooses another centre."""
    return _referring_officer(user, referral) and referral.stage == Stage.DECLINED


def can_refer_person(user: User, person: Person) -> bool:
    """A liaison officer refers a victim of their own office's case."""
    return (
        user.is_active
        and user.has_role(Role.LIAISON_OFFICER)
        and person.role == PersonRole.VICTIM
        and person.case.office_id == user.office_id
    )


def can_view_caseload(user: User, office: Office) -> bool:
    """A centre's caseload: its social workers, and the supervisors of its province."""
    if not user.is_active or not is_centre(office):
        return False
    if user.office_id == office.id and user.has_role(Role.SOCIAL_WORKER):
        return True
    return _centre_supervisor(user, office)


def sees_reintegration(user: User) -> bool:
    """The menu entry: social workers (of a centre) and supervisors."""
    if not user.is_active:
        return False
    if user.has_role(Role.SOCIAL_WORKER) and is_centre(user.office):
        return True
    return user.has_role(Role.SUPERVISOR)

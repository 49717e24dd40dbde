"""What the reintegration feature shows on a case's page: each referred person's status
(stage, centre, dates), for the police side too, never a note; and, for the case office's
liaison officers, a link to refer a victim to a centre."""

from __future__ import annotations

from coordination.core.panels import Panel
from coordination.reintegration.models import OPEN_STAGES, Stage
from coordination.reintegration.policies import can_refer_person, can_view_status
from coordination.reintegration.queries import referrals_of_case


def case_panel(case, user) -> Panel | None:
    all_referrals = referrals_of_case(case.id)
    referrals = [r for r in all_referrals if can_view_status(user, r)]
    busy = {r.person_id for r in all_referrals if r.stage in (Stage.PENDING, *OPEN_STAGES)}
    referable = [
        person for person in case.people if person.id not in busy and can_refer_person(user, person)
    ]
    if not referrals and not referable:
        return None
    return Panel("reintegration/_case_panel.html", {"referrals": referrals, "referable": referable})

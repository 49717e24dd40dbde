"""What the reintegration feature shows on a case's page: each referred person's status
(stage, centre, dates), for the police side too; never a note."""

from __future__ import annotations

from coordination.core.panels import Panel
from coordination.reintegration.policies import can_view_status, can_view_support
from coordination.reintegration.queries import referrals_of_case


def case_panel(case, user) -> Panel | None:
    referrals = [r for r in referrals_of_case(case.id) if can_view_status(user, r)]
    if not referrals:
        return None
    return Panel(
        "reintegration/_case_panel.html",
        {
            "referrals": referrals,
            "opens": {r.id: can_view_support(user, r) for r in referrals},
        },
    )

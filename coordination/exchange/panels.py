"""What the exchange feature shows on other features' pages: a case's requests."""

from __future__ import annotations

from coordination.cases.policies import can_edit_case
from coordination.core.panels import Panel
from coordination.exchange.queries import requests_of_case


def case_requests_panel(case, user) -> Panel:
    """The requests sent about a case, and a button to send one (slot "case.detail")."""
    return Panel(
        "exchange/_case_requests.html",
        {
            "case": case,
            "requests": requests_of_case(user, case),
            "can_edit": can_edit_case(user, case),
        },
    )

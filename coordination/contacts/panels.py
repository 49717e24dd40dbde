"""What the contacts feature shows on other features' pages: the calls, letters and notes
about a request (in its thread) and about a case (in its history)."""

from __future__ import annotations

from coordination.contacts.policies import can_log_contacts
from coordination.contacts.queries import contacts_of_case, contacts_of_request
from coordination.core.panels import Panel


def request_contacts_panel(found, user) -> Panel | None:
    contacts = contacts_of_request(user, found)
    may_log = can_log_contacts(user) and user.office_id in (
        found.sender_office_id,
        found.recipient_office_id,
    )
    if not contacts and not may_log:
        return None
    return Panel(
        "contacts/_panel.html",
        {
            "contacts": contacts,
            "log_args": {"request": found.id} if may_log else None,
            "reader_office_id": user.office_id,
        },
        order=60,
    )


def case_contacts_panel(case, user) -> Panel | None:
    contacts = contacts_of_case(user, case)
    may_log = can_log_contacts(user) and user.office_id == case.office_id
    if not contacts and not may_log:
        return None
    return Panel(
        "contacts/_panel.html",
        {
            "contacts": contacts,
            "log_args": {"case": case.id} if may_log else None,
            "reader_office_id": user.office_id,
        },
        order=60,
    )

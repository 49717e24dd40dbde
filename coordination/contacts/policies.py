"""Who may see a contact (a call, letter, note…) and act on it.

A contact belongs to the office that logged it: its liaison officers, border guards, social
workers and supervisors see it, as do the supervisors of its province. The partner office
sees it only once the logging office has shared it (explicitly, as a request is sent), and
may then confirm it ("yes, we called") or add its own notes. Any other office does not learn
that it exists (404). Administrators run the system and do not read contacts.

A border guard station sees no liaison office's case and sends no requests: it passes a
contact (explicitly, audited, as sharing) to a liaison office of its province. That office's
users then see the contact; its liaison officers and guards link their own office's case,
request and people to it, and its liaison officers make a request from it (sent by the
liaison office; the contact stays the station's). Once passed, the links to the case file
are the liaison office's, seen by both offices (the station's guard took the call they
concern), never by the partner. Another liaison office still gets 404.
"""

from __future__ import annotations

from coordination.auth.models import Role, User
from coordination.contacts.models import Contact, ContactDocument
from coordination.directory.models import OfficeKind
from coordination.extensions import db

WORKING_ROLES = (Role.LIAISON_OFFICER, Role.BORDER_GUARD, Role.SOCIAL_WORKER, Role.SUPERVISOR)
# Those who take calls and write letters: they log, edit and share contacts.
LOGGING_ROLES = (Role.LIAISON_OFFICER, Role.BORDER_GUARD)


def _works(user: User, roles=WORKING_ROLES) -> bool:
    return user.is_active and any(user.has_role(role) for role in roles)


def _oversees(user: User, office) -> bool:
    return user.has_role(Role.SUPERVISOR) and user.office.province_id == office.province_id


def can_open_log(user: User) -> bool:
    """The menu entry: anyone who works with partner offices."""
    return _works(user)


def can_log_contacts(user: User) -> bool:
    return _works(user, LOGGING_ROLES)


def _forwarded_to(user: User, contact: Contact) -> bool:
    return contact.forwarded_at is not None and user.office_id == contact.forwarded_office_id


def can_view_contact(user: User, contact: Contact) -> bool:
    if not _works(user):
        return False
    if user.office_id == contact.office_id or _oversees(user, contact.office):
        return True
    if _forwarded_to(user, contact):
        return True
    if contact.shared_at is None:
        return False
    return user.office_id == contact.partner_office_id or _oversees(user, contact.partner_office)


def can_edit_contact(user: User, contact: Contact) -> bool:
    """Correct the log, attach scans, mark the follow-up done."""
    return _works(user, LOGGING_ROLES) and user.office_id == contact.office_id


def can_share_contact(user: User, contact: Contact) -> bool:
    return can_edit_contact(user, contact) and contact.shared_at is None


def passes_contacts_on(office) -> bool:
    """A border guard station's contacts go to its province's liaison office."""
    return office is not None and office.kind == OfficeKind.BORDER_GUARD_STATION.value


def can_forward_contact(user: User, contact: Contact) -> bool:
    """Pass the contact to a liaison office of the province (once)."""
    return (
        can_edit_contact(user, contact)
        and passes_contacts_on(contact.office)
        and contact.forwarded_at is None
    )


def links_office_id(contact: Contact) -> int:
    """The office whose case, request and people the contact may be linked to: the liaison
    office it was passed to, else the office that logged it."""
    return contact.forwarded_office_id if contact.forwarded_at else contact.office_id


def can_link_records(user: User, contact: Contact) -> bool:
    """Link the office's own case, request and people (the liaison office a contact was
    passed to; the logging office does so on its form)."""
    return _works(user, LOGGING_ROLES) and _forwarded_to(user, contact)


def _partner_side(user: User, contact: Contact) -> bool:
    return (
        _works(user, LOGGING_ROLES)
        and contact.shared_at is not None
        and user.office_id == contact.partner_office_id
    )


def can_confirm_contact(user: User, contact: Contact) -> bool:
    """The partner says "yes, we called" (once)."""
    return _partner_side(user, contact) and contact.confirmed_at is None


def can_add_partner_note(user: User, contact: Contact) -> bool:
    return _partner_side(user, contact)


def can_close_follow_up(user: User, contact: Contact) -> bool:
    return can_edit_contact(user, contact) and contact.follow_up_pending()


def can_make_request(user: User, contact: Contact) -> bool:
    """Turn the contact into a request to the partner (liaison officers send requests)."""
    return (
        user.is_active
        and user.has_role(Role.LIAISON_OFFICER)
        and user.office_id == links_office_id(contact)
        and contact.request_id is None
    )


def can_view_scan(user: User, document) -> bool | None:
    """A scan of a letter or note is seen by whoever may see its contact; None for a file
    attached elsewhere (hook attachments.policies.DOCUMENT_ACCESS)."""
    if document.case_id is not None or document.request_message_id is not None:
        return None
    link = db.session.scalar(
        db.select(ContactDocument).where(ContactDocument.document_id == document.id)
    )
    if link is None:
        return None
    return can_view_contact(user, link.contact)


def sees_internal_links(user: User, contact: Contact) -> bool:
    """The case, request and people a contact is linked to stay with the logging office
    (and its province's supervisors) and the liaison office it was passed to: the partner
    sees the contact, never our case file."""
    if not _works(user):
        return False
    return (
        user.office_id == contact.office_id
        or _oversees(user, contact.office)
        or _forwarded_to(user, contact)
    )

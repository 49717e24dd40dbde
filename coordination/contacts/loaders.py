"""Loading a contact for a user, for views and API alike: the contact, or 404 (missing, or
not visible to ``user``)."""

from __future__ import annotations

from coordination.contacts import policies
from coordination.contacts.models import Contact
from coordination.core.access import get_visible_or_404


def contact_or_404(contact_id: int, user) -> Contact:
    return get_visible_or_404(Contact, contact_id, policies.can_view_contact, user)

"""What the contacts feature sets up in a new app: its panels on a request's thread and a
case's page, who sees a scan, its audit vocabulary, its reminders' kinds and wording."""

from __future__ import annotations

from flask import Flask

from coordination.attachments.policies import DOCUMENT_ACCESS
from coordination.audit.actions import (
    RECORD_ACCESS,
    VOCABULARY_HOOK,
    Action,
    Group,
    RecordKind,
    Vocabulary,
    record_access,
)
from coordination.contacts.models import Contact
from coordination.contacts.panels import case_contacts_panel, request_contacts_panel
from coordination.contacts.policies import can_view_contact, can_view_scan
from coordination.contacts.tasks import describe_notice, notification_kinds
from coordination.core.panels import register_hook, register_panel
from coordination.i18n import L_
from coordination.notifications.describe import DESCRIBE_HOOK, KINDS_HOOK


def vocabulary() -> Vocabulary:
    return Vocabulary(
        groups=(
            Group(
                "contacts",
                L_("Calls and letters"),
                (
                    Action("contact.create", L_("%(actor)s logged %(record)s.")),
                    Action("contact.update", L_("%(actor)s corrected %(record)s."), diff=True),
                    Action("contact.view", L_("%(actor)s viewed %(record)s.")),
                    Action("contact.share", L_("%(actor)s shared %(record)s with the partner.")),
                    Action("contact.confirm", L_("%(actor)s confirmed %(record)s.")),
                    Action(
                        "contact.note",
                        L_("%(actor)s added the partner's notes to %(record)s."),
                        diff=True,
                    ),
                    Action(
                        "contact.forward",
                        L_("%(actor)s passed %(record)s to the liaison office."),
                    ),
                    Action(
                        "contact.link",
                        L_("%(actor)s linked %(record)s to the office's case file."),
                        diff=True,
                    ),
                    Action(
                        "contact.follow_up_done",
                        L_("%(actor)s recorded that the answer promised in %(record)s came."),
                    ),
                    Action("contact.request", L_("%(actor)s made a request from %(record)s.")),
                ),
            ),
        ),
        record_kinds=(
            RecordKind("contacts", L_("contact #%(ref)s"), "contacts.detail", "contact_id"),
        ),
        kind_names={"contacts": L_("contacts")},
        detail_records={"documents": "documents"},
        detail_labels={
            "partner": L_("Partner office"),
            "channel": L_("Channel"),
            "direction": L_("Direction"),
            "urgency": L_("Urgency"),
            "documents": L_("Scans"),
            "note": L_("The partner's notes"),
            "office": L_("Liaison office"),
            "confirmation_withdrawn": L_("The partner's confirmation is asked for again"),
        },
    )


def init_app(app: Flask) -> None:
    register_panel("request.detail", request_contacts_panel, app)
    register_panel("case.detail", case_contacts_panel, app)
    register_hook(DOCUMENT_ACCESS, can_view_scan, app)
    register_hook(VOCABULARY_HOOK, vocabulary, app)
    register_hook(RECORD_ACCESS, record_access("contacts", Contact, can_view_contact), app)
    register_hook(KINDS_HOOK, notification_kinds, app)
    register_hook(DESCRIBE_HOOK, describe_notice, app)

"""What the cases feature sets up in a new app: who sees a case's files, and the audit
sentences of the changes higher features make to its records (the journey)."""

from __future__ import annotations

from flask import Flask

from coordination.attachments.policies import DOCUMENT_ACCESS
from coordination.audit.actions import (
    RECORD_ACCESS,
    VOCABULARY_HOOK,
    Action,
    Group,
    Vocabulary,
    record_access,
)
from coordination.cases.models import Case, MissingPersonReport, Person
from coordination.cases.operations import NOTICE_FOUND
from coordination.cases.policies import (
    can_view_case,
    can_view_missing,
    can_view_person,
    case_document_access,
)
from coordination.core.panels import register_hook
from coordination.extensions import db
from coordination.i18n import L_, _
from coordination.notifications.describe import DESCRIBE_HOOK, KINDS_HOOK, Description


def vocabulary() -> Vocabulary:
    """Changes made on their own, each sentence naming its cause."""
    return Vocabulary(
        groups=(
            Group(
                "journey",
                L_("Changes made by the journey"),
                (
                    Action(
                        "missing_report.found_by_match",
                        L_("%(record)s was marked as found: %(actor)s confirmed a match with "
                           "a partner's request."),
                    ),
                    Action(
                        "missing_report.match_withdrawn",
                        L_("%(record)s is missing again: %(actor)s withdrew the match that "
                           "had found it."),
                    ),
                    Action(
                        "case.handed_over",
                        L_("%(record)s moved to “handed over”: %(actor)s completed the "
                           "handover at the gate."),
                    ),
                    Action(
                        "person.handed_over",
                        L_("%(record)s was handed over at the gate (recorded by %(actor)s)."),
                    ),
                ),
            ),
        ),
        detail_records={"handover": "handovers"},
        detail_labels={
            "handover": L_("Handover"),
            "previous_status": L_("Previous status"),
            "match_decision": L_("Match decision"),
        },
    )  # fmt: skip


def notice_kinds() -> dict:
    return {NOTICE_FOUND: L_("A missing-person report of your office was found")}


def describe_notice(notification, user, zone) -> Description | None:
    """A report of the reader's office was found through a partner's request: tell the
    family. Names no one (the notice may go out by e-mail)."""
    prefix, _sep, raw = (notification.subject_key or "").partition(":")
    if prefix != "missing" or not raw.isdigit() or len(raw) > 18:
        return None
    report = db.session.get(MissingPersonReport, int(raw))
    if report is None or not can_view_missing(user, report):
        return None
    return Description(
        title=_("A person reported missing to your office was found: tell the family"),
        endpoint="missing.detail",
        values={"report_id": report.id},
        link_label=_("Open the report:"),
    )


def init_app(app: Flask) -> None:
    register_hook(DOCUMENT_ACCESS, case_document_access, app)
    register_hook(VOCABULARY_HOOK, vocabulary, app)
    register_hook(KINDS_HOOK, notice_kinds, app)
    register_hook(DESCRIBE_HOOK, describe_notice, app)
    # Which of its records a reader of the audit log may open from an entry.
    for table, model, policy in (
        ("cases", Case, can_view_case),
        ("people", Person, can_view_person),
        ("missing_person_reports", MissingPersonReport, can_view_missing),
    ):
        register_hook(RECORD_ACCESS, record_access(table, model, policy), app)

"""What the cases feature sets up in a new app: who sees a case's files."""

from __future__ import annotations

from flask import Flask

from coordination.attachments.policies import DOCUMENT_ACCESS
from coordination.audit.actions import RECORD_ACCESS, record_access
from coordination.cases.models import Case, MissingPersonReport, Person
from coordination.cases.policies import (
    can_view_case,
    can_view_missing,
    can_view_person,
    case_document_access,
)
from coordination.core.panels import register_hook


def init_app(app: Flask) -> None:
    register_hook(DOCUMENT_ACCESS, case_document_access, app)
    # Which of its records a reader of the audit log may open from an entry.
    for table, model, policy in (
        ("cases", Case, can_view_case),
        ("people", Person, can_view_person),
        ("missing_person_reports", MissingPersonReport, can_view_missing),
    ):
        register_hook(RECORD_ACCESS, record_access(table, model, policy), app)

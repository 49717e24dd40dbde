"""What the exchange feature sets up in a new app: its parts of the cases feature (the
requests on a case's page and in its case file, who sees a file of a request's thread)."""

from __future__ import annotations

from flask import Flask

from coordination.attachments.policies import DOCUMENT_ACCESS
from coordination.audit.actions import RECORD_ACCESS, VALUE_LABELS_HOOK, record_access
from coordination.cases.case_file import CASE_FILE_SECTIONS
from coordination.core.panels import register_hook, register_panel
from coordination.exchange.case_file import requests_section
from coordination.exchange.models import Request, RequestState
from coordination.exchange.panels import case_requests_panel
from coordination.exchange.policies import can_view_attachment, can_view_request


def init_app(app: Flask) -> None:
    register_panel("case.detail", case_requests_panel, app)
    register_hook(CASE_FILE_SECTIONS, requests_section, app)
    register_hook(DOCUMENT_ACCESS, can_view_attachment, app)
    register_hook(RECORD_ACCESS, record_access("requests", Request, can_view_request), app)
    register_hook(VALUE_LABELS_HOOK, _audit_value_labels, app)


def _audit_value_labels() -> dict:
    """A request's state in the audit log's details reads as its label, not its code."""
    return {"state": {state.value: state.label for state in RequestState}}

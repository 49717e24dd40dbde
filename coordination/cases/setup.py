"""What the cases feature sets up in a new app: who sees a case's files."""

from __future__ import annotations

from flask import Flask

from coordination.attachments.policies import DOCUMENT_ACCESS
from coordination.cases.policies import case_document_access
from coordination.core.panels import register_hook


def init_app(app: Flask) -> None:
    register_hook(DOCUMENT_ACCESS, case_document_access, app)

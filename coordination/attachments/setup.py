"""What the attachments feature sets up in a new app: files that follow their rows."""

from __future__ import annotations

from flask import Flask

from coordination.attachments.models import Document
from coordination.attachments.policies import can_view_document
from coordination.attachments.storage import register_upload_hooks
from coordination.audit.actions import RECORD_ACCESS, record_access
from coordination.core.panels import register_hook


def init_app(app: Flask) -> None:
    register_upload_hooks()
    register_hook(RECORD_ACCESS, record_access("documents", Document, can_view_document), app)

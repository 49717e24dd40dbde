"""What the attachments feature sets up in a new app: files that follow their rows."""

from __future__ import annotations

from flask import Flask

from coordination.attachments.storage import register_upload_hooks


def init_app(app: Flask) -> None:
    register_upload_hooks()

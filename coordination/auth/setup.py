"""What the auth feature sets up in a new app: API tokens identify API users."""

from __future__ import annotations

from flask import Flask

from coordination.auth.operations import user_for_token
from coordination.core.api import set_token_loader


def init_app(app: Flask) -> None:
    set_token_loader(app, user_for_token)

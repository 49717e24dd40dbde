"""Reads the scheduler's and reminders' settings from the environment (tests' overrides win)."""

from __future__ import annotations

import os

from coordination.scheduler.settings import scheduler_settings


def init_app(app) -> None:
    for key, value in scheduler_settings(os.environ, app.config["APP_ENV"]).items():
        app.config.setdefault(key, value)

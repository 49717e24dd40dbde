"""Who may see the scheduler's state and start a job: administrators."""

from __future__ import annotations


def can_view_scheduler(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_enabled and user.is_admin)


def can_run_jobs(user) -> bool:
    return can_view_scheduler(user)

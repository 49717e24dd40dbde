"""Uploaded HTCDS files waiting for the user's answer ("import only the valid rows" or
cancel), in the instance folder under a random token bound to the user
(``htcds-pending/<user id>-<token>``, its name beside it). A file is deleted when imported
or cancelled; one older than PENDING_SECONDS is no longer offered, and the scheduler's job
``htcds.remove_pending`` deletes it (the file holds a partner's people)."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app

from coordination.core.jobs import Counted

PENDING_SECONDS = 3600
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def folder() -> Path:
    path = Path(current_app.instance_path) / "htcds-pending"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_for(user_id: int, token: str) -> Path | None:
    """Where ``user_id``'s file ``token`` waits; None for a token never given out."""
    if not TOKEN.match(token or ""):
        return None
    return folder() / f"{user_id}-{token}"


def keep(user_id: int, data: bytes, filename: str) -> str:
    """Keep an upload until the user answers; its token."""
    token = secrets.token_hex(16)
    path = folder() / f"{user_id}-{token}"
    path.write_bytes(data)
    path.with_name(path.name + ".name").write_text(filename[:200], "utf-8")
    return token


def take(path: Path) -> tuple[bytes, str] | None:
    """The waiting file and its name, removed; None when gone or too old."""
    if not path.exists() or path.stat().st_mtime < time.time() - PENDING_SECONDS:
        return None
    name_path = path.with_name(path.name + ".name")
    filename = name_path.read_text("utf-8") if name_path.exists() else ""
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    name_path.unlink(missing_ok=True)
    return data, filename


def remove_old(now: float | None = None) -> int:
    """Delete the waiting files older than PENDING_SECONDS; how many."""
    limit = (now if now is not None else time.time()) - PENDING_SECONDS
    removed = 0
    for path in folder().iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += not path.name.endswith(".name")
    return removed


def remove_pending_files(now=None) -> Counted:
    """The scheduler's job: uploads nobody answered within the hour are deleted."""
    removed = remove_old(now.timestamp() if now is not None else None)
    return Counted(removed, f"waiting HTCDS files deleted: {removed}")

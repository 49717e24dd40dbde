"""One way to run a job (a command, or the scheduler): origin set, one commit at the end or a
rollback, duration and outcome logged.

A job is a thin function that calls operations and returns what it did (a short text or a
number); it never commits. ``run_job`` gives it what a request gives a view. Jobs take the
time from ``job_now()``, never from the time they were meant to run: a late run (after the
scheduler was down) computes what is due now.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app

from coordination.core.db import utcnow
from coordination.core.origin import Origin, set_origin
from coordination.extensions import db

log = logging.getLogger(__name__)


def command_origin(name: str = "flask-cli") -> None:
    """Audit entries of this command or job say where they came from."""
    set_origin(Origin(ip_address=None, user_agent=name))


def job_now() -> datetime:
    """The time jobs go by: now, moved by SCHEDULER_CLOCK_FILE in tests only.

    SCHEDULER_CLOCK_FILE (refused outside APP_ENV=testing) names a file holding a number of
    seconds added to the real time, read at every call, so that a test can move the clock of
    running scheduler processes forwards (and back).
    """
    path = current_app.config.get("SCHEDULER_CLOCK_FILE")
    if not path:
        return utcnow()
    try:
        offset = float(Path(path).read_text().strip() or 0)
    except (OSError, ValueError):
        offset = 0.0
    return utcnow() + timedelta(seconds=offset)


class Counted(int):
    """A job's result: how many things it did (an int, for tests and commands) and what it
    looked at (its text, shown on the administrator's page)."""

    def __new__(cls, count: int, text: str):
        value = super().__new__(cls, count)
        value.text = text
        return value

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


@dataclass(frozen=True)
class JobOutcome:
    name: str
    ok: bool
    seconds: float
    result: Any = None
    error: str | None = None
    details: str | None = None  # the traceback of a failure


def run_job(name: str, function: Callable[..., Any], /, *args, **kwargs) -> JobOutcome:
    """Run ``function`` as the job ``name`` in the current app context: commit once at its
    end, or roll back everything if it raises (the error is logged and re-raised)."""
    command_origin(f"job:{name}")
    started = time.perf_counter()
    try:
        result = function(*args, **kwargs)
        db.session.commit()
    except BaseException as error:
        db.session.rollback()
        seconds = time.perf_counter() - started
        log.exception("job %s failed after %.2f s", name, seconds)
        outcome = JobOutcome(
            name, False, seconds, error=repr(error), details=traceback.format_exc()
        )
        raise JobFailedError(outcome) from error
    seconds = time.perf_counter() - started
    log.info("job %s done in %.2f s: %s", name, seconds, result)
    return JobOutcome(name, True, seconds, result=result)


class JobFailedError(RuntimeError):
    def __init__(self, outcome: JobOutcome):
        super().__init__(f"job {outcome.name} failed: {outcome.error}")
        self.outcome = outcome

"""One way to run a job (a command now, the scheduler later): origin set, one commit at the
end or a rollback, duration and outcome logged.

A job is a thin function that calls operations and returns what it did (a short text or a
number); it never commits. ``run_job`` gives it what a request gives a view.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coordination.core.origin import Origin, set_origin
from coordination.extensions import db

log = logging.getLogger(__name__)


def command_origin(name: str = "flask-cli") -> None:
    """Audit entries of this command or job say where they came from."""
    set_origin(Origin(ip_address=None, user_agent=name))


@dataclass(frozen=True)
class JobOutcome:
    name: str
    ok: bool
    seconds: float
    result: Any = None
    error: str | None = None


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
        raise JobFailedError(JobOutcome(name, False, seconds, error=repr(error))) from error
    seconds = time.perf_counter() - started
    log.info("job %s done in %.2f s: %s", name, seconds, result)
    return JobOutcome(name, True, seconds, result=result)


class JobFailedError(RuntimeError):
    def __init__(self, outcome: JobOutcome):
        super().__init__(f"job {outcome.name} failed: {outcome.error}")
        self.outcome = outcome

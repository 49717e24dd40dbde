"""Counting a report's sections in two lanes at once: the request counts (the heaviest
section) and the twelve months' trend on a second connection in a worker thread, the other
sections on the caller's. Both databases answer a query without holding the GIL, so on two
cores the annual report of everything takes about the longer lane rather than the sum.

The second connection sees only what is committed: when the caller's transaction has written
something (``core.db.has_written``: a test adding data, an operation counting what it just
changed) every section is counted on the caller's connection instead, one after the other.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from flask import current_app

from coordination.core.db import has_written
from coordination.extensions import db

Task = Callable[[], object]


def _apart(app, tasks: list[Task]) -> list:
    with app.app_context():  # a session (and a connection) of its own
        try:
            return [task() for task in tasks]
        finally:
            db.session.rollback()
            db.session.remove()


def run(here: list[Task], aside: list[Task]) -> tuple[list, list]:
    """The results of ``here`` (counted on the caller's session) and of ``aside`` (on a
    second connection when that sees the same data, else on the caller's too)."""
    if not aside or has_written() or not current_app.config.get("REPORT_LANES", True):
        return [task() for task in here], [task() for task in aside]
    app = current_app._get_current_object()
    with ThreadPoolExecutor(max_workers=1) as pool:
        other = pool.submit(_apart, app, aside)
        mine = [task() for task in here]
        return mine, other.result()

"""Handovers on the calendar: each one the user may see, at its gate and time.

The title names the gate and the number of people, never a person (calendar feeds are
synced by third-party services). SEQUENCE follows the handover's version, which rises with
every change (a postponement moves the entry and raises it); a cancelled handover stays,
cancelled, so that calendar applications take it off.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import UTC, datetime, timedelta

from flask import Flask, url_for
from flask_babel import get_locale
from sqlalchemy import DateTime, func, select, type_coerce

from coordination.calendar.entries import (
    ENTRIES_HOOK,
    FINGERPRINT_HOOK,
    Entry,
    EntryStatus,
    uid_domain,
)
from coordination.core.panels import register_hook
from coordination.directory.models import BorderGate
from coordination.extensions import db
from coordination.handovers.models import Handover, HandoverPerson, HandoverState
from coordination.handovers.queries import visible_handovers
from coordination.i18n import ngettext

# A handover has a start only; the calendar shows it as an hour.
DURATION = timedelta(hours=1)
STATUSES = {
    HandoverState.SCHEDULED: EntryStatus.CONFIRMED,
    HandoverState.COMPLETED: EntryStatus.CONFIRMED,
    HandoverState.POSTPONED: EntryStatus.TENTATIVE,
    HandoverState.CANCELLED: EntryStatus.CANCELLED,
}
_ID_MARK = 987654321
# Per worker: the entries made from handover rows, per context (see handover_entries), at
# most MADE_LIMIT in all (about 600 bytes each), the least recently used contexts dropped.
MADE_CONTEXTS = 64
MADE_LIMIT = 50_000
_made: OrderedDict[tuple, dict] = OrderedDict()
_lock = threading.Lock()


def _people():
    return (
        select(func.count(HandoverPerson.id))
        .where(HandoverPerson.handover_id == Handover.id)
        .correlate(Handover)
        .scalar_subquery()
    )


def _in_window(query, start: datetime, end: datetime, office_id: int | None):
    """``query`` (of the user's visible handovers) narrowed to those overlapping the window
    (and to one office's)."""
    query = query.where(Handover.scheduled_at > start - DURATION, Handover.scheduled_at < end)
    if office_id is not None:
        query = query.where(
            (Handover.handing_office_id == office_id) | (Handover.receiving_office_id == office_id)
        )
    return query


def handover_fingerprint(user, start: datetime, end: datetime, office_id: int | None = None):
    """What changes whenever handover_entries' answer does, in one aggregate query: any
    change of a handover raises its version (optimistic locking) and its updated_at; a
    person added or removed changes the sum of people counts weighted by id (so that one
    more here and one fewer there still shows); a renamed gate, the gates' versions. The sums of
    ids and versions tell apart windows that merely hold as many handovers."""
    gates = select(func.coalesce(func.sum(BorderGate.version), 0)).scalar_subquery()
    query = _in_window(
        visible_handovers(user).with_only_columns(
            func.count(Handover.id),
            func.coalesce(func.sum(Handover.id), 0),
            func.coalesce(func.sum(Handover.version), 0),
            func.max(Handover.updated_at),
            func.coalesce(func.sum(_people() * Handover.id), 0),
            gates,
        ),
        start,
        end,
        office_id,
    )
    count, ids, versions, latest, people, gates_seen = db.session.execute(query).one()
    changed = latest.isoformat() if latest else ""
    return f"handovers:{count}:{ids}:{versions}:{changed}:{people}:{gates_seen}"


def handover_entries(user, start: datetime, end: datetime, office_id: int | None = None):
    # Plain DateTime (naive UTC as stored) read through Core, not the ORM: a busy office's
    # feed reads 5,000 rows, and the ORM's and UTCDateTime's per-row work was half its time.
    query = _in_window(
        visible_handovers(user).with_only_columns(
            Handover.id,
            Handover.version,
            type_coerce(Handover.scheduled_at, DateTime()),
            Handover.state,
            Handover.gate_id,
            Handover.handing_office_id,
            Handover.receiving_office_id,
            type_coerce(Handover.updated_at, DateTime()),
            _people(),
        ),
        start,
        end,
        office_id,
    )
    query = query.order_by(Handover.scheduled_at, Handover.id)
    # Plain tuples: the kept entries are looked up by row, and a Row compares in Python.
    rows = [tuple(row) for row in db.session.connection().execute(query)]
    if not rows:
        return []
    gates = {
        gate.id: gate.name
        for gate in db.session.scalars(
            select(BorderGate).where(BorderGate.id.in_({row[4] for row in rows}))
        )
    }
    link = url_for("handovers.detail", handover_id=_ID_MARK)
    before, _, after = link.partition(str(_ID_MARK))
    domain = uid_domain()
    # Everything an entry depends on besides its row: a row seen before under the same
    # context gives the entry made then (a feed after one change remakes only that one).
    context = (str(get_locale()), before, after, domain, tuple(sorted(gates.items())))
    with _lock:
        made = _made.pop(context, None) or {}
        _made[context] = made  # the most recently used context last
        while len(_made) > MADE_CONTEXTS:
            _made.popitem(last=False)
    titles: dict[tuple, str] = {}  # one translation per gate and count, not per row
    statuses = {state: status.value for state, status in STATUSES.items()}
    confirmed = EntryStatus.CONFIRMED.value
    entries = []
    make = Entry._make
    found = made.get
    fresh: dict = {}
    for row in rows:
        entry = found(row)
        if entry is None:
            row_id, version, at, state, gate_id, handing, receiving, changed, count = row
            gate = gates.get(gate_id, "")
            title = titles.get((gate, count))
            if title is None:
                title = titles[gate, count] = ngettext(
                    "Handover at %(gate)s, %(num)d person",
                    "Handover at %(gate)s, %(num)d people",
                    count,
                    gate=gate,
                )
            at = at.replace(tzinfo=UTC)
            entry = fresh[row] = make(  # Entry's fields, in order (_make skips the keywords)
                (
                    f"handover-{row_id}@{domain}",
                    max(version - 1, 0),
                    title,
                    at,
                    at + DURATION,
                    statuses.get(state, confirmed),
                    f"{before}{row_id}{after}",
                    "handover",
                    (handing, receiving),
                    gate,
                    changed.replace(tzinfo=UTC) if changed is not None else None,
                )
            )
        entries.append(entry)
    if fresh:
        with _lock:
            made.update(fresh)
            if len(made) > 2 * len(rows) + 100:  # forget rows changed since (old versions)
                current = set(rows)
                for row in [row for row in made if row not in current]:
                    del made[row]
            total = sum(len(kept) for kept in _made.values())
            while total > MADE_LIMIT and len(_made) > 1:
                _context, dropped = _made.popitem(last=False)
                total -= len(dropped)
    return entries


def register(app: Flask) -> None:
    register_hook(ENTRIES_HOOK, handover_entries, app)
    register_hook(FINGERPRINT_HOOK, handover_fingerprint, app)

"""Joint patrols on the calendar: each one the user may see, from its start to its end.

The title names the border segment and the other side ("Joint patrol mốc 601 – 605 with
…"), never a person (calendar feeds are synced by third-party services). SEQUENCE follows the
patrol's version, which rises with every change; a declined or cancelled patrol stays,
cancelled, so that calendar applications take it off; one not yet confirmed (proposed, or
another time proposed) is tentative.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, url_for
from sqlalchemy import func, select

from coordination.calendar.entries import (
    ENTRIES_HOOK,
    FINGERPRINT_HOOK,
    Entry,
    EntryStatus,
    uid,
)
from coordination.core.panels import register_hook
from coordination.directory.models import BorderGate, Office
from coordination.extensions import db
from coordination.i18n import _
from coordination.patrols.models import Patrol, PatrolState, segment_text
from coordination.patrols.queries import visible_patrols

STATUSES = {
    PatrolState.PROPOSED: EntryStatus.TENTATIVE,
    PatrolState.COUNTER_PROPOSED: EntryStatus.TENTATIVE,
    PatrolState.CONFIRMED: EntryStatus.CONFIRMED,
    PatrolState.COMPLETED: EntryStatus.CONFIRMED,
    PatrolState.DECLINED: EntryStatus.CANCELLED,
    PatrolState.CANCELLED: EntryStatus.CANCELLED,
}


def _in_window(query, start: datetime, end: datetime, office_id: int | None):
    query = query.where(Patrol.starts_at < end, Patrol.ends_at > start)
    if office_id is not None:
        query = query.where(
            (Patrol.proposing_office_id == office_id) | (Patrol.partner_office_id == office_id)
        )
    return query


def patrol_fingerprint(user, start: datetime, end: datetime, office_id: int | None = None):
    """Changes whenever patrol_entries' answer does: any change of a patrol raises its
    version and updated_at; renamed offices or gates raise theirs."""
    offices = select(func.coalesce(func.sum(Office.version), 0)).correlate(None)
    gates = select(func.coalesce(func.sum(BorderGate.version), 0)).correlate(None)
    names = offices.scalar_subquery() + gates.scalar_subquery()
    query = _in_window(
        visible_patrols(user).with_only_columns(
            func.count(Patrol.id),
            func.coalesce(func.sum(Patrol.id), 0),
            func.coalesce(func.sum(Patrol.version), 0),
            func.max(Patrol.updated_at),
            names,
        ),
        start,
        end,
        office_id,
    )
    count, ids, versions, latest, names_seen = db.session.execute(query).one()
    changed = latest.isoformat() if latest else ""
    return f"patrols:{count}:{ids}:{versions}:{changed}:{names_seen}"


def patrol_entries(user, start: datetime, end: datetime, office_id: int | None = None):
    query = _in_window(visible_patrols(user), start, end, office_id).order_by(
        Patrol.starts_at, Patrol.id
    )
    entries = []
    for patrol in db.session.scalars(query).unique():
        other = (
            patrol.partner_office
            if user.office_id != patrol.partner_office_id
            else patrol.proposing_office
        )
        gate = patrol.gate.name if patrol.gate else None
        segment = segment_text(patrol.marker_from, patrol.marker_to, gate)
        entries.append(
            Entry(
                uid=uid("patrol", patrol.id),
                sequence=max(patrol.version - 1, 0),
                title=_(
                    "Joint patrol %(segment)s with %(partner)s", segment=segment, partner=other.name
                ),
                start=patrol.starts_at.astimezone(UTC),
                end=patrol.ends_at.astimezone(UTC),
                status=STATUSES.get(PatrolState(patrol.state), EntryStatus.CONFIRMED).value,
                url=url_for("patrols.detail", patrol_id=patrol.id),
                kind="patrol",
                office_ids=patrol.office_ids,
                location=patrol.meeting_point,
                modified=patrol.updated_at,
            )
        )
    return entries


def register(app: Flask) -> None:
    register_hook(ENTRIES_HOOK, patrol_entries, app)
    register_hook(FINGERPRINT_HOOK, patrol_fingerprint, app)

"""Liaison meetings on the calendar: each occurrence the user may see.

Pages show occurrences (a moved one at its new time, its title ending with "Moved"; a
skipped one not at all). The feed writes a recurring series once, with its RRULE (in the
host's time zone) and the skipped occurrences as EXDATE, and each moved occurrence as an
override with RECURRENCE-ID (see calendar.entries.Entry). A cancelled series stays,
STATUS:CANCELLED. The title names the kind of meeting and the other office, never a person.
SEQUENCE follows the meeting's version, which rises with every change of its times.
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
from coordination.meetings.models import Meeting, MeetingKind, OverrideKind, occurrence_slug
from coordination.meetings.queries import visible_meetings


def _in_window(query, start: datetime, end: datetime, office_id: int | None):
    query = query.where(Meeting.starts_at < end, Meeting.last_ends_at > start)
    if office_id is not None:
        query = query.where(
            (Meeting.host_office_id == office_id) | (Meeting.partner_office_id == office_id)
        )
    return query


def meeting_fingerprint(user, start: datetime, end: datetime, office_id: int | None = None):
    """Changes whenever meeting_entries' answer does: a change of a meeting's times (an
    occurrence moved or skipped included) raises its version; renamed offices or gates raise
    theirs."""
    offices = select(func.coalesce(func.sum(Office.version), 0)).correlate(None)
    gates = select(func.coalesce(func.sum(BorderGate.version), 0)).correlate(None)
    names = offices.scalar_subquery() + gates.scalar_subquery()
    query = _in_window(
        visible_meetings(user).with_only_columns(
            func.count(Meeting.id),
            func.coalesce(func.sum(Meeting.id), 0),
            func.coalesce(func.sum(Meeting.version), 0),
            func.max(Meeting.updated_at),
            names,
        ),
        start,
        end,
        office_id,
    )
    count, ids, versions, latest, names_seen = db.session.execute(query).one()
    changed = latest.isoformat() if latest else ""
    return f"meetings:{count}:{ids}:{versions}:{changed}:{names_seen}"


def meeting_entries(user, start: datetime, end: datetime, office_id: int | None = None):
    query = _in_window(visible_meetings(user), start, end, office_id).order_by(
        Meeting.starts_at, Meeting.id
    )
    entries = []
    for meeting in db.session.scalars(query).unique():
        other = meeting.other_office(user.office_id)
        title = _(
            "%(kind)s with %(partner)s",
            kind=MeetingKind(meeting.kind).label,
            partner=other.name,
        )
        status = (EntryStatus.CANCELLED if meeting.cancelled else EntryStatus.CONFIRMED).value
        common = {
            "uid": uid("meeting", meeting.id),
            "sequence": max(meeting.version - 1, 0),
            "title": title,
            "status": status,
            "kind": "meeting",
            "office_ids": meeting.office_ids,
            "location": meeting.place or None,
            "modified": meeting.updated_at,
        }
        occurrences = meeting.occurrences()
        series = None
        if meeting.rrule:
            series = Entry(
                **common,
                start=meeting.starts_at.astimezone(UTC),
                end=meeting.ends_at.astimezone(UTC),
                url=url_for("meetings.detail", meeting_id=meeting.id),
                rrule=meeting.rrule,
                exdates=tuple(occ.key for occ in occurrences if occ.skipped),
                zone=meeting.timezone,
            )
        for occ in occurrences:
            if occ.skipped or not (occ.starts_at < end and occ.ends_at > start):
                continue
            # A moved occurrence says so in its title (month, week and list views; the
            # feed's override): the calendar's entries carry no other label.
            marked = {"title": f"{title} · {OverrideKind.MOVED.label}"} if occ.moved else {}
            entries.append(
                Entry(
                    **(common | marked),
                    start=occ.starts_at.astimezone(UTC),
                    end=occ.ends_at.astimezone(UTC),
                    url=url_for(
                        "meetings.occurrence", meeting_id=meeting.id, slug=occurrence_slug(occ.key)
                    ),
                    zone=meeting.timezone if series else None,
                    series=series,
                    recurrence_id=occ.key if series else None,
                    override=series is not None and occ.override == OverrideKind.MOVED,
                )
            )
    return entries


def register(app: Flask) -> None:
    register_hook(ENTRIES_HOOK, meeting_entries, app)
    register_hook(FINGERPRINT_HOOK, meeting_fingerprint, app)

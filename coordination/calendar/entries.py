"""What a calendar shows: entries that higher features provide through a hook.

A feature registers a provider in its setup function::

    register_hook(ENTRIES_HOOK, provider, app)

``provider(user, start, end, office_id=None)`` returns the entries (:class:`Entry`) that
``user`` may see and that overlap ``[start, end)`` (aware datetimes), only those of the
office ``office_id`` when it is given. Each provider checks its own feature's policies: the
calendar shows what it is given. Titles are written in the current locale and carry no
personal data (the feed is synced by third-party calendar services): a place, a count, a link.

A provider may also register a fingerprint on the ``calendar.fingerprints`` hook::

    register_hook(FINGERPRINT_HOOK, fingerprint, app)

``fingerprint(user, start, end, office_id=None)`` returns a short value (one cheap query:
counts, sums of versions, the latest change) that changes whenever the entries it would give
change. The feed's ETag is made of them; if a provider has none, the feed has no ETag.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from flask import current_app

from coordination.core.enums import LabelledEnum
from coordination.core.panels import hooks
from coordination.i18n import L_

ENTRIES_HOOK = "calendar.entries"
FINGERPRINT_HOOK = "calendar.fingerprints"


class EntryStatus(LabelledEnum):
    CONFIRMED = "confirmed", L_("Confirmed")
    TENTATIVE = "tentative", L_("Not confirmed")  # a handover postponed, a patrol proposed
    CANCELLED = "cancelled", L_("Cancelled")


class _EntryFields(NamedTuple):
    """One entry (immutable). A named tuple rather than a dataclass: a feed makes thousands
    at a time, and a tuple of plain values is quick to make and to hash and is left out of
    the garbage collector's rounds (the feed keeps them as keys of its event cache)."""

    uid: str  # stable across requests and changes: uid("handover", 42)
    sequence: int  # rises with every change of the entry (iCalendar SEQUENCE)
    title: str  # safe to sync to a third party: no name, age or photo of anyone
    start: datetime  # aware
    end: datetime  # aware
    status: str  # an EntryStatus value
    url: str  # the record's page on this site (a path)
    kind: str  # "handover", …
    office_ids: tuple[int, ...] = ()
    location: str | None = None
    modified: datetime | None = None  # the record's last change (the feed's DTSTAMP)
    # Recurrence (RFC 5545). A recurring series is given as its occurrences (what pages
    # show), each naming its ``series``: the series' own entry, whose ``start``/``end`` are
    # the first occurrence's, ``rrule`` its RRULE value ("FREQ=MONTHLY;INTERVAL=3;COUNT=4"),
    # ``exdates`` the original starts of skipped occurrences, ``zone`` the time zone the
    # rule runs in. An occurrence's ``recurrence_id`` is its original start; ``override``
    # marks one that differs from the rule (moved, or cancelled alone). The feed writes the
    # series once (RRULE, EXDATE) and each override as a VEVENT with RECURRENCE-ID.
    rrule: str | None = None
    exdates: tuple[datetime, ...] = ()
    zone: str | None = None
    series: Entry | None = None
    recurrence_id: datetime | None = None
    override: bool = False


class Entry(_EntryFields):
    """An entry (see _EntryFields). ``Entry._make(values)`` also takes the first eleven
    fields only (providers written before recurrence), the rest left at their defaults."""

    __slots__ = ()

    @classmethod
    def _make(cls, iterable):
        values = tuple(iterable)
        missing = len(cls._fields) - len(values)
        if missing > 0:
            values += _DEFAULT_TAILS[missing]  # made once: a feed makes thousands of entries
        return tuple.__new__(cls, values)

    @property
    def status_label(self) -> str:
        return EntryStatus(self.status).label

    @property
    def cancelled(self) -> bool:
        return self.status == EntryStatus.CANCELLED


# The defaults of the last n fields, for each n a provider may leave out.
_DEFAULT_TAILS = {
    missing: tuple(_EntryFields._field_defaults[name] for name in _EntryFields._fields[-missing:])
    for missing in range(1, len(_EntryFields._field_defaults) + 1)
}


def uid_domain() -> str:
    """The part after "@" of every UID: CALENDAR_UID_DOMAIN (config.py), never the host a
    feed happens to be fetched by, so that UIDs stay stable."""
    return current_app.config.get("CALENDAR_UID_DOMAIN") or "localhost"


def uid(kind: str, record_id: int) -> str:
    """ "handover-42@coordination.example": the same for the record whatever changes."""
    return f"{kind}-{record_id}@{uid_domain()}"


def entries_for(user, start: datetime, end: datetime, office_id: int | None = None) -> list[Entry]:
    """Every provider's entries for ``user`` in ``[start, end)``, by start time."""
    found: list[Entry] = []
    for provider in hooks(ENTRIES_HOOK):
        given: Iterable[Entry] = provider(user, start, end, office_id=office_id)
        found.extend(given)
    found.sort(key=lambda entry: (entry.start, entry.uid))
    return found


def fingerprint_for(user, start: datetime, end: datetime, office_id: int | None = None):
    """Every provider's fingerprint of what it gives ``user`` in ``[start, end)``, or None
    when some provider gives none (then nothing may be cached by it)."""
    providers, fingerprints = hooks(ENTRIES_HOOK), hooks(FINGERPRINT_HOOK)
    if len(fingerprints) != len(providers):
        return None
    return tuple(fingerprint(user, start, end, office_id=office_id) for fingerprint in fingerprints)

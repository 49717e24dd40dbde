"""A user's entries as an iCalendar feed (RFC 5545, with RFC 7986's NAME and
REFRESH-INTERVAL), built with the icalendar library.

Times are written in the reader's zone with its VTIMEZONE (Vietnam and Laos UTC+7, China
UTC+8); UIDs are stable, SEQUENCE rises with each change, a cancelled entry stays with
STATUS:CANCELLED so that calendar applications remove it. No personal data: titles are
places and counts, each with a link to the record (which asks for a sign-in).
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar, Event, Timezone, vRecur

from coordination.calendar.entries import Entry
from coordination.i18n import TIMEZONES

PRODUCT_ID = "-//Cross-border coordination//Calendar//EN"
REFRESH = timedelta(hours=1)
END = b"END:VCALENDAR\r\n"
# An event's text depends only on the entry, the zone and the site's address (DTSTAMP is
# the entry's last change, not the time of the request), so each worker keeps the
# serialised events it has made (a feed after one change rewrites only that event).
CACHE_SIZE = 50_000
_events: OrderedDict[tuple, bytes] = OrderedDict()
_lock = threading.Lock()
_NEVER_CHANGED = datetime(2000, 1, 1, tzinfo=UTC)
_zones: dict[str, bytes] = {}
HEAD_CACHE_SIZE = 1_000  # one per user (the name is theirs) and zone
_heads: OrderedDict[tuple, bytes] = OrderedDict()
# Whole feeds, per user, with the ETag they were made for (see views.feed): calendar
# applications poll every hour or so, and most polls find nothing changed. One feed per
# user, the least recently used dropped beyond FEED_CACHE_BYTES (a busy office's year is
# about 2 MB).
FEED_CACHE_BYTES = 64 * 1024 * 1024
_feeds: OrderedDict[int, tuple[str, bytes]] = OrderedDict()
_feed_bytes = 0


def cached_feed(user_id: int, etag: str) -> bytes | None:
    """The feed made for ``user_id`` under ``etag``, if this worker still has it."""
    with _lock:
        found = _feeds.get(user_id)
        if found is None or found[0] != etag:
            return None
        _feeds.move_to_end(user_id)
        return found[1]


def keep_feed(user_id: int, etag: str, body: bytes) -> None:
    """Keep ``body`` as ``user_id``'s feed under ``etag`` (replacing their previous one)."""
    global _feed_bytes
    if len(body) > FEED_CACHE_BYTES:
        return
    with _lock:
        previous = _feeds.pop(user_id, None)
        if previous is not None:
            _feed_bytes -= len(previous[1])
        _feeds[user_id] = (etag, body)
        _feed_bytes += len(body)
        while _feed_bytes > FEED_CACHE_BYTES:
            _, (_, dropped) = _feeds.popitem(last=False)
            _feed_bytes -= len(dropped)


def clear_caches() -> None:
    """Forget every kept event, head and feed (tests and benchmarks: a fresh worker)."""
    global _feed_bytes
    with _lock:
        _events.clear()
        _heads.clear()
        _feeds.clear()
        _feed_bytes = 0


def _event(entry: Entry, zone: ZoneInfo, base_url: str) -> bytes:
    key = (entry, zone.key, base_url)
    with _lock:
        cached = _events.get(key)
        if cached is not None:
            _events.move_to_end(key)
            return cached
    text = _vevent(entry, zone, base_url)  # about 0.2 ms: kept per worker (see CACHE_SIZE)
    with _lock:
        _events[key] = text
        if len(_events) > CACHE_SIZE:
            _events.popitem(last=False)
    return text


def _vevent(entry: Entry, zone: ZoneInfo, base_url: str) -> bytes:
    """The VEVENT, made by icalendar's Event (iCalendar text is never written by hand here:
    escaping, folding and time zones are the library's)."""
    event = Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", (entry.modified or _NEVER_CHANGED).astimezone(UTC).replace(microsecond=0))
    if entry.zone:  # a recurring series (or one of its overrides) runs in its own zone
        zone = ZoneInfo(entry.zone)
    if entry.recurrence_id is not None:
        event.add("recurrence-id", entry.recurrence_id.astimezone(zone))
    event.add("dtstart", entry.start.astimezone(zone))
    event.add("dtend", entry.end.astimezone(zone))
    if entry.rrule:
        event.add("rrule", vRecur.from_ical(entry.rrule))
        for moment in entry.exdates:
            event.add("exdate", moment.astimezone(zone))
    event.add("summary", entry.title)
    event.add("status", entry.status.upper())
    event.add("url", base_url + entry.url)
    event.add("description", base_url + entry.url)
    if entry.location:
        event.add("location", entry.location)
    return event.to_ical()


def _vtimezone(key: str) -> bytes:
    """A zone's VTIMEZONE made by icalendar (which takes ~50 ms to work out a zone's
    transitions): made once per worker, for the supported zones when this module loads."""
    with _lock:
        cached = _zones.get(key)
    if cached is None:
        cached = Timezone.from_tzid(key).to_ical()
        with _lock:
            _zones[key] = cached
    return cached


def _head(name: str, zone: ZoneInfo) -> bytes:
    """The VCALENDAR's properties, then the zone's VTIMEZONE (as icalendar writes a
    calendar: properties, then components); the END line left to build_feed."""
    key = (name, zone.key)
    with _lock:
        cached = _heads.get(key)
    if cached is not None:
        return cached
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone.key)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    text = calendar.to_ical()
    assert text.endswith(END)
    head = text[: -len(END)] + _vtimezone(zone.key)
    with _lock:
        _heads[key] = head
        while len(_heads) > HEAD_CACHE_SIZE:
            _heads.popitem(last=False)
    return head


@contextmanager
def few_collections():
    """No cyclic garbage collection while a feed is made. Making one allocates tens of
    thousands of short-lived tuples (rows, entries), which made Python's full collection
    run during it every few feeds: 150 ms of a 50 ms request. They hold no cycles and go with
    the request, so nothing is lost by collecting after it instead."""
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# How many occurrences of a rule are compared to choose the zone it is written in.
RULE_CHECK = 500
_same_rules: dict[tuple, bool] = {}


def _same_in_zone(series: Entry, reader: ZoneInfo) -> bool:
    """Whether ``series``' rule gives the same moments run in the reader's zone as in its
    own (always so between zones of the same fixed offset, as Vietnam and Laos; not always
    between UTC+7 and UTC+8 near midnight): then it is written in the reader's zone."""
    key = (series.rrule, series.start, series.zone, reader.key)
    found = _same_rules.get(key)
    if found is None:

        def moments(zone: ZoneInfo) -> list[datetime]:
            rule = rrulestr(series.rrule, dtstart=series.start.astimezone(zone))
            return [moment.astimezone(UTC) for moment in islice(rule, RULE_CHECK)]

        found = moments(ZoneInfo(series.zone)) == moments(reader)
        with _lock:
            if len(_same_rules) > CACHE_SIZE:
                _same_rules.clear()
            _same_rules[key] = found
    return found


def _feed_items(entries: Iterable[Entry], zone: ZoneInfo) -> list[Entry]:
    """What the feed writes: each entry, except that the occurrences of a recurring series
    become the series (once, with its RRULE and EXDATEs) and its overrides (RECURRENCE-ID).
    A series is written in the reader's zone when its rule runs the same there, else in its
    own zone (whose VTIMEZONE the feed then adds)."""
    items: list[Entry] = []
    own_zone: dict[str, str | None] = {}
    for entry in entries:
        if entry.series is None:
            items.append(entry)
            continue
        series = entry.series
        if series.uid not in own_zone:
            keep = series.zone and series.zone != zone.key and not _same_in_zone(series, zone)
            own_zone[series.uid] = series.zone if keep else None
            items.append(series._replace(zone=own_zone[series.uid]))
        if entry.override:
            items.append(entry._replace(zone=own_zone[series.uid]))
    return items


def build_feed(entries: Iterable[Entry], *, name: str, zone: ZoneInfo, base_url: str) -> bytes:
    """The VCALENDAR: its properties and the zone's VTIMEZONE made by icalendar, then each
    entry's VEVENT (made by icalendar, see _event) inside it."""
    head = _head(name, zone)
    base_url = base_url.rstrip("/")
    entries = _feed_items(entries, zone)
    other_zones = sorted({entry.zone for entry in entries if entry.zone} - {zone.key})
    if other_zones:  # a series in another zone than the reader's needs that zone's VTIMEZONE
        head += b"".join(_vtimezone(key) for key in other_zones)
    keys = [(entry, zone.key, base_url) for entry in entries]
    with _lock:  # once for all the kept events, not once per event
        found = _events.get
        texts = [found(key) for key in keys]
        for key, text in zip(keys, texts, strict=True):
            if text is not None:
                _events.move_to_end(key)
    for n, text in enumerate(texts):
        if text is None:
            texts[n] = _event(entries[n], zone, base_url)
    return head + b"".join(texts) + END


for _key in TIMEZONES:  # a new worker's first feed need not wait for its zone
    _vtimezone(_key)

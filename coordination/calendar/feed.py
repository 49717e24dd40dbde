"""A user's entries as an iCalendar feed (RFC 5545, with RFC 7986's NAME and
REFRESH-INTERVAL), built with the icalendar library.

Times are written in the reader's zone with its VTIMEZONE (Vietnam and Laos UTC+7, China
UTC+8); UIDs are stable, SEQUENCE rises with each change, a cancelled entry stays with
STATUS:CANCELLED so that calendar applications remove it. No personal data: titles are
places and counts, each with a link to the record (which asks for a sign-in).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta, tzinfo

from icalendar import Calendar, Event

from coordination.calendar.entries import Entry
from coordination.core.db import utcnow

PRODUCT_ID = "-//Cross-border coordination//Calendar//EN"
REFRESH = timedelta(hours=1)


def build_feed(entries: Iterable[Entry], *, name: str, zone: tzinfo, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    stamp = utcnow().replace(microsecond=0)
    base_url = base_url.rstrip("/")
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("sequence", entry.sequence)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.start.astimezone(zone))
        event.add("dtend", entry.end.astimezone(zone))
        event.add("summary", entry.title)
        event.add("status", entry.status.upper())
        event.add("url", base_url + entry.url)
        event.add("description", base_url + entry.url)
        if entry.location:
            event.add("location", entry.location)
        event.add("categories", [entry.kind])
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()

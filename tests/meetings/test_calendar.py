"""Meetings on the calendar: occurrences on the pages (a moved one at its new time, a
skipped one not at all), and in the iCalendar feed the series with its RRULE, the skipped
occurrence as EXDATE, the moved one as a RECURRENCE-ID override, a cancelled series
STATUS:CANCELLED. The feed is parsed back with icalendar and expanded with dateutil (the
rule, minus EXDATE, with the overrides applied) to the same occurrences."""

from __future__ import annotations

from datetime import UTC, timedelta

from dateutil.rrule import rrulestr

from coordination.calendar.entries import entries_for
from coordination.extensions import db
from coordination.meetings import operations
from tests.calendar.helpers import feed_url_of, parse
from tests.conftest import user_named
from tests.meetings.helpers import moment, planned_meeting


def _expand(calendar, uid: str) -> list:
    """The occurrences a calendar application makes of the feed's series ``uid``."""
    events = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == uid]
    master = next(e for e in events if "RECURRENCE-ID" not in e)
    start = master.decoded("DTSTART")
    rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start)
    exdates = set()
    for exdate in (
        master.get("EXDATE", [])
        if isinstance(master.get("EXDATE"), list)
        else ([master["EXDATE"]] if "EXDATE" in master else [])
    ):
        exdates |= {value.dt.astimezone(UTC) for value in exdate.dts}
    overrides = {e.decoded("RECURRENCE-ID").astimezone(UTC): e for e in events if e is not master}
    found = []
    for occurrence in rule:
        key = occurrence.astimezone(UTC)
        if key in exdates:
            continue
        event = overrides.get(key)
        found.append(event.decoded("DTSTART").astimezone(UTC) if event else key)
    return found


def test_the_feed_gives_the_series_and_its_exceptions(app_ctx, client):
    meeting = planned_meeting(starts_at=moment(5), count=4)
    first, second, third, fourth = meeting.planned_starts()
    qt = user_named("qt.liaison")
    moved = second + timedelta(days=2, hours=1)
    operations.change_occurrence(
        meeting,
        second,
        {
            "kind": "moved",
            "starts_at": moved,
            "ends_at": moved + timedelta(hours=2),
            "version": meeting.version,
        },
        actor=qt,
    )
    operations.change_occurrence(
        meeting, third, {"kind": "skipped", "reason": "Lũ", "version": meeting.version}, actor=qt
    )
    db.session.commit()
    for username in ("qt.liaison", "svk.liaison"):
        calendar = parse(client.get(feed_url_of(username)).data)
        events = [
            e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(f"meeting-{meeting.id}@")
        ]
        uid = str(events[0]["UID"])
        masters = [e for e in events if "RECURRENCE-ID" not in e]
        assert len(masters) == 1 and len(events) == 2
        master = masters[0]
        rule = master["RRULE"]
        assert (rule["FREQ"], rule["INTERVAL"], rule["COUNT"]) == (["MONTHLY"], [3], [4])
        assert str(master["STATUS"]) == "CONFIRMED"
        assert "EXDATE" in master
        assert _expand(calendar, uid) == [first, moved, fourth]
    with app_ctx.test_request_context():
        # Pages show the occurrences (the moved one at its new time, not the skipped one).
        shown = [
            e.start
            for e in entries_for(qt, first - timedelta(days=1), fourth + timedelta(days=1))
            if e.uid == uid
        ]
    assert shown == [first, moved, fourth]


def test_a_one_off_meeting_is_a_plain_event_and_a_cancelled_series_stays_cancelled(app_ctx, client):
    one_off = planned_meeting(starts_at=moment(3), repeat="none", count=None, kind="talks")
    series = planned_meeting(starts_at=moment(4), count=2, repeat="monthly")
    operations.cancel(
        series, {"reason": "Hoãn", "version": series.version}, actor=user_named("qt.liaison")
    )
    db.session.commit()
    calendar = parse(client.get(feed_url_of("svk.liaison")).data)
    by_uid = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    plain = by_uid[f"meeting-{one_off.id}"]
    assert "RRULE" not in plain and plain.decoded("DTSTART").astimezone(UTC) == one_off.starts_at
    cancelled = by_uid[f"meeting-{series.id}"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and "RRULE" in cancelled
    # A meeting of Quảng Trị with Savannakhet is not in Salavan's feed.
    salavan = parse(client.get(feed_url_of("slv.liaison")).data)
    assert not [e for e in salavan.walk("VEVENT") if str(e["UID"]).startswith("meeting-")]


def test_a_chinese_reader_gets_the_series_in_its_own_zone_when_the_rule_differs(app):
    """23:30 in Vietnam is 00:30 the next day in China: a monthly rule on the 31st gives
    other days run in China's zone, so the series keeps Vietnam's zone and its VTIMEZONE."""
    with app.test_request_context():
        from zoneinfo import ZoneInfo

        from coordination.calendar.feed import build_feed

        meeting = planned_meeting(starts_at=moment(5), count=2, repeat="monthly")
        entries = [
            e
            for e in entries_for(
                user_named("qt.liaison"),
                meeting.starts_at - timedelta(days=1),
                meeting.last_ends_at + timedelta(days=1),
            )
            if e.series
        ]
        body = build_feed(entries, name="t", zone=ZoneInfo("Asia/Shanghai"), base_url="http://x")
        calendar = parse(body)
        master = next(e for e in calendar.walk("VEVENT"))
        # 09:00 in Vietnam runs the same in China (10:00): written in the reader's zone.
        assert master["DTSTART"].params["TZID"] == "Asia/Shanghai"
        late = meeting.starts_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).replace(
            day=31, month=1, hour=23, minute=30
        )
        shifted = entries[0].series._replace(
            start=late.astimezone(UTC),
            end=(late + timedelta(minutes=30)).astimezone(UTC),
            rrule="FREQ=MONTHLY;COUNT=3",
        )
        body = build_feed(
            [entries[0]._replace(series=shifted)],
            name="t",
            zone=ZoneInfo("Asia/Shanghai"),
            base_url="http://x",
        )
        calendar = parse(body)
        master = next(e for e in calendar.walk("VEVENT"))
        assert master["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
        assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == [
            "Asia/Ho_Chi_Minh",
            "Asia/Shanghai",
        ]


def test_a_moved_occurrence_says_so_in_every_view(app, client, auth):
    """Review of issue 14: a moved occurrence looked like any other on the calendar."""
    from zoneinfo import ZoneInfo

    from markupsafe import escape

    from coordination.meetings.models import occurrence_slug
    from tests.conftest import translated

    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    with app.app_context():
        meeting = planned_meeting(starts_at=moment(3), count=2, repeat="monthly")
        first, second = meeting.planned_starts()
        moved = first + timedelta(days=2)
        operations.change_occurrence(
            meeting,
            first,
            {"kind": "moved", "starts_at": moved, "ends_at": moved + timedelta(hours=2),
             "version": meeting.version},
            actor=user_named("qt.liaison"),
        )  # fmt: skip
        db.session.commit()
        links = {
            key: f'href="/meetings/{meeting.id}/on/{occurrence_slug(key)}"'
            for key in (first, second)
        }
    marker = str(escape(translated(app, "vi", "Moved")))
    auth.login("qt.liaison")

    def shown(view, when, key):
        page = client.get(f"/calendar/?view={view}&date={when.astimezone(vn).date()}")
        lines = [line for line in page.get_data(as_text=True).splitlines() if links[key] in line]
        assert lines, (view, key)
        return lines

    for view in ("month", "week", "list"):
        assert all(marker in line for line in shown(view, moved, first)), view
    # The occurrence kept where the rule puts it carries no marker.
    assert not any(marker in line for line in shown("week", second, second))

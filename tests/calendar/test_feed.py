"""The iCalendar feed: parsed back with icalendar; stable UIDs, zones, SEQUENCE, STATUS,
no personal data, and tokens that open only their owner's live feed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from coordination.audit.models import AuditEntry
from coordination.calendar import operations as calendar_operations
from coordination.extensions import db
from coordination.handovers import operations as handover_operations
from tests.calendar.helpers import (
    PEOPLE_NAMES,
    china_handover,
    demo_handover,
    events,
    feed_url_of,
    parse,
)
from tests.conftest import translated_plural, user_named


def _uid(handover) -> str:
    # The configured domain (BASE_URL's host by default), not the host the feed is read by.
    return f"handover-{handover.id}@127.0.0.1"


def test_feed_lists_the_demo_handover_without_names(app_ctx, client):
    url = feed_url_of("qt.guard")
    handover = demo_handover()
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    for name in (*PEOPLE_NAMES, "Hoàng Thị Mỹ", "Trần Văn Bình", "ບຸນມີ ແກ້ວວົງສາ"):
        assert name not in text
    found = events(response.data)
    event = found[_uid(handover)]
    # The guard reads Vietnamese: the feed speaks the reader's language.
    title = translated_plural(
        current_app,
        "vi",
        "Handover at %(gate)s, %(num)d person",
        "Handover at %(gate)s, %(num)d people",
        2,
        gate="Lao Bảo – Đen Xa Vẳn",
    )
    assert str(event["SUMMARY"]) == title
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]).endswith(f"/handovers/{handover.id}")
    assert int(event["SEQUENCE"]) == 0
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start.utcoffset() == timedelta(hours=7)
    assert start.astimezone(UTC) == handover.scheduled_at
    assert start.hour == 9  # 09:00 in Vietnam, as scheduled
    # The same UIDs on every request (calendar applications update rather than duplicate).
    assert set(events(client.get(url).data)) == set(found)


def test_times_are_given_in_each_readers_zone(app_ctx, client):
    handover = demo_handover()
    offsets = {"qt.guard": 7, "svk.liaison": 7}
    zones = {"qt.guard": "Asia/Ho_Chi_Minh", "svk.liaison": "Asia/Vientiane"}
    for username, hours in offsets.items():
        calendar = parse(client.get(feed_url_of(username)).data)
        event = next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == _uid(handover))
        assert event["DTSTART"].params["TZID"] == zones[username]
        assert event.decoded("DTSTART").utcoffset() == timedelta(hours=hours)
        assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [zones[username]]
        assert event.decoded("DTSTART").astimezone(UTC) == handover.scheduled_at


def test_a_chinese_handover_reads_in_china_time(app_ctx, client):
    """Lạng Sơn and Pingxiang at Hữu Nghị: 09:00 in Vietnam is 10:00 in China."""
    handover = china_handover(datetime(2027, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    db.session.commit()
    body = client.get(feed_url_of("px.liaison") + "?year=2027").data
    event = events(body)[_uid(handover)]
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    start = event.decoded("DTSTART")
    assert (start.hour, start.utcoffset()) == (10, timedelta(hours=8))
    assert "Hữu Nghị" in str(event["SUMMARY"]) or "友谊" in str(event["SUMMARY"])


def test_postponement_moves_the_entry_and_raises_sequence(app_ctx, client):
    url = feed_url_of("qt.guard")
    handover = demo_handover()
    before = events(client.get(url).data)[_uid(handover)]
    later = handover.scheduled_at + timedelta(days=3)
    handover_operations.postpone(
        handover,
        {"version": handover.version, "reason": "Đường bị lũ", "scheduled_at": later},
        actor=user_named("qt.guard"),
    )
    db.session.commit()
    after = events(client.get(url).data)[_uid(handover)]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART").astimezone(UTC) == later
    assert "Đường bị lũ" not in client.get(url).get_data(as_text=True)


def test_a_cancelled_handover_stays_as_cancelled(app_ctx, client):
    url = feed_url_of("svk.liaison")
    handover = demo_handover()
    handover_operations.cancel(
        handover, {"version": handover.version, "reason": "ຍົກເລີກ"}, actor=user_named("qt.guard")
    )
    db.session.commit()
    event = events(client.get(url).data)[_uid(handover)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) >= 1


def test_a_year_without_entries_is_a_valid_empty_calendar(app_ctx, client):
    response = client.get(feed_url_of("qt.guard") + "?year=2031")
    assert response.status_code == 200
    calendar = parse(response.data)
    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar.walk("VEVENT") == []


def test_malformed_years_are_refused_without_error(app_ctx, client):
    url = feed_url_of("qt.guard")
    for year in ("0", "0000", "99999", "abc", "２０２７", "-1", "1e3", "2027x" * 100):
        assert client.get(url, query_string={"year": year}).status_code == 400


def test_tokens_of_others_revoked_or_malformed_get_404(app_ctx, client):
    guard_url = feed_url_of("qt.guard")
    other_url = feed_url_of("ls.liaison")
    assert client.get(other_url).status_code == 200
    # A new link replaces the old one.
    new_url = feed_url_of("qt.guard")
    assert client.get(guard_url).status_code == 404
    assert client.get(new_url).status_code == 200
    user = user_named("qt.guard")
    assert calendar_operations.revoke_feed(user, actor=user)
    db.session.commit()
    refused = client.get(new_url)
    assert refused.status_code == 404
    assert refused.data == client.get("/calendar/feed/cal_nothing.ics").data
    for token in ("x", "cal_" + "A" * 500, "cal_%00", "..%2F..%2Fetc", "cal_é"):
        assert client.get(f"/calendar/feed/{token}.ics").status_code == 404
    # The Lạng Sơn officer's feed shows nothing of Quảng Trị's handover.
    assert _uid(demo_handover()) not in events(client.get(other_url).data)


def test_a_deactivated_users_feed_stops(app_ctx, client):
    url = feed_url_of("qt.guard")
    user = user_named("qt.guard")
    user.is_enabled = False
    db.session.commit()
    assert client.get(url).status_code == 404


def test_links_are_shown_again_and_audited(app_ctx, client, auth):
    auth.login("qt.guard")
    page = client.get("/calendar/")
    assert b"/calendar/feed/" not in page.data
    response = client.post("/calendar/feed-link")
    assert response.status_code == 302
    first = client.get("/calendar/").get_data(as_text=True)
    again = client.get("/calendar/?view=week").get_data(as_text=True)
    token = calendar_operations.feed_token(user_named("qt.guard"))
    assert f"/calendar/feed/{token}.ics" in first and f"/calendar/feed/{token}.ics" in again
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 200
    # Forged form: nothing changes.
    assert client.post("/calendar/feed-link/revoke", data={"csrf_token": None}).status_code == 400
    assert calendar_operations.feed_token(user_named("qt.guard")) == token
    client.post("/calendar/feed-link/revoke")
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404
    assert b"/calendar/feed/" not in client.get("/calendar/").data
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("calendar_feed.%"))
    ).all()
    assert actions == ["calendar_feed.create", "calendar_feed.revoke"]
    # Only the digest is stored: the token is nowhere in the table.
    from coordination.calendar.models import CalendarFeedToken

    row = db.session.scalars(select(CalendarFeedToken)).first()
    assert token not in (row.salt, row.digest, row.prefix)


def test_the_feed_needs_no_session_and_sets_none(app_ctx, client):
    url = feed_url_of("qt.guard")
    response = client.get(url)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers or "session" not in response.headers["Set-Cookie"]
    assert date.today().year > 2000


def test_uids_do_not_change_with_the_host_a_feed_is_fetched_by(app_ctx, client):
    url = feed_url_of("qt.guard")
    by_ip = set(events(client.get(url).data))
    by_name = set(events(client.get(url, base_url="http://coordination.example").data))
    assert by_ip and by_ip == by_name

"""Conditional GET of the feed: an ETag from the user's visible entries, 304 when nothing
changed (calendar applications poll), a new ETag and new content after a change, and never
one user's feed for another."""

from __future__ import annotations

from datetime import UTC, timedelta

from flask import current_app

from coordination.extensions import db
from coordination.handovers import operations as handover_operations
from tests.calendar.helpers import demo_handover, events, feed_url_of, parse
from tests.conftest import translated, user_named


def _uid(handover) -> str:
    return f"handover-{handover.id}@127.0.0.1"


def test_an_unchanged_feed_is_answered_304_without_a_body(app_ctx, client):
    url = feed_url_of("qt.guard")
    first = client.get(url)
    etag = first.headers.get("ETag")
    assert first.status_code == 200 and etag
    assert "no-store" not in first.headers["Cache-Control"]  # clients may revalidate
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    # Without the header (or with a stale one), the whole feed, the same as before.
    assert client.get(url).data == first.data
    assert client.get(url, headers={"If-None-Match": '"stale"'}).data == first.data


def test_a_postponed_handover_gives_a_new_etag_and_new_content(app_ctx, client):
    url = feed_url_of("qt.guard")
    handover = demo_handover()
    first = client.get(url)
    etag = first.headers["ETag"]
    later = handover.scheduled_at + timedelta(days=2)
    handover_operations.postpone(
        handover,
        {"version": handover.version, "reason": "Mưa lớn", "scheduled_at": later},
        actor=user_named("qt.guard"),
    )
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.headers["ETag"] != etag
    event = events(after.data)[_uid(handover)]
    assert event.decoded("DTSTART").astimezone(UTC) == later
    assert str(event["STATUS"]) == "TENTATIVE"
    before = events(first.data)[_uid(handover)]
    assert int(event["SEQUENCE"]) > int(before["SEQUENCE"])
    # And the new ETag holds until the next change.
    assert client.get(url, headers={"If-None-Match": after.headers["ETag"]}).status_code == 304


def test_another_users_feed_is_never_served_from_this_users(app_ctx, client):
    guard_url, lao_url = feed_url_of("qt.guard"), feed_url_of("svk.liaison")
    guard = client.get(guard_url)
    etag = guard.headers["ETag"]
    # Both see the demo handover, yet the Lao officer's feed is theirs: another ETag (their
    # ETag is refused for the guard's feed and the guard's for theirs), their zone, their name.
    lao = client.get(lao_url, headers={"If-None-Match": etag})
    assert lao.status_code == 200
    assert lao.headers["ETag"] != etag
    assert client.get(guard_url, headers={"If-None-Match": lao.headers["ETag"]}).status_code == 200
    calendar = parse(lao.data)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Vientiane"]
    assert "svk.liaison" in str(calendar["X-WR-CALNAME"])
    assert "qt.guard" not in lao.get_data(as_text=True)
    assert set(events(lao.data)) == set(events(client.get(lao_url).data))
    # The guard's own feed, asked again, is still the guard's.
    assert client.get(guard_url).data == guard.data


def test_a_change_of_language_gives_a_new_etag(app_ctx, client):
    url = feed_url_of("qt.guard")
    etag = client.get(url).headers["ETag"]
    user = user_named("qt.guard")
    user.locale = "zh"
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag
    name = translated(current_app, "zh", "Coordination calendar: %(name)s", name="qt.guard")
    assert str(parse(after.data)["X-WR-CALNAME"]) == name


def test_a_feed_with_no_entries_still_revalidates(app_ctx, client):
    url = feed_url_of("qt.guard") + "?year=2031"
    first = client.get(url)
    assert first.status_code == 200 and first.headers.get("ETag")
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_a_person_added_to_a_handover_gives_a_new_etag_and_title(app_ctx, client):
    """Someone who came without being on the list is written to the handover's people only
    (the handover's own row need not change): the count in the title still moves."""
    from coordination.handovers.models import HandoverPerson

    url = feed_url_of("qt.guard")
    handover = demo_handover()
    first = client.get(url)
    count = len(handover.people)
    db.session.add(
        HandoverPerson(
            handover_id=handover.id,
            position=count + 1,
            on_list=False,
            name_as_written="Người đi cùng",
            identity_checked=False,
            victim_file_received=False,
        )
    )
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
    title = str(events(after.data)[_uid(handover)]["SUMMARY"])
    assert title != str(events(first.data)[_uid(handover)]["SUMMARY"])
    assert str(count + 1) in title
    assert "Người đi cùng" not in after.get_data(as_text=True)


def test_entries_follow_the_readers_language_and_a_renamed_gate(app_ctx, client):
    """Each worker keeps the entries it made from handover rows: a reader who changed
    language, or a gate renamed in the directory, must still get fresh titles."""
    url = feed_url_of("qt.guard")
    handover = demo_handover()
    gate = handover.gate
    first = str(events(client.get(url).data)[_uid(handover)]["SUMMARY"])
    assert gate.name_vi in first
    user = user_named("qt.guard")
    user.locale = "zh"
    db.session.commit()
    chinese = str(events(client.get(url).data)[_uid(handover)]["SUMMARY"])
    assert gate.name_zh in chinese and chinese != first
    gate.name_zh = "友谊关（新名）"
    db.session.commit()
    renamed = str(events(client.get(url).data)[_uid(handover)]["SUMMARY"])
    assert "友谊关（新名）" in renamed

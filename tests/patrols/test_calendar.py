"""Joint patrols on both sides' calendars and feeds: the segment and the other side in the
title (no person), tentative until confirmed, cancelled when declined or cancelled; an
unrelated office sees nothing; a change gives a new ETag."""

from __future__ import annotations

from datetime import timedelta

from coordination.calendar.entries import entries_for
from coordination.extensions import db
from coordination.patrols import operations
from coordination.patrols.models import PatrolStep
from tests.calendar.helpers import events, feed_url_of
from tests.conftest import login_client, translated, user_named
from tests.patrols.helpers import future, proposed_patrol, started


def _patrol_entries(username: str, start, end):
    return [
        entry for entry in entries_for(user_named(username), start, end) if entry.kind == "patrol"
    ]


def test_entries_for_both_sides_and_their_states(app, client):
    with app.test_request_context():
        patrol = proposed_patrol()
        start, end = patrol.starts_at - timedelta(days=1), patrol.ends_at + timedelta(days=1)
        (mine,) = _patrol_entries("ls.guard", start, end)
        (theirs,) = _patrol_entries("px.guard", start, end)
        assert mine.uid == theirs.uid and mine.uid.startswith(f"patrol-{patrol.id}@")
        assert mine.status == "tentative"
        assert patrol.partner_office.name in mine.title and "601" in mine.title
        assert patrol.proposing_office.name in theirs.title
        assert _patrol_entries("qt.guard", start, end) == []
        assert _patrol_entries("px.liaison", start, end) == []
        operations.take_step(
            patrol, PatrolStep.CONFIRM, {"version": patrol.version}, actor=user_named("px.guard")
        )
        (confirmed,) = _patrol_entries("ls.guard", start, end)
        assert confirmed.status == "confirmed" and confirmed.sequence > mine.sequence
        operations.take_step(
            patrol,
            PatrolStep.CANCEL,
            {"body": "Mưa lũ", "version": patrol.version},
            actor=user_named("ls.guard"),
        )
        (cancelled,) = _patrol_entries("px.guard", start, end)
        assert cancelled.status == "cancelled"
        # Outside its window: nothing.
        assert _patrol_entries("ls.guard", end, end + timedelta(days=3)) == []


def test_feed_and_calendar_page_hold_no_names(app, client):
    with app.test_request_context():
        patrol = started(proposed_patrol(starts_at=future(30)), hours_ago=-30)
        operations.take_step(
            patrol, PatrolStep.CONFIRM, {"version": patrol.version}, actor=user_named("px.guard")
        )
        db.session.commit()
        patrol_id = patrol.id
        url = feed_url_of("px.guard")
    body = client.get(url).data
    found = [event for uid, event in events(body).items() if uid.startswith(f"patrol-{patrol_id}@")]
    assert len(found) == 1
    assert found[0]["STATUS"] == "CONFIRMED"
    text = body.decode()
    for name in ("Vũ Văn Hải", "张伟"):  # leaders stay on the patrol's page
        assert name not in text
    etag = client.get(url).headers.get("ETag")
    with app.test_request_context():
        from coordination.patrols.models import Patrol

        patrol = db.session.get(Patrol, patrol_id)
        operations.take_step(
            patrol,
            PatrolStep.CANCEL,
            {"body": "Mưa lũ", "version": patrol.version},
            actor=user_named("px.guard"),
        )
        db.session.commit()
    again = client.get(url, headers={"If-None-Match": etag} if etag else {})
    assert again.status_code == 200
    cancelled = [
        e for uid, e in events(again.data).items() if uid.startswith(f"patrol-{patrol_id}@")
    ]
    assert cancelled[0]["STATUS"] == "CANCELLED"
    # The Chinese guard's calendar page shows it, titled in Chinese.
    px = login_client(app, "px.guard")
    page = px.get("/calendar/?view=list").get_data(as_text=True)
    assert f"/patrols/{patrol_id}" in page
    assert translated(app, "zh", "Cancelled") in page

"""Logging, correcting, sharing, answering and turning contacts into requests; bad input
stores nothing; every change is audited; counts for the reports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.contacts import operations
from coordination.contacts.models import Contact
from coordination.contacts.queries import count_contacts
from coordination.core.db import utcnow
from coordination.core.errors import ConflictError, OperationError
from coordination.exchange.models import Request, RequestState
from coordination.extensions import db
from tests.conftest import user_named
from tests.contacts.helpers import contact_data, log, make_case, office_id


def _contacts() -> int:
    return db.session.scalar(select(func.count()).select_from(Contact))


def _audit(action: str) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_a_call_is_logged_with_its_case_and_people_and_audited(app_ctx):
    case, person = make_case()
    contact = log(case_id=case.id, person_ids=[person.id])
    assert contact.office.code == "LS-BLO" and contact.partner_office.code == "PX-BLO"
    assert [link.person_id for link in contact.people] == [person.id]
    assert contact.is_urgent and not contact.is_shared
    entry = _audit("contact.create")[-1]
    assert entry.target_id == contact.id
    assert entry.details["partner"] == "PX-BLO" and entry.details["people"] == [person.id]


def test_the_time_defaults_to_now(app_ctx):
    contact = log(occurred_at=None)
    assert abs(contact.occurred_at - utcnow()) < timedelta(seconds=5)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"occurred_at": utcnow() + timedelta(hours=1)}, "occurred_at"),
        ({"duration_minutes": -5}, "duration_minutes"),
        ({"partner_office_id": 999_999}, "partner_office_id"),
    ],
    ids=["a call in the future", "a negative duration", "an unknown office"],
)
def test_bad_input_is_refused_and_nothing_is_stored(app_ctx, overrides, field):
    before = _contacts()
    with pytest.raises(OperationError) as refused:
        operations.log_contact(contact_data(**overrides), actor=user_named("ls.liaison"))
    assert field in refused.value.errors
    assert _contacts() == before


def test_an_office_that_is_not_a_partner_is_refused(app_ctx):
    before = _contacts()
    with pytest.raises(OperationError) as refused:
        log(partner="SVK-BLO")  # Savannakhet works with Quảng Trị, not Lạng Sơn
    assert "partner_office_id" in refused.value.errors
    assert _contacts() == before


def test_another_offices_case_request_and_people_are_refused(app_ctx):
    other_case, other_person = make_case("qt.liaison", "Vụ việc của Quảng Trị")
    own_case, _own = make_case()
    before = _contacts()
    for overrides, field in (
        ({"case_id": other_case.id}, "case_id"),
        ({"case_id": own_case.id, "person_ids": [other_person.id]}, "person_ids"),
    ):
        with pytest.raises(OperationError) as refused:
            log(**overrides)
        assert field in refused.value.errors
    # A request between two other offices.
    svk = user_named("svk.liaison")
    from coordination.exchange import operations as exchange_operations

    theirs = exchange_operations.compose(
        {
            "recipient_office_id": office_id("QT-BLO"),
            "kind": "information",
            "subject": "Thông tin",
            "case_id": None,
            "person_ids": [],
            "shared_fields": [],
            "action": "send",
        },
        actor=svk,
    )
    with pytest.raises(OperationError) as refused:
        log(request_id=theirs.id)
    assert "request_id" in refused.value.errors
    assert _contacts() == before


def test_a_guard_logs_a_call_with_the_partner_station(app_ctx):
    contact = log("ls.guard", partner="PX-BGS", language="zh", urgency="urgent")
    assert contact.office.code == "LS-BGS-HN" and contact.partner_office.code == "PX-BGS"
    with pytest.raises(OperationError):
        log("ls.guard", partner="PX-BLO")  # the station's partner is the Chinese station


def test_a_correction_needs_the_current_version_and_is_audited_as_a_diff(app_ctx):
    contact = log()
    data = contact_data(duration_minutes=20, version=contact.version)
    operations.update_contact(contact, data, actor=user_named("ls.liaison"))
    db.session.flush()
    assert contact.duration_minutes == 20 and contact.version == 2
    assert _audit("contact.update")[-1].details["duration_minutes"] == [12, 20]
    with pytest.raises(ConflictError):
        operations.update_contact(
            contact, contact_data(duration_minutes=30, version=1), actor=user_named("ls.liaison")
        )
    assert contact.duration_minutes == 20


def test_sharing_then_the_partner_confirms_and_adds_notes(app_ctx):
    contact = log()
    liaison, partner = user_named("ls.liaison"), user_named("px.liaison")
    with pytest.raises(OperationError):  # not shared: the partner cannot answer
        operations.respond(contact, {"confirm": True, "version": contact.version}, actor=partner)
    operations.share_contact(contact, {"version": contact.version}, actor=liaison)
    with pytest.raises(OperationError):
        operations.share_contact(contact, {"version": contact.version}, actor=liaison)
    with pytest.raises(OperationError):  # nothing said
        operations.respond(contact, {"confirm": False, "version": contact.version}, actor=partner)
    operations.respond(
        contact,
        {"confirm": True, "note": "确认通话。", "version": contact.version},
        actor=partner,
    )
    assert contact.confirmed_by_id == partner.id and contact.partner_note == "确认通话。"
    assert [e.target_id for e in _audit("contact.share")] == [contact.id]
    assert _audit("contact.confirm") and _audit("contact.note")
    with pytest.raises(OperationError):  # confirmed once
        operations.respond(contact, {"confirm": True, "version": contact.version}, actor=partner)


def test_a_promised_answer_is_overdue_until_it_came(app_ctx):
    contact = log(
        occurred_at=utcnow() - timedelta(hours=3), follow_up_due_at=utcnow() - timedelta(hours=1)
    )
    assert contact.is_overdue()
    operations.close_follow_up(
        contact, {"version": contact.version}, actor=user_named("ls.liaison")
    )
    assert not contact.is_overdue() and contact.follow_up_done_at is not None
    with pytest.raises(OperationError):
        operations.close_follow_up(
            contact, {"version": contact.version}, actor=user_named("ls.liaison")
        )


def test_a_request_is_made_from_a_contact_in_one_step(app_ctx):
    case, person = make_case()
    contact = log(case_id=case.id, person_ids=[person.id])
    made = operations.make_request(
        contact,
        {"kind": "rescue_assistance", "subject": "Đề nghị phối hợp giải cứu",
         "body": contact.asked, "version": contact.version},
        actor=user_named("ls.liaison"),
    )  # fmt: skip
    assert made.state == RequestState.SENT and made.reference
    assert made.recipient_office.code == "PX-BLO" and made.case_id == case.id
    assert [shared.person_id for shared in made.people] == [person.id]
    assert contact.request_id == made.id
    assert _audit("contact.request")[-1].details == {"reference": made.reference}
    with pytest.raises(OperationError):
        operations.make_request(
            contact,
            {"kind": "information", "subject": "Lần hai", "version": contact.version},
            actor=user_named("ls.liaison"),
        )
    assert db.session.scalar(select(func.count()).select_from(Request)) == 1


def test_counts_per_period_partner_channel_and_direction(app_ctx):
    def at(year, month, day):
        return datetime(year, month, day, 3, tzinfo=UTC)

    log(occurred_at=at(2026, 7, 2))
    log(occurred_at=at(2026, 8, 20))
    log(occurred_at=at(2026, 8, 21), direction="out")
    log(occurred_at=at(2026, 10, 1), channel="letter", partner="CZ-BLO")
    log("ls.guard", partner="PX-BGS", occurred_at=at(2026, 8, 1))
    ls_blo, px, cz = office_id("LS-BLO"), office_id("PX-BLO"), office_id("CZ-BLO")
    months = count_contacts(office_ids=[ls_blo], since=at(2026, 1, 1), until=at(2027, 1, 1))
    assert [(c.period, c.partner_office_id, c.channel, c.direction, c.count) for c in months] == [
        ("2026-07", px, "hotline", "in", 1),
        ("2026-08", px, "hotline", "in", 1),
        ("2026-08", px, "hotline", "out", 1),
        ("2026-10", cz, "letter", "in", 1),
    ]
    quarters = count_contacts(office_ids=[ls_blo], per="quarter")
    assert [(c.period, c.channel, c.direction, c.count) for c in quarters] == [
        ("2026-Q3", "hotline", "in", 2),
        ("2026-Q3", "hotline", "out", 1),
        ("2026-Q4", "letter", "in", 1),
    ]
    everyone = count_contacts(per="year", since=at(2026, 8, 1), until=at(2026, 9, 1))
    assert sum(c.count for c in everyone) == 3
    assert {c.office_id for c in everyone} == {ls_blo, office_id("LS-BGS-HN")}
    with pytest.raises(ValueError):
        count_contacts(per="week")


def test_a_letters_reference_as_written_is_kept(app_ctx):
    contact = log(
        channel="letter",
        reference_number="崇边联〔2026〕45号",
        reference_date=date(2026, 11, 28),
        duration_minutes=None,
    )
    assert contact.reference_number == "崇边联〔2026〕45号"
    assert contact.reference_date == date(2026, 11, 28)


def test_a_province_log_is_read_office_by_office_in_time_order(app_ctx):
    """A supervisor's log merges the newest of each office of the province: the same pages,
    in the same order, as one sort of everything would give."""
    from coordination.contacts.queries import filtered, office_log, page_of

    logged = []
    for hour in range(9):
        who, partner = ("ls.guard", "PX-BGS") if hour % 3 == 0 else ("ls.liaison", "PX-BLO")
        logged.append(
            log(who, partner=partner, occurred_at=datetime(2026, 11, 1, hour, tzinfo=UTC))
        )
    log("qt.liaison", partner="SVK-BLO")  # another province
    expected = [contact.id for contact in sorted(logged, key=lambda c: c.occurred_at, reverse=True)]
    query = filtered(office_log(user_named("ls.supervisor")))
    pages = [page_of(query, number, 4) for number in (1, 2, 3)]
    assert [contact.id for page in pages for contact in page.items] == expected
    assert pages[0].total == 9 and pages[0].pages == 3 and not pages[2].has_next
    urgent_letters = filtered(office_log(user_named("ls.supervisor")), channel="letter")
    assert page_of(urgent_letters, 1, 4).items == []


def test_a_long_log_is_counted_up_to_the_cap(app_ctx, monkeypatch):
    from coordination.contacts import queries

    for _n in range(7):
        log()
    monkeypatch.setattr(queries, "COUNT_CAP", 4)
    query = queries.filtered(queries.office_log(user_named("ls.liaison")))
    first = queries.page_of(query, 1, 2)
    assert (first.total, first.more, first.pages, first.has_next) == (4, True, 2, True)
    fourth = queries.page_of(query, 4, 2)  # past the counted rows: still there, one more page
    assert len(fourth.items) == 1 and fourth.has_next is True
    fifth = queries.page_of(query, 5, 2)
    assert fifth.items == [] and fifth.has_next is False


def test_a_shared_contact_keeps_its_partner_and_a_changed_text_asks_again(app_ctx):
    """Found by the security probe: changing the partner office of a shared contact handed
    the first partner's note and confirmation to another office, and a text rewritten after
    the partner confirmed it still showed as confirmed."""
    contact = log()
    liaison, partner = user_named("ls.liaison"), user_named("px.liaison")
    operations.share_contact(contact, {"version": contact.version}, actor=liaison)
    operations.respond(
        contact, {"confirm": True, "note": "确认通话。", "version": contact.version}, actor=partner
    )
    with pytest.raises(OperationError) as refused:
        operations.update_contact(
            contact,
            contact_data("CZ-BLO", version=contact.version),
            actor=liaison,
        )
    assert "partner_office_id" in refused.value.errors
    db.session.refresh(contact)
    assert contact.partner_office_id == office_id("PX-BLO")
    assert contact.confirmed_by_id == partner.id
    # A changed text: the partner's confirmation is withdrawn until it confirms again.
    operations.update_contact(
        contact, contact_data(answered="Đã cử tổ công tác.", version=contact.version), actor=liaison
    )
    assert contact.confirmed_at is None and contact.confirmed_by_id is None
    assert _audit("contact.update")[-1].details["confirmation_withdrawn"] is True
    operations.respond(contact, {"confirm": True, "version": contact.version}, actor=partner)
    assert contact.confirmed_by_id == partner.id


# --- A border guard station passes a contact to its province's liaison office -------------


def _station_call(**overrides) -> Contact:
    return log("ls.guard", partner="PX-BGS", case_reference="LS-2026-0001", **overrides)


def test_a_station_passes_a_contact_to_the_liaison_office_audited(app_ctx):
    contact = _station_call()
    guard = user_named("ls.guard")
    operations.forward_contact(contact, {"version": contact.version}, actor=guard)
    assert contact.forwarded_office.code == "LS-BLO" and contact.forwarded_by_id == guard.id
    assert contact.office.code == "LS-BGS-HN"  # it stays the station's
    entry = _audit("contact.forward")[-1]
    assert entry.target_id == contact.id and entry.details == {"office": "LS-BLO"}
    with pytest.raises(OperationError):  # once
        operations.forward_contact(contact, {"version": contact.version}, actor=guard)


def test_a_liaison_office_passes_nothing_on_and_a_station_only_to_its_provinces(app_ctx):
    ours = log()
    with pytest.raises(OperationError):
        operations.forward_contact(ours, {"version": ours.version}, actor=user_named("ls.liaison"))
    station = _station_call()
    with pytest.raises(OperationError) as refused:  # Quảng Trị's liaison office: not ours
        operations.forward_contact(
            station,
            {"version": station.version, "office_id": office_id("QT-BLO")},
            actor=user_named("ls.guard"),
        )
    assert "office_id" in refused.value.errors
    assert station.forwarded_at is None
    with pytest.raises(OperationError) as refused:
        log(forward=True)  # the liaison office has no liaison office to pass to
    assert "forward" in refused.value.errors


def test_an_urgent_call_is_passed_on_in_the_same_tap(app_ctx):
    contact = _station_call(forward=True)
    assert contact.forwarded_office.code == "LS-BLO"
    assert [e.target_id for e in _audit("contact.forward")] == [contact.id]


def test_the_liaison_office_links_its_case_and_makes_the_request(app_ctx):
    contact = _station_call(forward=True)
    case, person = make_case()
    liaison = user_named("ls.liaison")
    operations.link_records(
        contact,
        {"case_id": case.id, "request_id": None, "person_ids": [person.id],
         "version": contact.version},
        actor=liaison,
    )  # fmt: skip
    assert contact.case_id == case.id and [p.person_id for p in contact.people] == [person.id]
    assert _audit("contact.link")[-1].details["case_id"] == [None, case.id]
    made = operations.make_request(
        contact,
        {"kind": "rescue_assistance", "subject": "Giải cứu", "version": contact.version},
        actor=liaison,
    )
    # Sent by the liaison office to its own partner in Pingxiang (not the station's).
    assert made.sender_office.code == "LS-BLO" and made.recipient_office.code == "PX-BLO"
    assert made.case_id == case.id and [p.person_id for p in made.people] == [person.id]
    assert contact.request_id == made.id and contact.office.code == "LS-BGS-HN"


def test_the_station_correcting_a_passed_contact_keeps_the_liaison_offices_links(app_ctx):
    contact = _station_call(forward=True)
    case, person = make_case()
    operations.link_records(
        contact,
        {"case_id": case.id, "person_ids": [person.id], "version": contact.version},
        actor=user_named("ls.liaison"),
    )
    operations.update_contact(
        contact,
        contact_data("PX-BGS", asked="Bổ sung", version=contact.version),
        actor=user_named("ls.guard"),
    )
    assert contact.asked == "Bổ sung" and contact.case_id == case.id
    assert [p.person_id for p in contact.people] == [person.id]


def test_the_liaison_office_links_only_its_own_records(app_ctx):
    contact = _station_call(forward=True)
    theirs, their_person = make_case("qt.liaison", "Vụ việc Quảng Trị")
    ours, _person = make_case()
    liaison = user_named("ls.liaison")
    for data, field in [
        ({"case_id": theirs.id}, "case_id"),
        ({"person_ids": [their_person.id]}, "person_ids"),
        ({"case_id": ours.id, "person_ids": [their_person.id]}, "person_ids"),
    ]:
        with pytest.raises(OperationError) as refused:
            operations.link_records(contact, {**data, "version": contact.version}, actor=liaison)
        assert field in refused.value.errors
    assert contact.case_id is None and contact.people == []


# --- Validation -----------------------------------------------------------------------------


def test_a_linked_person_must_belong_to_the_linked_case(app_ctx):
    case, _person = make_case()
    _other, other_person = make_case(title="Vụ việc khác")
    before = _contacts()
    with pytest.raises(OperationError) as refused:
        log(case_id=case.id, person_ids=[other_person.id])
    assert refused.value.errors["person_ids"]
    assert _contacts() == before
    # With no case linked, people of the office's cases are accepted.
    assert [p.person_id for p in log(person_ids=[other_person.id]).people] == [other_person.id]


def test_an_answer_cannot_be_due_before_the_contact(app_ctx):
    before = _contacts()
    with pytest.raises(OperationError) as refused:
        log(
            occurred_at=utcnow() - timedelta(hours=2),
            follow_up_due_at=utcnow() - timedelta(hours=3),
        )
    assert refused.value.errors["follow_up_due_at"]
    assert _contacts() == before


def test_the_partners_earlier_note_is_kept_in_the_audit(app_ctx):
    contact = log()
    operations.share_contact(contact, {"version": contact.version}, actor=user_named("ls.liaison"))
    partner = user_named("px.liaison")
    operations.respond(contact, {"note": "第一次说明。", "version": contact.version}, actor=partner)
    operations.respond(
        contact, {"note": "更正：两名妇女。", "version": contact.version}, actor=partner
    )
    assert contact.partner_note == "更正：两名妇女。"
    notes = [entry.details["note"] for entry in _audit("contact.note")]
    assert notes == [[None, "第一次说明。"], ["第一次说明。", "更正：两名妇女。"]]


@pytest.mark.parametrize("locale", ["en", "vi", "zh"])
def test_a_passed_call_from_youyiguan_goes_to_pingxiangs_liaison_office_in_any_language(
    app_ctx, locale
):
    contact = _station_call(forward=True)
    with force_locale(locale):
        chosen = operations.default_recipient(contact, office_id("LS-BLO"))
    assert chosen == office_id("PX-BLO")  # the same city as Youyiguan; not Chongzuo's

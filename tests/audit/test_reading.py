"""Reading the audit log: sentences and links, readable details, filters, the CSV export."""

from __future__ import annotations

import csv
import html
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from coordination.audit.models import AuditEntry
from coordination.audit.operations import record, verify_chain
from coordination.extensions import db
from tests.conftest import translated, user_named
from tests.exchange.helpers import make_case, office_id

LAO_NAME = "ສົມສັກ ພົມມະຈັນ"


def _latest(action: str) -> AuditEntry:
    return db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
    )


def _viewed_person(app, client, auth) -> tuple[int, int]:
    """qt.liaison opens a case and a person's record (both audited); (case id, person id)."""
    with app.app_context():
        case, victim, _relative = make_case()
        db.session.commit()
        case_id, person_id = case.id, victim.id
    auth.login("qt.liaison")
    assert client.get(f"/cases/{case_id}").status_code == 200
    assert client.get(f"/cases/people/{person_id}").status_code == 200
    auth.logout()
    return case_id, person_id


def test_an_entry_reads_as_a_sentence_with_a_link_to_the_record(app, client, auth):
    case_id, person_id = _viewed_person(app, client, auth)
    with app.app_context():
        from coordination.cases.models import Case

        number = db.session.get(Case, case_id).number
    auth.login("qt.supervisor")
    page = client.get("/audit/?action=case.create").get_data(as_text=True)
    record_text = translated(app, "vi", "case %(ref)s", ref=number)
    assert f'<a href="/cases/{case_id}">{record_text}</a>' in page
    sentence = translated(app, "vi", "%(actor)s opened %(record)s.", actor="", record="")
    assert sentence.strip(" .") in page
    assert "case.create" not in page.split("<table", 1)[1]  # the code is not what one reads
    assert "cases #" not in page
    # The people a case view showed are listed in its details, linked for this reader.
    page = client.get("/audit/?action=case.view").get_data(as_text=True)
    person = translated(app, "vi", "person %(ref)s", ref=f"#{person_id}")
    assert f'<a href="/cases/people/{person_id}">{person}</a>' in page


def test_no_link_where_the_reader_may_not_open_the_record(app, client, auth):
    """Administrators run the system and do not read case files: the person is named only."""
    _case_id, person_id = _viewed_person(app, client, auth)
    auth.login("admin")
    page = client.get("/audit/?action=person.view").get_data(as_text=True)
    assert f'href="/cases/people/{person_id}"' not in page
    assert translated(app, "en", "person %(ref)s", ref=f"#{person_id}") in page


def test_lao_details_read_as_text_and_lists_as_lists(app, client, auth):
    with app.app_context():
        record(
            "test.lao",
            actor=user_named("admin"),
            details={"name_lo": LAO_NAME, "roles": ["supervisor", "admin"], "known_device": True},
        )
        db.session.commit()
    auth.login("admin")
    page = client.get("/audit/?who=admin").get_data(as_text=True)
    assert LAO_NAME in page
    assert "\\u0eaa" not in page.lower()
    assert "supervisor, admin" in page
    assert translated(app, "en", "Name in Lao") in page
    # An unknown code still reads, naming the code.
    assert "test.lao" in page


def test_entries_without_a_single_record_or_about_a_deleted_one_say_so(app, client, auth):
    with app.app_context():
        guard = user_named("qt.guard")
        record("handover.day_view", actor=guard, target_type="handovers", details={"handovers": []})
        record("case.view", actor=guard, target_type="cases", target_id=987654)
        db.session.commit()
    auth.login("admin")  # entries about no office are for administrators
    page = html.unescape(client.get("/audit/?who=qt.guard").get_data(as_text=True))
    assert "#None" not in page
    day_view = translated(app, "en", "%(actor)s viewed the day's handovers.", actor="")
    assert day_view.strip() in page
    deleted = translated(
        app,
        "en",
        "%(record)s (deleted since)",
        record=translated(app, "en", "case %(ref)s", ref="#987654"),
    )
    assert deleted in page


def test_where_it_came_from_is_shown(app, client, auth):
    auth.login("qt.liaison", **{"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"})
    auth.logout()
    auth.login("qt.supervisor")
    page = client.get("/audit/?who=qt.liaison&action=auth.login").get_data(as_text=True)
    assert "127.0.0.1" in page
    assert "Firefox 140" in page


# --- Filters ------------------------------------------------------------------------------


def _actions_listed(client, query: str) -> list[str]:
    """The codes of the entries a filtered CSV export lists."""
    response = client.get(f"/audit/export.csv?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    return [row[4] for row in rows[1:]]


def test_filter_by_person(app, client, auth):
    auth.login("qt.liaison")
    auth.logout()
    auth.login("qt.social")
    auth.logout()
    auth.login("qt.supervisor")
    page = client.get("/audit/?who=QT.Liaison").get_data(as_text=True)
    assert ">qt.liaison<" in page
    assert ">qt.social<" not in page


def test_filter_by_office(app, client, auth):
    auth.login("qt.liaison")
    auth.logout()
    auth.login("qt.social")
    auth.logout()
    auth.login("qt.supervisor")
    with app.app_context():
        blo = office_id("QT-BLO")
    page = client.get(f"/audit/?office={blo}&action=auth.login").get_data(as_text=True)
    assert ">qt.liaison<" in page
    assert ">qt.social<" not in page


def test_filter_by_action_and_by_group(app, client, auth):
    _viewed_person(app, client, auth)
    auth.login("qt.supervisor")
    assert set(_actions_listed(client, "action=case.create")) == {"case.create"}
    grouped = set(_actions_listed(client, "action=group:cases"))
    assert {"case.create", "event.create"} <= grouped or {"case.create"} <= grouped
    assert "auth.login" not in grouped


def test_filter_by_record_id_or_reference(app, client, auth):
    case_id, person_id = _viewed_person(app, client, auth)
    with app.app_context():
        from coordination.cases.models import Case

        number = db.session.get(Case, case_id).number
    auth.login("qt.supervisor")
    by_id = _actions_listed(client, f"record_type=cases&record={case_id}")
    assert sorted(by_id) == ["case.create", "case.view"]
    by_reference = _actions_listed(client, f"record_type=cases&record={number}")
    assert by_reference == by_id
    assert _actions_listed(client, f"record_type=cases&record=%23{case_id}") == by_id
    auth.logout()
    auth.login("admin")  # a person's record concerns no office of its own: admins read it
    by_person = _actions_listed(client, f"record_type=people&record={person_id}")
    assert sorted(by_person) == ["person.create", "person.view"]


def test_filter_by_period_in_the_readers_time_zone(app, client, auth):
    auth.login("qt.supervisor")
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    assert "auth.login" in _actions_listed(client, f"date_from={today}&date_to={today}")
    yesterday = today - timedelta(days=1)
    assert _actions_listed(client, f"date_to={yesterday}&action=auth.login") == []
    assert _actions_listed(client, f"date_from={today + timedelta(days=1)}") == []


@pytest.mark.parametrize(
    "query",
    [
        "office=abc",
        "office=99999999999999",
        "office=-3",
        "action=no.such_thing",
        "action=group:nothing",
        "record_type=secrets",
        "record=12",
        "record_type=cases&record=NO-SUCH-CASE",
        "record_type=people&record=" + "9" * 40,
        "date_from=2026-13-45",
        "date_from=1900-01-01",
        "date_from=2026-12-05&date_to=2026-12-01",
        "who=" + "x" * 500,
        "who=%00abc",
    ],
)
def test_malformed_filters_are_refused_clearly(app, client, auth, query):
    auth.login("qt.supervisor")
    response = client.get(f"/audit/?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert translated(app, "vi", "Please correct the marked fields.") in page
    exported = client.get(f"/audit/export.csv?{query}")
    assert exported.status_code == 400
    with app.app_context():
        assert _latest("audit.export") is None


def test_a_supervisor_cannot_filter_by_an_office_of_another_province(app, client, auth):
    auth.login("qt.supervisor")
    with app.app_context():
        elsewhere = office_id("LS-BLO")
    assert client.get(f"/audit/?office={elsewhere}").status_code == 400


def test_odd_page_numbers_do_not_fail(client, auth):
    auth.login("admin")
    for page in ("-5", "0", "abc", "99999999999"):
        assert client.get(f"/audit/?page={page}").status_code == 200


# --- Export -------------------------------------------------------------------------------


def test_the_csv_export_is_readable_and_audited(app, client, auth):
    with app.app_context():
        record("test.lao", actor=user_named("admin"), details={"name_lo": LAO_NAME})
        db.session.commit()
    auth.login("admin")
    response = client.get("/audit/export.csv?who=admin")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: spreadsheets read Lao right
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, entries = rows[0], rows[1:]
    assert header[0] == translated(app, "en", "Time (UTC, ISO 8601)")
    lao = next(row for row in entries if row[4] == "test.lao")
    assert datetime.fromisoformat(lao[0]).tzinfo is not None
    assert lao[1]  # local time
    assert lao[2] == "admin"
    assert "test.lao" in lao[5]
    assert LAO_NAME in lao[7] and "\\u" not in lao[7]
    login = next(row for row in entries if row[4] == "auth.login")
    assert login[5] == translated(app, "en", "%(actor)s signed in.", actor="admin")
    assert "127.0.0.1" in login[8]
    with app.app_context():
        entry = _latest("audit.export")
        assert entry.actor_name == "admin"
        assert entry.details == {"filters": {"who": "admin"}, "count": len(entries)}
        assert verify_chain().intact
    page = client.get("/audit/?action=audit.export").get_data(as_text=True)
    assert translated(app, "en", "Filters") in page


def test_a_supervisors_export_holds_only_their_province(app, client, auth):
    auth.login("px.liaison")
    auth.logout()
    auth.login("qt.liaison")
    auth.logout()
    auth.login("qt.supervisor")
    listed = client.get("/audit/export.csv?action=auth.login").get_data(as_text=True)
    assert "qt.liaison" in listed
    assert "px.liaison" not in listed


def test_only_supervisors_and_admins_export(client, auth):
    auth.login("qt.liaison")
    assert client.get("/audit/export.csv").status_code == 403
    auth.logout()
    auth.login("px.liaison")
    assert client.get("/audit/export.csv").status_code == 403


def test_a_searchs_found_people_read_as_records_not_raw_pairs(app, client, auth):
    from tests.exchange.helpers import make_case

    with app.app_context():
        _case, victim, _relative = make_case()
        db.session.commit()
        family_name = victim.name_as_written.split()[0]
    auth.login("qt.liaison")
    client.get("/search/people", query_string={"q": family_name})
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "person.search")
        ).one()
        assert entry.details["found"]  # the test needs something found
    auth.logout()
    auth.login("admin")  # reads English
    page = client.get("/audit/", query_string={"action": "person.search"}).get_data(as_text=True)
    assert "person, " not in page and "missing, " not in page


def test_a_requests_state_in_the_details_reads_as_its_label(app, client, auth):
    with app.app_context():
        record(
            "request.ask_back",
            actor=user_named("qt.liaison"),
            details={"reference": "QT-BLO/2026/0001", "state": "information_requested"},
        )
        db.session.commit()
    auth.login("admin")  # reads English
    page = client.get("/audit/", query_string={"action": "request.ask_back"}).get_data(as_text=True)
    assert "More information asked" in page
    assert "information_requested" not in page.split("<table", 1)[-1]

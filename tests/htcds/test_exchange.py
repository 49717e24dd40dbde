"""HTCDS export and import through the pages and the API: field and value names as in the
standard, de-identified by default, identifiers only with the right and audited, the round
trip, and every kind of bad file answered with a report and nothing stored."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from coordination.audit.models import AuditEntry
from coordination.auth.operations import create_api_token
from coordination.cases import operations as case_operations
from coordination.cases.models import Case, Person
from coordination.extensions import db
from coordination.htcds import mapping
from tests.conftest import login_client, translated, user_named
from tests.exchange.helpers import make_case


@pytest.fixture
def tokens(app):
    plain = {}
    with app.app_context():
        for username in ("qt.liaison", "qt.social", "svk.liaison", "ls.liaison"):
            user = user_named(username)
            _token, plain[username] = create_api_token(user, "test", actor=user)
        db.session.commit()
    return {name: {"Authorization": f"Bearer {value}"} for name, value in plain.items()}


@pytest.fixture
def qt_case(app):
    """A QT-BLO case: an adult victim (sexual exploitation), a relative, and a child."""
    with app.app_context():
        actor = user_named("qt.liaison")
        case, victim, relative = make_case(victim_status="actual", nationality="VN")
        case_operations.add_event(
            case,
            {
                "kind": "exploitation",
                "occurred_on": date(2025, 6, 1),
                "exploitation_type": "sexual",
            },
            actor=actor,
        )
        child = case_operations.add_person(
            case,
            {
                "role": "victim",
                "name_as_written": '=HYPERLINK("http://x")',
                "sex": "male",
                "date_of_birth": date(2012, 1, 9),
                "home_address": "Bản Cát",
            },
            actor=actor,
        )
        db.session.commit()
        people = [victim.id, relative.id, child.id]
        return {"case": case.id, "number": case.number, "people": people}


def rows_of(body: bytes) -> list[dict]:
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def audit_codes(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def export(client, **form):
    return client.post("/htcds/export", data={"format": "csv", **form})


def mine(rows, number=None):
    return [row for row in rows if number is None or row["cas_Id"] == number]


def test_the_default_export_is_de_identified_with_htcds_names(app, qt_case):
    client = login_client(app, "qt.liaison")
    response = export(client)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    body = response.get_data()
    header = body.decode("utf-8-sig").splitlines()[0].split(",")
    assert tuple(header) == mapping.DEIDENTIFIED_COLUMNS
    for secret in ("Nguyễn", "Nguyen", "2001-05-17", "Lao Bảo", "HYPERLINK", "Bản Cát", "0912"):
        assert secret.encode() not in body
    assert qt_case["number"].encode() not in body
    rows = rows_of(body)
    victim = next(row for row in rows if row["vic_TraffickingStatus"])
    assert victim["prs_Gender"] == "Feminine"
    assert victim["vic_TraffickingStatus"] == "ActualVictimOfTrafficking"
    assert victim["vic_TypeOfExploitation"] == "SexualExploitation"
    assert victim["prs_Citizenship"] == "VN"
    assert victim["vic_AgeWhenTrafficked"] == "24"  # born 17 May 2001, exploited 1 June 2025
    assert victim["cas_Status"] == "Active"
    assert victim["prs_Role"] == "Victim"
    # Pseudonyms are stable: a second export gives the same ids.
    again = rows_of(export(client).get_data())
    assert [row["prs_Id"] for row in again] == [row["prs_Id"] for row in rows]
    assert audit_codes(app)[-1] == "htcds.export"


def test_identifiers_need_the_right_and_are_audited(app, qt_case):
    social = login_client(app, "qt.social")
    assert export(social, identifiers="1").status_code == 403
    assert "htcds.export_identified" not in audit_codes(app)

    liaison = login_client(app, "qt.liaison")
    rows = mine(rows_of(export(liaison, identifiers="1").get_data()), qt_case["number"])
    names = {row["prs_FirstName"] for row in rows}
    assert "Nguyễn Thị Hướng" in names
    adult = next(row for row in rows if row["prs_FirstName"] == "Nguyễn Thị Hướng")
    assert adult["prs_Birthdate"] == "2001-05-17"
    assert adult["prs_MailingStreet"] == "Thôn 3, xã Lao Bảo"
    # The child (born 2012) keeps its identifiers out unless they are asked for too.
    child = [row for row in rows if row["prs_Gender"] == "Masculine" and not row["prs_FirstName"]]
    assert len(child) == 1 and not child[0]["prs_Birthdate"] and not child[0]["prs_MailingStreet"]
    assert audit_codes(app)[-1] == "htcds.export_identified"

    with_children = export(liaison, identifiers="1", children="1").get_data().decode("utf-8-sig")
    # A formula-like name is escaped for spreadsheets.
    assert "'=HYPERLINK" in with_children
    assert "Bản Cát" in with_children


def test_an_office_exports_only_its_own_cases(app, qt_case):
    mine_rows = rows_of(export(login_client(app, "qt.liaison")).get_data())
    theirs = rows_of(export(login_client(app, "ls.liaison")).get_data())
    ours = {row["prs_Id"] for row in mine_rows}
    assert ours and not ours & {row["prs_Id"] for row in theirs}
    # A supervisor of the province sees the office's cases; of another province not.
    province = rows_of(export(login_client(app, "qt.supervisor")).get_data())
    assert ours <= {row["prs_Id"] for row in province}
    other = rows_of(export(login_client(app, "ls.supervisor")).get_data())
    assert not ours & {row["prs_Id"] for row in other}


@pytest.mark.parametrize("username", ["qt.guard", "admin"])
def test_who_may_not_exchange_gets_404(app, username):
    client = login_client(app, username)
    assert client.get("/htcds/").status_code == 404
    assert export(client).status_code == 404


def test_the_page_offers_the_choice(app):
    client = login_client(app, "qt.liaison")
    page = client.get("/htcds/").get_data(as_text=True)
    assert 'name="identifiers" value="1"' in page
    assert translated(app, "vi", "Import a partner's file") in page
    social = login_client(app, "qt.social").get("/htcds/").get_data(as_text=True)
    assert 'name="identifiers" value="1"' not in social
    assert 'id="htcds-import"' not in social


def test_json_export_through_the_api(app, client, tokens, qt_case):
    response = client.get("/api/v1/htcds/export?format=json", headers=tokens["qt.liaison"])
    assert response.status_code == 200
    document = json.loads(response.get_data())
    assert document["standard"] == "HTCDS 2.0"
    record = next(r for r in document["records"] if r["vic_TraffickingStatus"])
    assert set(record) == set(mapping.DEIDENTIFIED_COLUMNS)
    assert record["vic_TypeOfExploitation"] == ["SexualExploitation"]
    refused = client.get("/api/v1/htcds/export?identifiers=true", headers=tokens["qt.social"])
    assert refused.status_code == 403
    xml = client.get("/api/v1/htcds/export?format=xml", headers=tokens["qt.liaison"])
    assert xml.status_code == 422


def people_of(app, office_code: str) -> int:
    from coordination.directory.models import Office

    with app.app_context():
        return db.session.scalar(
            select(func.count(Person.id))
            .join(Case)
            .join(Office, Office.id == Case.office_id)
            .where(Office.code == office_code)
        )


def test_round_trip_export_then_import_by_a_partner(app, client, tokens, qt_case):
    exported = client.get(
        "/api/v1/htcds/export?format=csv&identifiers=true", headers=tokens["qt.liaison"]
    ).get_data()
    before = people_of(app, "SVK-BLO")
    response = client.post(
        "/api/v1/htcds/imports",
        data={"file": (io.BytesIO(exported), "from-qt.csv")},
        headers=tokens["svk.liaison"],
    )
    assert response.status_code == 201, response.get_json()
    result = response.get_json()
    assert result["imported"] and result["problems"] == []
    assert people_of(app, "SVK-BLO") == before + result["people"]
    with app.app_context():
        imported = db.session.scalar(
            select(Person)
            .where(Person.name_as_written == "Nguyễn Thị Hướng")
            .order_by(Person.id.desc())
        )
        assert imported.case.office.code == "SVK-BLO"
        assert imported.date_of_birth == date(2001, 5, 17)
        assert imported.victim_status == "actual"
        assert qt_case["number"] in imported.case.summary
    assert "htcds.import" in audit_codes(app)


def csv_file(rows: list[dict], columns=("cas_Id", "prs_Id", "prs_Gender", "vic_TraffickingStatus")):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def good_rows(count: int) -> list[dict]:
    return [
        {
            "cas_Id": f"C-{n // 2}",
            "prs_Id": f"P-{n}",
            "prs_Gender": "Feminine",
            "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
        }
        for n in range(count)
    ]


def post_import(client, headers, data: bytes, name="partner.csv", accept=False):
    return client.post(
        f"/api/v1/htcds/imports?accept_partial={'true' if accept else 'false'}",
        data={"file": (io.BytesIO(data), name)},
        headers={**headers, "Accept-Language": "vi"},
    )


def test_a_partner_case_is_imported_once_and_its_exploitation_counted(app, client, tokens):
    """The same file again imports nothing; a longer file from the partner imports only the
    new partner case. Each imported case carries the exploitation types the file names, as
    events the reports count."""
    from coordination.cases.models import TraffickingEvent

    columns = ("cas_Id", "prs_Id", "prs_Gender", "vic_TypeOfExploitation")
    rows = [
        {"cas_Id": "PX-7", "prs_Id": "P-1", "prs_Gender": "Feminine",
         "vic_TypeOfExploitation": "ForcedMarriage;SexualExploitation"},
        {"cas_Id": "PX-7", "prs_Id": "P-2", "prs_Gender": "Feminine",
         "vic_TypeOfExploitation": "ForcedMarriage"},
    ]  # fmt: skip
    first = post_import(client, tokens["svk.liaison"], csv_file(rows, columns))
    assert first.status_code == 201 and first.get_json()["cases"] == 1
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.external_ref == "htcds:PX-7"))
        kinds = db.session.scalars(
            select(TraffickingEvent.exploitation_type).where(TraffickingEvent.case_id == case.id)
        ).all()
        assert sorted(kinds) == ["forced_marriage", "sexual"]
        number = case.number
    before = people_of(app, "SVK-BLO")
    again = post_import(client, tokens["svk.liaison"], csv_file(rows, columns))
    assert again.status_code == 422
    problem = again.get_json()["problems"][0]
    assert (problem["row"], problem["field"]) == (1, "cas_Id")
    assert problem["message"] == translated(
        app, "lo", "This partner case was imported before, as case %(number)s.", number=number
    )
    longer = [*rows, {"cas_Id": "PX-8", "prs_Id": "P-3", "prs_Gender": "Masculine",
                      "vic_TypeOfExploitation": "ForcedLabour"}]  # fmt: skip
    assert post_import(client, tokens["svk.liaison"], csv_file(longer, columns)).status_code == 422
    accepted = post_import(client, tokens["svk.liaison"], csv_file(longer, columns), accept=True)
    assert accepted.status_code == 201 and accepted.get_json()["cases"] == 1
    assert people_of(app, "SVK-BLO") == before + 1
    # Another office may import the same partner case: each office keeps its own.
    other = post_import(client, tokens["qt.liaison"], csv_file(rows, columns))
    assert other.status_code == 201


def test_ten_percent_invalid_rows_import_nothing_unless_accepted(app, client, tokens):
    rows = good_rows(20)
    rows[3]["prs_Gender"] = "Female"  # not an HTCDS value name
    rows[11]["prs_Id"] = "P-2"  # a duplicate id
    before = people_of(app, "SVK-BLO")
    refused = post_import(client, tokens["svk.liaison"], csv_file(rows))
    assert refused.status_code == 422
    report = refused.get_json()
    assert (report["rows"], report["valid_rows"], report["invalid_rows"]) == (20, 18, 2)
    problems = {(p["row"], p["field"]) for p in report["problems"]}
    assert problems == {(4, "prs_Gender"), (12, "prs_Id")}
    message = next(p["message"] for p in report["problems"] if p["row"] == 12)
    assert message == translated(app, "lo", "The same id is on row %(row)d.", row=3)
    assert people_of(app, "SVK-BLO") == before

    accepted = post_import(client, tokens["svk.liaison"], csv_file(rows), accept=True)
    assert accepted.status_code == 201
    assert accepted.get_json()["people"] == 18
    assert people_of(app, "SVK-BLO") == before + 18


@pytest.mark.parametrize(
    "data, name, expected",
    [
        (
            csv_file(
                good_rows(2), columns=("cas_Id", "prs_Id", "prs_Gender", "vic_TraffickingStatus")
            ).replace(b"prs_Gender", b"Gender"),
            "a.csv",
            "Columns that are not HTCDS fields of this exchange: %(names)s.",
        ),
        (
            "cas_Id,prs_Id,prs_FirstName\nC1,P1,Đà Nẵng\n".encode("utf-16"),
            "a.csv",
            "The file is not in UTF-8. Save it as UTF-8 (CSV UTF-8 in Excel).",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "a.json", "The file is not valid JSON."),
        (b"", "a.csv", "The file is empty."),
        (
            b'{"records": 5}',
            "a.json",
            'A JSON file must hold a list of records (or "records": [...]).',
        ),
        (b"prs_Gender\nFeminine\n", "a.csv", "Columns missing: %(names)s."),
    ],
    ids=["wrong-columns", "wrong-encoding", "deep-json", "empty", "not-a-list", "missing-ids"],
)
def test_a_bad_file_is_reported_and_nothing_imported(app, client, tokens, data, name, expected):
    before = people_of(app, "SVK-BLO")
    response = post_import(client, tokens["svk.liaison"], data, name=name, accept=True)
    assert response.status_code == 422
    report = response.get_json()
    assert not report["importable"] and not report["imported"]
    first = report["problems"][0]["message"]
    wanted = translated(app, "lo", expected, names="XYZ").split("XYZ")[0]
    assert first.startswith(wanted)
    assert people_of(app, "SVK-BLO") == before


def test_wrong_types_in_json_are_row_problems(app, client, tokens):
    records = [
        {"cas_Id": "C1", "prs_Id": "P1", "prs_Gender": "Feminine"},
        {"cas_Id": "C1", "prs_Id": 7, "prs_Gender": {"a": 1}},
        {"cas_Id": "C1", "prs_Id": "P3", "vic_AgeWhenTrafficked": True},
        {"cas_Id": "C1", "prs_Id": "P4", "prs_Citizenship": ["Vietnam"]},
        "not an object",
    ]
    response = post_import(client, tokens["svk.liaison"], json.dumps(records).encode(), "a.json")
    assert response.status_code == 422
    report = response.get_json()
    assert report["valid_rows"] == 1
    assert {p["row"] for p in report["problems"]} == {2, 3, 4, 5}


def test_a_file_over_the_size_limit_is_refused(app, client, tokens):
    app.config["HTCDS_IMPORT_MAX_BYTES"] = 1000
    response = post_import(client, tokens["svk.liaison"], csv_file(good_rows(200)))
    assert response.status_code == 422
    assert response.get_json()["problems"][0]["row"] is None


def test_import_needs_a_liaison_officer(app, client, tokens):
    response = post_import(client, tokens["qt.social"], csv_file(good_rows(2)))
    assert response.status_code == 404


def test_the_import_page_reports_then_imports_only_the_valid_rows(app):
    client = login_client(app, "svk.liaison")
    rows = good_rows(10)
    rows[9]["vic_TraffickingStatus"] = "Maybe"
    before = people_of(app, "SVK-BLO")
    page = client.post(
        "/htcds/import",
        data={"file": (io.BytesIO(csv_file(rows)), "partner.csv")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "<td>10</td><td>vic_TraffickingStatus</td>" in text
    assert people_of(app, "SVK-BLO") == before
    action = text.rsplit('action="', 1)[1].split('"')[0]
    assert action.startswith("/htcds/import/")
    # Another user cannot confirm it.
    other = login_client(app, "slv.liaison").post(action, data={"action": "import"})
    assert other.status_code in (302, 404)
    assert people_of(app, "SVK-BLO") == before
    done = client.post(action, data={"action": "import"})
    assert done.status_code == 302
    assert people_of(app, "SVK-BLO") == before + 9
    # The waiting file is gone: a second confirmation imports nothing more.
    client.post(action, data={"action": "import"})
    assert people_of(app, "SVK-BLO") == before + 9


def test_cancel_imports_nothing(app):
    client = login_client(app, "svk.liaison")
    rows = good_rows(4)
    rows[0]["prs_Gender"] = "x"
    before = people_of(app, "SVK-BLO")
    text = client.post(
        "/htcds/import",
        data={"file": (io.BytesIO(csv_file(rows)), "partner.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    action = text.split('id="htcds-confirm"')[0].rsplit('action="', 1)[1].split('"')[0]
    assert client.post(action, data={"action": "cancel"}).status_code == 302
    assert client.post(action, data={"action": "import"}).status_code == 302
    assert people_of(app, "SVK-BLO") == before


def test_a_json_body_imports_too_and_the_export_streams(app, client, tokens, qt_case):
    exported = client.get("/api/v1/htcds/export?format=json", headers=tokens["qt.liaison"])
    assert exported.is_streamed
    before = people_of(app, "LS-BLO")
    response = client.post(
        "/api/v1/htcds/imports",
        data=exported.get_data(),
        content_type="application/json",
        headers=tokens["ls.liaison"],
    )
    assert response.status_code == 201, response.get_json()
    assert people_of(app, "LS-BLO") == before + 3
    with app.app_context():
        # A de-identified file: the pseudonym stands for the name; the age is kept.
        names = set(
            db.session.scalars(
                select(Person.name_as_written).join(Case).where(Case.summary.contains("C-"))
            )
        )
        assert names and all(name.startswith("P-") for name in names)

"""The missing-person register."""

from sqlalchemy import func, select

from coordination.cases.models import MissingPersonReport
from coordination.extensions import db

EN = {"Accept-Language": "en"}
REPORT = {
    "name_as_written": "Hoàng Thị Đào",
    "name_romanised": "Hoang Thi Dao",
    "sex": "female",
    "estimated_age": "17",
    "missing_since": "2026-08-15",
    "last_seen_place": "Chợ Đồng Đăng",
    "last_seen_with": "Một người phụ nữ lạ hứa tìm việc bên kia biên giới",
    "reporter_name": "Hoàng Văn Sơn",
    "reporter_relationship": "Bố",
    "reporter_contact": "0987 654 321",
}


def _report(client):
    response = client.post("/missing/new", data=REPORT)
    assert response.status_code == 302, response.get_data(as_text=True)[-1000:]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_officer_registers_and_finds_a_report_by_any_spelling(client, auth):
    auth.login("ls.liaison")
    _report(client)
    for query in ("Hoang Thi Dao", "hoàng thị đào", "dao"):
        assert "Hoàng Thị Đào" in client.get(f"/missing/?q={query}").get_data(as_text=True)


def test_officers_of_the_same_country_search_it_partners_do_not(app, client, auth):
    auth.login("ls.liaison")
    report_id = _report(client)
    auth.logout()
    auth.login("qt.liaison")  # another Vietnamese province: verification needs the register
    assert client.get(f"/missing/{report_id}").status_code == 200
    assert client.get(f"/missing/{report_id}/edit").status_code == 403
    auth.logout()
    for username in ("px.liaison", "svk.liaison", "ls.guard"):
        auth.login(username)
        assert client.get(f"/missing/{report_id}").status_code == 404, username
        assert "Hoàng Thị Đào" not in client.get("/missing/").get_data(as_text=True)
        auth.logout()


def test_a_report_is_closed_when_the_person_is_found(app, client, auth):
    auth.login("ls.liaison")
    report_id = _report(client)
    response = client.post(
        f"/missing/{report_id}/close",
        data={"found": "1", "found_on": "2026-08-01", "version": "1"},
        headers=EN,
    )
    assert response.status_code == 422  # found before going missing
    response = client.post(
        f"/missing/{report_id}/close",
        data={"found": "1", "found_on": "2026-10-20", "outcome_note": "Về nhà", "version": "1"},
    )
    assert response.status_code == 302
    with app.app_context():
        report = db.session.get(MissingPersonReport, report_id)
        assert report.status == "found" and str(report.found_on) == "2026-10-20"


def test_bad_reports_are_refused(app, client, auth):
    auth.login("ls.liaison")
    with app.app_context():
        before = db.session.scalar(select(func.count(MissingPersonReport.id)))
    for changes in (
        {"missing_since": ""},
        {"missing_since": "2999-01-01"},
        {"reporter_name": " "},
        {"estimated_age": "200"},
        {"sex": "x"},
    ):
        response = client.post("/missing/new", data={**REPORT, **changes})
        assert response.status_code == 422, changes
    with app.app_context():
        assert db.session.scalar(select(func.count(MissingPersonReport.id))) == before

"""Candidates for a person in an incoming identity-verification request."""

from datetime import date

from sqlalchemy import select

from coordination.cases import operations as case_operations
from coordination.cases.models import MissingPersonReport
from coordination.extensions import db
from coordination.matching.index import blocking_keys
from tests.conftest import user_named
from tests.matching.helpers import lao_request_about, register


def test_renderings_share_a_blocking_key():
    assert blocking_keys("Nguyễn Thị Hướng") & blocking_keys("ຫງວຽນ ທິ ເຮືອງ")
    assert blocking_keys("阮氏香") & blocking_keys("Ruan Shixiang")
    assert not blocking_keys("Nguyễn Thị Hướng") & blocking_keys("Trần Văn Bình")


def test_the_register_entry_is_proposed_first_with_its_reasons(app, client, auth):
    with app.app_context():
        age = date.today().year - 2001
        register("ls.liaison", "Nguyễn Thị Hướng", "Nguyen Thi Huong", date(2001, 5, 17))
        register("ls.liaison", "Nguyễn Thị Hương Giang", born=date(1990, 1, 1))
        register("ls.liaison", "Trần Thị Mai", born=date(2001, 5, 17))
        request = lao_request_about("ຫງວຽນ ທິ ເຮືອງ", age)
        db.session.commit()
        request_id = request.id
    auth.login("qt.liaison")
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    section = page.split('class="candidates"')[1]
    assert section.index("Nguyễn Thị Hướng") < section.index("Nguyễn Thị Hương Giang")
    assert "Trần Thị Mai" not in section
    assert "2001" in section  # the reasons name the birth year
    # The sender does not see the receiving side's records.
    auth.logout()
    auth.login("svk.liaison")
    assert 'class="candidates"' not in client.get(f"/requests/{request_id}").get_data(as_text=True)


def test_the_index_follows_a_corrected_name(app, client, auth):
    with app.app_context():
        report = register("ls.liaison", "Nguyễn Thị Hướng")
        request = lao_request_about("ຫງວຽນ ທິ ເຮືອງ", 25)
        case_operations.update_missing_report(
            report,
            {
                "name_as_written": "Lò Thị Xuân",
                "missing_since": date(2026, 3, 1),
                "reporter_name": "Gia đình",
                "version": report.version,
            },
            actor=user_named("ls.liaison"),
        )
        db.session.commit()
        request_id = request.id
    auth.login("qt.liaison")
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "Lò Thị Xuân" not in page.split('class="candidates"')[1]


def test_reindex_command(app, runner):
    with app.app_context():
        register("ls.liaison", "Nguyễn Thị Hướng")
        db.session.commit()
    result = runner.invoke(args=["matching", "reindex"])
    assert result.exit_code == 0 and "Indexed the names of" in result.output
    with app.app_context():
        assert db.session.scalar(select(MissingPersonReport.id)) is not None

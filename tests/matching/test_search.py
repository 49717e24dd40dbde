"""The search box in the top bar finds people by any spelling, in any script."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coordination.audit.models import AuditEntry
from coordination.extensions import db
from tests.conftest import translated
from tests.exchange.helpers import make_case
from tests.matching.helpers import register


@pytest.fixture
def records(app):
    with app.app_context():
        register("ls.liaison", "Nguyễn Thị Hướng", born=date(2001, 5, 17))
        register("ls.liaison", "Trần Văn Bình", born=date(1995, 2, 1), sex="male")
        make_case("qt.liaison", name_as_written="Lê Thị Lan", name_romanised=None)
        db.session.commit()


@pytest.mark.parametrize(
    "query",
    ["Nguyen Thi Huong", "nguyễn thị hướng", "Hướng Nguyễn Thị", "ຫງວຽນ ທິ ເຮືອງ", "阮氏香"],
)
def test_any_spelling_finds_the_register_entry(app, client, auth, records, query):
    auth.login("qt.liaison")
    page = client.get("/search/people", query_string={"q": query}).get_data(as_text=True)
    results = page.split('class="card candidates"')[1]
    assert "Nguyễn Thị Hướng" in results
    assert "Trần Văn Bình" not in results


def test_the_search_box_is_on_every_page_and_finds_case_people(app, client, auth, records):
    auth.login("qt.liaison")
    assert 'action="/search/people"' in client.get("/cases/").get_data(as_text=True)
    page = client.get("/search/people", query_string={"q": "ເລ ທິ ລານ"}).get_data(as_text=True)
    assert "Lê Thị Lan" in page.split('class="card candidates"')[1]


def test_a_search_shows_only_what_the_user_may_see_and_is_audited(app, client, auth, records):
    # Laos' liaison officer sees neither Vietnam's register nor Quảng Trị's cases.
    auth.login("svk.liaison")
    page = client.get("/search/people", query_string={"q": "Le Thi Lan"}).get_data(as_text=True)
    assert "Lê Thị Lan" not in page
    assert (
        translated(
            app,
            "lo",
            "Nothing found for «%(query)s» in the records you may see.",
            query="Le Thi Lan",
        )
        in page
    )
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "person.search")
        ).one()
        assert entry.details == {"query": "Le Thi Lan", "found": []}


def test_bad_searches_get_a_clear_answer(app, client, auth, records):
    auth.login("qt.liaison")
    response = client.get("/search/people", query_string={"q": "x" * 300})
    assert response.status_code == 422
    page = client.get("/search/people", query_string={"q": "Ωμέγα"}).get_data(as_text=True)
    assert "Ωμέγα" in page.split('class="notice warn"')[1]
    empty = client.get("/search/people", query_string={"q": "   "})
    assert empty.status_code == 200 and 'class="card candidates"' not in empty.get_data(
        as_text=True
    )
    assert client.get("/search/people").status_code == 200

"""The people search finds one word, or part of a name, in any script, ranked and paged."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coordination.audit.models import AuditEntry
from coordination.extensions import db
from tests.conftest import translated, translated_plural
from tests.exchange.helpers import make_case
from tests.matching.helpers import register

SEARCH = "/search/people"


def results(page: str) -> list[str]:
    """The names listed, in order."""
    section = page.split('id="people-search"')[1]
    return re.findall(r'<li class="candidate">\s*<a href="[^"]+">([^<]+)</a>', section)


def search(client, q, **extra):
    response = client.get(SEARCH, query_string={"q": q, **extra})
    return response, response.get_data(as_text=True)


@pytest.fixture
def records(app):
    """Vietnam's register (Quảng Trị and Lạng Sơn report to it) and one case of each office."""
    with app.app_context():
        register("qt.liaison", "Nguyễn Thị Hướng")
        register("qt.liaison", "Trần Thị Hương")
        register("ls.liaison", "Lê Văn Hùng", sex="male")
        register("qt.liaison", "Phạm Thị Lan")
        register("qt.liaison", "Đỗ Văn Nguyên", sex="male")
        make_case("qt.liaison", name_as_written="Nguyễn Văn Bảy", name_romanised=None)
        make_case("ls.liaison", name_as_written="Hoàng Thị Kiều", name_romanised=None)
        db.session.commit()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Huong", {"Nguyễn Thị Hướng", "Trần Thị Hương"}),
        ("hướng", {"Nguyễn Thị Hướng", "Trần Thị Hương"}),
        ("Nguyễn", {"Nguyễn Thị Hướng", "Nguyễn Văn Bảy"}),
        ("ເຮືອງ", {"Nguyễn Thị Hướng", "Trần Thị Hương"}),  # Lao script, read huong
        ("香", {"Nguyễn Thị Hướng", "Trần Thị Hương"}),  # Hán-Việt hương
        ("Lan", {"Phạm Thị Lan"}),
    ],
)
def test_one_word_in_any_script_finds_every_name_with_it(
    app, client, auth, records, query, expected
):
    auth.login("qt.liaison")
    response, page = search(client, query)
    assert response.status_code == 200
    found = results(page)
    assert expected <= set(found)
    if query == "Nguyễn":  # Nguyên: the same letters, other marks, after them
        assert found.index("Đỗ Văn Nguyên") >= len(expected)
    assert "Lê Văn Hùng" not in found[: len(expected)]  # sounds alike at most: after them


def test_a_word_as_written_comes_before_one_that_only_sounds_alike(app, client, auth, records):
    auth.login("qt.liaison")
    found = results(search(client, "Hương")[1])
    assert found[:2] == ["Trần Thị Hương", "Nguyễn Thị Hướng"] or set(found[:2]) == {
        "Trần Thị Hương",
        "Nguyễn Thị Hướng",
    }
    assert "Lê Văn Hùng" in found[2:]  # hùng sounds like hương to the index, ranked last
    page = search(client, "ເຮືອງ")[1]
    reading = translated(app, "vi", "read as %(reading)s", reading="huong")
    assert f"«ເຮືອງ»: {reading}" in page
    assert translated(app, "vi", "read as: %(reading)s", reading="huong") in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Nguy", "Nguyễn Thị Hướng"), ("Huo", "Trần Thị Hương"), ("guyễ", "Nguyễn Văn Bảy")],
)
def test_part_of_a_name_finds_the_names_containing_it(app, client, auth, records, query, expected):
    auth.login("qt.liaison")
    response, page = search(client, query)
    assert response.status_code == 200
    assert expected in results(page)
    assert translated(app, "vi", "part of the name") in page


def test_a_whole_name_in_any_order_still_comes_first(app, client, auth, records):
    auth.login("qt.liaison")
    for query in ("Nguyen Thi Huong", "Hướng Nguyễn Thị", "阮氏香", "Nguyen Thi Huonh"):
        assert results(search(client, query)[1])[0] == "Nguyễn Thị Hướng", query


def test_results_are_paged_and_counted(app, client, auth):
    with app.app_context():
        for number in range(25):
            register("qt.liaison", f"Nguyễn Thị {chr(ord('A') + number)}")
        db.session.commit()
    auth.login("qt.liaison")
    _response, first = search(client, "Nguyễn")
    assert len(results(first)) == 20
    count = translated_plural(
        app,
        "vi",
        "%(num)s record found for «%(query)s»",
        "%(num)s records found for «%(query)s»",
        25,
        query="Nguyễn",
    )
    assert count in first
    assert 'href="/search/people?q=Nguy%E1%BB%85n&amp;page=2"' in first
    _response, second = search(client, "Nguyễn", page=2)
    assert len(results(second)) == 5
    assert not set(results(first)) & set(results(second))


@pytest.mark.parametrize("page", ["-1", "0", str(10**20), "abc", "1e3", "²"])
def test_a_bad_page_number_gets_a_clear_answer(app, client, auth, records, page):
    auth.login("qt.liaison")
    response, text = search(client, "Nguyễn", page=page)
    assert response.status_code == 422
    assert 'class="error"' in text


def test_a_page_past_the_end_says_so(app, client, auth, records):
    auth.login("qt.liaison")
    response, text = search(client, "Nguyễn", page="99")
    assert response.status_code == 200
    assert results(text) == []
    assert translated(
        app, "vi", "There is no page %(page)s: the results for «%(query)s» fill %(pages)s pages.",
        page="99", query="Nguyễn", pages="1",
    ) in text  # fmt: skip


@pytest.mark.parametrize("query", ["x" * 201, "Nguy\x00ễn", "Hu\x07ong", "ເຮືອງ" * 60])
def test_bad_queries_get_a_clear_answer(app, client, auth, records, query):
    auth.login("qt.liaison")
    response, text = search(client, query)
    assert response.status_code == 422
    assert 'class="error"' in text


def test_nothing_found_says_what_was_searched_and_how_it_was_read(app, client, auth, records):
    auth.login("px.liaison")  # China's office: Vietnam's register is not theirs
    response, page = search(client, "香")
    assert response.status_code == 200 and results(page) == []
    nothing = "Nothing found for «%(query)s» (read as: %(reading)s) in the records you may see."
    assert translated(app, "zh", nothing, query="香", reading="huong, xiang") in page
    auth.logout()
    auth.login("qt.liaison")
    page = search(client, "Zzyzx")[1]
    assert (
        translated(
            app, "vi", "Nothing found for «%(query)s» in the records you may see.", query="Zzyzx"
        )
        in page
    )


def test_another_offices_people_are_not_found(app, client, auth, records):
    auth.login("qt.liaison")
    assert "Hoàng Thị Kiều" not in results(search(client, "Kiều")[1])  # Lạng Sơn's case
    auth.logout()
    auth.login("svk.liaison")  # Laos sees neither Vietnam's register nor its cases
    assert results(search(client, "ເຮືອງ")[1]) == []
    assert results(search(client, "Nguy")[1]) == []
    auth.logout()
    auth.login("ls.liaison")
    assert results(search(client, "Kiều")[1]) == ["Hoàng Thị Kiều"]


def test_the_search_is_audited_with_what_it_showed(app, client, auth, records):
    auth.login("qt.liaison")
    search(client, "Lan")
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "person.search")
        ).one()
        assert entry.details["query"] == "Lan"
        assert len(entry.details["found"]) == 1 and entry.details["found"][0][0] == "missing"


MANY_CHARACTERS = "".join(chr(0x4E00 + number) for number in range(200))
MANY_WORDS = "An Bình Chi Dũng Giang Hà Khánh Linh Minh Nga Oanh Phúc"


@pytest.mark.parametrize(
    "query",
    ["%", "_", "a", "'\"<script>", "-- ;", "🙂", "ǅ", "阮氏香" * 66, MANY_CHARACTERS, MANY_WORDS],
)
def test_odd_queries_get_a_page_not_an_error(app, client, auth, records, query):
    auth.login("qt.liaison")
    response, text = search(client, query)
    assert response.status_code == 200
    assert "<script>" not in text.split('id="people-search"')[1]
    only = translated(app, "vi", "Only the first %(count)s words were searched.", count=8)
    assert (only in text) == (query in (MANY_CHARACTERS, MANY_WORDS))

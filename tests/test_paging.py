"""A supervisor's case and request lists, read office by office (core.paging), list exactly
what the whole sorted query lists, page by page; a single office's lists are the plain
query with LIMIT and OFFSET; both are counted up to a cap."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from coordination.cases import queries as case_queries
from coordination.cases.models import Case
from coordination.core import paging
from coordination.directory.models import Office
from coordination.exchange import queries as request_queries
from coordination.exchange.models import Request
from coordination.extensions import db
from tests.conftest import login_client, translated, user_named

PER_PAGE = 4
STATES = ("sent", "acknowledged", "closed", "answered", "information_requested", "declined")


def _offices(province_of: str) -> list[Office]:
    own = db.session.scalar(select(Office).where(Office.code == province_of))
    return list(db.session.scalars(select(Office).where(Office.province_id == own.province_id)))


@pytest.fixture
def province(app):
    """Cases and requests spread over the Quang Tri offices: shared opening days (the order
    falls back on the id), requests in every state, some without a deadline."""
    with app.app_context():
        author = user_named("qt.liaison")
        offices = _offices("QT-BLO")
        partner = db.session.scalar(select(Office).where(Office.code == "SVK-BLO"))
        base = datetime(2026, 11, 1, 8, tzinfo=UTC)
        for n in range(37):
            office = offices[n % len(offices)]
            db.session.add(
                Case(
                    office_id=office.id,
                    number=f"PG-{n:03d}",
                    title="Paging",
                    status="closed" if n % 3 == 0 else "open",
                    opened_on=date(2026, 10, 1) + timedelta(days=(n // 3) % 4),
                    created_by_id=author.id,
                )
            )
        for n in range(73):
            office = offices[(n // 2) % len(offices)]
            state = STATES[n % len(STATES)]
            sender, recipient = (office, partner) if n % 4 in (1, 2) else (partner, office)
            db.session.add(
                Request(
                    kind="identity_verification",
                    state=state,
                    sender_office_id=sender.id,
                    recipient_office_id=recipient.id,
                    subject=f"Paging {n}",
                    created_by_id=author.id,
                    sent_at=base,
                    # Some awaiting an answer share a deadline, some have none.
                    deadline_at=None if n % 7 == 0 else base + timedelta(days=(n // 5) % 3),
                    search_text="mekong ferry" if n % 3 == 0 else "road",
                )
            )
        db.session.commit()
    app.config["PAGE_SIZE"] = PER_PAGE
    return app


def _all_ids(query) -> list[int]:
    return [row.id for row in db.session.scalars(query).unique()]


def _check_pages(query) -> int:
    """Pages 1, 2 and the last (and one past it) of ``query`` read office by office list the
    whole query's ids at those offsets; the totals agree. Returns the number of rows."""
    assert paging.SCOPE in query.get_execution_options()
    everything = _all_ids(query)
    pages = max(1, -(-len(everything) // PER_PAGE))
    for number in sorted({1, 2, pages, pages + 1}):
        page = paging.merged_page(query, number, PER_PAGE)
        expected = everything[(number - 1) * PER_PAGE : number * PER_PAGE]
        assert [row.id for row in page.items] == expected, number
        assert (page.total, page.pages) == (len(everything), pages if everything else 0)
        assert not page.more
        assert page.has_next == (number < pages)
        assert page.has_prev == (number > 1)
    return len(everything)


def test_a_supervisors_cases_page_by_page_as_the_whole_list(province):
    with province.app_context():
        supervisor = user_named("qt.supervisor")
        assert _check_pages(case_queries.search_cases(supervisor)) == len(
            _all_ids(case_queries.search_cases(supervisor))
        )
        assert _check_pages(case_queries.search_cases(supervisor, status="closed")) > PER_PAGE
        assert _check_pages(case_queries.search_cases(supervisor, "PG-01")) == 10
        _check_pages(case_queries.search_cases(supervisor, status="handed_over"))  # none


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"state": "closed"},
        {"overdue": True},
        {"q": "mekong"},
        {"kind": "identity_verification", "q": "road"},
        {"partner": "SVK-BLO"},
    ],
)
@pytest.mark.parametrize("box", ["inbox", "outbox"])
def test_a_supervisors_requests_page_by_page_as_the_whole_list(province, box, filters):
    with province.app_context():
        supervisor = user_named("qt.supervisor")
        if "partner" in filters:
            code = filters["partner"]
            filters = {"partner": db.session.scalar(select(Office.id).where(Office.code == code))}
        base = getattr(request_queries, box)(supervisor)
        assert _check_pages(request_queries.filtered(base, **filters)) > PER_PAGE


def _listed(html: str, prefix: str) -> list[int]:
    return [int(found) for found in re.findall(rf'href="{prefix}(\d+)"', html)]


def test_the_supervisors_pages_list_the_sorted_cases_and_requests(province):
    client = login_client(province, "qt.supervisor")
    with province.app_context():
        supervisor = user_named("qt.supervisor")
        cases = _all_ids(case_queries.search_cases(supervisor))
        inbox = _all_ids(request_queries.filtered(request_queries.inbox(supervisor)))
    for path, prefix, everything in (
        ("/cases/", "/cases/", cases),
        ("/requests/inbox", "/requests/", inbox),
    ):
        last = -(-len(everything) // PER_PAGE)
        for number in (1, 2, last):
            response = client.get(f"{path}?page={number}")
            assert response.status_code == 200
            expected = everything[(number - 1) * PER_PAGE : number * PER_PAGE]
            assert _listed(response.get_data(as_text=True), prefix) == expected
            assert f"page={number + 1}" in response.get_data(as_text=True) or number == last
        for wrong in ("-3", "0", "abc", "99999999999999999999", str(10**5)):
            response = client.get(f"{path}?page={wrong}")
            assert response.status_code == 200
            listed = _listed(response.get_data(as_text=True), prefix)
            assert listed in ([], everything[:PER_PAGE]), wrong


def test_a_single_offices_list_is_the_plain_query(province):
    """qt.liaison's lists are not read office by office: the query's own rows at its offset."""
    with province.test_request_context("/cases/?page=2"):
        liaison = user_named("qt.liaison")
        for query in (
            case_queries.search_cases(liaison),
            request_queries.filtered(request_queries.inbox(liaison)),
            request_queries.filtered(request_queries.outbox(liaison)),
        ):
            assert paging.SCOPE not in query.get_execution_options()
            page = paging.paginate(query)
            assert page.total == len(_all_ids(query)) and not page.more
            assert [row.id for row in page.items] == _all_ids(query)[PER_PAGE : 2 * PER_PAGE]
            assert page.items


def test_a_province_list_past_the_count_cap_reads_page_of_n_plus(province, monkeypatch):
    """Counting stops at COUNT_CAP rows: the supervisor reads "Page 1 of 3+" and can still
    page on to the very last row; so does the liaison of a single office, and a list
    shorter than the cap is counted exactly."""
    monkeypatch.setattr(paging, "COUNT_CAP", 2 * PER_PAGE + 1)  # 3 pages counted
    client = login_client(province, "qt.supervisor")
    with province.app_context():
        supervisor = user_named("qt.supervisor")
        everything = _all_ids(request_queries.filtered(request_queries.inbox(supervisor)))
    last = -(-len(everything) // PER_PAGE)
    assert last > 4
    first = client.get("/requests/inbox").get_data(as_text=True)
    assert translated(province, "vi", "Page %(page)s of %(pages)s", page=1, pages=3) + "+" in first
    assert 'href="/requests/inbox?page=2"' in first
    final = client.get(f"/requests/inbox?page={last}").get_data(as_text=True)
    assert _listed(final, "/requests/") == everything[(last - 1) * PER_PAGE :]
    past = client.get(f"/requests/inbox?page={last + 1}").get_data(as_text=True)
    assert _listed(past, "/requests/") == []
    assert f"page={last + 2}" not in past

    liaison = login_client(province, "qt.liaison")
    with province.app_context():
        own = _all_ids(request_queries.filtered(request_queries.inbox(user_named("qt.liaison"))))
    monkeypatch.setattr(paging, "COUNT_CAP", PER_PAGE + 1)  # 2 pages counted
    assert len(own) > paging.COUNT_CAP
    text = liaison.get("/requests/inbox").get_data(as_text=True)
    assert translated(province, "vi", "Page %(page)s of %(pages)s", page=1, pages=2) + "+" in text
    last = -(-len(own) // PER_PAGE)
    final = liaison.get(f"/requests/inbox?page={last}").get_data(as_text=True)
    assert _listed(final, "/requests/") == own[(last - 1) * PER_PAGE :]

    monkeypatch.setattr(paging, "COUNT_CAP", len(own))  # just counted: exact, no "+"
    text = liaison.get("/requests/inbox").get_data(as_text=True)
    counted = translated(province, "vi", "Page %(page)s of %(pages)s", page=1, pages=last)
    assert counted in text
    assert counted + "+" not in text

"""Every figure of a report checked against the data set of helpers.build(), counted by hand
(the comments name the records counted)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from coordination.directory.operations import find_partnership
from coordination.extensions import db
from coordination.reports import figures
from coordination.reports.compare import rows
from coordination.reports.periods import Period
from coordination.reports.protect import HIDDEN, SMALL, group, protect
from coordination.reports.protect import trend as protect_trend
from coordination.reports.scopes import ALL, office_scope, partnership_scope, province_scope
from tests.reports.helpers import build, office

Q3 = Period.quarter(2026, 3)


@pytest.fixture
def data(app_ctx):
    build()
    db.session.commit()
    return app_ctx


def test_every_figure_of_an_office_quarter(data):
    counted = figures.count_all(office_scope(office("QT-BLO").id), Q3)
    # Opened 10 July, 5 August, 30 September; closed: the August case and one opened in May.
    assert counted["cases"] == {"opened": 3, "closed": 2}
    assert counted["victims"] == {
        "total": 4,  # the suspect and the person found not a victim are not counted
        "by_sex": {"female": 2, "male": 1, "unknown": 1},
        # 15 at the opening (born August 2010); 17 estimated; 16 on the very day; born 1990.
        "by_age": {"under_16": 1, "16_17": 2, "adult": 1, "unknown": 0},
        "by_nationality": {"LA": 1, "VN": 2, "unknown": 1},
        "by_exploitation": {"forced_labour": 2, "forced_marriage": 1, "sexual": 2, "unknown": 1},
    }
    sent = counted["requests"]["sent"]
    # 1 and 5 July, 1 August, 1 September, and 00:30 on 1 July in Vietnam (17:30 UTC 30 June).
    assert sent["by_partner_kind"] == {
        "SLV-BLO|information": 1,
        "SVK-BLO|identity_verification": 2,
        "SVK-BLO|information": 2,
    }
    assert sent["answered_by_partner_kind"] == {
        "SLV-BLO|information": 1,
        "SVK-BLO|identity_verification": 2,
        "SVK-BLO|information": 0,
    }
    assert sent["on_time_by_partner_kind"] == {
        "SLV-BLO|information": 1,
        "SVK-BLO|identity_verification": 1,  # the other answered after 20 days (15 allowed)
        "SVK-BLO|information": 0,
    }
    assert (sent["total"], sent["answered"], sent["on_time"]) == (5, 3, 2)
    assert sent["on_time_rate"] == 0.4
    assert sent["median_reply_hours"] == 24.0  # of 10 h, 24 h, 480 h
    received = counted["requests"]["received"]
    assert received == {
        "total": 1,
        "answered": 1,
        "on_time": 1,
        "on_time_rate": 1.0,
        "median_reply_hours": 30.0,
        "by_partner_kind": {"SVK-BLO|rescue_assistance": 1},
        "answered_by_partner_kind": {"SVK-BLO|rescue_assistance": 1},
        "on_time_by_partner_kind": {"SVK-BLO|rescue_assistance": 1},
    }
    assert counted["verification"] == {
        "total": 2,
        "by_outcome": {"confirmed": 1, "not_confirmed": 1},
    }
    # Logged by QT-BLO in the quarter (Vietnam's days): 1 July, 3 August, 23:30 on 30
    # September; not the letter of 00:30 on 1 October, nor the fax of May, nor SVK-BLO's call.
    assert counted["contacts"] == {
        "total": 3,
        "urgent": 1,
        "by_channel": {"hotline": 2, "letter": 1},
        "by_direction": {"in": 1, "out": 2},
        "by_partner": {"SLV-BLO": 1, "SVK-BLO": 2},
    }
    # Two completed (2 + 1 people on the list handed over); one only scheduled.
    assert counted["handovers"] == {
        "total": 2,
        "people": 3,
        "by_gate": {"LAOBAO-DENSAVANH": 2},
        "people_by_gate": {"LAOBAO-DENSAVANH": 3},
    }
    # The office is no reintegration centre.
    assert counted["reintegration"] == {
        "people": 0,
        "services": 0,
        "services_by_type": {},
        "visits_done": 0,
        "visits_missed": 0,
    }
    assert counted["patrols"] == {"held": 1}  # the cancelled one not
    # Action items of QT-BLO due in the quarter: 3, one done by its day.
    assert counted["meetings"] == {"held": 1, "actions_due": 3, "actions_on_time": 1}


def test_province_partnership_and_everything(data):
    province = figures.count_all(province_scope(office("QT-BLO").province_id), Q3)
    assert province["cases"]["opened"] == 4  # and QT-PC's case of 20 July
    assert province["victims"]["total"] == 5
    assert province["reintegration"] == {
        "people": 2,  # in support since June; closed on 1 September
        "services": 2,
        "services_by_type": {"medical": 1, "psychological": 1},
        "visits_done": 2,  # 14 July, and 3 July (due in June)
        "visits_missed": 2,  # not made; made only in October
    }
    pair = find_partnership(office("QT-BLO").id, office("SVK-BLO").id)
    between = figures.count_all(partnership_scope(pair), Q3)
    assert between["requests"]["sent"]["total"] == 5  # the four of QT-BLO to SVK-BLO + theirs
    assert "SLV-BLO|information" not in between["requests"]["sent"]["by_partner_kind"]
    assert between["patrols"]["held"] == 1
    # Between the two: the calls each side shared with the other (not QT-BLO's own log).
    assert between["contacts"]["total"] == 2
    assert between["contacts"]["by_partner"] == {"QT-BLO": 1, "SVK-BLO": 1}
    assert province["contacts"]["total"] == 4  # and QT-PC's note
    assert province["contacts"]["by_channel"]["diplomatic_note"] == 1
    # Each office's own cases, victims and people in care were never sent to the other side.
    assert not {"cases", "victims", "reintegration"} & set(between)
    assert figures.trend(partnership_scope(pair), Q3)["cases_opened"] == []
    everything = figures.count_all(ALL, Q3)
    assert everything["cases"]["opened"] == 5
    assert everything["victims"]["total"] == 6
    assert everything["contacts"]["total"] == 5


def test_previous_period_and_last_year(data):
    snapshot = figures.snapshot(office_scope(office("QT-BLO").id), Q3)
    assert snapshot["previous_period"]["key"] == "2026-Q2"
    assert snapshot["last_year_period"]["key"] == "2025-Q3"
    assert snapshot["previous"]["cases"] == {"opened": 2, "closed": 0}
    assert snapshot["previous"]["requests"]["sent"]["total"] == 1  # 23:00 on 30 June
    assert snapshot["previous"]["handovers"]["people"] == 1
    assert snapshot["previous"]["contacts"]["by_channel"] == {"fax": 1}
    assert snapshot["last_year"]["victims"]["by_sex"] == {"male": 2}
    table = {row["key"]: row for row in rows(snapshot, protected=False)}
    opened = table["cases.opened"]
    assert (opened["current"], opened["previous"], opened["last_year"]) == (3, 2, 1)
    assert (opened["change_previous"], opened["change_last_year"]) == (1, 2)
    # The fax of quarter 2 is a channel counted in the previous period only: its row stays
    # with the section's other channels (one sheet, one table per section).
    keys = list(table)
    fax = keys.index("contacts.by_channel.fax")
    assert keys[fax - 1].startswith("contacts.by_channel.") and keys[fax + 1].startswith(
        "contacts."
    )
    female = table["victims.by_sex.female"]
    assert (female["group"], female["item"], female["last_year"]) == ("by_sex", "female", 0)
    # Protected: counts of 1 to 4 hidden, and the changes with them.
    shown = {row["key"]: row for row in rows(snapshot)}
    assert shown["cases.opened"]["current"] == SMALL
    assert shown["cases.opened"]["change_previous"] is None
    assert shown["reintegration.people"]["current"] == 0
    assert shown["requests.sent.on_time_rate"]["current"] == 0.4  # 5 sent
    assert shown["requests.received.on_time_rate"]["current"] is None  # of 1
    assert shown["requests.sent.median_reply_hours"]["current"] is None  # 3 answers


def test_small_counts_are_hidden_and_cannot_be_recovered_by_subtraction():
    assert group({"female": 3, "male": 10, "unknown": 20}) == {
        "female": SMALL,
        "male": HIDDEN,  # else 33 - 10 - 20 would give the 3
        "unknown": 20,
    }
    assert group({"a": 3, "b": 2, "c": 9}) == {"a": SMALL, "b": SMALL, "c": 9}
    assert group({"a": 0, "b": 7}) == {"a": 0, "b": 7}
    assert protect({"total": 4, "by_sex": {"female": 4}}) == {
        "total": SMALL,
        "by_sex": {"female": SMALL},
    }
    rng = random.Random(15)
    for _ in range(2000):
        cells = {
            str(i): rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 30]) for i in range(rng.randint(1, 6))
        }
        total = sum(cells.values())
        shown = protect({"total": total, "by_x": cells})
        hidden = [key for key, value in shown["by_x"].items() if value in (SMALL, HIDDEN)]
        if shown["total"] != SMALL:
            # The total minus the cells shown is never one hidden cell alone.
            assert len(hidden) != 1
        assert all(shown["by_x"][key] == value for key, value in cells.items() if key not in hidden)
        assert all(cells[key] >= 1 for key in hidden)


def test_a_month_of_the_trend_cannot_be_recovered_from_the_periods_totals():
    """The twelve months of a quarter's report: July to September are the quarter (its
    total is shown), April to June the previous quarter; a lone small month in either group
    takes another month of its group with it."""
    months = [f"2025-{m:02d}" for m in range(10, 13)] + [f"2026-{m:02d}" for m in range(1, 10)]
    quarter = {"start": "2026-07-01", "end": "2026-09-30"}
    previous = {"start": "2026-04-01", "end": "2026-06-30"}
    last_year = {"start": "2025-07-01", "end": "2025-09-30"}  # before the twelve months
    raw = [2, 9, 0, 0, 0, 0, 7, 3, 12, 3, 20, 6]
    snapshot = {
        "period": quarter,
        "previous_period": previous,
        "last_year_period": last_year,
        "trend": {"months": months, "cases_opened": raw, "requests_sent": [], "handovers": raw},
    }
    shown = protect_trend(snapshot)
    assert shown["months"] == months and shown["requests_sent"] == []
    # October's 2 stands alone (no total covers it); April–June: 3 hidden, 7 with it;
    # July–September: 3 hidden, 6 (the smallest other) with it.
    assert shown["cases_opened"] == [SMALL, 9, 0, 0, 0, 0, HIDDEN, SMALL, 12, SMALL, 20, HIDDEN]
    rng = random.Random(16)
    for _ in range(1000):
        raw = [rng.choice([0, 0, 1, 3, 5, 8, 40]) for _month in months]
        snapshot["trend"]["cases_opened"] = raw
        shown = protect_trend(snapshot)["cases_opened"]
        for first in (6, 9):  # each quarter's three months
            hidden = [i for i in range(first, first + 3) if shown[i] in (SMALL, HIDDEN)]
            assert len(hidden) != 1 or sum(raw[first : first + 3]) < 5
        assert all(shown[i] == raw[i] for i in range(12) if shown[i] not in (SMALL, HIDDEN))


def test_two_lanes_count_what_one_counts(data):
    """The requests and the trend counted on a second connection (lanes.py) give the same
    snapshot as every section counted on the caller's; uncommitted data keeps one lane."""
    from flask import current_app

    from tests.reports.helpers import add_case

    scope = office_scope(office("QT-BLO").id)
    both = figures.snapshot(scope, Q3)
    current_app.config["REPORT_LANES"] = False
    try:
        one = figures.snapshot(scope, Q3)
    finally:
        current_app.config["REPORT_LANES"] = True
    assert both == one and both["trend"]["requests_sent"][-3:] == [3, 1, 1]
    add_case("QT-BLO", date(2026, 9, 1))  # not committed: the second connection would miss it
    assert figures.snapshot(scope, Q3)["trend"]["cases_opened"][-1] == 2


def test_overlapping_periods_are_counted_apart(data):
    """A range longer than a year overlaps the same range a year before: each period's
    figures are still its own (counted in separate passes)."""
    scope = office_scope(office("QT-BLO").id)
    long = Period.range(date(2025, 7, 1), date(2026, 9, 30))
    snapshot = figures.snapshot(scope, long)
    assert snapshot["figures"] == figures.count_all(scope, long)
    assert snapshot["last_year"] == figures.count_all(scope, long.same_last_year())
    # 2025-08-01 and the 2026 cases up to 30 September (3 in Q3, 2 in Q2).
    assert snapshot["figures"]["cases"]["opened"] == 6
    assert snapshot["last_year"]["cases"]["opened"] == 1

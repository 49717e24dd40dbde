"""Small-count protection for figures that leave the office.

The rule (applied the same way to every report, on screen, in the API and in downloads):

1. Primary suppression: a count from 1 to 4 is shown as ``"<5"`` (0 is shown: nobody).
2. Secondary suppression: in a breakdown (a group of counts adding up to a total shown
   elsewhere, e.g. victims by sex, requests per partner and kind), if exactly one count is
   suppressed, the smallest other non-zero count of the group is shown as ``"≥5"``, so that
   the total minus the counts shown gives the sum of two hidden counts, never one of them.
   (A total of 1 to 4 is itself suppressed by rule 1, so a group with a single non-zero
   count never reveals it.)
3. Derived figures follow their counts: a rate is shown only when its denominator is 5 or
   more; a median reply time only when at least 5 answers were timed; a change from the
   previous period or last year only when both counts are shown exactly.
4. The monthly trend (twelve months up to the period's end): each month's count follows
   rule 1, and the months that lie wholly inside one of the report's periods form a
   breakdown of that period's total (cases opened, requests sent, handovers completed), so
   rule 2 applies to each such group of months, until no group has exactly one hidden month.

Stored reports keep the raw counts (the office's own data); protection is applied whenever
a report is shown or sent.
"""

from __future__ import annotations

from datetime import date, timedelta

SMALL = "<5"
HIDDEN = "≥5"
THRESHOLD = 5

# Derived figures and the count that must be 5 or more for them to be shown.
DERIVED = {"on_time_rate": "total", "median_reply_hours": "answered"}


def is_small(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < THRESHOLD


def cell(value):
    return SMALL if is_small(value) else value


def group(values: dict) -> dict:
    """A breakdown's counts, with primary and secondary suppression."""
    shown = {key: cell(value) for key, value in values.items()}
    suppressed = [key for key, value in values.items() if is_small(value)]
    if len(suppressed) == 1:
        others = [(value, key) for key, value in values.items() if value and key not in suppressed]
        if others:
            shown[min(others)[1]] = HIDDEN
    return shown


def protect(figures: dict) -> dict:
    """A copy of a figures dict (see figures.count_all) as it may leave the office."""
    out = {}
    for key, value in figures.items():
        if isinstance(value, dict) and value and all(isinstance(v, int) for v in value.values()):
            out[key] = group(value) if key.startswith("by_") or "_by_" in key else _each(value)
        elif isinstance(value, dict):
            out[key] = protect(value)
        elif key in DERIVED:
            basis = figures.get(DERIVED[key])
            out[key] = value if isinstance(basis, int) and basis >= THRESHOLD else None
        else:
            out[key] = cell(value)
    return out


def series(values: list, groups: list[list[int]]) -> list:
    """A series of counts (e.g. months) as it may leave the office, where each group of
    indexes adds up to a total shown elsewhere: rule 1 on each count, then rule 2 on each
    group, again until every group hides none or at least two of its non-zero counts (the
    groups may overlap)."""
    shown = [cell(value) for value in values]
    changed = True
    while changed:
        changed = False
        for indexes in groups:
            hidden = [i for i in indexes if values[i] and shown[i] in (SMALL, HIDDEN)]
            exact = [
                (values[i], i) for i in indexes if values[i] and shown[i] not in (SMALL, HIDDEN)
            ]
            if len(hidden) == 1 and exact:
                shown[min(exact)[1]] = HIDDEN
                changed = True
    return shown


def _months_within(months: list[str], period: dict | None) -> list[int]:
    """The indexes of the months ("2026-01") that lie wholly inside ``period`` (its dict)."""
    if not period:
        return []
    start, end = period["start"], period["end"]
    inside = []
    for index, month in enumerate(months):
        first = date.fromisoformat(f"{month}-01")
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        if start <= first.isoformat() and last.isoformat() <= end:
            inside.append(index)
    return inside


def trend(snapshot: dict) -> dict | None:
    """A stored report's monthly trend as it may leave the office (rule 4)."""
    months = (snapshot.get("trend") or {}).get("months")
    if not months:
        return None
    periods = ("period", "previous_period", "last_year_period")
    groups = [
        indexes
        for indexes in (_months_within(months, snapshot.get(key)) for key in periods)
        if indexes
    ]
    return {
        key: series(list(values), groups) if _counts(values, months) else list(values)
        for key, values in snapshot["trend"].items()
    }


def _counts(values, months) -> bool:
    """A series of counts, one per month (a partnership has no cases: an empty list)."""
    return len(values) == len(months) and all(isinstance(value, int) for value in values)


def leaving_the_office(snapshot: dict) -> dict:
    """A report's snapshot as it may leave the office: every figure protected, the monthly
    trend too (rule 4)."""
    periods = ("figures", "previous", "last_year")
    out = {
        **{key: value for key, value in snapshot.items() if key not in (*periods, "trend")},
        "protected": True,
        **{key: protect(snapshot[key]) for key in periods},
    }
    if snapshot.get("trend"):
        out["trend"] = trend(snapshot)
    return out


def _each(values: dict) -> dict:
    return {key: cell(value) for key, value in values.items()}

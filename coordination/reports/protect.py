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

Stored reports keep the raw counts (the office's own data); protection is applied whenever
a report is shown or sent.
"""

from __future__ import annotations

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


def leaving_the_office(snapshot: dict) -> dict:
    """A report's snapshot as it may leave the office: every figure protected, and without
    the monthly trend (its months add up to the periods' totals, so one small month could be
    worked out from them: it is shown to the office itself only)."""
    periods = ("figures", "previous", "last_year")
    return {
        **{key: value for key, value in snapshot.items() if key not in (*periods, "trend")},
        "protected": True,
        **{key: protect(snapshot[key]) for key in periods},
    }


def _each(values: dict) -> dict:
    return {key: cell(value) for key, value in values.items()}

"""Each figure beside the previous period's and the same period last year, with the change.

``rows(snapshot, protected=True)`` flattens a stored snapshot into rows, one per figure:
``{"section", "key", "group", "item", "current", "previous", "last_year",
"change_previous", "change_last_year"}``. ``key`` is the dotted path in the figures dict
(``victims.by_sex.female``), ``group`` the breakdown it belongs to (``by_sex``; None for a
figure of its own) and ``item`` its entry there (``female``). A change is current minus the
other, given only when both values are shown as numbers (see protect.py).
"""

from __future__ import annotations

from coordination.reports.protect import protect


def flatten(figures: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in figures.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


def _change(current, other):
    if isinstance(current, bool) or isinstance(other, bool):
        return None
    if isinstance(current, int) and isinstance(other, int):
        return current - other
    if isinstance(current, int | float) and isinstance(other, int | float):
        return round(current - other, 3)
    return None


def rows(snapshot: dict, *, protected: bool = True) -> list[dict]:
    shown = protect if protected else (lambda figures: figures)
    current = flatten(shown(snapshot["figures"]))
    previous = flatten(shown(snapshot["previous"]))
    last_year = flatten(shown(snapshot["last_year"]))
    keys = list(current)
    keys += [key for key in previous if key not in current]
    keys += [key for key in last_year if key not in current and key not in previous]
    # An entry counted in an earlier period only joins its own breakdown and section.
    first: dict[str, int] = {}
    for index, key in enumerate(keys):
        first.setdefault(key.split(".")[0], index)
        first.setdefault(key.rsplit(".", 1)[0], index)
    keys.sort(key=lambda key: (first[key.split(".")[0]], first[key.rsplit(".", 1)[0]]))
    result = []
    for key in keys:
        section, *rest = key.split(".")
        group = rest[-2] if len(rest) > 1 and "by_" in rest[-2] else None
        item = rest[-1]
        # A breakdown's entry missing from one period counted nothing then.
        default = 0 if group else None
        now = current.get(key, default)
        before = previous.get(key, default)
        year_ago = last_year.get(key, default)
        result.append(
            {
                "section": section,
                "key": key,
                "group": group,
                "item": item,
                "current": now,
                "previous": before,
                "last_year": year_ago,
                "change_previous": _change(now, before),
                "change_last_year": _change(now, year_ago),
            }
        )
    return result

"""Who may choose which scope (coordination/reports/policies.py), as a matrix written out by
hand: each demo user × each scope. T: may see it (and generate its report); .: not (404)."""

from __future__ import annotations

import pytest

from coordination.directory.operations import find_partnership
from coordination.reports import policies
from coordination.reports.scopes import ALL, office_scope, partnership_scope, province_scope
from tests.conftest import user_named
from tests.reports.helpers import office

SCOPES = ("QT-BLO", "QT-PC", "SVK-BLO", "prov:QT", "prov:LS", "QT~SVK", "LS~PX", "all")
MATRIX = {
    #                QT-BLO QT-PC SVK  pQT  pLS  QT~SVK LS~PX all
    "admin": "T     T     T    T    T    T      T     T",
    "qt.supervisor": "T     T     .    T    .    T      .     .",
    "qt.liaison": "T     .     .    .    .    T      .     .",
    "qt.social": ".     .     .    .    .    .      .     .",
    "qt.guard": ".     .     .    .    .    .      .     .",
    "ls.supervisor": ".     .     .    .    T    .      T     .",
    "svk.liaison": ".     .     T    .    .    T      .     .",
    "svk.supervisor": ".    .     T    .    .    T      .     .",
    "px.liaison": ".     .     .    .    .    .      T     .",
}


def _scope(name):
    if name == "all":
        return ALL
    if name.startswith("prov:"):
        return province_scope(office(f"{name[5:]}-BLO").province_id)
    if "~" in name:
        first, second = name.split("~")
        return partnership_scope(
            find_partnership(office(f"{first}-BLO").id, office(f"{second}-BLO").id)
        )
    return office_scope(office(name).id)


@pytest.mark.parametrize("username", sorted(MATRIX))
def test_scope_matrix(app_ctx, username):
    user = user_named(username)
    expected = dict(zip(SCOPES, MATRIX[username].split(), strict=True))
    decided = {name: "T" if policies.can_view_scope(user, _scope(name)) else "." for name in SCOPES}
    assert decided == expected
    # The choices offered are exactly the scopes the user may see.
    offered = policies.scopes_for(user)
    assert all(policies.can_view_scope(user, scope) for scope in offered)
    assert {name for name in SCOPES if any(scope.key == _scope(name).key for scope in offered)} == {
        name for name, value in expected.items() if value == "T"
    }
    assert policies.can_use_reports(user) == (username not in ("qt.social", "qt.guard"))

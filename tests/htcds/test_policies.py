"""Who may exchange HTCDS files: every role, written out by hand."""

from __future__ import annotations

import pytest

from coordination.htcds import policies

T, F = True, False


class Someone:
    """The two things the policies read of a user."""

    def __init__(self, roles, active=True):
        self.roles, self.is_active = roles, active

    def has_role(self, role) -> bool:
        return str(role) in self.roles


# fmt: off
MATRIX = {
    #                   export  identifiers  import  menu
    "liaison_officer": (T,      T,           T,      T),
    "social_worker":   (T,      F,           F,      T),
    "supervisor":      (T,      T,           F,      T),
    "border_guard":    (F,      F,           F,      F),
    "admin":           (F,      F,           F,      F),
}
# fmt: on


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_policy_matrix(role):
    user = Someone([role])
    got = (
        policies.can_export(user),
        policies.can_export_identifiers(user),
        policies.can_import(user),
        policies.can_use_htcds(user),
    )
    assert got == MATRIX[role]


def test_an_inactive_user_may_do_nothing():
    user = Someone(["liaison_officer", "supervisor"], active=False)
    assert not policies.can_use_htcds(user)
    assert not policies.can_export_identifiers(user)

"""Turning a policy's answer into a response.

Policies (``<feature>/policies.py``) answer "may this user do this to this object" with a
bool and are the only place that decides. ``require`` refuses; by default with 404 so that
an office cannot learn that someone else's record exists.
"""

from flask import abort


def require(allowed: bool, *, hide: bool = True) -> None:
    if not allowed:
        abort(404 if hide else 403)


def get_visible_or_404(model, record_id: int, may_view, user):
    """The record ``record_id`` of ``model`` if ``may_view(user, record)``, else 404: the same
    answer for a record that does not exist and one of another office (no existence oracle).
    Views and API load through this (via each feature's ``loaders.py``)."""
    from coordination.extensions import db

    found = db.session.get(model, record_id)
    require(found is not None and may_view(user, found))
    return found

"""Turning a policy's answer into a response.

Policies (``<feature>/policies.py``) answer "may this user do this to this object" with a
bool and are the only place that decides. ``require`` refuses; by default with 404 so that
an office cannot learn that someone else's record exists.
"""

from flask import abort


def require(allowed: bool, *, hide: bool = True) -> None:
    if not allowed:
        abort(404 if hide else 403)

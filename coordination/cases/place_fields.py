"""The two lists a form uses to pick a place on the whole map: provinces, then the places of
the chosen province. Thousands of communes are never sent at once; app.js refills the second
list when the province changes (GET /directory/areas/<id>/places), and without JavaScript
the list follows the province once the form is submitted."""

from __future__ import annotations

from flask import request
from werkzeug.datastructures import MultiDict

from coordination.directory.models import AdministrativeArea
from coordination.directory.queries import place_options, province_options
from coordination.extensions import db


def _chosen_id(name: str, record=None) -> int | None:
    raw = request.form.get(name) if request.method == "POST" else None
    if raw is None and record is not None:
        return getattr(record, name, None)
    try:
        value = int(raw or 0)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**31 else None


def home_place_options(record=None) -> dict:
    """``provinces`` and ``communes`` for a person's or a report's home place."""
    return {
        "provinces": province_options(),
        "communes": place_options(_chosen_id("home_province_id", record)),
    }


def _province_of(area_id: int | None) -> int | None:
    area = db.session.get(AdministrativeArea, area_id) if area_id else None
    seen = 0
    while area is not None and area.parent is not None and seen < 8:
        area, seen = area.parent, seen + 1
    return area.id if area is not None else None


def event_place_options(event=None) -> dict:
    """``provinces``, the ``province`` shown as chosen and its ``places`` for an event."""
    province = _chosen_id("area_province_id") or _province_of(_chosen_id("area_id", event))
    return {
        "provinces": province_options(),
        "province": province,
        "places": place_options(province),
    }


def event_form_data(form: MultiDict) -> MultiDict:
    """A province alone stands for the event's place when no place within it is chosen."""
    if form.get("area_id") or not form.get("area_province_id"):
        return form
    data = form.copy()
    data["area_id"] = form["area_province_id"]
    return data

"""What the matching feature sets up in a new app: the name index follows the records, and
a confirmed match marks the missing-person report it names as found (withdrawn: missing again).

The receivers are module-level functions (blinker holds weak references) and connecting
one again is harmless, so ``init_app`` may run for every app a process builds.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask

from coordination.cases.operations import mark_found_by_match, withdraw_found_by_match
from coordination.core.signals import (
    area_changed,
    match_confirmed,
    match_withdrawn,
    missing_report_saved,
    person_saved,
)
from coordination.matching import panels
from coordination.matching.operations import index_name, reindex_home_place
from coordination.matching.places import forget_places

# A place's names that its people's place keys hold (see index.place_keys).
KEYED_NAMES = frozenset({"name_en", "name_vi"})


def index_person(person, **_extra) -> None:
    index_name("person", person)


def index_missing_report(report, **_extra) -> None:
    index_name("missing", report)


def follow_place(area, *, created: bool, fields=frozenset(), **_extra) -> None:
    forget_places()
    if not created and fields & KEYED_NAMES:
        reindex_home_place(area.id)  # records' place keys hold the place's name


def _today(actor):
    """The day on the actor's wall clock (the date the family will be told about)."""
    try:
        zone = ZoneInfo(actor.timezone or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.now(zone).date()


def found_by_match(decision, *, request_person, record_kind: str, record, actor, **_extra):
    if record_kind == "missing":
        mark_found_by_match(
            record,
            request_id=request_person.request_id,
            request_person_id=request_person.id,
            request_reference=request_person.request.reference,
            decision_id=decision.id,
            found_on=_today(actor),
            actor=actor,
        )


def match_withdrawn_from(decision, *, request_person, record_kind: str, record, actor, **_extra):
    if record_kind == "missing":
        withdraw_found_by_match(
            record,
            request_person_id=request_person.id,
            request_reference=request_person.request.reference,
            actor=actor,
        )


def init_app(app: Flask) -> None:
    person_saved.connect(index_person)
    missing_report_saved.connect(index_missing_report)
    area_changed.connect(follow_place)
    match_confirmed.connect(found_by_match)
    match_withdrawn.connect(match_withdrawn_from)
    panels.register(app)  # the candidates on a request's page (see matching/panels.py)

"""What the matching feature sets up in a new app: the name index follows the records.

The receivers are module-level functions (blinker holds weak references) and connecting
one again is harmless, so ``init_app`` may run for every app a process builds.
"""

from __future__ import annotations

from flask import Flask

from coordination.core.signals import area_changed, missing_report_saved, person_saved
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


def init_app(app: Flask) -> None:
    person_saved.connect(index_person)
    missing_report_saved.connect(index_missing_report)
    area_changed.connect(follow_place)
    panels.register(app)  # the candidates on a request's page (see matching/panels.py)

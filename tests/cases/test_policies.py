"""The case access matrix: every role × every action × the actor's office's relation to it.

The policy functions of coordination/cases/policies.py (and the attachments rule cases
registers for a case's files and people's photos) are called directly. The tables are the
specification, written out by hand from what the code decides today.

The case, its people, its files and the register entry all belong to QT-BLO (Quảng Trị). An
actor holds one role and works at the office of one relation:

- own:        QT-BLO, the office that opened the case (or made the register entry)
- province:   QT-SC, the steering committee of the same province (supervisors sit here)
- other_prov: LS-BLO, Lạng Sơn: same country, another province
- partner:    SVK-BLO, Savannakhet, QT-BLO's partner across the border
- foreign:    PX-BLO, on the Chinese side, no partnership
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from coordination.attachments.models import Document
from coordination.attachments.policies import can_view_document
from coordination.cases import operations
from coordination.cases import policies as case_policies
from coordination.cases.models import Case, MissingPersonReport, Person
from coordination.cases.queries import visible_cases, visible_missing_reports
from coordination.extensions import db
from tests.conftest import user_named
from tests.exchange.helpers import make_case
from tests.matching.helpers import register
from tests.policy_matrix import (
    ROLE_NAMES,
    ROLES,
    F,
    T,
    check_tables,
    make_actors,
    make_deactivated,
    module_database,
    object_cases,
    objectless_cases,
    user,
)

RELATIONS = ("own", "province", "other_prov", "partner", "foreign")
RELATION_OFFICE = {
    "own": "QT-BLO",
    "province": "QT-SC",
    "other_prov": "LS-BLO",
    "partner": "SVK-BLO",
    "foreign": "PX-BLO",
}
WHERE = {
    "own": "of the case's office",
    "province": "elsewhere in the case's province",
    "other_prov": "of another province of the same country",
    "partner": "of the partner office across the border",
    "foreign": "of an unrelated office abroad",
}

# --- The specification -----------------------------------------------------------------------

# fmt: off
OBJECTLESS_MATRIX = {
    "open a case": {
        "liaison_officer": T, "border_guard": F, "social_worker": F, "supervisor": F, "admin": F,
    },
    "report a missing person": {
        "liaison_officer": T, "border_guard": F, "social_worker": F, "supervisor": F, "admin": F,
    },
}

# role → allowed for (own, province, other_prov, partner, foreign)
OBJECT_MATRIX = {
    "see a case": {
        #                    own prov other partner foreign
        "liaison_officer":  (T,  F,   F,    F,      F),
        "border_guard":     (T,  F,   F,    F,      F),
        "social_worker":    (T,  F,   F,    F,      F),
        "supervisor":       (T,  T,   F,    F,      F),
        "admin":            (F,  F,   F,    F,      F),  # need to know: no case files
    },
    "edit a case": {
        "liaison_officer":  (T,  F,   F,    F,      F),
        "border_guard":     (F,  F,   F,    F,      F),
        "social_worker":    (F,  F,   F,    F,      F),
        "supervisor":       (F,  F,   F,    F,      F),
        "admin":            (F,  F,   F,    F,      F),
    },
    "see a person of a case": {
        "liaison_officer":  (T,  F,   F,    F,      F),
        "border_guard":     (T,  F,   F,    F,      F),
        "social_worker":    (T,  F,   F,    F,      F),
        "supervisor":       (T,  T,   F,    F,      F),
        "admin":            (F,  F,   F,    F,      F),
    },
    "edit a person of a case": {
        "liaison_officer":  (T,  F,   F,    F,      F),
        "border_guard":     (F,  F,   F,    F,      F),
        "social_worker":    (F,  F,   F,    F,      F),
        "supervisor":       (F,  F,   F,    F,      F),
        "admin":            (F,  F,   F,    F,      F),
    },
    # Child protection: a child's photo, exact address and relatives' contacts.
    "see a child's photo, address and contacts": {
        "liaison_officer":  (T,  F,   F,    F,      F),
        "border_guard":     (F,  F,   F,    F,      F),
        "social_worker":    (T,  F,   F,    F,      F),
        "supervisor":       (T,  T,   F,    F,      F),
        "admin":            (F,  F,   F,    F,      F),
    },
    "download a scan of a case": {
        "liaison_officer":  (T,  F,   F,    F,      F),
        "border_guard":     (T,  F,   F,    F,      F),
        "social_worker":    (T,  F,   F,    F,      F),
        "supervisor":       (T,  T,   F,    F,      F),
        "admin":            (F,  F,   F,    F,      F),
    },
    "download a child's photo": {
        "liaison_officer":  (T,  F,   F,    F,      F),
        "border_guard":     (F,  F,   F,    F,      F),
        "social_worker":    (T,  F,   F,    F,      F),
        "supervisor":       (T,  T,   F,    F,      F),
        "admin":            (F,  F,   F,    F,      F),
    },
    "download an adult's photo": {
        "liaison_officer":  (T,  F,   F,    F,      F),
        "border_guard":     (T,  F,   F,    F,      F),
        "social_worker":    (T,  F,   F,    F,      F),
        "supervisor":       (T,  T,   F,    F,      F),
        "admin":            (F,  F,   F,    F,      F),
    },
    # The missing-person register serves identity verification across the country.
    "see a missing-person register entry": {
        "liaison_officer":  (T,  T,   T,    F,      F),
        # QUESTION: the social workers of the office that made the entry (and its border
        # guards) do not see it, though they see that office's cases.
        "border_guard":     (F,  F,   F,    F,      F),
        "social_worker":    (F,  F,   F,    F,      F),
        # QUESTION: a supervisor of any province of the country sees every entry (the
        # liaison officers need it for verification; supervisors only oversee their province).
        "supervisor":       (T,  T,   T,    F,      F),
        "admin":            (F,  F,   F,    F,      F),
    },
    "edit a missing-person register entry": {
        "liaison_officer":  (T,  F,   F,    F,      F),
        "border_guard":     (F,  F,   F,    F,      F),
        "social_worker":    (F,  F,   F,    F,      F),
        # A supervisor of the province may correct an entry, though not a case.
        "supervisor":       (T,  T,   F,    F,      F),
        "admin":            (F,  F,   F,    F,      F),
    },
}
# fmt: on

# action → (object, how it is asked)
OBJECT_ACTIONS = {
    "see a case": ("case", case_policies.can_view_case),
    "edit a case": ("case", case_policies.can_edit_case),
    "see a person of a case": ("adult", case_policies.can_view_person),
    "edit a person of a case": ("adult", case_policies.can_edit_person),
    "see a child's photo, address and contacts": (
        "child",
        case_policies.can_see_protected_details,
    ),
    "download a scan of a case": ("scan", can_view_document),
    "download a child's photo": ("child_photo", can_view_document),
    "download an adult's photo": ("adult_photo", can_view_document),
    "see a missing-person register entry": ("report", case_policies.can_view_missing),
    "edit a missing-person register entry": ("report", case_policies.can_edit_missing),
}
OBJECTLESS_ACTIONS = {
    "open a case": case_policies.can_open_case,
    "report a missing person": case_policies.can_report_missing,
}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MODELS = {
    "case": Case,
    "adult": Person,
    "child": Person,
    "scan": Document,
    "child_photo": Document,
    "adult_photo": Document,
    "report": MissingPersonReport,
}


# --- The world the matrix is asked about -----------------------------------------------------


@dataclass
class World:
    actors: dict[tuple[str, str], int]  # (role, relation) → user id
    deactivated: dict[str, int]  # role → user id, at the case's office
    objects: dict[str, int]  # name → id (see MODELS)

    def target(self, name: str):
        return db.session.get(MODELS[name], self.objects[name])


def _build_objects() -> dict[str, int]:
    actor = user_named("qt.liaison")
    case, adult, _relative = make_case()
    child = operations.add_person(
        case,
        {
            "role": "victim",
            "name_as_written": "Hồ Thị Mai",
            "sex": "female",
            "date_of_birth": date(2012, 3, 4),
            "home_address": "Bản Ka Tăng, xã Hướng Lập",
            "relatives_contacts": "Cha: 0913 222 333",
        },
        actor=actor,
    )
    assert child.is_child() and not adult.is_child()
    (scan,) = operations.attach_to_case(case, [(PDF, "application/pdf", "ho-so.pdf")], actor=actor)
    child_photo = operations.set_photo(child, PNG, "image/png", "mai.png", actor=actor)
    adult_photo = operations.set_photo(adult, PNG, "image/png", "huong.png", actor=actor)
    report = register("qt.liaison", "Lê Thị Hoa", "Le Thi Hoa", date(2000, 1, 2))
    return {
        "case": case.id,
        "adult": adult.id,
        "child": child.id,
        "scan": scan.id,
        "child_photo": child_photo.id,
        "adult_photo": adult_photo.id,
        "report": report.id,
    }


@pytest.fixture(scope="module")
def world(database_template, tmp_path_factory):
    with module_database(database_template, tmp_path_factory, "case-policies"):
        actors = make_actors(RELATION_OFFICE)
        deactivated = make_deactivated("QT-BLO")
        objects = _build_objects()
        db.session.commit()
        yield World(actors, deactivated, objects)


# --- The matrix ------------------------------------------------------------------------------

OBJECT_CASES = object_cases(OBJECT_MATRIX, RELATIONS, WHERE)
OBJECTLESS_CASES = objectless_cases(OBJECTLESS_MATRIX, "of any office")
ACTORS = [
    pytest.param(role, relation, id=f"{ROLE_NAMES[role]} {WHERE[relation]}")
    for role in ROLES
    for relation in RELATIONS
]


def test_the_tables_cover_every_role_action_and_relation():
    check_tables(OBJECT_MATRIX, OBJECT_ACTIONS, RELATIONS)
    check_tables(OBJECTLESS_MATRIX, OBJECTLESS_ACTIONS, None)
    assert len(OBJECT_CASES) == len(OBJECT_ACTIONS) * len(ROLES) * len(RELATIONS)


@pytest.mark.parametrize(("action", "role", "allowed"), OBJECTLESS_CASES)
def test_objectless_action(world, action, role, allowed):
    for relation in RELATIONS:  # the office does not matter
        actor = user(world.actors[(role, relation)])
        assert OBJECTLESS_ACTIONS[action](actor) is allowed, relation


@pytest.mark.parametrize(("action", "role", "relation", "allowed"), OBJECT_CASES)
def test_action_on_case(world, action, role, relation, allowed):
    name, policy = OBJECT_ACTIONS[action]
    actor = user(world.actors[(role, relation)])
    assert policy(actor, world.target(name)) is allowed


@pytest.mark.parametrize(("role", "relation"), ACTORS)
def test_the_lists_show_what_the_policies_allow(world, role, relation):
    """The case list and the register list of each actor agree with the view policies."""
    actor = user(world.actors[(role, relation)])
    case_id, report_id = world.objects["case"], world.objects["report"]
    listed_case = case_id in set(
        db.session.scalars(visible_cases(actor).with_only_columns(Case.id))
    )
    listed_report = report_id in set(
        db.session.scalars(visible_missing_reports(actor).with_only_columns(MissingPersonReport.id))
    )
    assert listed_case is case_policies.can_view_case(actor, world.target("case"))
    assert listed_report is case_policies.can_view_missing(actor, world.target("report"))


@pytest.mark.parametrize("role", ROLES)
def test_a_deactivated_user_of_the_case_office_is_refused_everything(world, role):
    actor = user(world.deactivated[role])
    assert actor.is_active is False
    answers = {action: policy(actor) for action, policy in OBJECTLESS_ACTIONS.items()}
    for action, (name, policy) in OBJECT_ACTIONS.items():
        answers[action] = policy(actor, world.target(name))
    assert answers == dict.fromkeys(answers, False)


def test_a_childs_replaced_photo_stays_out_of_reach(world):
    """A child's earlier photo leaves the case's files when a new one replaces it: no one
    reaches it through the case (it was an ordinary file there before, open to guards)."""
    guard = user(world.actors[("border_guard", "own")])
    assert not can_view_document(guard, world.target("child_photo"))
    old_photo_id = world.objects["child_photo"]
    child = world.target("child")
    try:
        operations.set_photo(child, PNG, "image/png", "mai-2.png", actor=user_named("qt.liaison"))
        db.session.flush()
        old_photo = db.session.get(Document, old_photo_id)
        assert not can_view_document(guard, old_photo)
        assert not can_view_document(user(world.actors[("liaison_officer", "own")]), old_photo)
    finally:
        db.session.rollback()
    assert db.session.scalar(select(Person.photo_id).where(Person.id == child.id)) == old_photo_id

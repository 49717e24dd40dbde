"""The joint patrol access matrix: every role × every action × the actor's office's relation.

The policy functions of coordination/patrols/policies.py are called directly; the tables are
the specification, written out by hand.

The Hữu Nghị border guard station (LS-BGS-HN, Lạng Sơn) proposed a patrol on markers
601 – 605 to its partner, the Youyiguan station (PX-BGS, Guangxi). An actor holds one role
and works at the office of one relation:

- proposing:        LS-BGS-HN, the office that proposed
- partner:          PX-BGS, the partner office asked to confirm
- province:         LS-SC, another office of the proposing province
- partner_province: PX-BLO, another office of the partner's region (Guangxi)
- unrelated:        QT-BLO, an office of another province with no part in it

Three patrols: one proposed (awaiting the partner's answer), one confirmed, and one
confirmed, started and reported by the proposing office with one person rescued.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from coordination.extensions import db
from coordination.patrols import operations
from coordination.patrols import policies as patrol_policies
from coordination.patrols.models import Patrol, PatrolReport, PatrolStep
from coordination.patrols.queries import visible_patrols
from tests.conftest import user_named
from tests.patrols.helpers import confirmed_patrol, proposed_patrol, started
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

RELATIONS = ("proposing", "partner", "province", "partner_province", "unrelated")
RELATION_OFFICE = {
    "proposing": "LS-BGS-HN",
    "partner": "PX-BGS",
    "province": "LS-SC",
    "partner_province": "PX-BLO",
    "unrelated": "QT-BLO",
}
WHERE = {
    "proposing": "of the proposing office",
    "partner": "of the partner office",
    "province": "of another office of the proposing province",
    "partner_province": "of another office of the partner's region",
    "unrelated": "of an unrelated office",
}

# --- The specification -----------------------------------------------------------------------

# fmt: off
OBJECTLESS_MATRIX = {
    "propose joint patrols": {
        "liaison_officer": T, "border_guard": T, "social_worker": F, "supervisor": F, "admin": F,
    },
    "open the joint patrols page": {
        "liaison_officer": T, "border_guard": T, "social_worker": F, "supervisor": T, "admin": F,
    },
}

# role → allowed for (proposing, partner, province, partner_province, unrelated)
_SEEN = {
    #                    prop part prov pprov unrel
    "liaison_officer":  (T,   T,   F,   F,    F),
    "border_guard":     (T,   T,   F,   F,    F),
    "social_worker":    (T,   T,   F,   F,    F),
    # Supervisors oversee their province's offices, on either side.
    "supervisor":       (T,   T,   T,   T,    F),
    # QUESTION: an administrator working at a party office sees the patrol (no names of
    # people on it: those stay with the cases).
    "admin":            (T,   T,   F,   F,    F),
}
_PARTNER_ARRANGES = {
    "liaison_officer":  (F,   T,   F,   F,    F),
    "border_guard":     (F,   T,   F,   F,    F),
    "social_worker":    (F,   F,   F,   F,    F),
    "supervisor":       (F,   F,   F,   F,    F),
    "admin":            (F,   F,   F,   F,    F),
}
_EITHER_SIDE_ARRANGES = {
    "liaison_officer":  (T,   T,   F,   F,    F),
    "border_guard":     (T,   T,   F,   F,    F),
    "social_worker":    (F,   F,   F,   F,    F),
    "supervisor":       (F,   F,   F,   F,    F),
    "admin":            (F,   F,   F,   F,    F),
}
_PROPOSER_CASE_READERS = {
    "liaison_officer":  (T,   F,   F,   F,    F),
    "border_guard":     (T,   F,   F,   F,    F),
    "social_worker":    (T,   F,   F,   F,    F),
    "supervisor":       (T,   F,   F,   F,    F),
    "admin":            (F,   F,   F,   F,    F),
}
_NOBODY = {role: (F,) * len(RELATIONS) for role in ROLES}

OBJECT_MATRIX = {
    "see a proposed patrol": _SEEN,
    "see a completed patrol and both reports": _SEEN,
    "confirm a proposed patrol": _PARTNER_ARRANGES,
    "decline a proposed patrol": _PARTNER_ARRANGES,
    "propose another time for a proposed patrol": _PARTNER_ARRANGES,
    "cancel a proposed patrol": _EITHER_SIDE_ARRANGES,
    "propose another time for a confirmed patrol": _EITHER_SIDE_ARRANGES,
    "confirm a confirmed patrol again": _NOBODY,
    "confirm a completed patrol": _NOBODY,
    "cancel a completed patrol": _NOBODY,
    "report the outcome of a confirmed patrol": _EITHER_SIDE_ARRANGES,
    "report the outcome of a proposed patrol": _NOBODY,
    "see who the proposing office rescued": _PROPOSER_CASE_READERS,
}
# fmt: on


def _step(step):
    return lambda user, patrol: patrol_policies.can_take_step(user, patrol, step)


OBJECT_ACTIONS = {
    "see a proposed patrol": ("proposed", patrol_policies.can_view_patrol),
    "see a completed patrol and both reports": ("completed", patrol_policies.can_view_patrol),
    "confirm a proposed patrol": ("proposed", _step(PatrolStep.CONFIRM)),
    "decline a proposed patrol": ("proposed", _step(PatrolStep.DECLINE)),
    "propose another time for a proposed patrol": ("proposed", _step(PatrolStep.COUNTER)),
    "cancel a proposed patrol": ("proposed", _step(PatrolStep.CANCEL)),
    "propose another time for a confirmed patrol": ("confirmed", _step(PatrolStep.COUNTER)),
    "confirm a confirmed patrol again": ("confirmed", _step(PatrolStep.CONFIRM)),
    "confirm a completed patrol": ("completed", _step(PatrolStep.CONFIRM)),
    "cancel a completed patrol": ("completed", _step(PatrolStep.CANCEL)),
    "report the outcome of a confirmed patrol": ("completed", patrol_policies.can_report),
    "report the outcome of a proposed patrol": ("proposed", patrol_policies.can_report),
    "see who the proposing office rescued": ("report", patrol_policies.can_see_rescued),
}
OBJECTLESS_ACTIONS = {
    "propose joint patrols": patrol_policies.can_propose_patrols,
    "open the joint patrols page": patrol_policies.can_use_patrols,
}


@dataclass
class World:
    actors: dict[tuple[str, str], int]
    deactivated: dict[str, int]
    patrols: dict[str, int]
    report: int

    def target(self, name: str):
        if name == "report":
            return db.session.get(PatrolReport, self.report)
        return db.session.get(Patrol, self.patrols[name])


@pytest.fixture(scope="module")
def world(database_template, tmp_path_factory):
    with module_database(database_template, tmp_path_factory, "patrol-policies"):
        actors = make_actors(RELATION_OFFICE)
        deactivated = make_deactivated("LS-BGS-HN")
        proposed = proposed_patrol()
        confirmed = confirmed_patrol(marker_from="630", marker_to="633")
        completed = started(confirmed_patrol(marker_from="610", marker_to="612"))
        report = operations.report_outcome(
            completed,
            {"people_checked": 5, "rescued": [{"name_as_written": "Lò Thị Dung"}]},
            actor=user_named("ls.guard"),
        )
        db.session.commit()
        yield World(
            actors,
            deactivated,
            {"proposed": proposed.id, "confirmed": confirmed.id, "completed": completed.id},
            report.id,
        )


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


def test_the_patrols_are_between_the_offices_the_relations_name(world):
    for name in ("proposed", "confirmed", "completed"):
        patrol = world.target(name)
        assert patrol.proposing_office.code == RELATION_OFFICE["proposing"]
        assert patrol.partner_office.code == RELATION_OFFICE["partner"]
    assert world.target("completed").state == "completed"


@pytest.mark.parametrize(("action", "role", "allowed"), OBJECTLESS_CASES)
def test_objectless_action(world, action, role, allowed):
    for relation in RELATIONS:
        actor = user(world.actors[(role, relation)])
        assert OBJECTLESS_ACTIONS[action](actor) is allowed, relation


@pytest.mark.parametrize(("action", "role", "relation", "allowed"), OBJECT_CASES)
def test_action_on_patrol(world, action, role, relation, allowed):
    name, policy = OBJECT_ACTIONS[action]
    actor = user(world.actors[(role, relation)])
    assert policy(actor, world.target(name)) is allowed


@pytest.mark.parametrize(("role", "relation"), ACTORS)
def test_the_list_shows_what_the_policy_allows(world, role, relation):
    actor = user(world.actors[(role, relation)])
    listed = set(db.session.scalars(visible_patrols(actor).with_only_columns(Patrol.id)))
    for name, patrol_id in world.patrols.items():
        assert (patrol_id in listed) is patrol_policies.can_view_patrol(
            actor, world.target(name)
        ), name


@pytest.mark.parametrize("role", ROLES)
def test_a_deactivated_user_of_the_proposing_office_is_refused_everything(world, role):
    actor = user(world.deactivated[role])
    answers = {action: policy(actor) for action, policy in OBJECTLESS_ACTIONS.items()}
    for action, (name, policy) in OBJECT_ACTIONS.items():
        answers[action] = policy(actor, world.target(name))
    assert answers == dict.fromkeys(answers, False)

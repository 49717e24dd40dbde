"""The reintegration access matrix: every role × every action × the actor's office's
relation to the person's file.

Quảng Trị's liaison office (QT-BLO) referred a victim of its case to Quảng Trị's social
protection centre (QT-SPC). An actor holds one role and works at the office of one relation:

- centre:        QT-SPC, the centre the person is referred to
- referring:     QT-BLO, the office that referred them (its case)
- province:      QT-SC, another office of the centre's province (the supervisors' office)
- partner:       SVK-BLO, the referring office's partner across the border
- other_centre:  LS-SPC, a centre of another province
- unrelated:     PX-BLO, on the Chinese side
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from coordination.cases.models import Person
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.reintegration import operations
from coordination.reintegration import policies as p
from coordination.reintegration.models import Referral
from tests.conftest import user_named
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
    user,
)
from tests.reintegration.helpers import in_support, office, referred

RELATIONS = ("centre", "referring", "province", "partner", "other_centre", "unrelated")
RELATION_OFFICE = {
    "centre": "QT-SPC",
    "referring": "QT-BLO",
    "province": "QT-SC",
    "partner": "SVK-BLO",
    "other_centre": "LS-SPC",
    "unrelated": "PX-BLO",
}
WHERE = {
    "centre": "of the centre the person is referred to",
    "referring": "of the referring office",
    "province": "of another office of the centre's province",
    "partner": "of the referring office's partner across the border",
    "other_centre": "of a centre of another province",
    "unrelated": "of an unrelated office",
}

# fmt: off
_NOBODY = (F, F, F, F, F, F)
#                          centre refer prov partner other unrel
_CENTRE_WORKER = {
    "liaison_officer": _NOBODY,
    "border_guard":    _NOBODY,
    "social_worker":   (T,    F,    F,   F,      F,    F),
    "supervisor":      _NOBODY,
    "admin":           _NOBODY,
}
_SUPPORT_FILE = {**_CENTRE_WORKER, "supervisor": (T, T, T, F, F, F)}
OBJECT_MATRIX = {
    # The police side (the referring office, whoever works its case) sees the status.
    "see the reintegration status": {
        "liaison_officer": (F,    T,    F,   F,      F,    F),
        "border_guard":    (F,    T,    F,   F,      F,    F),
        "social_worker":   (T,    T,    F,   F,      F,    F),
        "supervisor":      (T,    T,    T,   F,      F,    F),
        "admin":           _NOBODY,
    },
    "read the support file (intake, services, visits)": _SUPPORT_FILE,
    "read the counselling and health notes": _CENTRE_WORKER,
    "accept or decline a pending referral": _CENTRE_WORKER,
    "record intake, services and visits": _CENTRE_WORKER,
    "download the support history": _SUPPORT_FILE,
    "approve a closure": {**dict.fromkeys(ROLES, _NOBODY), "supervisor": (T, T, T, F, F, F)},
    "refer a declined person to another centre": {
        **dict.fromkeys(ROLES, _NOBODY), "liaison_officer": (F, T, F, F, F, F),
    },
    "refer a victim of the case": {
        **dict.fromkeys(ROLES, _NOBODY), "liaison_officer": (F, T, F, F, F, F),
    },
    "open the centre's caseload": _SUPPORT_FILE,
    "see the reintegration menu": {
        "liaison_officer": _NOBODY,
        "border_guard":    _NOBODY,
        "social_worker":   (T,    F,    F,   F,      T,    F),
        "supervisor":      (T,    T,    T,   T,      T,    T),
        "admin":           _NOBODY,
    },
}
# fmt: on

OBJECT_ACTIONS = {
    "see the reintegration status": ("in_support", p.can_view_status),
    "read the support file (intake, services, visits)": ("in_support", p.can_view_support),
    "read the counselling and health notes": ("in_support", p.can_read_sensitive),
    "accept or decline a pending referral": ("pending", p.can_answer_referral),
    "record intake, services and visits": ("in_support", p.can_work),
    "download the support history": ("in_support", p.can_view_support),
    "approve a closure": ("closure_asked", p.can_decide_closure),
    "refer a declined person to another centre": ("declined", p.can_refer_again),
    "refer a victim of the case": ("person", p.can_refer_person),
    "open the centre's caseload": ("centre", p.can_view_caseload),
    "see the reintegration menu": ("none", lambda actor, _obj: p.sees_reintegration(actor)),
}


@dataclass
class World:
    actors: dict
    deactivated: dict
    objects: dict

    def target(self, name: str):
        if name == "none":
            return None
        model, record_id = self.objects[name]
        return db.session.get(model, record_id)


@pytest.fixture(scope="module")
def world(database_template, tmp_path_factory):
    with module_database(database_template, tmp_path_factory, "reintegration-policies"):
        from flask import current_app

        with current_app.test_request_context():
            actors = make_actors(RELATION_OFFICE)
            deactivated = make_deactivated("QT-SPC")
            pending = referred()
            supported = in_support()
            asked = in_support()
            operations.request_closure(
                asked,
                {"reason": "reintegrated", "version": asked.version},
                actor=user_named("qt.social"),
            )
            declined = referred()
            operations.answer_referral(
                declined,
                {"decision": "decline", "reason": "Hết chỗ", "version": declined.version},
                actor=user_named("qt.social"),
            )
            objects = {
                "pending": (Referral, pending.id),
                "in_support": (Referral, supported.id),
                "closure_asked": (Referral, asked.id),
                "declined": (Referral, declined.id),
                "person": (Person, supported.person_id),
                "centre": (Office, office("QT-SPC").id),
            }
            db.session.commit()
        yield World(actors, deactivated, objects)


OBJECT_CASES = object_cases(OBJECT_MATRIX, RELATIONS, WHERE)


def test_the_tables_cover_every_role_action_and_relation():
    check_tables(OBJECT_MATRIX, OBJECT_ACTIONS, RELATIONS)
    assert len(OBJECT_CASES) == len(OBJECT_ACTIONS) * len(ROLES) * len(RELATIONS)


@pytest.mark.parametrize(("action", "role", "relation", "allowed"), OBJECT_CASES)
def test_action(world, action, role, relation, allowed):
    name, policy = OBJECT_ACTIONS[action]
    actor = user(world.actors[(role, relation)])
    assert bool(policy(actor, world.target(name))) is allowed


@pytest.mark.parametrize("role", ROLES, ids=[ROLE_NAMES[r] for r in ROLES])
def test_a_deactivated_account_may_do_nothing(world, role):
    actor = user(world.deactivated[role])
    for action, (name, policy) in OBJECT_ACTIONS.items():
        assert not policy(actor, world.target(name)), action

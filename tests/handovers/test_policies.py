"""The handover access matrix: every role × every action × the actor's office's relation to it.

The policy functions of coordination/handovers/policies.py are called directly. The tables
are the specification, written out by hand from what the code decides today.

Quảng Trị (QT-BLO) proposed to receive two women back from Savannakhet (SVK-BLO), which
agreed; the handover is scheduled at the Lao Bảo – Densavanh gate. An actor holds one role
and works at the office of one relation:

- receiving:     QT-BLO, the office that receives the people (it sent the proposal)
- gate_station:  QT-BGS-LB, the Vietnamese border guard station at the gate (Lao Bảo)
- station_away:  QT-BGS-LL, a second station of Quảng Trị, at another gate (made here)
- province:      QT-SC, an office of the receiving province that is not a station
- handing:       SVK-BLO, the office that hands the people over (the other side)
- other_station: SVK-BGS-DSV, the Lao station at the gate (Densavanh)
- far_station:   LS-BGS-HN, a station of another province (Hữu Nghị, Lạng Sơn)
- unrelated:     PX-BLO, on the Chinese side

The policies look at provinces, not at gates: a border guard of any station in either
party's province works the gate.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from coordination.directory.models import AdministrativeArea
from coordination.directory.operations import create_office
from coordination.exchange import operations as exchange_operations
from coordination.exchange.models import MessageKind, Request
from coordination.extensions import db
from coordination.handovers import operations
from coordination.handovers import policies as handover_policies
from coordination.handovers.models import Handover
from coordination.handovers.queries import schedulable_requests, visible_handovers
from tests.conftest import user_named
from tests.handovers.helpers import agreed_proposal, schedule_data
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

RELATIONS = (
    "receiving",
    "gate_station",
    "station_away",
    "province",
    "handing",
    "other_station",
    "far_station",
    "unrelated",
)
RELATION_OFFICE = {
    "receiving": "QT-BLO",
    "gate_station": "QT-BGS-LB",
    "station_away": "QT-BGS-LL",
    "province": "QT-SC",
    "handing": "SVK-BLO",
    "other_station": "SVK-BGS-DSV",
    "far_station": "LS-BGS-HN",
    "unrelated": "PX-BLO",
}
WHERE = {
    "receiving": "of the receiving office",
    "gate_station": "of the gate's station",
    "station_away": "of another station of the receiving province",
    "province": "of another office of the receiving province",
    "handing": "of the handing office on the other side",
    "other_station": "of the other side's station at the gate",
    "far_station": "of a station of an unrelated province",
    "unrelated": "of an unrelated office",
}

# --- The specification -----------------------------------------------------------------------

# fmt: off
OBJECTLESS_MATRIX = {
    "schedule handovers": {
        "liaison_officer": T, "border_guard": T, "social_worker": F, "supervisor": F, "admin": F,
    },
}

# role → allowed for (receiving, gate_station, station_away, province, handing, other_station,
#                     far_station, unrelated)
_SEEN = {
    #                    recv gate away prov hand other far unrel
    "liaison_officer":  (T,   F,   F,   F,   T,   F,    F,  F),
    # QUESTION: a border guard at any station of either party's province sees (and below,
    # manages) the handover, also at a station nowhere near its gate (station_away): the
    # policy looks at provinces, not gates.
    "border_guard":     (T,   T,   T,   F,   T,   T,    F,  F),
    "social_worker":    (T,   F,   F,   F,   T,   F,    F,  F),
    "supervisor":       (T,   T,   T,   T,   T,   T,    F,  F),
    # QUESTION: an administrator (or a social worker) who works at a party office sees the
    # handover and the names of the people handed over, though administrators are kept out
    # of case files (need to know).
    "admin":            (T,   F,   F,   F,   T,   F,    F,  F),
}
_WORKS_THE_GATE = {
    "liaison_officer":  (T,   F,   F,   F,   T,   F,    F,  F),
    "border_guard":     (F,   T,   T,   F,   F,   T,    F,  F),  # QUESTION: see station_away
    "social_worker":    (F,   F,   F,   F,   F,   F,    F,  F),
    "supervisor":       (F,   F,   F,   F,   F,   F,    F,  F),
    "admin":            (F,   F,   F,   F,   F,   F,    F,  F),
}
_NOBODY = {role: (F,) * len(RELATIONS) for role in ROLES}

OBJECT_MATRIX = {
    "see a scheduled handover": _SEEN,
    # The record's download page loads the handover with can_view_handover, nothing more.
    "download the handover record": _SEEN,
    "reschedule, postpone or cancel the handover": _WORKS_THE_GATE,
    "log at the gate what happened": _WORKS_THE_GATE,
    "schedule a handover from an agreed proposal": _WORKS_THE_GATE,
    "schedule a handover from a proposal not yet agreed": _NOBODY,
    "schedule a handover from a declined proposal": _NOBODY,
}
# fmt: on

# action → (object, how it is asked)
OBJECT_ACTIONS = {
    "see a scheduled handover": ("handover", handover_policies.can_view_handover),
    "download the handover record": ("handover", handover_policies.can_view_handover),
    "reschedule, postpone or cancel the handover": (
        "handover",
        handover_policies.can_manage_handover,
    ),
    "log at the gate what happened": ("handover", handover_policies.can_manage_handover),
    "schedule a handover from an agreed proposal": (
        "agreed",
        handover_policies.can_schedule_from,
    ),
    "schedule a handover from a proposal not yet agreed": (
        "unanswered",
        handover_policies.can_schedule_from,
    ),
    "schedule a handover from a declined proposal": (
        "declined",
        handover_policies.can_schedule_from,
    ),
}
OBJECTLESS_ACTIONS = {"schedule handovers": handover_policies.can_schedule_handovers}


# --- The world the matrix is asked about -----------------------------------------------------


@dataclass
class World:
    actors: dict[tuple[str, str], int]  # (role, relation) → user id
    deactivated: dict[str, int]  # role → user id, at the receiving office
    handover: int
    proposals: dict[str, int]  # agreed / unanswered / declined → request id

    def target(self, name: str):
        if name == "handover":
            return db.session.get(Handover, self.handover)
        return db.session.get(Request, self.proposals[name])


def _second_station() -> None:
    quang_tri = db.session.scalar(
        select(AdministrativeArea.id).where(AdministrativeArea.code == "QT")
    )
    create_office(
        {
            "code": "QT-BGS-LL",
            "kind": "border_guard_station",
            "area_id": quang_tri,
            "active": True,
            "name_vi": "Đồn Biên phòng cửa khẩu La Lay",
            "name_lo": "ປ້ອມທະຫານປ້ອງກັນຊາຍແດນ ດ່ານລາເລ",
            "name_zh": "拉莱口岸边防站",
            "name_en": "La Lay Border Guard Station",
        },
        actor=None,
    )


def _build_objects() -> tuple[int, dict[str, int]]:
    agreed = agreed_proposal()
    handover = operations.schedule(agreed, schedule_data(agreed), actor=user_named("qt.guard"))
    unanswered = agreed_proposal(agree=False)
    declined = agreed_proposal(agree=False)
    exchange_operations.take_step(
        declined,
        MessageKind.DECLINE,
        {"body": "ບໍ່ສາມາດມອບໄດ້ໃນຕອນນີ້."},
        {},
        actor=user_named("svk.liaison"),
    )
    proposals = {"agreed": agreed.id, "unanswered": unanswered.id, "declined": declined.id}
    return handover.id, proposals


@pytest.fixture(scope="module")
def world(database_template, tmp_path_factory):
    with module_database(database_template, tmp_path_factory, "handover-policies"):
        _second_station()
        actors = make_actors(RELATION_OFFICE)
        deactivated = make_deactivated("QT-BLO")
        handover, proposals = _build_objects()
        db.session.commit()
        yield World(actors, deactivated, handover, proposals)


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


def test_the_handover_is_between_the_offices_the_relations_name(world):
    handover = world.target("handover")
    assert handover.handing_office.code == RELATION_OFFICE["handing"]
    assert handover.receiving_office.code == RELATION_OFFICE["receiving"]


@pytest.mark.parametrize(("action", "role", "allowed"), OBJECTLESS_CASES)
def test_objectless_action(world, action, role, allowed):
    for relation in RELATIONS:  # the office does not matter
        actor = user(world.actors[(role, relation)])
        assert OBJECTLESS_ACTIONS[action](actor) is allowed, relation


@pytest.mark.parametrize(("action", "role", "relation", "allowed"), OBJECT_CASES)
def test_action_on_handover(world, action, role, relation, allowed):
    name, policy = OBJECT_ACTIONS[action]
    actor = user(world.actors[(role, relation)])
    assert policy(actor, world.target(name)) is allowed


@pytest.mark.parametrize(("role", "relation"), ACTORS)
def test_the_lists_show_what_the_policies_allow(world, role, relation):
    """The handover list and the proposals offered for scheduling agree with the policies."""
    actor = user(world.actors[(role, relation)])
    listed = set(db.session.scalars(visible_handovers(actor).with_only_columns(Handover.id)))
    offered = set(db.session.scalars(schedulable_requests(actor).with_only_columns(Request.id)))
    assert (world.handover in listed) is handover_policies.can_view_handover(
        actor, world.target("handover")
    )
    for name, proposal_id in world.proposals.items():
        assert (proposal_id in offered) is handover_policies.can_schedule_from(
            actor, world.target(name)
        ), name


@pytest.mark.parametrize("role", ROLES)
def test_a_deactivated_user_of_the_receiving_office_is_refused_everything(world, role):
    actor = user(world.deactivated[role])
    assert actor.is_active is False
    answers = {action: policy(actor) for action, policy in OBJECTLESS_ACTIONS.items()}
    for action, (name, policy) in OBJECT_ACTIONS.items():
        answers[action] = policy(actor, world.target(name))
    assert answers == dict.fromkeys(answers, False)

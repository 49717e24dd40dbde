"""The liaison meeting access matrix: every role × every action × the actor's office's
relation to the meeting.

The policy functions of coordination/meetings/policies.py are called directly; the tables
are the specification, written out by hand.

Quảng Trị's border liaison office (QT-BLO) hosts a quarterly meeting with Savannakhet's
(SVK-BLO). An actor holds one role and works at the office of one relation:

- host:             QT-BLO, the office that hosts
- partner:          SVK-BLO, the partner office
- province:         QT-SC, another office of the host's province
- partner_province: SVK-SPC, another office of the partner's province
- unrelated:        SLV-BLO, Salavan: a partner of Quảng Trị with no part in this meeting

Minutes were recorded for the first occurrence with an action item owned by Savannakhet.
A second meeting was cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from coordination.extensions import db
from coordination.meetings import operations
from coordination.meetings import policies as meeting_policies
from coordination.meetings.models import ActionItem, Meeting
from coordination.meetings.queries import visible_meetings
from tests.conftest import user_named
from tests.meetings.helpers import planned_meeting, recorded_minutes
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

RELATIONS = ("host", "partner", "province", "partner_province", "unrelated")
RELATION_OFFICE = {
    "host": "QT-BLO",
    "partner": "SVK-BLO",
    "province": "QT-SC",
    "partner_province": "SVK-SPC",
    "unrelated": "SLV-BLO",
}
WHERE = {
    "host": "of the host office",
    "partner": "of the partner office",
    "province": "of another office of the host's province",
    "partner_province": "of another office of the partner's province",
    "unrelated": "of an unrelated office",
}

# fmt: off
OBJECTLESS_MATRIX = {
    "plan liaison meetings": {
        "liaison_officer": T, "border_guard": F, "social_worker": F, "supervisor": F, "admin": F,
    },
    "open the liaison meetings page": {
        "liaison_officer": T, "border_guard": F, "social_worker": F, "supervisor": T, "admin": F,
    },
}

# role → allowed for (host, partner, province, partner_province, unrelated)
_SEEN = {
    #                    host part prov pprov unrel
    "liaison_officer":  (T,   T,   F,   F,    F),
    "border_guard":     (T,   T,   F,   F,    F),
    "social_worker":    (T,   T,   F,   F,    F),
    # Supervisors oversee their province's offices, on either side.
    "supervisor":       (T,   T,   T,   T,    F),
    "admin":            (T,   T,   F,   F,    F),
}
_HOST_LIAISON = {
    "liaison_officer":  (T,   F,   F,   F,    F),
    "border_guard":     (F,   F,   F,   F,    F),
    "social_worker":    (F,   F,   F,   F,    F),
    "supervisor":       (F,   F,   F,   F,    F),
    "admin":            (F,   F,   F,   F,    F),
}
_BOTH_LIAISONS = {
    "liaison_officer":  (T,   T,   F,   F,    F),
    "border_guard":     (F,   F,   F,   F,    F),
    "social_worker":    (F,   F,   F,   F,    F),
    "supervisor":       (F,   F,   F,   F,    F),
    "admin":            (F,   F,   F,   F,    F),
}
# The owner office's people, and either side's liaison officers.
_OWNER_OR_LIAISONS = {
    "liaison_officer":  (T,   T,   F,   F,    F),
    "border_guard":     (F,   T,   F,   F,    F),
    "social_worker":    (F,   T,   F,   F,    F),
    "supervisor":       (F,   T,   F,   F,    F),
    "admin":            (F,   T,   F,   F,    F),
}
_NOBODY = {role: (F,) * len(RELATIONS) for role in ROLES}

OBJECT_MATRIX = {
    "see a meeting": _SEEN,
    "see the minutes": _SEEN,
    "see an action item": _SEEN,
    "move, skip or cancel occurrences": _HOST_LIAISON,
    "change the schedule of a cancelled meeting": _NOBODY,
    "keep attendees and agenda": _BOTH_LIAISONS,
    "keep the agenda of a cancelled meeting": _NOBODY,
    "write and sign the minutes": _BOTH_LIAISONS,
    "move on an action item owned by the partner": _OWNER_OR_LIAISONS,
}
# fmt: on

OBJECT_ACTIONS = {
    "see a meeting": ("meeting", meeting_policies.can_view_meeting),
    "see the minutes": ("meeting", meeting_policies.can_view_minutes),
    "see an action item": ("item", meeting_policies.can_view_action_item),
    "move, skip or cancel occurrences": ("meeting", meeting_policies.can_schedule),
    "change the schedule of a cancelled meeting": ("cancelled", meeting_policies.can_schedule),
    "keep attendees and agenda": ("meeting", meeting_policies.can_prepare),
    "keep the agenda of a cancelled meeting": ("cancelled", meeting_policies.can_prepare),
    "write and sign the minutes": ("meeting", meeting_policies.can_record_minutes),
    "move on an action item owned by the partner": (
        "item",
        meeting_policies.can_update_action_item,
    ),
}
OBJECTLESS_ACTIONS = {
    "plan liaison meetings": meeting_policies.can_plan_meetings,
    "open the liaison meetings page": meeting_policies.can_use_meetings,
}


@dataclass
class World:
    actors: dict[tuple[str, str], int]
    deactivated: dict[str, int]
    meetings: dict[str, int]
    item: int

    def target(self, name: str):
        if name == "item":
            return db.session.get(ActionItem, self.item)
        return db.session.get(Meeting, self.meetings[name])


@pytest.fixture(scope="module")
def world(database_template, tmp_path_factory):
    with module_database(database_template, tmp_path_factory, "meeting-policies"):
        actors = make_actors(RELATION_OFFICE)
        deactivated = make_deactivated("QT-BLO")
        meeting = planned_meeting()
        minutes = recorded_minutes(meeting)
        item = minutes.action_items[0]
        assert item.owner_office.code == "SVK-BLO"
        cancelled = planned_meeting(title="Hội đàm")
        operations.cancel(
            cancelled,
            {"reason": "Hoãn", "version": cancelled.version},
            actor=user_named("qt.liaison"),
        )
        db.session.commit()
        yield World(
            actors, deactivated, {"meeting": meeting.id, "cancelled": cancelled.id}, item.id
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


@pytest.mark.parametrize(("action", "role", "allowed"), OBJECTLESS_CASES)
def test_objectless_action(world, action, role, allowed):
    for relation in RELATIONS:
        actor = user(world.actors[(role, relation)])
        assert OBJECTLESS_ACTIONS[action](actor) is allowed, relation


@pytest.mark.parametrize(("action", "role", "relation", "allowed"), OBJECT_CASES)
def test_action_on_meeting(world, action, role, relation, allowed):
    name, policy = OBJECT_ACTIONS[action]
    actor = user(world.actors[(role, relation)])
    assert policy(actor, world.target(name)) is allowed


@pytest.mark.parametrize(("role", "relation"), ACTORS)
def test_the_list_shows_what_the_policy_allows(world, role, relation):
    actor = user(world.actors[(role, relation)])
    listed = set(db.session.scalars(visible_meetings(actor).with_only_columns(Meeting.id)))
    for name, meeting_id in world.meetings.items():
        assert (meeting_id in listed) is meeting_policies.can_view_meeting(
            actor, world.target(name)
        ), name


@pytest.mark.parametrize("role", ROLES)
def test_a_deactivated_user_of_the_host_office_is_refused_everything(world, role):
    actor = user(world.deactivated[role])
    answers = {action: policy(actor) for action, policy in OBJECTLESS_ACTIONS.items()}
    for action, (name, policy) in OBJECT_ACTIONS.items():
        answers[action] = policy(actor, world.target(name))
    assert answers == dict.fromkeys(answers, False)

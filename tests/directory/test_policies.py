"""The access matrix: every role × every action × own office / partner office / unrelated office.

The policy functions are called directly (no HTTP). The tables below are the specification,
written out by hand; nothing in them is derived from the code under test.

Every actor of the matrix works at QT-BLO (Quảng Trị border liaison office) and holds one role.
The objects an actor is asked about belong to one of four relations:

- own:       QT-BLO itself (its members, its partnership QT-BLO ⇄ SVK-BLO, a colleague there)
- province:  another office of the actor's province, QT-BGS-LB (Lao Bảo border guard station),
             and its partnership QT-BGS-LB ⇄ SVK-BGS-DSV
- partner:   SVK-BLO, the Lao partner of QT-BLO, and a partnership of SVK-BLO that does not
             involve QT-BLO (SVK-BLO ⇄ SVK-PC, created for these tests)
- unrelated: PX-BLO on the Chinese side, no partnership with QT-BLO, and LS-BLO ⇄ PX-BLO

A supervisor oversees the offices of their own province (Office.province_id).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from coordination.audit import policies as audit_policies
from coordination.audit.models import AuditEntry
from coordination.audit.operations import record
from coordination.auth import policies as auth_policies
from coordination.auth.models import User
from coordination.auth.operations import create_user
from coordination.demo_data import DEMO_PASSWORD, USERS
from coordination.directory import policies as directory_policies
from coordination.directory.models import Office, Partnership
from coordination.directory.operations import create_partnership, find_partnership
from coordination.directory.queries import visible_partnerships
from coordination.extensions import db
from tests.conftest import _app_for, user_named

ROLES = ("liaison_officer", "border_guard", "social_worker", "supervisor", "admin")
RELATIONS = ("own", "province", "partner", "unrelated")
T, F = True, False

# --- The specification -----------------------------------------------------------------------

# Actions that concern no particular object: role → allowed.
# fmt: off
OBJECTLESS_MATRIX = {
    "view directory": {
        "liaison_officer": T, "border_guard": T, "social_worker": T, "supervisor": T, "admin": T,
    },
    "manage directory": {
        "liaison_officer": F, "border_guard": F, "social_worker": F, "supervisor": F, "admin": T,
    },
    "manage users": {
        "liaison_officer": F, "border_guard": F, "social_worker": F, "supervisor": F, "admin": T,
    },
    "view audit log": {
        "liaison_officer": F, "border_guard": F, "social_worker": F, "supervisor": T, "admin": T,
    },
}

# Actions on an object: role → allowed for (own, province, partner, unrelated).
OBJECT_MATRIX = {
    # The staff list of an office.
    "view office members": {
        #                      own province partner unrelated
        "liaison_officer":    (T,  F,       F,      F),
        "border_guard":       (T,  F,       F,      F),
        "social_worker":      (T,  F,       F,      F),
        "supervisor":         (T,  T,       F,      F),
        "admin":              (T,  T,       T,      T),
    },
    "view partnership": {
        "liaison_officer":    (T,  F,       F,      F),
        "border_guard":       (T,  F,       F,      F),
        "social_worker":      (T,  F,       F,      F),
        "supervisor":         (T,  T,       F,      F),
        "admin":              (T,  T,       T,      T),
    },
    "edit partnership": {
        "liaison_officer":    (F,  F,       F,      F),
        "border_guard":       (F,  F,       F,      F),
        "social_worker":      (F,  F,       F,      F),
        "supervisor":         (F,  F,       F,      F),
        "admin":              (T,  T,       T,      T),
    },
    # Another person's account (a colleague, someone in the province, in the partner office…).
    "view user": {
        "liaison_officer":    (F,  F,       F,      F),
        "border_guard":       (F,  F,       F,      F),
        "social_worker":      (F,  F,       F,      F),
        "supervisor":         (T,  T,       F,      F),
        "admin":              (T,  T,       T,      T),
    },
    "edit user": {
        "liaison_officer":    (F,  F,       F,      F),
        "border_guard":       (F,  F,       F,      F),
        "social_worker":      (F,  F,       F,      F),
        "supervisor":         (F,  F,       F,      F),
        "admin":              (T,  T,       T,      T),
    },
    # Someone else's profile is never "own profile", not even for an administrator.
    "edit own profile": {
        "liaison_officer":    (F,  F,       F,      F),
        "border_guard":       (F,  F,       F,      F),
        "social_worker":      (F,  F,       F,      F),
        "supervisor":         (F,  F,       F,      F),
        "admin":              (F,  F,       F,      F),
    },
    # An audit entry recorded by a user of the office in that relation.
    "view audit entry": {
        "liaison_officer":    (F,  F,       F,      F),
        "border_guard":       (F,  F,       F,      F),
        "social_worker":      (F,  F,       F,      F),
        "supervisor":         (T,  T,       F,      F),
        "admin":              (T,  T,       T,      T),
    },
}

# Actions on the actor's own account: role → allowed.
SELF_MATRIX = {
    "view user": {
        "liaison_officer": T, "border_guard": T, "social_worker": T, "supervisor": T, "admin": T,
    },
    "edit user": {
        "liaison_officer": F, "border_guard": F, "social_worker": F, "supervisor": F, "admin": T,
    },
    "edit own profile": {
        "liaison_officer": T, "border_guard": T, "social_worker": T, "supervisor": T, "admin": T,
    },
}
# fmt: on

# The objects of each relation.
RELATION_OFFICE = {
    "own": "QT-BLO",
    "province": "QT-BGS-LB",
    "partner": "SVK-BLO",
    "unrelated": "PX-BLO",
}
RELATION_PARTNERSHIP = {
    "own": ("QT-BLO", "SVK-BLO"),
    "province": ("QT-BGS-LB", "SVK-BGS-DSV"),
    "partner": ("SVK-BLO", "SVK-PC"),
    "unrelated": ("LS-BLO", "PX-BLO"),
}
RELATION_USER = {  # demo users working at the offices above
    "own": "qt.liaison",
    "province": "qt.guard",
    "partner": "svk.liaison",
    "unrelated": "px.liaison",
}

# How each action is asked, and what kind of object it takes.
OBJECTLESS_ACTIONS = {
    "view directory": directory_policies.can_view_directory,
    "manage directory": directory_policies.can_manage_directory,
    "manage users": auth_policies.can_manage_users,
    "view audit log": audit_policies.can_view_audit_log,
}
OBJECT_ACTIONS = {
    "view office members": ("office", directory_policies.can_view_office_members),
    "view partnership": ("partnership", directory_policies.can_view_partnership),
    "edit partnership": ("partnership", directory_policies.can_edit_partnership),
    "view user": ("user", auth_policies.can_view_user),
    "edit user": ("user", auth_policies.can_edit_user),
    "edit own profile": ("user", auth_policies.can_edit_own_profile),
    "view audit entry": ("entry", audit_policies.can_view_entry),
}


# --- The world the matrix is asked about -----------------------------------------------------


@dataclass
class World:
    actors: dict[str, int]  # role → user id (enabled, at QT-BLO)
    deactivated: dict[str, int]  # role → user id (is_enabled False, at QT-BLO)
    offices: dict[str, int]  # relation → office id
    partnerships: dict[str, int]  # relation → partnership id
    users: dict[str, int]  # relation → user id
    entries: dict[str, int]  # relation → audit entry id

    def actor(self, role: str, *, enabled: bool = True) -> User:
        return db.session.get(User, (self.actors if enabled else self.deactivated)[role])

    def target(self, kind: str, relation: str):
        model, ids = {
            "office": (Office, self.offices),
            "partnership": (Partnership, self.partnerships),
            "user": (User, self.users),
            "entry": (AuditEntry, self.entries),
        }[kind]
        return db.session.get(model, ids[relation])


def _office(code: str) -> Office:
    return db.session.scalar(select(Office).where(Office.code == code))


def _make_user(username: str, office_code: str, role: str) -> User:
    return create_user(
        {
            "username": username,
            "full_name": f"Matrix {role}",
            "office_id": _office(office_code).id,
            "roles": [role],
            "locale": "en",
            "password": DEMO_PASSWORD,
        },
        actor=None,
    )


@pytest.fixture(scope="module")
def world(database_template, tmp_path_factory):
    """One database for the whole module: the policies only read, so tests can share it."""
    url = database_template(tmp_path_factory.mktemp("policies"))
    app = _app_for(url)
    with app.app_context():
        actors = {role: _make_user(f"matrix.{role}", "QT-BLO", role).id for role in ROLES}
        deactivated = {}
        for role in ROLES:
            user = _make_user(f"matrix.off.{role}", "QT-BLO", role)
            user.is_enabled = False
            deactivated[role] = user.id
        svk_blo, svk_pc = _office("SVK-BLO"), _office("SVK-PC")
        create_partnership(
            {
                "office_a_id": svk_blo.id,
                "office_b_id": svk_pc.id,
                "working_languages": ["lo"],
                "active": True,
                "deadline_identity_verification": 10,
                "deadline_information": 10,
                "deadline_rescue_assistance": 2,
                "deadline_handover_proposal": 5,
            },
            actor=None,
        )
        db.session.flush()
        partnerships = {}
        for relation, (first, second) in RELATION_PARTNERSHIP.items():
            found = find_partnership(_office(first).id, _office(second).id)
            assert found is not None, (first, second)
            partnerships[relation] = found.id
        users = {relation: user_named(name).id for relation, name in RELATION_USER.items()}
        entries = {
            relation: record("test.event", actor=db.session.get(User, user_id)).id
            for relation, user_id in users.items()
        }
        db.session.commit()
        yield World(
            actors=actors,
            deactivated=deactivated,
            offices={rel: _office(code).id for rel, code in RELATION_OFFICE.items()},
            partnerships=partnerships,
            users=users,
            entries=entries,
        )
        db.session.remove()
        db.engine.dispose()
    database_template.drop(url)


# --- The matrix ------------------------------------------------------------------------------

OBJECTLESS_CASES = [
    pytest.param(role, action, allowed, id=f"{role}-{action}")
    for action, by_role in OBJECTLESS_MATRIX.items()
    for role, allowed in by_role.items()
]
OBJECT_CASES = [
    pytest.param(role, action, relation, allowed, id=f"{role}-{action}-{relation}")
    for action, by_role in OBJECT_MATRIX.items()
    for role, row in by_role.items()
    for relation, allowed in zip(RELATIONS, row, strict=True)
]
SELF_CASES = [
    pytest.param(role, action, allowed, id=f"{role}-{action}-self")
    for action, by_role in SELF_MATRIX.items()
    for role, allowed in by_role.items()
]


def test_the_tables_cover_every_role_action_and_relation():
    assert set(OBJECTLESS_MATRIX) == set(OBJECTLESS_ACTIONS)
    assert set(OBJECT_MATRIX) == set(OBJECT_ACTIONS)
    for table in (OBJECTLESS_MATRIX, OBJECT_MATRIX, SELF_MATRIX):
        for action, by_role in table.items():
            assert tuple(by_role) == ROLES, action
    assert len(OBJECT_CASES) == len(OBJECT_ACTIONS) * len(ROLES) * len(RELATIONS)


@pytest.mark.parametrize(("role", "action", "allowed"), OBJECTLESS_CASES)
def test_objectless_action(world, role, action, allowed):
    actor = world.actor(role)
    assert OBJECTLESS_ACTIONS[action](actor) is allowed


@pytest.mark.parametrize(("role", "action", "relation", "allowed"), OBJECT_CASES)
def test_action_on_object(world, role, action, relation, allowed):
    kind, policy = OBJECT_ACTIONS[action]
    actor = world.actor(role)
    target = world.target(kind, relation)
    assert policy(actor, target) is allowed


@pytest.mark.parametrize(("role", "action", "allowed"), SELF_CASES)
def test_action_on_own_account(world, role, action, allowed):
    _kind, policy = OBJECT_ACTIONS[action]
    actor = world.actor(role)
    assert policy(actor, actor) is allowed


@pytest.mark.parametrize("role", ROLES)
def test_deactivated_user_is_refused_everything(world, role):
    actor = world.actor(role, enabled=False)
    assert actor.is_enabled is False
    answers = {action: policy(actor) for action, policy in OBJECTLESS_ACTIONS.items()}
    for action, (kind, policy) in OBJECT_ACTIONS.items():
        for relation in RELATIONS:
            answers[f"{action} / {relation}"] = policy(actor, world.target(kind, relation))
        answers[f"{action} / self"] = policy(actor, actor)
    assert answers == dict.fromkeys(answers, False)


# --- The supervisor oversees their province, from the steering committee office --------------


def test_supervisor_at_the_steering_committee_oversees_offices_of_the_province(world):
    supervisor = user_named("qt.supervisor")
    assert supervisor.office.code == "QT-SC"
    assert directory_policies.can_view_office_members(supervisor, _office("QT-SC"))
    assert directory_policies.can_view_office_members(supervisor, _office("QT-BLO"))
    assert directory_policies.can_view_office_members(supervisor, _office("QT-SPC"))
    assert not directory_policies.can_view_office_members(supervisor, _office("SVK-BLO"))
    assert not directory_policies.can_view_office_members(supervisor, _office("PX-BLO"))
    assert not directory_policies.can_view_office_members(supervisor, _office("LS-BLO"))

    def partnership(first, second):
        return find_partnership(_office(first).id, _office(second).id)

    assert directory_policies.can_view_partnership(supervisor, partnership("QT-BLO", "SVK-BLO"))
    assert directory_policies.can_view_partnership(supervisor, partnership("QT-BLO", "QT-SPC"))
    assert not directory_policies.can_view_partnership(supervisor, partnership("SVK-BLO", "SVK-PC"))
    assert not directory_policies.can_view_partnership(supervisor, partnership("LS-BLO", "PX-BLO"))
    assert not directory_policies.can_edit_partnership(supervisor, partnership("QT-BLO", "SVK-BLO"))

    assert auth_policies.can_view_user(supervisor, user_named("qt.liaison"))
    assert not auth_policies.can_view_user(supervisor, user_named("svk.liaison"))
    assert not auth_policies.can_view_user(supervisor, user_named("ls.liaison"))
    assert not auth_policies.can_edit_user(supervisor, user_named("qt.liaison"))


def test_supervisor_of_another_province_sees_nothing_of_quang_tri(world):
    supervisor = user_named("ls.supervisor")
    assert not directory_policies.can_view_office_members(supervisor, _office("QT-BLO"))
    qt_svk = find_partnership(_office("QT-BLO").id, _office("SVK-BLO").id)
    assert not directory_policies.can_view_partnership(supervisor, qt_svk)
    ls_px = find_partnership(_office("LS-BLO").id, _office("PX-BLO").id)
    assert directory_policies.can_view_partnership(supervisor, ls_px)
    qt_entry = db.session.get(AuditEntry, world.entries["own"])
    assert not audit_policies.can_view_entry(supervisor, qt_entry)


def test_audit_entry_without_an_actor_is_for_administrators_only(world):
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.actor_id.is_(None)).order_by(AuditEntry.id)
    )
    assert entry is not None  # the demo data loader records without an actor
    assert audit_policies.can_view_entry(world.actor("admin"), entry)
    assert not audit_policies.can_view_entry(world.actor("supervisor"), entry)
    assert not audit_policies.can_view_entry(world.actor("liaison_officer"), entry)


# --- List scoping matches the policy ---------------------------------------------------------

DEMO_USERNAMES = [row[0] for row in USERS]


def _partnership_ids_by_policy(user: User) -> set[int]:
    everything = db.session.scalars(select(Partnership)).all()
    return {p.id for p in everything if directory_policies.can_view_partnership(user, p)}


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_visible_partnerships_match_the_policy_for_demo_user(world, username):
    user = user_named(username)
    listed = {p.id for p in db.session.scalars(visible_partnerships(user))}
    assert listed == _partnership_ids_by_policy(user)


@pytest.mark.parametrize(
    ("role", "enabled"),
    [(role, enabled) for role in ROLES for enabled in (True, False)],
)
def test_visible_partnerships_match_the_policy_for_matrix_actor(world, role, enabled):
    user = world.actor(role, enabled=enabled)
    listed = {p.id for p in db.session.scalars(visible_partnerships(user))}
    assert listed == _partnership_ids_by_policy(user)
    if not enabled:
        assert listed == set()


def test_visible_partnerships_of_one_office_stay_scoped(world):
    """The office page lists the partnerships of that office the viewer may see."""
    px = user_named("px.liaison")
    qt_blo = _office("QT-BLO")
    assert list(db.session.scalars(visible_partnerships(px, office_id=qt_blo.id))) == []
    qt = user_named("qt.liaison")
    listed = {p.id for p in db.session.scalars(visible_partnerships(qt, office_id=qt_blo.id))}
    expected = {
        find_partnership(qt_blo.id, _office(code).id).id
        for code in ("SVK-BLO", "SLV-BLO", "QT-SPC")
    }
    assert listed == expected


def test_demo_expectations_are_what_the_tables_describe(world):
    """Spot checks on demo users, written out: who sees QT-BLO ⇄ SVK-BLO."""
    qt_svk = find_partnership(_office("QT-BLO").id, _office("SVK-BLO").id)
    seen_by = {
        name for name in DEMO_USERNAMES
        if directory_policies.can_view_partnership(user_named(name), qt_svk)
    }  # fmt: skip
    # The Lao supervisor oversees Savannakhet's offices, SVK-BLO among them.
    assert seen_by == {"admin", "qt.liaison", "qt.supervisor", "svk.liaison", "svk.supervisor"}

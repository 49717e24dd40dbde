"""The contacts access matrix: every role × every action × the actor's office's relation to
the contact. The policy functions of coordination/contacts/policies.py are called directly;
the tables are the specification.

Lạng Sơn's liaison office (LS-BLO) logged a hotline call with Pingxiang (PX-BLO). An actor
holds one role and works at the office of one relation:

- own:              LS-BLO, the office that logged it
- province:         LS-SC, another office of the logging office's province (Lạng Sơn)
- partner:          PX-BLO, the partner office of the call
- partner_province: GX-PD, another office of the partner's province (Guangxi)
- unrelated:        QT-BLO, an office with no part in it

A second table: the Hữu Nghị border guard station (LS-BGS-HN) logged a call with the
Youyiguan station in Pingxiang (PX-BGS) and passed it to Lạng Sơn's liaison office:

- station:          LS-BGS-HN, the office that logged it
- forwarded:        LS-BLO, the liaison office it was passed to
- province:         LS-SC, another office of the province
- station_partner:  PX-BGS, the partner office of the call
- unrelated:        QT-BLO, another province's liaison office
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from coordination.contacts import operations
from coordination.contacts import policies as contact_policies
from coordination.contacts.models import Contact
from coordination.contacts.queries import forwarded_to, office_log, shared_with
from coordination.core.db import utcnow
from coordination.extensions import db
from tests.conftest import user_named
from tests.contacts.helpers import log
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

RELATIONS = ("own", "province", "partner", "partner_province", "unrelated")
RELATION_OFFICE = {
    "own": "LS-BLO",
    "province": "LS-SC",
    "partner": "PX-BLO",
    "partner_province": "GX-PD",
    "unrelated": "QT-BLO",
}
WHERE = {
    "own": "of the office that logged the contact",
    "province": "of another office of the logging province",
    "partner": "of the partner office",
    "partner_province": "of another office of the partner's province",
    "unrelated": "of an unrelated office",
}

# fmt: off
OBJECTLESS_MATRIX = {
    "log contacts": {
        "liaison_officer": T, "border_guard": T, "social_worker": F, "supervisor": F, "admin": F,
    },
    "open the contact log": {
        "liaison_officer": T, "border_guard": T, "social_worker": T, "supervisor": T, "admin": F,
    },
}
#                          own  prov partner pprov unrel
_SEEN_UNSHARED = {
    "liaison_officer":    (T,   F,   F,      F,    F),
    "border_guard":       (T,   F,   F,      F,    F),
    "social_worker":      (T,   F,   F,      F,    F),
    "supervisor":         (T,   T,   F,      F,    F),
    "admin":              (F,   F,   F,      F,    F),  # runs the system, reads no contacts
}
_SEEN_SHARED = {
    "liaison_officer":    (T,   F,   T,      F,    F),
    "border_guard":       (T,   F,   T,      F,    F),
    "social_worker":      (T,   F,   T,      F,    F),
    "supervisor":         (T,   T,   T,      T,    F),
    "admin":              (F,   F,   F,      F,    F),
}
_LOGGING_SIDE = {
    "liaison_officer":    (T,   F,   F,      F,    F),
    "border_guard":       (T,   F,   F,      F,    F),
    "social_worker":      (F,   F,   F,      F,    F),
    "supervisor":         (F,   F,   F,      F,    F),
    "admin":              (F,   F,   F,      F,    F),
}
_PARTNER_SIDE = {
    "liaison_officer":    (F,   F,   T,      F,    F),
    "border_guard":       (F,   F,   T,      F,    F),
    "social_worker":      (F,   F,   F,      F,    F),
    "supervisor":         (F,   F,   F,      F,    F),
    "admin":              (F,   F,   F,      F,    F),
}
_INTERNAL = {
    "liaison_officer":    (T,   F,   F,      F,    F),
    "border_guard":       (T,   F,   F,      F,    F),
    "social_worker":      (T,   F,   F,      F,    F),
    "supervisor":         (T,   T,   F,      F,    F),
    "admin":              (F,   F,   F,      F,    F),
}
_REQUEST_MAKER = {
    "liaison_officer":    (T,   F,   F,      F,    F),
    "border_guard":       (F,   F,   F,      F,    F),
    "social_worker":      (F,   F,   F,      F,    F),
    "supervisor":         (F,   F,   F,      F,    F),
    "admin":              (F,   F,   F,      F,    F),
}
_NOBODY = {role: (F,) * len(RELATIONS) for role in ROLES}

OBJECT_MATRIX = {
    "see a contact not shared": _SEEN_UNSHARED,
    "see a shared contact": _SEEN_SHARED,
    "correct a contact": _LOGGING_SIDE,
    "share a contact": _LOGGING_SIDE,
    "share a contact already shared": _NOBODY,
    "confirm a shared contact": _PARTNER_SIDE,
    "confirm a contact not shared": _NOBODY,
    "confirm a contact already confirmed": _NOBODY,
    "add the partner's notes to a shared contact": _PARTNER_SIDE,
    "record that a promised answer came": _LOGGING_SIDE,
    "see the case and people a shared contact concerns": _INTERNAL,
    "make a request from a contact": _REQUEST_MAKER,
    "make a second request from a contact": _NOBODY,
    "pass a liaison office's own contact on": _NOBODY,
    "link its case file to a contact not passed to it": _NOBODY,
}

FORWARD_RELATIONS = ("station", "forwarded", "province", "station_partner", "unrelated")
FORWARD_OFFICE = {
    "station": "LS-BGS-HN",
    "forwarded": "LS-BLO",
    "province": "LS-SC",
    "station_partner": "PX-BGS",
    "unrelated": "QT-BLO",
}
FORWARD_WHERE = {
    "station": "of the border guard station that logged the contact",
    "forwarded": "of the liaison office it was passed to",
    "province": "of another office of the station's province",
    "station_partner": "of the station's partner office",
    "unrelated": "of another province's liaison office",
}
#                          stat fwd  prov partner unrel
_SEEN_PASSED = {
    "liaison_officer":    (T,   T,   F,   F,      F),
    "border_guard":       (T,   T,   F,   F,      F),
    "social_worker":      (T,   T,   F,   F,      F),
    "supervisor":         (T,   T,   T,   F,      F),
    "admin":              (F,   F,   F,   F,      F),
}
_SEEN_NOT_PASSED = {
    "liaison_officer":    (T,   F,   F,   F,      F),
    "border_guard":       (T,   F,   F,   F,      F),
    "social_worker":      (T,   F,   F,   F,      F),
    "supervisor":         (T,   T,   T,   F,      F),  # the province's supervisors
    "admin":              (F,   F,   F,   F,      F),
}
_SEEN_PASSED_SHARED = {
    "liaison_officer":    (T,   T,   F,   T,      F),
    "border_guard":       (T,   T,   F,   T,      F),
    "social_worker":      (T,   T,   F,   T,      F),
    "supervisor":         (T,   T,   T,   T,      F),
    "admin":              (F,   F,   F,   F,      F),
}
_STATION_LOGGERS = {
    "liaison_officer":    (T,   F,   F,   F,      F),
    "border_guard":       (T,   F,   F,   F,      F),
    "social_worker":      (F,   F,   F,   F,      F),
    "supervisor":         (F,   F,   F,   F,      F),
    "admin":              (F,   F,   F,   F,      F),
}
_LINKERS = {
    "liaison_officer":    (F,   T,   F,   F,      F),
    "border_guard":       (F,   T,   F,   F,      F),
    "social_worker":      (F,   F,   F,   F,      F),
    "supervisor":         (F,   F,   F,   F,      F),
    "admin":              (F,   F,   F,   F,      F),
}
_LINKS_SEEN = {
    "liaison_officer":    (T,   T,   F,   F,      F),
    "border_guard":       (T,   T,   F,   F,      F),
    "social_worker":      (T,   T,   F,   F,      F),
    "supervisor":         (T,   T,   T,   F,      F),
    "admin":              (F,   F,   F,   F,      F),
}
_FORWARDED_REQUESTER = {
    "liaison_officer":    (F,   T,   F,   F,      F),
    "border_guard":       (F,   F,   F,   F,      F),
    "social_worker":      (F,   F,   F,   F,      F),
    "supervisor":         (F,   F,   F,   F,      F),
    "admin":              (F,   F,   F,   F,      F),
}
_STATION_PARTNER = {
    "liaison_officer":    (F,   F,   F,   T,      F),
    "border_guard":       (F,   F,   F,   T,      F),
    "social_worker":      (F,   F,   F,   F,      F),
    "supervisor":         (F,   F,   F,   F,      F),
    "admin":              (F,   F,   F,   F,      F),
}
_NO_ONE = {role: (F,) * len(FORWARD_RELATIONS) for role in ROLES}

FORWARD_MATRIX = {
    "see a contact passed to a liaison office": _SEEN_PASSED,
    "see a station's contact not passed on": _SEEN_NOT_PASSED,
    "see a passed contact shared with the partner": _SEEN_PASSED_SHARED,
    "pass a contact to the liaison office": _STATION_LOGGERS,
    "pass a contact already passed on": _NO_ONE,
    "correct a passed contact": _STATION_LOGGERS,
    "link its case file to a passed contact": _LINKERS,
    "link its case file to a contact not passed on": _NO_ONE,
    "see the case file links of a passed, shared contact": _LINKS_SEEN,
    "make a request from a passed contact": _FORWARDED_REQUESTER,
    "make a second request from a passed contact": _NO_ONE,
    "confirm a passed contact shared with the partner": _STATION_PARTNER,
}
# fmt: on

P = contact_policies
OBJECT_ACTIONS = {
    "see a contact not shared": ("unshared", P.can_view_contact),
    "see a shared contact": ("shared", P.can_view_contact),
    "correct a contact": ("unshared", P.can_edit_contact),
    "share a contact": ("unshared", P.can_share_contact),
    "share a contact already shared": ("shared", P.can_share_contact),
    "confirm a shared contact": ("shared", P.can_confirm_contact),
    "confirm a contact not shared": ("unshared", P.can_confirm_contact),
    "confirm a contact already confirmed": ("confirmed", P.can_confirm_contact),
    "add the partner's notes to a shared contact": ("shared", P.can_add_partner_note),
    "record that a promised answer came": ("unshared", P.can_close_follow_up),
    "see the case and people a shared contact concerns": ("shared", P.sees_internal_links),
    "make a request from a contact": ("unshared", P.can_make_request),
    "make a second request from a contact": ("requested", P.can_make_request),
    "pass a liaison office's own contact on": ("unshared", P.can_forward_contact),
    "link its case file to a contact not passed to it": ("unshared", P.can_link_records),
}
FORWARD_ACTIONS = {
    "see a contact passed to a liaison office": ("passed", P.can_view_contact),
    "see a station's contact not passed on": ("not_passed", P.can_view_contact),
    "see a passed contact shared with the partner": ("passed_shared", P.can_view_contact),
    "pass a contact to the liaison office": ("not_passed", P.can_forward_contact),
    "pass a contact already passed on": ("passed", P.can_forward_contact),
    "correct a passed contact": ("passed", P.can_edit_contact),
    "link its case file to a passed contact": ("passed", P.can_link_records),
    "link its case file to a contact not passed on": ("not_passed", P.can_link_records),
    "see the case file links of a passed, shared contact": (
        "passed_shared",
        P.sees_internal_links,
    ),
    "make a request from a passed contact": ("passed", P.can_make_request),
    "make a second request from a passed contact": ("passed_requested", P.can_make_request),
    "confirm a passed contact shared with the partner": ("passed_shared", P.can_confirm_contact),
}
OBJECTLESS_ACTIONS = {"log contacts": P.can_log_contacts, "open the contact log": P.can_open_log}


@dataclass
class World:
    actors: dict[tuple[str, str], int]
    deactivated: dict[str, int]
    contacts: dict[str, int]
    forward_actors: dict[tuple[str, str], int]

    def target(self, name: str) -> Contact:
        return db.session.get(Contact, self.contacts[name])


def _build() -> dict[str, int]:
    liaison, partner = user_named("ls.liaison"), user_named("px.liaison")
    unshared = log(follow_up_due_at=utcnow() + timedelta(days=1))
    shared = log()
    operations.share_contact(shared, {"version": shared.version}, actor=liaison)
    confirmed = log()
    operations.share_contact(confirmed, {"version": confirmed.version}, actor=liaison)
    operations.respond(confirmed, {"confirm": True, "version": confirmed.version}, actor=partner)
    requested = log()
    operations.make_request(
        requested,
        {"kind": "rescue_assistance", "subject": "Giải cứu", "version": requested.version},
        actor=liaison,
    )
    guard, station_partner = user_named("ls.guard"), user_named("px.guard")

    def station_call(*, passed: bool):
        contact = log("ls.guard", partner="PX-BGS")
        if passed:
            operations.forward_contact(contact, {"version": contact.version}, actor=guard)
        return contact

    not_passed, passed = station_call(passed=False), station_call(passed=True)
    passed_shared = station_call(passed=True)
    operations.share_contact(passed_shared, {"version": passed_shared.version}, actor=guard)
    assert station_partner.office_id == passed_shared.partner_office_id
    passed_requested = station_call(passed=True)
    operations.make_request(
        passed_requested,
        {"kind": "rescue_assistance", "subject": "Giải cứu", "version": passed_requested.version},
        actor=liaison,
    )
    return {
        "unshared": unshared.id,
        "shared": shared.id,
        "confirmed": confirmed.id,
        "requested": requested.id,
        "not_passed": not_passed.id,
        "passed": passed.id,
        "passed_shared": passed_shared.id,
        "passed_requested": passed_requested.id,
    }


def _forward_actors(actors: dict) -> dict[tuple[str, str], int]:
    """The second table's actors: the first table's where the office is the same."""
    new = make_actors({"station": "LS-BGS-HN", "station_partner": "PX-BGS"})
    same = {"forwarded": "own", "province": "province", "unrelated": "unrelated"}
    for relation, first in same.items():
        assert RELATION_OFFICE[first] == FORWARD_OFFICE[relation]
        new.update({(role, relation): actors[(role, first)] for role in ROLES})
    return new


@pytest.fixture(scope="module")
def world(database_template, tmp_path_factory):
    with module_database(database_template, tmp_path_factory, "contact-policies"):
        actors = make_actors(RELATION_OFFICE)
        deactivated = make_deactivated("LS-BLO")
        contacts = _build()
        forward_actors = _forward_actors(actors)
        db.session.commit()
        yield World(actors, deactivated, contacts, forward_actors)


OBJECT_CASES = object_cases(OBJECT_MATRIX, RELATIONS, WHERE)
FORWARD_CASES = object_cases(FORWARD_MATRIX, FORWARD_RELATIONS, FORWARD_WHERE)
OBJECTLESS_CASES = objectless_cases(OBJECTLESS_MATRIX, "of any office")
ACTORS = [
    pytest.param(role, relation, id=f"{ROLE_NAMES[role]} {WHERE[relation]}")
    for role in ROLES
    for relation in RELATIONS
] + [
    pytest.param(role, relation, id=f"{ROLE_NAMES[role]} {FORWARD_WHERE[relation]}")
    for role in ROLES
    for relation in ("station", "station_partner")
]


def test_the_tables_cover_every_role_action_and_relation():
    check_tables(OBJECT_MATRIX, OBJECT_ACTIONS, RELATIONS)
    check_tables(OBJECTLESS_MATRIX, OBJECTLESS_ACTIONS, None)
    check_tables(FORWARD_MATRIX, FORWARD_ACTIONS, FORWARD_RELATIONS)
    assert len(OBJECT_CASES) == len(OBJECT_ACTIONS) * len(ROLES) * len(RELATIONS)


def test_the_passed_contacts_are_between_the_offices_the_relations_name(world):
    contact = world.target("passed")
    assert contact.office.code == FORWARD_OFFICE["station"]
    assert contact.partner_office.code == FORWARD_OFFICE["station_partner"]
    assert contact.forwarded_office.code == FORWARD_OFFICE["forwarded"]
    assert world.target("not_passed").forwarded_office_id is None
    made = world.target("passed_requested").request
    # Sent by the liaison office, to its partner in Pingxiang; the contact stays the station's.
    assert made.sender_office.code == "LS-BLO" and made.recipient_office.code == "PX-BLO"
    assert world.target("passed_requested").office.code == "LS-BGS-HN"


def test_the_contact_is_between_the_offices_the_relations_name(world):
    contact = world.target("shared")
    assert contact.office.code == RELATION_OFFICE["own"]
    assert contact.partner_office.code == RELATION_OFFICE["partner"]
    assert world.target("requested").request_id is not None


@pytest.mark.parametrize(("action", "role", "allowed"), OBJECTLESS_CASES)
def test_objectless_action(world, action, role, allowed):
    for relation in RELATIONS:
        actor = user(world.actors[(role, relation)])
        assert OBJECTLESS_ACTIONS[action](actor) is allowed, relation


@pytest.mark.parametrize(("action", "role", "relation", "allowed"), OBJECT_CASES)
def test_action_on_contact(world, action, role, relation, allowed):
    name, policy = OBJECT_ACTIONS[action]
    actor = user(world.actors[(role, relation)])
    assert policy(actor, world.target(name)) is allowed


@pytest.mark.parametrize(("action", "role", "relation", "allowed"), FORWARD_CASES)
def test_action_on_passed_contact(world, action, role, relation, allowed):
    name, policy = FORWARD_ACTIONS[action]
    actor = user(world.forward_actors[(role, relation)])
    assert policy(actor, world.target(name)) is allowed


@pytest.mark.parametrize(("role", "relation"), ACTORS)
def test_the_logs_show_what_the_policies_allow(world, role, relation):
    """The office's log, "shared with us" and "passed to us" list exactly the contacts the
    user may see."""
    actor_id = world.actors.get((role, relation)) or world.forward_actors[(role, relation)]
    actor = user(actor_id)
    listed = set(db.session.scalars(office_log(actor).with_only_columns(Contact.id)))
    listed |= set(db.session.scalars(shared_with(actor).with_only_columns(Contact.id)))
    listed |= set(db.session.scalars(forwarded_to(actor).with_only_columns(Contact.id)))
    for name, contact_id in world.contacts.items():
        assert (contact_id in listed) is P.can_view_contact(actor, world.target(name)), name


@pytest.mark.parametrize("role", ROLES)
def test_a_deactivated_user_of_the_logging_office_is_refused_everything(world, role):
    actor = user(world.deactivated[role])
    assert actor.is_active is False
    answers = {action: policy(actor) for action, policy in OBJECTLESS_ACTIONS.items()}
    for action, (name, policy) in OBJECT_ACTIONS.items():
        answers[action] = policy(actor, world.target(name))
    assert answers == dict.fromkeys(answers, False)

"""Shared pieces of the policy matrices (tests/*/test_policies.py).

A matrix asks one policy function about one object, for an actor of each role working at an
office in a given relation to that object. The actors are made for the matrix (one role
each, at the office of each relation); the objects are built through the real operations,
once per module: the policies only read, so every cell shares one database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from coordination.auth.models import User
from coordination.auth.operations import create_user
from coordination.demo_data import DEMO_PASSWORD
from coordination.directory.models import Office
from coordination.extensions import db
from tests.conftest import _app_for

ROLES = ("liaison_officer", "border_guard", "social_worker", "supervisor", "admin")
ROLE_NAMES = {
    "liaison_officer": "a liaison officer",
    "border_guard": "a border guard",
    "social_worker": "a social worker",
    "supervisor": "a supervisor",
    "admin": "an administrator",
}
T, F = True, False


def office(code: str) -> Office:
    return db.session.scalar(select(Office).where(Office.code == code))


def make_user(username: str, office_code: str, role: str, *, enabled: bool = True) -> User:
    user = create_user(
        {
            "username": username,
            "full_name": f"Matrix {role}",
            "office_id": office(office_code).id,
            "roles": [role],
            "locale": "en",
            "password": DEMO_PASSWORD,
        },
        actor=None,
    )
    user.is_enabled = enabled
    return user


def make_actors(relation_offices: dict[str, str]) -> dict[tuple[str, str], int]:
    """(role, relation) → id of an enabled user with that one role at that relation's office."""
    return {
        (role, relation): make_user(f"matrix.{relation}.{role}", code, role).id
        for relation, code in relation_offices.items()
        for role in ROLES
    }


def make_deactivated(office_code: str) -> dict[str, int]:
    """role → id of a deactivated user with that role at ``office_code``."""
    return {
        role: make_user(f"matrix.off.{role}", office_code, role, enabled=False).id for role in ROLES
    }


def user(user_id: int) -> User:
    return db.session.get(User, user_id)


@contextmanager
def module_database(database_template, tmp_path_factory, name: str) -> Iterator[None]:
    """An app context on a fresh copy of the demo database, kept for a whole module."""
    folder = tmp_path_factory.mktemp(name)
    url = database_template(folder)
    app = _app_for(url, UPLOAD_FOLDER=str(folder / "uploads"))
    with app.app_context():
        yield
        db.session.remove()
        db.engine.dispose()
    database_template.drop(url)


def sentence(role: str, where: str, allowed: bool, action: str) -> str:
    """'a border guard of the receiving office may not acknowledge a sent request'."""
    return f"{ROLE_NAMES[role]} {where} {'may' if allowed else 'may not'} {action}"


def object_cases(
    matrix: dict, relations: tuple[str, ...], where: dict[str, str]
) -> list[pytest.param]:
    """One param per cell: (action, role, relation, allowed), its id a sentence."""
    return [
        pytest.param(
            action, role, relation, allowed, id=sentence(role, where[relation], allowed, action)
        )
        for action, by_role in matrix.items()
        for role, row in by_role.items()
        for relation, allowed in zip(relations, row, strict=True)
    ]


def objectless_cases(matrix: dict, where: str) -> list[pytest.param]:
    return [
        pytest.param(action, role, allowed, id=sentence(role, where, allowed, action))
        for action, by_role in matrix.items()
        for role, allowed in by_role.items()
    ]


def check_tables(matrix: dict, actions: dict[str, Callable | tuple], relations) -> None:
    """Every action of the table is asked, every role has a row, every row every relation."""
    assert set(matrix) == set(actions)
    for action, by_role in matrix.items():
        assert tuple(by_role) == ROLES, action
        for role, row in by_role.items():
            if relations is not None:
                assert len(row) == len(relations), (action, role)

"""Who may open the records of the audit log's own layer that entries name (the features
above register theirs in their own setup, see ``actions.RECORD_ACCESS``)."""

from __future__ import annotations

from flask import Flask

from coordination.audit.actions import RECORD_ACCESS, record_access
from coordination.audit.operations import register_checkpoint_hook
from coordination.auth.models import User
from coordination.auth.policies import can_view_user
from coordination.core.panels import register_hook
from coordination.directory.models import AdministrativeArea, BorderGate, Office, Partnership
from coordination.directory.policies import (
    can_manage_directory,
    can_view_directory,
    can_view_partnership,
)


def _anyone(policy):
    return lambda user, _record: policy(user)


def register_record_access(app: Flask) -> None:
    for table, model, policy in (
        ("users", User, can_view_user),
        ("offices", Office, _anyone(can_view_directory)),
        ("administrative_areas", AdministrativeArea, _anyone(can_view_directory)),
        ("border_gates", BorderGate, _anyone(can_manage_directory)),
        ("partnerships", Partnership, can_view_partnership),
    ):
        register_hook(RECORD_ACCESS, record_access(table, model, policy), app)


def init_app(app: Flask) -> None:
    """Signed checkpoints after commits once they are due; who may open what the log names."""
    register_checkpoint_hook()
    register_record_access(app)

"""``flask users``: user accounts and API tokens from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from marshmallow import ValidationError
from sqlalchemy import select

from coordination.auth.models import Role
from coordination.auth.operations import create_api_token, create_user, find_user
from coordination.auth.schemas import UserCreateSchema
from coordination.core.errors import OperationError
from coordination.core.jobs import command_origin
from coordination.directory.models import Office
from coordination.extensions import db

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.option("--username", required=True)
@click.option("--full-name", required=True)
@click.option("--office", "office_code", required=True, help="Office code, e.g. QT-BLO.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([role.value for role in Role]),
)
@click.option("--locale", default="vi", type=click.Choice(["vi", "lo", "zh", "en"]))
@click.option("--timezone", default="Asia/Ho_Chi_Minh")
@click.password_option()
def create_user_command(username, full_name, office_code, roles, locale, timezone, password):
    """Create a user account."""
    command_origin()
    office = db.session.scalar(select(Office).where(Office.code == office_code.upper()))
    if office is None:
        raise click.UsageError(f"No office with code {office_code}.")
    raw = {
        "username": username,
        "full_name": full_name,
        "office_id": office.id,
        "roles": list(roles),
        "locale": locale,
        "timezone": timezone,
        "password": password,
        "password_confirm": password,
    }
    try:
        data = UserCreateSchema().load(raw)
        user = create_user(data, actor=None)
    except ValidationError as error:
        raise click.UsageError(str(error.messages)) from None
    except OperationError as error:
        raise click.UsageError(error.message) from None
    db.session.commit()
    click.echo(f"Created user {user.username} ({', '.join(user.roles)}) in {office.code}.")


@users_cli.command("create-token")
@click.argument("username")
@click.option("--name", default="cli", help="What the token is for.")
def create_token_command(username, name):
    """Create an API token for USERNAME and print it (it is shown only once)."""
    command_origin()
    user = find_user(username)
    if user is None:
        raise click.UsageError(f"No user {username}.")
    _token, plain = create_api_token(user, name, actor=None)  # issued by the operator
    db.session.commit()
    click.echo(plain)

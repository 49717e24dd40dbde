"""``flask`` commands. Each command commits once at its end, like a request."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from marshmallow import ValidationError
from sqlalchemy import select

from coordination.audit.operations import (
    CheckpointRefusedError,
    Origin,
    checkpoint_file,
    set_origin,
    verify_chain,
    write_checkpoint,
)
from coordination.auth.models import Role
from coordination.auth.operations import create_api_token, create_user, find_user
from coordination.auth.schemas import UserCreateSchema
from coordination.cases.cli import uploads as uploads_cli
from coordination.core.errors import OperationError
from coordination.directory.models import Office
from coordination.directory.reference_data import load_reference_data
from coordination.extensions import db
from coordination.matching.cli import matching_cli
from coordination.notifications.cli import notifications_cli

reference_cli = AppGroup("reference-data", help="Reference data (countries, provinces, gates).")
demo_cli = AppGroup("demo-data", help="Demo offices, partnerships and users.")
users_cli = AppGroup("users", help="User accounts.")
audit_cli = AppGroup("audit", help="The audit log.")


def _cli_origin() -> None:
    set_origin(Origin(ip_address=None, user_agent="flask-cli"))


@reference_cli.command("load")
def load_reference():
    """Add the reference data that is missing; existing rows are left as they are."""
    _cli_origin()
    report = load_reference_data()
    db.session.commit()
    if report.total:
        click.echo("Added: " + ", ".join(f"{n} {kind}" for kind, n in report.added.items()))
    else:
        click.echo("Reference data already complete; nothing changed.")


@demo_cli.command("load")
@click.option(
    "--records",
    is_flag=True,
    help="Also register missing persons and send two identity verifications to try.",
)
def load_demo(records):
    """Add demo offices, partnerships and users (one password for all; printed)."""
    from coordination.demo_data import DEMO_PASSWORD, USERS, load_demo_data
    from coordination.demo_records import load_demo_records

    _cli_origin()
    report = load_demo_data()
    if records:
        for kind, count in load_demo_records().added.items():
            report.added[kind] = count
    db.session.commit()
    if report.total:
        click.echo("Added: " + ", ".join(f"{n} {kind}" for kind, n in report.added.items()))
    else:
        click.echo("Demo data already loaded; nothing changed.")
    click.echo(f"\nDemo accounts (password for all: {DEMO_PASSWORD})")
    for username, full_name, office, roles, locale, _tz in USERS:
        click.echo(f"  {username:<15} {', '.join(roles):<16} {office:<12} {locale}  {full_name}")


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
    _cli_origin()
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
    _cli_origin()
    user = find_user(username)
    if user is None:
        raise click.UsageError(f"No user {username}.")
    _token, plain = create_api_token(user, name, actor=None)  # issued by the operator
    db.session.commit()
    click.echo(plain)


@audit_cli.command("verify")
def verify_audit():
    """Check that no audit entry was changed or removed, against the chain state and the
    signed checkpoints; exit 1 if anything does not match."""
    check = verify_chain()
    click.echo(f"Audit entries checked: {check.entries}.")
    if not check.checkpoint_file_exists:
        click.echo(
            f"Warning: no checkpoint file yet ({checkpoint_file()}); relying on the chain "
            "state alone. Run `flask audit checkpoint`.",
            err=True,
        )
    elif check.last_confirmed is None:
        click.echo("Warning: no checkpoint in the file could be confirmed.", err=True)
    else:
        confirmed = check.last_confirmed
        click.echo(
            f"Last confirmed checkpoint: sequence {confirmed.sequence}, "
            f"{confirmed.at.isoformat(timespec='seconds')} "
            f"({check.checkpoints_read} checkpoints read)."
        )
    if check.intact:
        click.echo(f"Audit log intact: {check.entries} entries verified.")
        return
    click.echo("AUDIT LOG TAMPERED:", err=True)
    for problem in check.problems:
        click.echo(f"  - {problem.message}", err=True)
    raise SystemExit(1)


@audit_cli.command("checkpoint")
def checkpoint_audit():
    """Append a signed checkpoint of the log's end to AUDIT_CHECKPOINT_FILE (for a scheduler)."""
    try:
        checkpoint = write_checkpoint()
    except CheckpointRefusedError as error:
        click.echo(f"No checkpoint written: {error}. Run `flask audit verify`.", err=True)
        raise SystemExit(1) from None
    click.echo(
        f"Checkpoint written to {checkpoint_file()}: sequence {checkpoint.sequence}, "
        f"{checkpoint.at.isoformat(timespec='seconds')}."
    )


commands = [
    reference_cli,
    demo_cli,
    users_cli,
    audit_cli,
    notifications_cli,
    matching_cli,
    uploads_cli,
]

"""``flask audit``: verify the audit log, write checkpoints."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from coordination.audit.operations import (
    CheckpointRefusedError,
    checkpoint_file,
    verify_chain,
    write_checkpoint,
)

audit_cli = AppGroup("audit", help="The audit log.")


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

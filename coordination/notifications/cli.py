"""``flask notifications …``: the jobs the scheduler runs, through core.jobs.run_job (one
commit at the end, or a rollback).

``remind-deadlines`` runs a job another feature declares (exchange.remind_deadlines): it is
looked up in the registry by its id, so notifications imports nothing of exchange."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from coordination.core.features import registry, resolve
from coordination.core.jobs import run_job
from coordination.notifications.mail import deliver_pending

REMIND_DEADLINES_JOB = "exchange.remind_deadlines"

notifications_cli = AppGroup("notifications", help="E-mail of notifications; reminders.")


@notifications_cli.command("send-email")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(min=1))
def send_email_command(limit):
    """E-mail pending notifications to their users (when MAIL_ENABLED)."""
    if not current_app.config.get("MAIL_ENABLED"):
        click.echo("E-mail is off (MAIL_ENABLED is not set); nothing sent.")
        return
    report = run_job("notifications.send_email", deliver_pending, limit).result
    click.echo(f"E-mails sent: {report.sent}; no e-mail needed: {report.not_needed}.")
    if report.error:
        click.echo(f"Stopped early, the rest stays pending: {report.error}", err=True)
        raise SystemExit(1)


@notifications_cli.command("remind-deadlines")
@click.option(
    "--hours",
    default=None,
    type=click.IntRange(min=1),
    help="Remind of reply deadlines falling within this many hours "
    "(default: each office's setting, else DEADLINE_REMINDER_HOURS).",
)
def remind_deadlines_command(hours):
    """Notify offices of requests whose reply deadline is near (once per deadline)."""
    job = registry().jobs[REMIND_DEADLINES_JOB]
    within = timedelta(hours=hours) if hours else None
    click.echo(f"Reminders: {run_job(job.id, resolve(job.function), within=within).result}.")

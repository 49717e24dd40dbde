"""``flask scheduler run``: the one process that runs the jobs (never a web worker)."""

from __future__ import annotations

import signal
import time

import click
from flask import current_app
from flask.cli import AppGroup

from coordination.scheduler import lease, runner

scheduler_cli = AppGroup("scheduler", help="The scheduler: reminders, escalations, e-mail.")

EXIT_LEASE_HELD = 3
EXIT_LEASE_LOST = 4


def _describe(held) -> str:
    if held is None or not held.holder:
        return "nobody"
    beat = held.heartbeat_at.isoformat(timespec="seconds") if held.heartbeat_at else "never"
    ends = held.expires_at.isoformat(timespec="seconds") if held.expires_at else "?"
    return (
        f"{held.holder} (host {held.host}, pid {held.pid}; last heartbeat {beat}, expires {ends})"
    )


def _stop(signum, frame):
    raise SystemExit(0)


@scheduler_cli.command("run")
@click.option(
    "--no-wait",
    is_flag=True,
    help=f"Exit (status {EXIT_LEASE_HELD}) if another scheduler runs, instead of waiting.",
)
def run_command(no_wait):
    """Run the jobs, alone: wait (or exit) while another scheduler holds the lease."""
    app = current_app._get_current_object()
    seconds = app.config["SCHEDULER_LEASE_SECONDS"]
    holder = lease.new_holder()
    waiting = False
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not lease.acquire(holder, seconds):
            held = _describe(lease.current())
            if no_wait:
                click.echo(f"Another scheduler is running: {held}. Exiting.", err=True)
                raise SystemExit(EXIT_LEASE_HELD)
            if not waiting:
                click.echo(
                    f"Another scheduler is running: {held}. Waiting until it stops or its "
                    "lease expires (Ctrl+C to give up)…",
                    err=True,
                )
                waiting = True
            time.sleep(app.config["SCHEDULER_HEARTBEAT_SECONDS"])
    except KeyboardInterrupt:
        raise SystemExit(0) from None
    click.echo(
        f"Scheduler {holder} holds the lease; running {len(runner.registry(app).jobs)} jobs."
    )
    scheduler = runner.build(app, holder)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=True)
        lease.release(holder)
        click.echo(f"Scheduler {holder} stopped; lease released.")
    if runner._process.get("lost"):
        raise SystemExit(EXIT_LEASE_LOST)

"""``flask demo-data``: the demo offices, users and records (the app's own command: it
loads data of every feature). Features declare their commands in their own package."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from coordination.core.jobs import command_origin
from coordination.extensions import db

demo_cli = AppGroup("demo-data", help="Demo offices, partnerships and users.")


@demo_cli.command("load")
@click.option(
    "--records",
    is_flag=True,
    help="Also register missing persons and send two identity verifications to try.",
)
@click.option(
    "--scope",
    type=click.Choice(["full", "core"]),
    default="full",
    show_default=True,
    help="The map to load: the whole map, or only the units the demo uses (test databases).",
)
def load_demo(records, scope):
    """Add demo offices, partnerships and users (one password for all; printed)."""
    from coordination.demo_data import DEMO_PASSWORD, USERS, load_demo_data
    from coordination.demo_records import load_demo_records

    command_origin()
    report = load_demo_data(scope=scope)
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

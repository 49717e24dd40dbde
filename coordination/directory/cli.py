"""``flask reference-data``: countries, provinces and border gates."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from coordination.core.jobs import command_origin
from coordination.directory.reference_data import load_reference_data
from coordination.extensions import db

reference_cli = AppGroup("reference-data", help="Reference data (countries, provinces, gates).")


@reference_cli.command("load")
def load_reference():
    """Add the reference data that is missing; existing rows are left as they are."""
    command_origin()
    report = load_reference_data()
    db.session.commit()
    if report.total:
        click.echo("Added: " + ", ".join(f"{n} {kind}" for kind, n in report.added.items()))
    else:
        click.echo("Reference data already complete; nothing changed.")

"""``flask matching``: maintenance of the name index."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from coordination.cases.models import MissingPersonReport, Person
from coordination.extensions import db
from coordination.matching.operations import index_name

matching_cli = AppGroup("matching", help="The name index used to find candidates.")


@matching_cli.command("reindex")
def reindex():
    """Rebuild the blocking keys of every person and missing-person report."""
    count = 0
    for kind, model in (("person", Person), ("missing", MissingPersonReport)):
        for record in db.session.scalars(select(model)).yield_per(1000):
            index_name(kind, record)
            count += 1
    db.session.commit()
    click.echo(f"Indexed the names of {count} records.")

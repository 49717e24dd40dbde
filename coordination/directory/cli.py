"""``flask reference-data``: countries, the whole map (administrative units) and border gates."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from coordination.core.jobs import command_origin
from coordination.directory.reference_data import SCOPES, LoadReport, load_reference_data
from coordination.extensions import db

reference_cli = AppGroup(
    "reference-data", help="Reference data (countries, administrative units, gates)."
)


def _show(report: LoadReport, *, verbose: bool) -> None:
    versions = ", ".join(f"{name} {version}" for name, version in report.versions.items())
    click.echo(f"Sources: {versions}; data files of coordination/directory/data.")
    if not report.total:
        click.echo("Reference data already complete; nothing changed.")
    else:
        click.echo("Changed: " + ", ".join(f"{n} {what}" for what, n in report.changes.items()))
    sync = report.sync
    if sync.kept:
        click.echo(f"{sync.kept} names differ from the sources and were kept (administrators').")
    shown = sync.renamed if verbose else sync.renamed[:20]
    for code, before, after in shown:
        click.echo(f"  renamed {code}: {before} -> {after}")
    if len(shown) < len(sync.renamed):
        click.echo(f"  … and {len(sync.renamed) - len(shown)} more renamings (--verbose)")
    abolished = sync.abolished if verbose else sync.abolished[:20]
    for code in abolished:
        click.echo(f"  abolished {code}")
    if len(abolished) < len(sync.abolished):
        click.echo(f"  … and {len(sync.abolished) - len(abolished)} more abolished (--verbose)")
    click.echo(f"({report.seconds:.1f} s)")


@reference_cli.command("load")
@click.option(
    "--scope",
    type=click.Choice(SCOPES),
    default="full",
    show_default=True,
    help="core: only the units the demo data uses (for test databases).",
)
def load_reference(scope):
    """Add the reference data that is missing and fill empty names; nothing else changes."""
    command_origin()
    report = load_reference_data(scope=scope)
    db.session.commit()
    _show(report, verbose=False)


@reference_cli.command("update")
@click.option("--dry-run", is_flag=True, help="Show what would change and change nothing.")
@click.option("--verbose", is_flag=True, help="List every renamed and abolished unit.")
def update_reference(dry_run, verbose):
    """Load, and follow the sources' renamings and abolitions (after a newer package version).

    Names an administrator edited or marked reviewed are kept.
    """
    command_origin()
    report = load_reference_data(update=True)
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was saved.")
    else:
        db.session.commit()
    _show(report, verbose=verbose)
